"""The system of record: the books o2c reads its customers, products and receivables from, and writes
its decisions back to.

o2c's own ledger is the embedded default (nothing to read, nothing to push: o2c *is* the books); an
ERP such as Tryton can be the books instead. Reads are incremental (``since``: records written at or
after that moment; None reads everything) and come back as o2c's domain records, which the sync maps
through the service layer. Each push carries an idempotency ``key``; a system of record stores it with
what it writes and checks for it first, so a push repeated after an outage lands once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from o2c.domain.catalog import Product
from o2c.domain.customers import Customer
from o2c.domain.money import Money
from o2c.domain.onboarding import OpeningItem, PriceRecord

SETTLED_IN_BOOKS = "books:"
"""Bank-entry key prefix of a payment o2c recorded because the books already settled the invoice: it
closes o2c's open item and is never pushed back."""


@dataclass(frozen=True, slots=True)
class ReceivableLine:
    """One open receivable (or customer credit, negative) in the system of record."""

    customer_id: str
    document: str
    amount: Money
    due_date: date | None


@dataclass(frozen=True, slots=True)
class SaleOrderState:
    reference: str
    customer_id: str
    state: str
    shipments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SettledPayment:
    """A payment the system of record already reconciled against a customer's invoice."""

    document: str
    customer_id: str
    amount: Money
    on: date


@dataclass(frozen=True, slots=True)
class SaleLine:
    sku: str
    quantity: Decimal
    unit_price: Money


@dataclass(frozen=True, slots=True)
class SalePush:
    key: str
    customer_id: str
    order_reference: str
    sale_date: date
    lines: tuple[SaleLine, ...]


@dataclass(frozen=True, slots=True)
class InvoicePush:
    """An invoice o2c issued, to be posted in the books under o2c's number ``document``: its net
    amount and the rest of its gross (tax, charges, rounding) as two lines, so the receivable is exact."""

    key: str
    customer_id: str
    document: str
    issued_on: date
    net: Money
    gross: Money
    order_reference: str | None


@dataclass(frozen=True, slots=True)
class PaymentPush:
    """Cash applied to documents: ``amounts`` run alongside ``documents``."""

    key: str
    customer_id: str
    received_on: date
    documents: tuple[str, ...]
    amounts: tuple[Money, ...]
    description: str


@dataclass(frozen=True, slots=True)
class AdjustmentPush:
    """A short pay, write-off or credit note against ``document`` (a credit to the customer)."""

    key: str
    kind: str
    customer_id: str
    document: str
    amount: Money
    on: date
    reason: str


@dataclass(frozen=True, slots=True)
class DunningPush:
    key: str
    customer_id: str
    documents: tuple[str, ...]
    level: int


@dataclass(frozen=True, slots=True)
class CreditHoldPush:
    """A credit hold on an order; ``sale`` is the order itself, entered as a draft sale when the books
    do not hold it yet (a held order is not confirmed)."""

    key: str
    customer_id: str
    order_reference: str
    reason: str
    sale: SalePush | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one read of the books brought back."""

    customers: tuple[Customer, ...]
    products: tuple[Product, ...]
    invoices: tuple[OpeningItem, ...]
    receivables: tuple[ReceivableLine, ...]
    sales: tuple[SaleOrderState, ...]
    payments: tuple[SettledPayment, ...]
    read_at: datetime
    prices: tuple[PriceRecord, ...] = ()
    """The books' list prices of the products read, as one price list (o2c's intake prices orders by it)."""


class SystemOfRecord(Protocol):
    """The books o2c sits on: read incrementally, pushed to idempotently."""

    name: str

    def read(self, since: datetime | None, known: dict[str, Customer]) -> Snapshot:
        """Parties, products, sale orders, posted customer invoices and credit notes and payments
        written since ``since``, and every open receivable line. ``known`` are o2c's stored customers,
        whose o2c-only fields (segment, credit limit, channel) a mapped party keeps."""
        ...

    def push_sale(self, sale: SalePush) -> str:
        """A confirmed sale order for an order o2c captured; its reference in the books."""
        ...

    def push_invoice(self, invoice: InvoicePush) -> str:
        """A posted customer invoice for one o2c issued (o2c's number kept as its reference)."""
        ...

    def push_payment(self, payment: PaymentPush) -> str:
        """Cash applied to invoices, so that they are paid in the books."""
        ...

    def push_adjustment(self, adjustment: AdjustmentPush) -> str:
        """A short pay, write-off or credit note as a document of the books."""
        ...

    def push_dunning(self, dunning: DunningPush) -> str:
        """A reminder's dunning level on the documents it chased."""
        ...

    def push_credit_hold(self, hold: CreditHoldPush) -> str:
        """A credit hold, as a note on the sale."""
        ...
