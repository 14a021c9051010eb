"""``o2c worker`` processes: --take-over resumes a dead worker's flows, --worker-concurrency caps them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.runtime.business_flows import DELIVER_AND_BILL
from o2c.runtime.client import FlowClient
from o2c.runtime.durable import prepare_database
from o2c.runtime.tables import flow_step_runs
from tests.conftest import reset_pg
from tests.factories import customer, seed
from tests.integration.durable_harness import REPO_ROOT, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def pg_url(pg_server: str) -> str:
    reset_pg(pg_server)
    return pg_server


def _shipped(url: str, clock, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    app = bootstrap(Settings(database_url=url), clock=clock)
    seed(app, *(customer(f"C{n}") for n in range(1, count + 1)))
    for n in range(1, count + 1):
        app.execute(
            c.CaptureOrder(
                f"C{n}", f"C{n}-S1", "email", date(2026, 9, 4), (c.CaptureOrderLine("COLA", Decimal(2)),)
            ),
            "test",
            "order",
        )
        app.dispatcher.drain()
        app.execute(
            c.ShipOrder(f"SO-{n:06d}", "RTM", "DSV", date(2026, 9, 3), {"1": Decimal(2)}), "test", "ship"
        )
    app.close()
    prepare_database(url)
    return [f"{DELIVER_AND_BILL}:DL-{n:06d}" for n in range(1, count + 1)]


class CliWorker:
    def __init__(self, url: str, executor_id: str, *options: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), str(REPO_ROOT)])}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "o2c.cli",
                "worker",
                "--db",
                url,
                "--executor-id",
                executor_id,
                "--poll",
                "0.1",
                *options,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout or ()), daemon=True).start()
        wait_until(
            lambda: any("ready" in line for line in self.lines) or self.process.poll() is not None,
            60,
            f"worker {executor_id}",
        )
        assert self.process.poll() is None, "".join(self.lines)


@contextmanager
def workers() -> Iterator[list[CliWorker]]:
    started: list[CliWorker] = []
    try:
        yield started
    finally:
        for worker in started:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait(10)


def _step_runs(url: str, flow_id: str) -> list[tuple[str, str]]:
    app = bootstrap(Settings(database_url=url), migrate_schema=False)
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(flow_step_runs.c.step_name, flow_step_runs.c.executor_id, flow_step_runs.c.completed_at)
            .where(flow_step_runs.c.flow_id == flow_id)
            .order_by(flow_step_runs.c.completed_at)
        ).all()
    app.close()
    return [(row.step_name, row.executor_id, row.completed_at) for row in rows]


def test_a_worker_started_with_take_over_finishes_the_flow_a_dead_worker_had_begun(pg_url, clock):
    [flow_id] = _shipped(pg_url, clock, 1)
    client = FlowClient(pg_url)
    try:
        with workers() as started:
            started.append(dead := CliWorker(pg_url, "gone-1"))
            client.enqueue(DELIVER_AND_BILL, flow_id, pause_s=2)
            wait_until(lambda: len(_step_runs(pg_url, flow_id)) >= 1, 60, "the first step")
            dead.process.send_signal(signal.SIGKILL)
            dead.process.wait(10)
            started.append(
                heir := CliWorker(pg_url, "heir-1", "--take-over", "gone-1", "--worker-concurrency", "2")
            )
            assert client.wait(flow_id, 60)["queue_invoice_to_customer"]["queued"] is True
            heir.process.send_signal(signal.SIGTERM)
            assert heir.process.wait(30) == 0
        assert [(step, executor) for step, executor, _ in _step_runs(pg_url, flow_id)] == [
            ("record_proof_of_delivery", "gone-1"),
            ("issue_invoice", "heir-1"),
            ("queue_invoice_to_customer", "heir-1"),
        ]
        assert any("took over gone-1" in line for line in heir.lines)
    finally:
        client.close()


def test_a_worker_with_concurrency_one_runs_its_flows_one_after_the_other(pg_url, clock):
    flow_ids = _shipped(pg_url, clock, 2)
    client = FlowClient(pg_url)
    try:
        with workers() as started:
            started.append(CliWorker(pg_url, "single-1", "--worker-concurrency", "1"))
            for flow_id in flow_ids:
                client.enqueue(DELIVER_AND_BILL, flow_id, pause_s=0.5)
            for flow_id in flow_ids:
                client.wait(flow_id, 60)
        first, second = sorted(
            (_step_runs(pg_url, flow_id) for flow_id in flow_ids), key=lambda runs: runs[0][2]
        )
        assert first[-1][2] <= second[0][2]  # the second flow began only after the first had finished
    finally:
        client.close()
