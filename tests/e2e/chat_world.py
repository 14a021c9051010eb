"""A small world to talk about: two customers, each with a delivered and invoiced order; C1 also has an
open order. Used by the chat end-to-end tests (through ``chat_turn`` and through the HTTP API)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from o2c.bootstrap import App
from o2c.domain import commands as c
from o2c.domain.customers import Address, ShipTo
from o2c.services.clock import SimClock
from tests.factories import customer, seed

DAY = date(2026, 9, 1)


@dataclass(frozen=True)
class World:
    delivered_order: str
    delivery: str
    invoice: str
    open_order: str
    other_invoice: str


def _invoiced(app: App, customer_id: str, sku: str, quantity: int) -> tuple[str, str, str]:
    order_id = app.execute(c.CaptureOrder(customer_id, f"{customer_id}-S1", "email", DAY + timedelta(days=3),
                                          (c.CaptureOrderLine(sku, Decimal(quantity)),)), "test", "order").split()[1]
    app.dispatcher.drain()
    delivery_id = app.execute(c.ShipOrder(order_id, "WH1", "DHL", DAY + timedelta(days=2),
                                          {"1": Decimal(quantity)}), "test", "shipped").split()[1]
    app.execute(c.ConfirmDelivery(delivery_id, f"POD-{delivery_id}"), "test", "delivered")
    invoice = app.execute(c.InvoiceDelivery(delivery_id), "test", "invoice").split()[1]
    return order_id, delivery_id, invoice


def build(app: App) -> World:
    """C1 (English, ap@c1.example, postcode 1011 AB) and C2 (Dutch), with orders and invoices."""
    address = Address("Damrak 1", "Amsterdam", "1011 AB", "NL")
    c1 = replace(customer("C1", limit="100000"), email="ap@c1.example", bill_to=address,
                 ship_tos=(ShipTo("C1-S1", "Main site", address),))
    c2 = replace(customer("C2", limit="100000"), language="nl", email="inkoop@c2.example")
    seed(app, c1, c2)
    order, delivery, invoice = _invoiced(app, "C1", "COLA", 10)
    _, _, other_invoice = _invoiced(app, "C2", "WATER", 5)
    open_order = app.execute(c.CaptureOrder("C1", "C1-S1", "portal", DAY + timedelta(days=5),
                                            (c.CaptureOrderLine("WATER", Decimal(4)),)), "test", "order").split()[1]
    app.dispatcher.drain()
    return World(order, delivery, invoice, open_order, other_invoice)


@dataclass(frozen=True)
class Receivables:
    """C1 on 11 Dec 2026: ``paid`` settled in September, ``overdue`` due 1 Oct (71 days overdue), ``current``
    due at the end of December, and ``held`` an order the credit check put on hold for the overdue one."""

    paid: str
    overdue: str
    current: str
    held: str


def build_receivables(app: App, clock: SimClock, language: str = "en") -> Receivables:
    world = build(app)
    _, _, overdue = _invoiced(app, "C1", "WATER", 3)
    with app.uow() as uow:
        item = uow.ledger.item_for_document(world.invoice, "invoice")
        if language != "en":
            uow.customers.save(replace(uow.customers.get("C1"), language=language))
            uow.commit()
    clock.advance_to(datetime(2026, 9, 10, 9, 0))
    payment = app.execute(c.RecordPayment(date(2026, 9, 10), item.open, "Customer C1", "NL00BANKC1", world.invoice),
                          "bank", "statement").split()[1]
    app.execute(c.ApplyPayment(payment, "C1", (world.invoice,), (item.open,)), "cash", "apply")
    app.dispatcher.drain()
    clock.advance_to(datetime(2026, 10, 25, 9, 0))  # ordered before the overdue invoice passed the grace
    order = app.execute(c.CaptureOrder("C1", "C1-S1", "email", date(2026, 12, 5),
                                       (c.CaptureOrderLine("COLA", Decimal(2)),)), "test", "order").split()[1]
    app.dispatcher.drain()
    clock.advance_to(datetime(2026, 12, 5, 9, 0))
    delivery = app.execute(c.ShipOrder(order, "WH1", "DHL", date(2026, 12, 5), {"1": Decimal(2)}), "test",
                           "shipped").split()[1]
    app.execute(c.ConfirmDelivery(delivery, f"POD-{delivery}"), "test", "delivered")
    current = app.execute(c.InvoiceDelivery(delivery), "test", "invoice").split()[1]
    clock.advance_to(datetime(2026, 12, 11, 9, 0))
    held = app.execute(c.CaptureOrder("C1", "C1-S1", "portal", date(2026, 12, 15),
                                      (c.CaptureOrderLine("COLA", Decimal(6)),)), "test", "order").split()[1]
    app.dispatcher.drain()
    return Receivables(world.invoice, overdue, current, held)
