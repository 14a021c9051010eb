"""Commands: what someone (a person, an agent, an importer) asks the system to do, in the imperative.

A command carries plain values only, so it can wait in the approvals queue and be replayed later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from o2c.domain.money import Money


@dataclass(frozen=True, slots=True)
class Command:
    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True)
class CaptureOrderLine:
    sku: str
    quantity: Decimal
    unit_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CaptureOrder(Command):
    customer_id: str
    ship_to: str
    channel: str
    requested_date: date
    lines: tuple[CaptureOrderLine, ...]
    po_number: str | None = None
    source_ref: str | None = None


@dataclass(frozen=True, slots=True)
class ConfirmOrder(Command):
    order_id: str


@dataclass(frozen=True, slots=True)
class HoldOrder(Command):
    order_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReleaseOrderHold(Command):
    order_id: str


@dataclass(frozen=True, slots=True)
class CancelOrder(Command):
    order_id: str


@dataclass(frozen=True, slots=True)
class ShipOrder(Command):
    order_id: str
    warehouse: str
    carrier: str
    expected_date: date
    quantities: dict[str, Decimal]


@dataclass(frozen=True, slots=True)
class ConfirmDelivery(Command):
    delivery_id: str
    pod_reference: str


@dataclass(frozen=True, slots=True)
class InvoiceDelivery(Command):
    delivery_id: str


@dataclass(frozen=True, slots=True)
class IssueCreditNote(Command):
    invoice_number: str
    amount: Money
    reason: str
    apply_to_invoice: bool = True


@dataclass(frozen=True, slots=True)
class RecordPayment(Command):
    received_on: date
    amount: Money
    payer_name: str
    payer_account: str | None
    reference: str
    bank_entry_key: str | None = None


@dataclass(frozen=True, slots=True)
class ApplyPayment(Command):
    payment_id: str
    customer_id: str
    documents: tuple[str, ...]
    amounts: tuple[Money, ...]


@dataclass(frozen=True, slots=True)
class WriteOffOpenItem(Command):
    document: str
    amount: Money
    reason: str


@dataclass(frozen=True, slots=True)
class RevalueOpenItems(Command):
    on: date


COMMAND_TYPES: dict[str, type[Command]] = {
    cls.__name__: cls for cls in Command.__subclasses__()
}
