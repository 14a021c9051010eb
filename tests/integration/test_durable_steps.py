"""The idempotent step helper: a step's effect and its completion record commit together."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from psycopg.errors import DeadlockDetected, TooManyConnections
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from o2c.runtime.durable import make_runtime_engine
from o2c.runtime.steps import run_idempotent_step
from o2c.runtime.tables import create_runtime_tables, flow_step_runs
from tests.integration.durable_harness import fresh_pg_database, new_flow_id
from tests.integration.durable_worker_app import create_effect_tables, effect_counts, flow_effects


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'o2c.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_runtime_engine(url)
    create_runtime_tables(engine)
    create_effect_tables(engine)
    yield engine
    engine.dispose()


def post_to_ledger(conn: Connection, flow_id: str) -> dict[str, str]:
    conn.execute(flow_effects.insert().values(flow_id=flow_id, step_name="post_to_ledger"))
    return {"journal": "J-1"}


def effects(engine: Engine, flow_id: str) -> dict[str, int]:
    with engine.connect() as conn:
        return effect_counts(conn, flow_id)


def run(engine: Engine, flow_id: str, step: object, executor_id: str = "worker-a") -> object:
    return run_idempotent_step(engine, flow_id, "post_to_ledger", step, executor_id=executor_id)  # type: ignore[arg-type]


def test_a_step_run_again_returns_its_stored_result_without_repeating_the_effect(engine: Engine) -> None:
    flow_id = new_flow_id("steps")

    first = run(engine, flow_id, post_to_ledger)
    again = run(engine, flow_id, post_to_ledger, executor_id="worker-b")

    assert first == again == {"journal": "J-1"}
    assert effects(engine, flow_id) == {"post_to_ledger": 1}


def test_a_failing_step_leaves_neither_effect_nor_record_and_can_run_again(engine: Engine) -> None:
    flow_id = new_flow_id("steps")

    def fails_after_posting(conn: Connection, flow_id: str) -> None:
        post_to_ledger(conn, flow_id)
        raise RuntimeError("ledger closed")

    with pytest.raises(RuntimeError, match="ledger closed"):
        run(engine, flow_id, fails_after_posting)
    assert effects(engine, flow_id) == {}

    assert run(engine, flow_id, post_to_ledger) == {"journal": "J-1"}
    assert effects(engine, flow_id) == {"post_to_ledger": 1}


def test_a_step_error_from_its_own_writes_is_not_mistaken_for_a_concurrent_run(engine: Engine) -> None:
    flow_id = new_flow_id("steps")
    run_idempotent_step(engine, flow_id, "identify_payer", post_to_ledger, executor_id="worker-a")

    def writes_a_duplicate(conn: Connection, flow_id: str) -> None:
        conn.execute(flow_step_runs.insert().values(
            flow_id=flow_id, step_name="identify_payer", result_json="null",
            completed_at=datetime.now(UTC), executor_id="worker-a",
        ))

    with pytest.raises(IntegrityError):
        run(engine, flow_id, writes_a_duplicate)


@pytest.mark.postgres
def test_when_a_concurrent_run_commits_first_the_loser_rolls_back_and_returns_its_result(pg_url: str) -> None:
    engine = make_runtime_engine(pg_url)
    create_runtime_tables(engine)
    create_effect_tables(engine)
    flow_id = new_flow_id("steps")

    def loses_the_race(conn: Connection, flow_id: str) -> dict[str, str]:
        post_to_ledger(conn, flow_id)
        run_idempotent_step(engine, flow_id, "post_to_ledger", lambda _c, _f: {"journal": "J-winner"},
                            executor_id="zombie")
        return {"journal": "J-loser"}

    try:
        assert run(engine, flow_id, loses_the_race) == {"journal": "J-winner"}
        assert effects(engine, flow_id) == {}
    finally:
        engine.dispose()


def test_a_step_that_loses_a_deadlock_is_run_again_and_its_effect_happens_once(engine: Engine) -> None:
    flow_id, calls = new_flow_id("deadlock"), []

    def loses_once(conn: Connection, flow_id: str) -> dict[str, str]:
        result = post_to_ledger(conn, flow_id)
        calls.append(flow_id)
        if len(calls) == 1:
            raise OperationalError("UPDATE audit_head", {}, DeadlockDetected("deadlock detected"))
        return result

    assert run(engine, flow_id, loses_once) == {"journal": "J-1"}
    assert len(calls) == 2
    assert effects(engine, flow_id) == {"post_to_ledger": 1}


def test_a_step_refused_a_connection_because_the_server_has_too_many_clients_is_run_again(engine: Engine) -> None:
    flow_id, calls = new_flow_id("too-many"), []

    def refused_once(conn: Connection, flow_id: str) -> dict[str, str]:
        calls.append(flow_id)
        if len(calls) == 1:
            raise OperationalError("connect", {}, TooManyConnections("sorry, too many clients already"))
        return post_to_ledger(conn, flow_id)

    assert run(engine, flow_id, refused_once) == {"journal": "J-1"}
    assert len(calls) == 2
    assert effects(engine, flow_id) == {"post_to_ledger": 1}
