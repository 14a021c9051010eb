"""What the EDI invoice renderers (X12 810, EDIFACT INVOIC) share: partners, control numbers, units.

Invariants: an interchange is addressed from the seller's GLN (else its endpoint id) to the buyer's
GLN (else its endpoint id, else the customer id); its control number is derived from the invoice
number's digits, so re-rendering an invoice gives the same bytes; free text is cleaned of the
delimiters of both syntaxes and cut to the element's maximum length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from o2c.adapters.formats.einvoice.parties import Buyer, Seller
from o2c.domain.invoices import Invoice

X12_UNITS = {"C62": "EA", "EA": "EA", "CS": "CA", "CT": "CA", "KGM": "KG", "LTR": "LT", "H87": "EA"}
EDIFACT_UNITS = {"C62": "PCE", "H87": "PCE", "EA": "PCE"}
_RESERVED = re.compile(r"[*~>^'+:?\r\n]")


@dataclass(frozen=True, slots=True)
class Addressing:
    sender_id: str
    receiver_id: str
    control: int
    sender_is_gln: bool
    receiver_is_gln: bool


def addressing(invoice: Invoice, buyer: Buyer, seller: Seller) -> Addressing:
    digits = "".join(ch for ch in invoice.number if ch.isdigit())[-9:] or "1"
    receiver = buyer.gln or (buyer.endpoint.value if buyer.endpoint else buyer.id)
    return Addressing(seller.gln or seller.endpoint.value, receiver, int(digits),
                      bool(seller.gln), bool(buyer.gln))


def clean(text: str | None, limit: int) -> str:
    """``text`` without any EDI delimiter, cut to ``limit`` characters."""
    return " ".join(_RESERVED.sub(" ", text or "").split())[:limit]
