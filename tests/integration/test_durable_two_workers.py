"""Several workers share the ``o2c-work`` queue on PostgreSQL without double-running anything.

New flows spread over the workers; a flow a dead worker had started is never taken by another
worker on its own: it waits for that executor id to return (see test_durable_recovery) or for an
explicit take-over.
"""

from __future__ import annotations

from collections.abc import Iterator

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
from tests.integration.durable_worker_app import DEMO_FLOW

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

FLOW_COUNT = 40
FLOW_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with fresh_pg_database() as url:
        prepare_test_database(url)
        yield url


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


def test_two_workers_share_the_queue_and_run_every_step_exactly_once(
    database_url: str, observer: Observer, client: FlowClient
) -> None:
    with WorkerPool(database_url) as workers:
        pair = [workers.start(name, "--worker-concurrency", "4", wait=False) for name in ("worker-a", "worker-b")]
        for worker in pair:
            worker.wait_ready()
        flow_ids = [client.enqueue(DEMO_FLOW, new_flow_id(f"batch{n}"), pause_s=0.05) for n in range(FLOW_COUNT)]
        for flow_id in flow_ids:
            client.wait(flow_id, FLOW_TIMEOUT_S)
        exit_codes = [worker.terminate() for worker in pair]

    executors_per_flow = [observer.assert_each_step_done_once(flow_id) for flow_id in flow_ids]
    assert all(len(executors) == 1 for executors in executors_per_flow)
    assert set().union(*executors_per_flow) == {"worker-a", "worker-b"}
    assert exit_codes == [0, 0]


def test_a_dead_workers_flow_is_not_stolen_and_resumes_once_taken_over(
    database_url: str, observer: Observer, client: FlowClient
) -> None:
    stranded = new_flow_id("stranded")
    with WorkerPool(database_url) as workers:
        worker_a = workers.start("worker-a")
        client.enqueue(DEMO_FLOW, stranded, pause_s=0.75)
        wait_until(lambda: observer.step_run_count(stranded) >= 1, 30, "the first step to complete")
        worker_a.kill()
        steps_done_by_a = observer.step_runs(stranded)

        workers.start("worker-b")
        other = client.enqueue(DEMO_FLOW, new_flow_id("other"))
        client.wait(other, FLOW_TIMEOUT_S)
        assert observer.step_runs(stranded) == steps_done_by_a
        assert client.status(stranded) == "PENDING"

        workers.start("worker-c", "--take-over", "worker-a")
        client.wait(stranded, FLOW_TIMEOUT_S)

    assert observer.assert_each_step_done_once(other) == {"worker-b"}
    assert observer.step_runs(stranded)[: len(steps_done_by_a)] == steps_done_by_a
    executors = observer.assert_each_step_done_once(stranded)
    assert "worker-a" in executors and executors <= {"worker-a", "worker-b", "worker-c"}
