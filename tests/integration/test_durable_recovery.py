"""A worker killed mid-flow loses nothing and does nothing twice, on SQLite and PostgreSQL.

Each test runs real worker subprocesses and kills them with SIGKILL, then restarts a worker with
the same executor id and checks every step's business effect happened exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from o2c.runtime.client import FlowClient
from tests.integration.durable_harness import (
    Observer,
    WorkerPool,
    fresh_pg_database,
    new_flow_id,
    prepare_test_database,
    wait_until,
)
from tests.integration.durable_worker_app import DEMO_FLOW, DEMO_STEP_NAMES

pytestmark = pytest.mark.slow

PAUSE_BETWEEN_STEPS_S = 1.5
FLOW_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'o2c.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    prepare_test_database(url)
    return url


@pytest.fixture
def observer(database_url: str) -> Iterator[Observer]:
    observer = Observer(database_url)
    yield observer
    observer.close()


@pytest.fixture
def client(database_url: str) -> Iterator[FlowClient]:
    client = FlowClient(database_url)
    yield client
    client.close()


def test_a_worker_killed_between_steps_resumes_on_restart_and_runs_each_step_once(
    database_url: str, observer: Observer, client: FlowClient
) -> None:
    flow_id = new_flow_id("settle")
    with WorkerPool(database_url) as workers:
        worker = workers.start("worker-a")
        client.enqueue(DEMO_FLOW, flow_id, pause_s=PAUSE_BETWEEN_STEPS_S)
        wait_until(lambda: observer.step_run_count(flow_id) >= 2, 30, "two steps to complete")
        worker.kill()

        assert observer.step_run_count(flow_id) == 2
        assert client.status(flow_id) == "PENDING"

        workers.start("worker-a")
        result = client.wait(flow_id, FLOW_TIMEOUT_S)

    assert result == {name: {"done": name} for name in DEMO_STEP_NAMES}
    assert observer.assert_each_step_done_once(flow_id) == {"worker-a"}


def test_a_step_killed_after_its_commit_but_before_dbos_recorded_it_is_not_done_twice(
    database_url: str, observer: Observer, client: FlowClient
) -> None:
    flow_id = new_flow_id("settle")
    first_step = DEMO_STEP_NAMES[0]
    with WorkerPool(database_url) as workers:
        worker = workers.start("worker-a", "--hold-after-commit", "60")
        client.enqueue(DEMO_FLOW, flow_id)
        wait_until(lambda: observer.step_run_count(flow_id) == 1, 30, "the first step to commit")
        assert first_step not in client.recorded_steps(flow_id)
        worker.kill()

        workers.start("worker-a")
        client.wait(flow_id, FLOW_TIMEOUT_S)

    assert client.recorded_steps(flow_id) == list(DEMO_STEP_NAMES)
    assert observer.assert_each_step_done_once(flow_id) == {"worker-a"}
