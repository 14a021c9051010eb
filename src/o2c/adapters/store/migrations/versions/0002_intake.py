"""order intake: acknowledgements sent, stock positions and receipts, intake outcomes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbound_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("answers", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_messages")),
    )
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbound_messages_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbound_messages_answers"), ["answers"], unique=False)
    op.create_table(
        "stock_positions",
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("warehouse", sa.String(length=16), nullable=False),
        sa.Column("on_hand_milli", sa.BigInteger(), nullable=False),
        sa.Column("reserved_milli", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sku", "warehouse", name=op.f("pk_stock_positions")),
    )
    op.create_table(
        "scheduled_receipts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("warehouse", sa.String(length=16), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_receipts")),
    )
    with op.batch_alter_table("scheduled_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_receipts_sku"), ["sku"], unique=False)
    op.create_table(
        "order_intake",
        sa.Column("source_ref", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("po_number", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("proposal_id", sa.String(length=32), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("touchless", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("source_ref", name=op.f("pk_order_intake")),
    )
    with op.batch_alter_table("order_intake", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_intake_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_intake_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("order_intake")
    op.drop_table("scheduled_receipts")
    op.drop_table("stock_positions")
    op.drop_table("outbound_messages")
