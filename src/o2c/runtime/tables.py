"""Tables owned by the durable runtime.

``flow_step_runs`` is the completion record of a business step: one row per (flow, step), written
in the same transaction as the step's business effect. Its primary key on (flow_id, step_name) is
what makes a step's effect happen at most once, whatever DBOS re-runs after a crash.

The table is part of the main schema (``o2c.adapters.store.tables``) and its migrations.
"""

from __future__ import annotations

from sqlalchemy import Engine

from o2c.adapters.store.migrate import migrate
from o2c.adapters.store.tables import flow_step_runs

__all__ = ["create_runtime_tables", "flow_step_runs"]


def create_runtime_tables(engine: Engine) -> None:
    """Bring the database to the current schema (``flow_step_runs`` is part of it); idempotent."""
    migrate(engine)
