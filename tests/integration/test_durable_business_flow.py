"""A real business flow survives SIGKILL: proof of delivery -> invoice -> invoice queued, each once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from o2c.adapters.store import tables
from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.runtime.business_flows import DELIVER_AND_BILL
from o2c.runtime.client import FlowClient
from tests.factories import seed
from tests.integration.durable_harness import (
    Observer,
    WorkerPool,
    fresh_pg_database,
    prepare_test_database,
    wait_until,
)

pytestmark = pytest.mark.slow
FLOWS = ("--flows", "o2c.runtime.business_flows")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'o2c.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    prepare_test_database(url)
    return url


def _shipped_delivery(database_url: str, clock) -> str:
    app = bootstrap(Settings(database_url=database_url), clock=clock)
    seed(app)
    app.execute(c.CaptureOrder("C1", "C1-S1", "email", date(2026, 9, 4), (c.CaptureOrderLine("COLA", Decimal(5)),)),
                "test", "order")
    app.dispatcher.drain()
    app.execute(c.ShipOrder("SO-000001", "RTM", "DSV", date(2026, 9, 1) + timedelta(days=2), {"1": Decimal(5)}),
                "test", "ship")
    app.close()
    return "DL-000001"


def test_a_worker_killed_mid_way_through_deliver_and_bill_invoices_exactly_once(database_url, clock):
    delivery_id = _shipped_delivery(database_url, clock)
    flow_id = f"{DELIVER_AND_BILL}:{delivery_id}"
    observer, client = Observer(database_url), FlowClient(database_url)
    try:
        with WorkerPool(database_url) as workers:
            worker = workers.start("biller-1", *FLOWS)
            client.enqueue(DELIVER_AND_BILL, flow_id, pause_s=1.5)
            wait_until(lambda: observer.step_run_count(flow_id) >= 2, 40, "two steps")
            worker.kill()
            assert client.status(flow_id) == "PENDING"
            workers.start("biller-1", *FLOWS)
            result = client.wait(flow_id, 60)
        assert result["queue_invoice_to_customer"]["queued"] is True
        assert observer.step_run_count(flow_id) == 3
    finally:
        observer.close()
        client.close()
    app = bootstrap(Settings(database_url=database_url), clock=clock)
    with app.uow() as uow:
        assert uow.invoices.count() == 1
        assert len(uow.messages.where()) == 1
        assert uow.deliveries.get(delivery_id).pod_reference == f"POD-{delivery_id}"
        assert uow.ledger.problems() == []
        assert uow.audit.verify() == []
        events = uow.conn.execute(select(tables.outbox.c.event_type)).scalars().all()
        assert sorted(events).count("DeliveryCompleted") == 1 and events.count("InvoiceIssued") == 1
    app.close()
