"""Sales orders and deliveries.

An order is captured from a channel (EDI, CSV, e-mail, portal, the demo world), validated, then either
confirmed or held (credit, price, stock). Deliveries ship what is available; a line is delivered in
one or more deliveries and an order closes when every line is delivered or cancelled.

The customer's PO number is their key for matching our acknowledgements and invoices, so o2c sends
it back exactly as received and never rewrites it. It must therefore fit every document that
carries it: at most 35 characters (EDIFACT's an..35), printable ASCII, and none of the X12
delimiters o2c writes with (``*`` element, ``~`` segment, ``>`` component, ``^`` repetition). X12 has
no escape character, so a PO breaking this is refused at intake with the reason
(``po_number_problem``), before any 855 or 810 would have to carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from o2c.domain.errors import InvalidTransition
from o2c.domain.money import Money


class OrderStatus(StrEnum):
    CAPTURED = "captured"
    ON_HOLD = "on_hold"
    CONFIRMED = "confirmed"
    PARTLY_DELIVERED = "partly_delivered"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


PO_NUMBER_MAX_LENGTH = 35
X12_DELIMITERS = frozenset("*~>^")


def po_number_problem(po_number: str) -> str | None:
    """Why this PO number cannot be carried back on an 855/810/ORDRSP/INVOIC unchanged; None when it can."""
    if len(po_number) > PO_NUMBER_MAX_LENGTH:
        return f"PO number {po_number[:40]!r} is longer than {PO_NUMBER_MAX_LENGTH} characters"
    if delimiters := sorted(X12_DELIMITERS.intersection(po_number)):
        return (f"PO number {po_number!r} contains {' '.join(delimiters)}, an X12 delimiter; X12 has no escape, "
                f"so acknowledgements and invoices could not carry it: ask the buyer for the PO without it")
    if any(not (" " <= ch <= "~") for ch in po_number):
        return f"PO number {po_number!r} contains a control or non-ASCII character, which X12 cannot carry"
    return None


OPEN_ORDER_STATUSES = frozenset({OrderStatus.CAPTURED, OrderStatus.ON_HOLD, OrderStatus.CONFIRMED,
                                 OrderStatus.PARTLY_DELIVERED})


@dataclass(frozen=True, slots=True)
class OrderLine:
    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    list_price: Decimal
    promotion_id: str | None = None
    discount_percent: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)

    @property
    def net_amount(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.delivered


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    customer_id: str
    ship_to: str
    channel: str
    order_date: date
    requested_date: date
    currency: str
    lines: tuple[OrderLine, ...]
    po_number: str | None = None
    status: OrderStatus = OrderStatus.CAPTURED
    hold_reason: str | None = None
    source_ref: str | None = None

    def value(self) -> Money:
        return Money(sum((ln.net_amount for ln in self.lines), Decimal(0)), self.currency).quantize()

    def open_value(self) -> Money:
        return Money(sum((ln.open_quantity * ln.unit_price for ln in self.lines), Decimal(0)),
                     self.currency).quantize()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    def hold(self, reason: str) -> Order:
        if self.status not in (OrderStatus.CAPTURED, OrderStatus.CONFIRMED, OrderStatus.ON_HOLD):
            raise InvalidTransition(f"order {self.id} is {self.status}, it cannot be held")
        return replace(self, status=OrderStatus.ON_HOLD, hold_reason=reason)

    def confirm(self) -> Order:
        if self.status not in (OrderStatus.CAPTURED, OrderStatus.ON_HOLD):
            raise InvalidTransition(f"order {self.id} is {self.status}, it cannot be confirmed")
        return replace(self, status=OrderStatus.CONFIRMED, hold_reason=None)

    def cancel(self) -> Order:
        if any(ln.delivered for ln in self.lines) or not self.is_open:
            raise InvalidTransition(f"order {self.id} is {self.status}, it cannot be cancelled")
        return replace(self, status=OrderStatus.CANCELLED)

    def record_delivery(self, quantities: dict[int, Decimal]) -> Order:
        if self.status not in (OrderStatus.CONFIRMED, OrderStatus.PARTLY_DELIVERED):
            raise InvalidTransition(f"order {self.id} is {self.status}, it cannot be delivered")
        lines = []
        for ln in self.lines:
            qty = quantities.get(ln.line_no, Decimal(0))
            if qty < 0 or qty > ln.open_quantity:
                raise InvalidTransition(f"order {self.id} line {ln.line_no}: cannot deliver {qty}")
            lines.append(replace(ln, delivered=ln.delivered + qty))
        done = all(ln.open_quantity == 0 for ln in lines)
        return replace(self, lines=tuple(lines),
                       status=OrderStatus.DELIVERED if done else OrderStatus.PARTLY_DELIVERED)

    def substitute(self, skus: dict[int, str]) -> Order:
        """Replace the SKU of undelivered lines (line number -> SKU); price and quantity stay as ordered."""
        if not self.is_open:
            raise InvalidTransition(f"order {self.id} is {self.status}, its lines cannot change")
        for line_no in skus:
            line = next((ln for ln in self.lines if ln.line_no == line_no), None)
            if line is None or line.delivered:
                raise InvalidTransition(f"order {self.id} line {line_no}: nothing undelivered to substitute")
        return replace(self, lines=tuple(replace(ln, sku=skus[ln.line_no]) if ln.line_no in skus else ln
                                         for ln in self.lines))

    def split_off(self, line_nos: tuple[int, ...]) -> tuple[Order, tuple[OrderLine, ...]]:
        """Take undelivered lines out of this order (for a backorder); at least one line must stay."""
        moving = tuple(ln for ln in self.lines if ln.line_no in line_nos)
        staying = tuple(ln for ln in self.lines if ln.line_no not in line_nos)
        if not self.is_open or not staying or any(ln.delivered for ln in moving):
            raise InvalidTransition(f"order {self.id}: lines {line_nos} cannot be split off")
        done = all(ln.open_quantity == 0 for ln in staying)
        return replace(self, lines=staying, status=OrderStatus.DELIVERED if done else self.status), moving


@dataclass(frozen=True, slots=True)
class DeliveryLine:
    order_line_no: int
    sku: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    order_id: str
    customer_id: str
    warehouse: str
    carrier: str
    ship_date: date
    expected_date: date
    lines: tuple[DeliveryLine, ...]
    delivered_date: date | None = None
    pod_reference: str | None = None
    invoiced: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
