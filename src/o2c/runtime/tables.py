"""Tables owned by the durable runtime.

``flow_step_runs`` is the completion record of a business step: one row per (flow, step), written
in the same transaction as the step's business effect. Its primary key on (flow_id, step_name) is
what makes a step's effect happen at most once, whatever DBOS re-runs after a crash.

The lead merges ``runtime_metadata`` into the main schema and migrations; until then
``create_runtime_tables`` creates the tables on their own.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

runtime_metadata = MetaData()

flow_step_runs = Table(
    "flow_step_runs",
    runtime_metadata,
    Column("flow_id", String(200), nullable=False),
    Column("step_name", String(200), nullable=False),
    Column("result_json", Text, nullable=False),
    Column("completed_at", DateTime(timezone=True), nullable=False),
    Column("executor_id", String(200), nullable=False),
    PrimaryKeyConstraint("flow_id", "step_name", name="pk_flow_step_runs"),
)


def create_runtime_tables(engine: Engine) -> None:
    """Create the runtime's tables if they are missing (idempotent)."""
    runtime_metadata.create_all(engine, checkfirst=True)
