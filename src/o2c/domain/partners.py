"""Trading partners: the identifiers a customer's EDI messages are sent under, mapped to the customer.

An X12 interchange names its sender by an ISA qualifier and id (``ZZ`` + ``ACME``) or a GS code; an
EDIFACT interchange by a UNB party id and its code qualifier (``14`` = GLN); a buyer may also name
itself by a GLN. A mapping with an empty qualifier matches the id under any qualifier; one with a
qualifier matches that pair only and wins over the unqualified one.

Invariant: one (qualifier, id) pair names one customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ANY_QUALIFIER = ""


@dataclass(frozen=True, slots=True)
class TradingPartner:
    sender_id: str
    customer_id: str
    qualifier: str = ANY_QUALIFIER


def parse_sender(text: str) -> TradingPartner | None:
    """``ZZ:ACME`` (qualifier, id) or ``ACME`` (any qualifier) as an unmapped partner id; None if empty."""
    qualifier, _, sender = text.strip().rpartition(":")
    if not sender.strip():
        return None
    return TradingPartner(sender.strip(), "", qualifier.strip().upper())


class PartnerDirectory:
    """Who is who among senders, read once per batch."""

    def __init__(self, partners: Iterable[TradingPartner]) -> None:
        self._by_pair = {(p.qualifier, p.sender_id): p.customer_id for p in partners}

    def customer_for(self, sender_id: str | None, qualifier: str | None = None) -> str | None:
        if not sender_id:
            return None
        sender_id = sender_id.strip()
        exact = self._by_pair.get(((qualifier or "").strip().upper(), sender_id))
        return exact or self._by_pair.get((ANY_QUALIFIER, sender_id))
