"""Test harness for the durable runtime: worker subprocesses, throwaway databases, bounded waits.

Workers run as real processes (``python -m o2c.runtime.worker``) so tests can SIGKILL them.
Every process a test starts is killed in ``WorkerPool.__exit__``; every PostgreSQL database
created here is dropped when its context ends.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import pytest
from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.exc import OperationalError

from o2c.adapters.store.engine import make_engine
from o2c.config import normalise_database_url
from o2c.runtime.durable import prepare_database
from o2c.runtime.tables import flow_step_runs
from o2c.runtime.worker import READY_LINE
from tests.integration import durable_worker_app
from tests.integration.durable_worker_app import DEMO_STEP_NAMES, create_effect_tables, effect_counts

PG_URL_ENV = "O2C_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POLLING_INTERVAL_S = "0.05"
REPO_ROOT = Path(__file__).resolve().parents[2]


def new_flow_id(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}"


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(0.02)


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test module; skipped without a server (not on CI)."""
    server_url = make_url(normalise_database_url(os.environ.get(PG_URL_ENV, DEFAULT_PG_URL)))
    server = create_engine(server_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"o2c_test_durable_{uuid.uuid4().hex[:10]}"
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        server.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {server_url!r} is required on CI: {error}")
        pytest.skip(f"PostgreSQL not reachable at {server_url!r}")
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def prepare_test_database(database_url: str) -> None:
    prepare_database(database_url)
    engine = make_engine(database_url)
    try:
        create_effect_tables(engine)
    finally:
        engine.dispose()


class Observer:
    """Reads what the workers wrote, from the test process."""

    def __init__(self, database_url: str) -> None:
        self.engine: Engine = make_engine(database_url)

    def step_run_count(self, flow_id: str) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).where(flow_step_runs.c.flow_id == flow_id)
            return int(conn.execute(query).scalar_one())

    def step_runs(self, flow_id: str) -> list[tuple[str, str]]:
        """(step_name, executor_id) of every completion record of the flow."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(flow_step_runs.c.step_name, flow_step_runs.c.executor_id)
                .where(flow_step_runs.c.flow_id == flow_id)
                .order_by(flow_step_runs.c.completed_at)
            )
            return [(row.step_name, row.executor_id) for row in rows]

    def effect_counts(self, flow_id: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            return effect_counts(conn, flow_id)

    def assert_each_step_done_once(self, flow_id: str) -> set[str]:
        """Every demo step has one effect and one completion record; returns the executors."""
        assert self.effect_counts(flow_id) == dict.fromkeys(DEMO_STEP_NAMES, 1)
        runs = self.step_runs(flow_id)
        assert sorted(name for name, _ in runs) == sorted(DEMO_STEP_NAMES)
        return {executor for _, executor in runs}

    def close(self) -> None:
        self.engine.dispose()


class Worker:
    """One ``python -m o2c.runtime.worker`` subprocess, its output collected line by line."""

    def __init__(self, database_url: str, executor_id: str, *extra_args: str) -> None:
        self.executor_id = executor_id
        command = [
            sys.executable, "-m", "o2c.runtime.worker",
            "--db", database_url, "--executor-id", executor_id,
            "--flows", durable_worker_app.__name__, "--polling-interval", POLLING_INTERVAL_S, *extra_args,
        ]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        self._lines: queue.Queue[str] = queue.Queue()
        self._output: list[str] = []
        threading.Thread(target=self._read_output, daemon=True).start()

    def _read_output(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)

    def output(self) -> str:
        while not self._lines.empty():
            self._output.append(self._lines.get_nowait())
        return "".join(self._output)

    def wait_ready(self, timeout_s: float = 60) -> None:
        wait_until(lambda: READY_LINE in self.output() or self.process.poll() is not None, timeout_s,
                   f"worker {self.executor_id} to start")
        if READY_LINE not in self.output():
            raise AssertionError(f"worker {self.executor_id} exited early:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no graceful shutdown, exactly like a crash."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout_s: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout_s)


class WorkerPool:
    """Starts workers and guarantees none outlives the test."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.workers: list[Worker] = []

    def start(self, executor_id: str, *extra_args: str, wait: bool = True) -> Worker:
        worker = Worker(self.database_url, executor_id, *extra_args)
        self.workers.append(worker)
        if wait:
            worker.wait_ready()
        return worker

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait(timeout=10)
        if exc is not None:
            for worker in self.workers:
                sys.stderr.write(f"--- output of worker {worker.executor_id} ---\n{worker.output()}\n")
