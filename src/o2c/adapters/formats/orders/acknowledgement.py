"""What we answer to a purchase order, before it is rendered as an X12 855 or an EDIFACT ORDRSP.

The intake agent decides per line: accepted as ordered, or accepted with a changed quantity,
price or date, with a substitute item, backordered, or rejected. The order-level status follows
from the lines and is checked, not trusted:

- ``ACCEPTED`` only when every line is accepted as ordered;
- ``REJECTED`` only when every line is rejected (an order may also be rejected with no lines);
- ``ACCEPTED_WITH_CHANGES`` otherwise.

Envelope partners and control numbers are passed in (``Partners``, ``ControlNumbers``) and the
moment of sending is an argument, never read from a clock here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from o2c.adapters.formats.orders.model import EnvelopeReceipt


class OrderStatus(StrEnum):
    ACCEPTED = "accepted"
    ACCEPTED_WITH_CHANGES = "accepted_with_changes"
    REJECTED = "rejected"


class LineStatus(StrEnum):
    ACCEPTED = "accepted"
    QUANTITY_CHANGED = "quantity_changed"
    PRICE_CHANGED = "price_changed"
    DATE_CHANGED = "date_changed"
    SUBSTITUTED = "substituted"
    BACKORDERED = "backordered"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class LineAcknowledgement:
    """Our answer to one ordered line: ``quantity`` is what we will deliver (0 when rejected)."""

    line_number: str
    status: LineStatus
    ordered_quantity: Decimal
    quantity: Decimal
    unit: str
    unit_price: Decimal | None = None
    delivery_date: date | None = None
    buyer_item: str | None = None
    vendor_item: str | None = None
    gtin: str | None = None
    substitute_item: str | None = None
    substitute_gtin: str | None = None

    def __post_init__(self) -> None:
        for name in ("ordered_quantity", "quantity", "unit_price"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
        if self.status is LineStatus.SUBSTITUTED and not (self.substitute_item or self.substitute_gtin):
            raise ValueError(f"line {self.line_number} is substituted but names no substitute item")
        if self.status is LineStatus.REJECTED and self.quantity != 0:
            raise ValueError(f"line {self.line_number} is rejected but confirms {self.quantity}")


@dataclass(frozen=True, slots=True)
class OrderAcknowledgement:
    po_number: str
    status: OrderStatus
    acknowledged_on: date
    lines: tuple[LineAcknowledgement, ...]
    po_date: date | None = None
    seller_order_number: str | None = None
    currency: str | None = None
    buyer_id: str | None = None
    supplier_id: str | None = None

    def __post_init__(self) -> None:
        expected = order_status_of(self.lines)
        if self.lines and self.status is not expected:
            raise ValueError(f"order {self.po_number} is marked {self.status} but its lines say {expected}")
        if not self.lines and self.status is not OrderStatus.REJECTED:
            raise ValueError(f"order {self.po_number} has no lines, so it can only be rejected")


def order_status_of(lines: tuple[LineAcknowledgement, ...]) -> OrderStatus:
    """The order-level status the line statuses imply."""
    statuses = {line.status for line in lines}
    if statuses <= {LineStatus.ACCEPTED}:
        return OrderStatus.ACCEPTED
    if statuses == {LineStatus.REJECTED}:
        return OrderStatus.REJECTED
    return OrderStatus.ACCEPTED_WITH_CHANGES


@dataclass(frozen=True, slots=True)
class Partners:
    """Who sends and who receives the acknowledgement, as the envelope names them."""

    sender_id: str
    receiver_id: str
    sender_qualifier: str | None = None
    receiver_qualifier: str | None = None

    @classmethod
    def replying_to(cls, envelope: EnvelopeReceipt) -> Partners:
        """The partners of an answer to ``envelope``: its receiver sends, its sender receives."""
        return cls(envelope.receiver_id, envelope.sender_id, envelope.receiver_qualifier,
                   envelope.sender_qualifier)


@dataclass(frozen=True, slots=True)
class ControlNumbers:
    """Our outgoing control numbers, taken from a counter the caller keeps (never reused)."""

    interchange: int
    group: int = 1
    message: int = 1


@dataclass(frozen=True, slots=True)
class Sending:
    partners: Partners
    numbers: ControlNumbers
    sent_at: datetime
    test: bool = False
