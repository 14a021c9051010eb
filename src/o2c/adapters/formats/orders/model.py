"""The format-neutral purchase order read from any order channel (X12 850, EDIFACT ORDERS, CSV).

Every parser fills the same plain records, so the intake agent never knows which wire format an
order came in. Invariants:

- quantities and prices are ``Decimal``, never floats; a line whose quantity cannot be read is
  not a line at all: it becomes a ``FormatError`` naming its segment and field;
- codes keep their original spelling next to the normalised one (``unit`` and ``unit_code``,
  ``purpose`` and ``purpose_code``), so nothing the buyer sent is lost by normalising;
- a parser reports every problem it can find in one pass (``ParsedInterchange.errors``) and raises
  ``FormatError`` only when the file cannot be read at all; an interchange with errors must not be
  booked, only acknowledged as rejected;
- the envelope receipts (interchange, group, message) carry exactly what a functional
  acknowledgement (X12 997, EDIFACT CONTRL) needs to answer the sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class FormatError(Exception):
    """A problem in an order file, naming the file, where it is (segment or row) and the field.

    ``code`` is the standard's own error code for the acknowledgement (X12 AK3/AK4/AK5/AK9 or
    EDIFACT CONTRL 0085), filled where the parser knows it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str,
        segment: str | None = None,
        position: int | None = None,
        field: str | None = None,
        code: str | None = None,
        position_kind: str = "segment",
    ) -> None:
        self.message = message
        self.file = file
        self.segment = segment
        self.position = position
        self.field = field
        self.code = code
        self.position_kind = position_kind
        super().__init__(self.describe())

    def describe(self) -> str:
        where = [self.file]
        if self.segment:
            where.append(self.segment)
        if self.position is not None:
            where.append(f"{self.position_kind} {self.position}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "segment": self.segment,
            "position": self.position,
            "field": self.field,
            "message": self.message,
        }


def leading_tag(text: str) -> str:
    """The segment tag a piece of unterminated text starts with (letters and digits, up to 3)."""
    tag = ""
    for char in text[:3]:
        if not char.isalnum():
            break
        tag += char
    return tag or "?"


class DocumentPurpose(StrEnum):
    """What the buyer wants done with this PO number."""

    ORIGINAL = "original"
    CHANGE = "change"
    REPLACE = "replace"
    CANCEL = "cancel"
    CONFIRMATION = "confirmation"
    DUPLICATE = "duplicate"


class PartyIdScheme(StrEnum):
    """Who issued a party's identifier."""

    GLN = "gln"
    DUNS = "duns"
    DUNS_PLUS_4 = "duns+4"
    BUYER_ASSIGNED = "buyer"
    SELLER_ASSIGNED = "seller"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Address:
    street: tuple[str, ...] = ()
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A trading party named in the order: ``role`` keeps the sender's code (BY, ST, DP, IV...)."""

    role: str
    party_id: str | None = None
    id_scheme: PartyIdScheme | None = None
    id_qualifier: str | None = None
    name: str | None = None
    address: Address | None = None

    @property
    def label(self) -> str | None:
        """The party's identifier, else its name: what a clerk would call it."""
        return self.party_id or self.name


@dataclass(frozen=True, slots=True)
class DateWindow:
    earliest: date | None
    latest: date | None


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """A header or line allowance (discount) or charge as sent, e.g. a promotional allowance."""

    kind: str  # "allowance" or "charge"
    code: str | None
    amount: Decimal | None = None
    rate: Decimal | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedOrderLine:
    """One ordered item. ``unit`` is normalised (EA, CS, PK, KG...), ``unit_code`` as sent."""

    line_number: str
    quantity: Decimal
    unit: str
    unit_code: str | None
    unit_price: Decimal | None = None
    price_basis: str | None = None
    buyer_item: str | None = None
    vendor_item: str | None = None
    gtin: str | None = None
    description: str | None = None
    item_ids: tuple[tuple[str, str], ...] = ()
    requested_delivery_date: date | None = None
    destinations: tuple[tuple[str, Decimal], ...] = ()
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def item(self) -> str | None:
        """The best item key: our SKU if the buyer sent it, else theirs, else the GTIN."""
        return self.vendor_item or self.buyer_item or self.gtin


@dataclass(frozen=True, slots=True)
class ParsedOrder:
    """A purchase order as the buyer sent it, with the envelope ids needed to acknowledge it."""

    source_format: str
    po_number: str
    purpose: DocumentPurpose
    purpose_code: str
    lines: tuple[ParsedOrderLine, ...]
    po_date: date | None = None
    order_type: str | None = None
    interchange_control_number: str | None = None
    group_control_number: str | None = None
    transaction_set_control_number: str | None = None
    sender_id: str | None = None
    sender_qualifier: str | None = None
    receiver_id: str | None = None
    buyer: Party | None = None
    ship_to: Party | None = None
    bill_to: Party | None = None
    supplier: Party | None = None
    parties: tuple[Party, ...] = ()
    contact: Contact | None = None
    requested_delivery_date: date | None = None
    delivery_window: DateWindow | None = None
    requested_ship_date: date | None = None
    ship_window: DateWindow | None = None
    cancel_after: date | None = None
    currency: str | None = None
    references: tuple[tuple[str, str], ...] = ()
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    stated_total: Decimal | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MessageReceipt:
    """One received transaction set / message, and what was wrong with it (for AK2/AK5 or UCM)."""

    message_type: str
    control_number: str
    position: int
    version: str | None = None
    po_number: str | None = None
    errors: tuple[FormatError, ...] = ()

    @property
    def accepted(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class GroupReceipt:
    """One received functional group (X12 GS..GE; EDIFACT's implicit group when no UNG)."""

    functional_id: str
    control_number: str
    version: str
    sender_id: str
    receiver_id: str
    messages: tuple[MessageReceipt, ...]
    errors: tuple[FormatError, ...] = ()


@dataclass(frozen=True, slots=True)
class EnvelopeReceipt:
    """One received interchange (ISA..IEA or UNB..UNZ) and its own envelope problems."""

    control_number: str
    sender_id: str
    sender_qualifier: str | None
    receiver_id: str
    receiver_qualifier: str | None
    syntax: str
    test: bool
    groups: tuple[GroupReceipt, ...]
    errors: tuple[FormatError, ...] = ()

    def all_errors(self) -> list[FormatError]:
        """Every problem inside this interchange, innermost first: messages, groups, the envelope."""
        found: list[FormatError] = []
        for group in self.groups:
            for message in group.messages:
                found.extend(message.errors)
            found.extend(group.errors)
        return found + list(self.errors)


@dataclass(frozen=True, slots=True)
class ParsedInterchange:
    """Everything read from one order file: its envelopes, its orders and every problem found."""

    source_format: str
    file: str
    orders: tuple[ParsedOrder, ...]
    envelopes: tuple[EnvelopeReceipt, ...] = ()
    errors: tuple[FormatError, ...] = ()

    @property
    def is_clean(self) -> bool:
        """True when nothing was wrong: only then may the orders be booked."""
        return not self.errors
