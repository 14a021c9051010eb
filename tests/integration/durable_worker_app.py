"""The demo flow the durable-runtime tests run in worker subprocesses.

``demo-settlement`` settles a payment in four steps; each step's business effect is one row in
``flow_effects``. The table deliberately has no unique constraint: if a step's effect happened
twice, the tests would count two rows.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, func, select

from o2c.runtime.flows import register_flow

DEMO_FLOW = "demo-settlement"

effects_metadata = MetaData()
flow_effects = Table(
    "flow_effects",
    effects_metadata,
    Column("flow_id", String(200), nullable=False),
    Column("step_name", String(200), nullable=False),
)


def _record_effect(conn: Connection, flow_id: str, step_name: str) -> dict[str, str]:
    conn.execute(flow_effects.insert().values(flow_id=flow_id, step_name=step_name))
    return {"done": step_name}


def identify_payer(conn: Connection, flow_id: str) -> dict[str, str]:
    return _record_effect(conn, flow_id, "identify_payer")


def match_open_items(conn: Connection, flow_id: str) -> dict[str, str]:
    return _record_effect(conn, flow_id, "match_open_items")


def post_to_ledger(conn: Connection, flow_id: str) -> dict[str, str]:
    return _record_effect(conn, flow_id, "post_to_ledger")


def send_remittance_advice(conn: Connection, flow_id: str) -> dict[str, str]:
    return _record_effect(conn, flow_id, "send_remittance_advice")


DEMO_STEPS = (identify_payer, match_open_items, post_to_ledger, send_remittance_advice)
DEMO_STEP_NAMES = tuple(step.__name__ for step in DEMO_STEPS)


def register_flows() -> None:
    """Called by ``python -m o2c.runtime.worker --flows tests.integration.durable_worker_app``."""
    register_flow(DEMO_FLOW, DEMO_STEPS)


def create_effect_tables(engine: Engine) -> None:
    effects_metadata.create_all(engine, checkfirst=True)


def effect_counts(conn: Connection, flow_id: str) -> dict[str, int]:
    """How many times each step's business effect happened for the flow."""
    rows = conn.execute(
        select(flow_effects.c.step_name, func.count())
        .where(flow_effects.c.flow_id == flow_id)
        .group_by(flow_effects.c.step_name)
    )
    return {name: count for name, count in rows}
