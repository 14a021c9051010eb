"""Idempotent business steps: a step's effect and its completion record commit together.

A step is ``(conn, flow_id) -> dict | None``. ``run_idempotent_step`` runs it inside one database
transaction that also inserts its ``flow_step_runs`` row. DBOS records a step's output only after
the step returns, so a process killed between our commit and DBOS's record makes DBOS run the step
again; the second run finds the row, skips the business function and returns the stored result.

Invariants:
- a step's business effect exists if and only if its ``flow_step_runs`` row exists;
- the result a step returns is JSON (round-tripped on the first run too, so a replayed step and a
  first run return equal values);
- two concurrent runs of one step (a zombie worker) cannot both commit: the loser's insert hits
  the primary key, its transaction rolls back, and it returns the winner's stored result;
- a run that fails on a deadlock, a serialization conflict, a dropped or refused connection (the server
  restarting, too many clients) is run again;
- a step that raises ``StepWaiting`` commits nothing and records nothing: its flow waits (durably)
  and runs the step again later.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from o2c.runtime.tables import flow_step_runs

StepResult = dict[str, Any] | None
StepFunction = Callable[[Connection, str], Mapping[str, Any] | None]
Clock = Callable[[], datetime]

_NOT_RUN = object()
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03"})  # serialization failure,
# deadlock detected, server shutting down or starting; and any of the classes below
TRANSIENT_SQLSTATE_CLASSES = frozenset(
    {"08", "53"}
)  # connection exception, insufficient resources (too many clients)
TRANSIENT_ATTEMPTS = 8  # backing off from 0.1 s to 5 s: about 11 s in all


class StepWaiting(Exception):
    """The step cannot finish yet: the business waits for a person or another system (a billing hold,
    an approval). Its transaction rolls back; the flow waits, visibly, and tries the step again."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_idempotent_step(
    engine: Engine,
    flow_id: str,
    step_name: str,
    step: StepFunction,
    *,
    executor_id: str,
    clock: Clock = utc_now,
) -> StepResult:
    """Run ``step`` exactly once for ``flow_id``; on a re-run return what the first run stored.

    A run that loses a deadlock or a serialization conflict, or whose connection dropped, was rolled
    back whole; it is run again (up to ``TRANSIENT_ATTEMPTS`` times) instead of failing the flow.
    """
    for attempt in range(1, TRANSIENT_ATTEMPTS + 1):
        try:
            return _run_once(engine, flow_id, step_name, step, executor_id=executor_id, clock=clock)
        except DBAPIError as error:
            if isinstance(error, IntegrityError) or not is_transient(error) or attempt == TRANSIENT_ATTEMPTS:
                raise
            time.sleep(min(0.05 * 2**attempt, 5.0))
    raise AssertionError("unreachable")


def is_transient(error: DBAPIError) -> bool:
    """A failure the same transaction may succeed at when run again: it was rolled back whole."""
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    return (
        bool(error.connection_invalidated)
        or sqlstate in TRANSIENT_SQLSTATES
        or sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES
    )


def _run_once(
    engine: Engine,
    flow_id: str,
    step_name: str,
    step: StepFunction,
    *,
    executor_id: str,
    clock: Clock,
) -> StepResult:
    try:
        with engine.begin() as conn:
            stored = _stored_result(conn, flow_id, step_name)
            if stored is not _NOT_RUN:
                return stored  # type: ignore[return-value]
            result_json = _to_json(step(conn, flow_id), step_name)
            conn.execute(
                flow_step_runs.insert().values(
                    flow_id=flow_id,
                    step_name=step_name,
                    result_json=result_json,
                    completed_at=clock(),
                    executor_id=executor_id,
                )
            )
    except IntegrityError as error:
        return _result_of_concurrent_run(engine, flow_id, step_name, error)
    return json.loads(result_json)  # type: ignore[no-any-return]


def _stored_result(conn: Connection, flow_id: str, step_name: str) -> object:
    row = conn.execute(
        select(flow_step_runs.c.result_json).where(
            flow_step_runs.c.flow_id == flow_id, flow_step_runs.c.step_name == step_name
        )
    ).first()
    return _NOT_RUN if row is None else json.loads(row.result_json)


def _result_of_concurrent_run(
    engine: Engine, flow_id: str, step_name: str, error: IntegrityError
) -> StepResult:
    """The winner's result if another run committed this step; else the error was the step's own."""
    with engine.connect() as conn:
        stored = _stored_result(conn, flow_id, step_name)
    if stored is _NOT_RUN:
        raise error
    return stored  # type: ignore[return-value]


def _to_json(result: Mapping[str, Any] | None, step_name: str) -> str:
    if result is not None and not isinstance(result, Mapping):
        raise TypeError(f"step {step_name!r} must return a mapping or None, got {type(result).__name__}")
    return json.dumps(None if result is None else dict(result), sort_keys=True)
