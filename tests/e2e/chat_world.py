"""A small world to talk about: two customers, each with a delivered and invoiced order; C1 also has an
open order. Used by the chat end-to-end tests (through ``chat_turn`` and through the HTTP API)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from o2c.bootstrap import App
from o2c.domain import commands as c
from o2c.domain.customers import Address, ShipTo
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
