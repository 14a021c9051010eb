"""operations: operational events, incidents and affected orders, carrier rates, order warehouses

Revision ID: 0013
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012_cash"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "operational_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("incident_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operational_events")),
        sa.UniqueConstraint("source_ref", name=op.f("uq_operational_events_source_ref")),
    )
    op.create_index(op.f("ix_operational_events_received_at"), "operational_events", ["received_at"])
    op.create_index(op.f("ix_operational_events_kind"), "operational_events", ["kind"])
    op.create_index(op.f("ix_operational_events_incident_id"), "operational_events", ["incident_id"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("team", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("customer_visible", sa.Boolean(), nullable=False),
        sa.Column("blocks_billing", sa.Boolean(), nullable=False),
        sa.Column("record_key", sa.String(length=120), nullable=True),
        sa.Column("gap_skus", sa.JSON(), nullable=True),
        sa.Column("gap_warehouse", sa.String(length=16), nullable=True),
        sa.Column("gap_until", sa.Date(), nullable=True),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index(op.f("ix_incidents_key"), "incidents", ["key"])
    op.create_index(op.f("ix_incidents_status"), "incidents", ["status"])
    op.create_index(op.f("ix_incidents_record_key"), "incidents", ["record_key"])
    op.create_table(
        "incident_orders",
        sa.Column("incident_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("promised", sa.Date(), nullable=False),
        sa.Column("expected", sa.Date(), nullable=True),
        sa.Column("value_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("line_nos", sa.JSON(), nullable=False),
        sa.Column("skus", sa.JSON(), nullable=False),
        sa.Column("delivery_id", sa.String(length=32), nullable=True),
        sa.Column("remedy", sa.String(length=32), nullable=True),
        sa.Column("remedy_meets_promise", sa.Boolean(), nullable=True),
        sa.Column("remedy_note", sa.String(length=300), nullable=True),
        sa.Column("told_at", sa.DateTime(), nullable=True),
        sa.Column("cleared", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "order_id", name=op.f("pk_incident_orders")),
    )
    op.create_index(op.f("ix_incident_orders_customer_id"), "incident_orders", ["customer_id"])
    op.create_table(
        "carrier_rates",
        sa.Column("carrier", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("express", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("carrier", "region", name=op.f("pk_carrier_rates")),
    )
    op.create_table(
        "order_warehouses",
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("warehouse", sa.String(length=16), nullable=False),
        sa.Column("incident_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_warehouses")),
    )


def downgrade() -> None:
    op.drop_table("order_warehouses")
    op.drop_table("carrier_rates")
    op.drop_index(op.f("ix_incident_orders_customer_id"), table_name="incident_orders")
    op.drop_table("incident_orders")
    for name in ("record_key", "status", "key"):
        op.drop_index(op.f(f"ix_incidents_{name}"), table_name="incidents")
    op.drop_table("incidents")
    for name in ("incident_id", "kind", "received_at"):
        op.drop_index(op.f(f"ix_operational_events_{name}"), table_name="operational_events")
    op.drop_table("operational_events")
