"""The one place that configures and launches DBOS Transact for o2c.

DBOS keeps its workflow checkpoints in the application's own database: on SQLite in the same file
as o2c's tables (DBOS 3.4 creates unprefixed tables there: ``workflow_status``,
``operation_outputs``, ``queues``, ``notifications``, ``streams``, ...; o2c must not use those
names), on PostgreSQL in the schema ``dbos`` of the same database. One backup holds both.

Invariants:
- nothing is built at import time; ``start_runtime`` does everything and ``Runtime.shutdown``
  undoes it. DBOS is a process singleton, so there is at most one runtime per process;
- a worker's executor id is stable across restarts. A flow a worker has dequeued is PENDING
  under its executor id and no other executor touches it, even after that worker died. When a
  worker with that id (and the same application version) launches, DBOS 3.4 puts those flows back
  on ``o2c-work`` (it re-enqueues rather than runs them in place), so the restarted worker *or any
  live peer* resumes each one from its last checkpoint. ``take_over`` does the same for the flows
  of an executor that will never return;
- the application version is a fingerprint of the workflow body and the registered flows, so a
  restarted worker with the same code recovers its flows and changed code does not replay them;
- the queue is registered after ``launch()`` (DBOS 3.4 stores queues in the system database).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version

from dbos import DBOS, DBOSConfig
from sqlalchemy import Engine

from o2c.adapters.store.engine import make_engine
from o2c.config import normalise_database_url
from o2c.runtime import flows
from o2c.runtime.steps import Clock, utc_now
from o2c.runtime.tables import create_runtime_tables

APP_NAME = "o2c"
WORK_QUEUE = "o2c-work"
FLOW_WORKFLOW = "o2c.run_flow"
DEFAULT_POLLING_INTERVAL_S = 1.0
DEFAULT_WORKER_CONCURRENCY = 8

_active: Runtime | None = None
_workflow_registered = False


@dataclass
class Runtime:
    """A launched DBOS runtime bound to o2c's database, processing the ``o2c-work`` queue."""

    database_url: str
    executor_id: str
    application_version: str
    engine: Engine

    def shutdown(self, drain_timeout_s: int = 10) -> None:
        """Stop dequeuing, let running flows finish for up to ``drain_timeout_s``, then stop DBOS.

        Flows still running afterwards stay PENDING under this executor id and resume when a
        worker with the same id starts again.
        """
        global _active
        DBOS.destroy(workflow_completion_timeout_sec=drain_timeout_s)
        flows.unbind_steps()
        self.engine.dispose()
        _active = None


def system_database_url(database_url: str) -> str:
    """DBOS's system database is the application database itself."""
    return normalise_database_url(database_url)


def make_runtime_engine(database_url: str) -> Engine:
    """The engine steps run on: the store's (on SQLite each transaction begins IMMEDIATE)."""
    return make_engine(database_url)


def prepare_database(database_url: str) -> None:
    """Create the runtime's tables and DBOS's system tables, so clients may enqueue before any
    worker has started."""
    engine = make_runtime_engine(database_url)
    try:
        create_runtime_tables(engine)
    finally:
        engine.dispose()
    DBOS.migrate(system_database_url(database_url))


def start_runtime(
    database_url: str,
    executor_id: str,
    *,
    polling_interval: float | None = None,
    worker_concurrency: int = DEFAULT_WORKER_CONCURRENCY,
    application_version: str | None = None,
    hold_after_commit_s: float = 0.0,
    first_wait_s: float = 5.0,
    take_over: Sequence[str] = (),
    clock: Clock = utc_now,
    log_level: str = "WARNING",
) -> Runtime:
    """Launch DBOS over ``database_url`` as ``executor_id`` and start processing ``o2c-work``.

    Register every flow (``flows.register_flow``) before calling this: the registered flows are
    part of the application version. ``polling_interval`` (seconds) sets both the queue polling
    and DBOS's notification polling; short values suit tests. ``take_over`` names executors known
    to be gone for good: their pending flows (same application version) go back on the queue.
    ``clock`` stamps ``flow_step_runs.completed_at`` (inject the simulation clock here).
    ``first_wait_s`` is the first durable sleep of a flow whose step waits (``StepWaiting``); it doubles
    up to five minutes.
    """
    if not executor_id.strip():
        raise ValueError("a worker needs a non-empty, stable executor id")
    if _active is not None:
        raise RuntimeError(f"a durable runtime is already running here as {_active.executor_id!r}")
    engine = make_runtime_engine(database_url)
    create_runtime_tables(engine)
    app_version = application_version or default_application_version()
    flows.bind_steps(flows.StepBinding(engine, executor_id, clock, hold_after_commit_s, first_wait_s))
    interval = polling_interval or DEFAULT_POLLING_INTERVAL_S
    try:
        _launch_dbos(_dbos_config(database_url, executor_id, app_version, interval, log_level))
        DBOS.register_queue(
            WORK_QUEUE, worker_concurrency=worker_concurrency, polling_interval_sec=interval
        )
        if take_over:
            DBOS._recover_pending_workflows(list(take_over))
    except BaseException:
        DBOS.destroy()
        flows.unbind_steps()
        engine.dispose()
        raise
    return _activate(Runtime(normalise_database_url(database_url), executor_id, app_version, engine))


def default_application_version() -> str:
    """Fingerprint of the flows and the DBOS release: what a replay must find unchanged."""
    return f"{APP_NAME}-{flows.flows_fingerprint()}-dbos-{version('dbos')}"


def _dbos_config(
    database_url: str, executor_id: str, app_version: str, interval: float, log_level: str
) -> DBOSConfig:
    return {
        "name": APP_NAME,
        "system_database_url": system_database_url(database_url),
        "executor_id": executor_id,
        "application_version": app_version,
        "notification_listener_polling_interval_sec": interval,
        "log_level": log_level,
    }


def _launch_dbos(config: DBOSConfig) -> None:
    global _workflow_registered
    if not _workflow_registered:
        DBOS.workflow(name=FLOW_WORKFLOW)(flows.run_flow)
        _workflow_registered = True
    DBOS(config=config)
    DBOS.launch()


def _activate(runtime: Runtime) -> Runtime:
    global _active
    _active = runtime
    return runtime

