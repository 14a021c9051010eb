"""Read models for business documents: orders, deliveries, invoices, payments and open items, as flat
rows a table or an API can show (the domain objects stay inside)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.invoices import Invoice
from o2c.domain.ledger import OpenItem
from o2c.domain.orders import Delivery, Order
from o2c.views.inbox import PaymentView, payment_view
from o2c.views.paging import Page


@dataclass(frozen=True, slots=True)
class OrderLineView:
    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    delivered: Decimal


@dataclass(frozen=True, slots=True)
class OrderView:
    id: str
    customer_id: str
    status: str
    channel: str
    order_date: date
    requested_date: date
    currency: str
    value: Decimal
    po_number: str | None
    hold_reason: str | None
    lines: list[OrderLineView]


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: str
    order_id: str
    carrier: str
    warehouse: str
    ship_date: date
    expected_date: date
    delivered_date: date | None
    pod_reference: str | None
    invoiced: bool


@dataclass(frozen=True, slots=True)
class InvoiceView:
    number: str
    kind: str
    customer_id: str
    issue_date: date
    due_date: date
    currency: str
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    order_id: str | None
    corrects: str | None


@dataclass(frozen=True, slots=True)
class OpenItemView:
    id: str
    customer_id: str
    document: str
    kind: str
    side: str
    currency: str
    original: Decimal
    open: Decimal
    opened_on: date
    due_date: date


def order_view(o: Order) -> OrderView:
    return OrderView(o.id, o.customer_id, o.status.value, o.channel, o.order_date, o.requested_date, o.currency,
                     o.value().amount, o.po_number, o.hold_reason,
                     [OrderLineView(ln.line_no, ln.sku, ln.quantity, ln.unit_price, ln.delivered) for ln in o.lines])


def delivery_view(d: Delivery) -> DeliveryView:
    return DeliveryView(d.id, d.order_id, d.carrier, d.warehouse, d.ship_date, d.expected_date, d.delivered_date,
                        d.pod_reference, d.invoiced)


def invoice_view(i: Invoice) -> InvoiceView:
    return InvoiceView(i.number, i.kind.value, i.customer_id, i.issue_date, i.due_date, i.currency,
                       i.net_total.amount, i.tax_total.amount, i.gross_total.amount, i.order_id, i.corrects)


def open_item_view(i: OpenItem) -> OpenItemView:
    return OpenItemView(i.id, i.customer_id, i.document, i.kind, i.side.value, i.original.currency,
                        i.original.amount, i.open.amount, i.opened_on, i.due_date)


def _filters(table: Any, **values: Any) -> list[Any]:
    return [table.c[name] == value for name, value in values.items() if value]


def orders(uow: UnitOfWork, customer_id: str | None = None, status: str | None = None,
           limit: int = 100, offset: int = 0) -> list[OrderView]:
    found = uow.orders.where(*_filters(t.orders, customer_id=customer_id, status=status),
                             order_by=t.orders.c.id.desc(), limit=limit, offset=offset)
    return [order_view(o) for o in found]


def order_page(uow: UnitOfWork, customer_id: str | None, status: str | None, offset: int,
               limit: int) -> Page[OrderView]:
    total = uow.orders.count(*_filters(t.orders, customer_id=customer_id, status=status))
    return Page(orders(uow, customer_id, status, limit, offset), total, offset, limit)


def order(uow: UnitOfWork, order_id: str) -> OrderView | None:
    found = uow.orders.get(order_id)
    return None if found is None else order_view(found)


def deliveries(uow: UnitOfWork, customer_id: str, limit: int = 100) -> list[DeliveryView]:
    found = uow.deliveries.where(t.deliveries.c.customer_id == customer_id, order_by=t.deliveries.c.id.desc(),
                                 limit=limit)
    return [delivery_view(d) for d in found]


def invoices(uow: UnitOfWork, customer_id: str | None = None, limit: int = 100,
             offset: int = 0) -> list[InvoiceView]:
    found = uow.invoices.where(*_filters(t.invoices, customer_id=customer_id),
                               order_by=t.invoices.c.issue_date.desc(), limit=limit, offset=offset)
    return [invoice_view(i) for i in found]


def invoice_page(uow: UnitOfWork, customer_id: str | None, offset: int, limit: int) -> Page[InvoiceView]:
    total = uow.invoices.count(*_filters(t.invoices, customer_id=customer_id))
    return Page(invoices(uow, customer_id, limit, offset), total, offset, limit)


def invoice(uow: UnitOfWork, number: str) -> InvoiceView | None:
    found = uow.invoices.get(number)
    return None if found is None else invoice_view(found)


def payments(uow: UnitOfWork, customer_id: str | None = None, status: str | None = None,
             limit: int = 100, offset: int = 0) -> list[PaymentView]:
    found = uow.payments.where(*_filters(t.payments, customer_id=customer_id, status=status),
                               order_by=t.payments.c.received_on.desc(), limit=limit, offset=offset)
    return [payment_view(p) for p in found]


def payment_page(uow: UnitOfWork, customer_id: str | None, status: str | None, offset: int,
                 limit: int) -> Page[PaymentView]:
    total = uow.payments.count(*_filters(t.payments, customer_id=customer_id, status=status))
    return Page(payments(uow, customer_id, status, limit, offset), total, offset, limit)


def payment(uow: UnitOfWork, payment_id: str) -> PaymentView | None:
    found = uow.payments.get(payment_id)
    return None if found is None else payment_view(found)


def open_items(uow: UnitOfWork, customer_id: str) -> list[OpenItemView]:
    return [open_item_view(i) for i in uow.ledger.open_items_of(customer_id)]
