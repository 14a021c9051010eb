"""deliver-and-bill waits, visibly, while the invoice is on a billing hold, and finishes once it is released."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from o2c.adapters.store.billing_store import BillingStore
from o2c.bootstrap import App, bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.runtime import business_flows
from o2c.runtime.client import FlowClient
from o2c.runtime.durable import start_runtime
from tests.factories import seed

pytestmark = pytest.mark.slow


@pytest.fixture
def held_app(database_url: str, clock) -> Iterator[App]:
    app = bootstrap(Settings(database_url=database_url), clock=clock)
    seed(app)
    with app.uow() as uow:
        BillingStore(uow.conn).put_contract_prices("C1", "EUR", {"COLA": Decimal("9.50")})
        uow.commit()
    app.execute(
        c.CaptureOrder("C1", "C1-S1", "email", date(2026, 9, 4), (c.CaptureOrderLine("COLA", Decimal(5)),)),
        "test",
        "order",
    )
    app.dispatcher.drain()
    app.execute(c.ShipOrder("SO-000001", "RTM", "DSV", date(2026, 9, 3), {"1": Decimal(5)}), "test", "ship")
    yield app
    app.close()


def _eventually(condition, timeout_s: float = 30):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while (value := condition()) in (None, False):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return value


def test_deliver_and_bill_waits_on_a_billing_hold_and_queues_the_invoice_once_it_is_released(held_app, clock):
    business_flows.register_flows(held_app.settings)
    business_flows.configure(held_app.company, clock)
    runtime = start_runtime(
        held_app.settings.database_url, "biller-1", polling_interval=0.05, first_wait_s=0.1
    )
    client = FlowClient(held_app.settings.database_url)
    flow_id = f"{business_flows.DELIVER_AND_BILL}:DL-000001"
    try:
        client.enqueue(business_flows.DELIVER_AND_BILL, flow_id)
        waiting = _eventually(lambda: client.waiting_for(flow_id))
        assert waiting.startswith("queue_invoice_to_customer: billing hold on delivery DL-000001")
        assert "9.5" in waiting
        time.sleep(0.5)
        assert client.status(flow_id) == "PENDING"
        with held_app.uow() as uow:
            assert uow.invoices.count() == 0
        held_app.dispatcher.drain()  # the billing agent applies the contract price and releases the hold
        result = client.wait(flow_id, 30)
        assert result["queue_invoice_to_customer"]["queued"] is True
        assert client.status(flow_id) == "SUCCESS" and client.waiting_for(flow_id) is None
    finally:
        client.close()
        runtime.shutdown(drain_timeout_s=0)
    with held_app.uow() as uow:
        assert uow.invoices.count() == 1
        assert uow.invoices.for_delivery("DL-000001").lines[0].unit_price == Decimal("9.50")
        assert len(uow.messages.where()) == 1
        assert uow.ledger.problems() == [] and uow.audit.verify() == []
