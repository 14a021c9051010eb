"""The first number of a new sequence or invoice series, taken by two transactions at once on PostgreSQL.

A counter row that does not exist yet (a sequence no one has used, an invoice series in a new year)
is created by the first transaction that needs it. Two transactions that need it at once must both
get a number, one after the other, and neither fail on the row's primary key: with several workers,
two ``deliver-and-bill`` flows queueing the first invoices of a day to e-mail-less customers both
create the ``task`` sequence, and the loser used to end its flow in ERROR.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select, text

from o2c.adapters.store import tables as t
from o2c.adapters.store.repositories import Invoices, Sequences
from o2c.bootstrap import App, bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.runtime import business_flows
from o2c.runtime.steps import run_idempotent_step
from o2c.runtime.tables import create_runtime_tables
from tests.conftest import reset_pg
from tests.factories import seed

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(pg_server: str, clock) -> Iterator[App]:  # type: ignore[no-untyped-def]
    reset_pg(pg_server)
    app = bootstrap(Settings(database_url=pg_server), clock=clock)
    yield app
    app.close()


def _second_waits_for_first(
    engine: Engine, first: Callable[[Connection], Any], second: Callable[[], Any]
) -> tuple[Any, Any]:
    """Run ``first`` in an open transaction, start ``second`` in a thread, and commit the first only once
    the second waits on a lock it holds; what each returned (the second's exception if it raised)."""
    outcome: list[Any] = []

    def run_second() -> None:
        try:
            outcome.append(second())
        except Exception as exc:  # reported, not swallowed: the test compares it
            outcome.append(exc)

    with engine.connect() as conn:
        with conn.begin():
            first_result = first(conn)
            thread = threading.Thread(target=run_second)
            thread.start()
            _until_a_session_waits_on_a_lock(engine, conn)
        thread.join(60)
    assert not thread.is_alive(), "the second transaction never finished"
    return first_result, outcome[0]


def _until_a_session_waits_on_a_lock(engine: Engine, holder: Connection, timeout_s: float = 30) -> None:
    holder_pid = holder.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    deadline = time.monotonic() + timeout_s
    with engine.connect() as probe:
        while not probe.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
            {"pid": holder_pid},
        ).scalar_one():
            assert time.monotonic() < deadline, "the second transaction never waited on the first"
            time.sleep(0.02)
            probe.rollback()


def test_two_transactions_taking_the_first_number_of_a_new_sequence_both_get_one(pg_app):
    engine = pg_app.engine

    def second() -> str:
        with engine.begin() as conn:
            sequences = Sequences(conn)
            number = sequences.next("brand-new", "BN")
            sequences.flush()
            return number

    first, second_number = _second_waits_for_first(
        engine, lambda conn: Sequences(conn).next("brand-new", "BN"), second
    )
    assert (first, second_number) == ("BN-000001", "BN-000002")
    with engine.connect() as conn:
        assert (
            conn.execute(select(t.sequences.c.value).where(t.sequences.c.name == "brand-new")).scalar_one()
            == 2
        )


def test_two_invoices_numbered_first_in_a_new_year_both_get_a_number(pg_app):
    engine = pg_app.engine

    def second() -> str:
        with engine.begin() as conn:
            return Invoices(conn).next_number("INV", 2031)

    first, second_number = _second_waits_for_first(
        engine, lambda conn: Invoices(conn).next_number("INV", 2031), second
    )
    assert (first, second_number) == ("INV-2031-000001", "INV-2031-000002")


def test_two_deliver_and_bill_flows_queueing_the_first_invoices_of_email_less_customers_both_finish(
    pg_app, clock
):
    seed(pg_app)  # customer C1 has no e-mail address: queueing its invoice opens a master-data task
    for n in (1, 2):
        pg_app.execute(
            c.CaptureOrder(
                "C1", "C1-S1", "email", date(2026, 9, 4), (c.CaptureOrderLine("COLA", Decimal(n)),)
            ),
            "test",
            "order",
        )
        pg_app.dispatcher.drain()
        pg_app.execute(
            c.ShipOrder(f"SO-00000{n}", "RTM", "DSV", date(2026, 9, 3), {"1": Decimal(n)}), "test", "ship"
        )
        for command in (c.ConfirmDelivery(f"DL-00000{n}", f"POD-{n}"), c.InvoiceDelivery(f"DL-00000{n}")):
            pg_app.execute(command, "test", "deliver and invoice")
    business_flows.register_flows(pg_app.settings)
    business_flows.configure(pg_app.company, clock)
    create_runtime_tables(pg_app.engine)
    flow = f"{business_flows.DELIVER_AND_BILL}:DL-00000"
    step = business_flows.queue_invoice_to_customer

    first, second = _second_waits_for_first(
        pg_app.engine,
        lambda conn: step(conn, f"{flow}1"),
        lambda: run_idempotent_step(pg_app.engine, f"{flow}2", step.__name__, step, executor_id="worker-2"),
    )

    assert first["queued"] is True
    assert not isinstance(second, Exception), f"the second flow's step failed: {second!r}"
    assert second["queued"] is True
    with pg_app.uow() as uow:
        assert len(uow.messages.where()) == 2
        assert [task.subject for task in uow.tasks.where()] == ["customer:C1"]
