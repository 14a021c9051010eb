"""Fixtures for API tests: the HTTP app on the shared ``app`` fixture, one user per role, an invoice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from o2c.api.app import create_app
from o2c.auth.roles import Role
from o2c.auth.service import NewUser, add_user
from o2c.bootstrap import App
from o2c.domain import commands as c
from tests.factories import customer, seed

DAY = date(2026, 9, 1)


@pytest.fixture
def people(app: App) -> dict[str, NewUser]:
    """viewer, clerk, approver, approver2 and admin, each with a password and an API token."""
    roles = {"viewer": Role.VIEWER, "clerk": Role.CLERK, "approver": Role.APPROVER, "approver2": Role.APPROVER,
             "admin": Role.ADMIN}
    return {name: add_user(app, name, role) for name, role in roles.items()}


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app, secret_key="test-secret")) as test_client:
        yield test_client


def bearer(user: NewUser) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.token}"}


def invoiced_order(app: App, quantity: int = 10) -> str:
    """A customer C1 with one delivered and invoiced order; the invoice number."""
    seed(app, customer(limit="100000"))
    result = app.execute(c.CaptureOrder("C1", "C1-S1", "email", DAY + timedelta(days=3),
                                        (c.CaptureOrderLine("COLA", Decimal(quantity)),)), "channel:email", "order")
    order_id = result.split()[1]
    app.dispatcher.drain()
    shipped = app.execute(c.ShipOrder(order_id, "WH1", "DHL", DAY + timedelta(days=2), {"1": Decimal(quantity)}),
                          "warehouse", "shipped")
    delivery_id = shipped.split()[1]
    app.execute(c.ConfirmDelivery(delivery_id, "POD-1"), "carrier", "delivered")
    return app.execute(c.InvoiceDelivery(delivery_id), "billing", "invoice").split()[1]
