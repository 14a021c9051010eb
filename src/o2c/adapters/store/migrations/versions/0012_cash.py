"""cash application: remittance advices and learned payer aliases

Revision ID: 0012_cash
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_cash"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "remittance_advices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("advice_key", sa.String(length=200), nullable=False),
        sa.Column("payment_reference", sa.String(length=200), nullable=False),
        sa.Column("payer_name", sa.String(length=200), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_advices")),
        sa.UniqueConstraint("advice_key", name=op.f("uq_remittance_advices_advice_key")),
    )
    with op.batch_alter_table("remittance_advices") as batch:
        batch.create_index(batch.f("ix_remittance_advices_payment_reference"), ["payment_reference"])
        batch.create_index(batch.f("ix_remittance_advices_amount_minor"), ["amount_minor"])
        batch.create_index(batch.f("ix_remittance_advices_payment_id"), ["payment_id"])
    op.create_table(
        "payer_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("learned_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer_aliases")),
        sa.UniqueConstraint("kind", "value", "customer_id", name="one_alias"),
    )
    with op.batch_alter_table("payer_aliases") as batch:
        batch.create_index(batch.f("ix_payer_aliases_customer_id"), ["customer_id"])


def downgrade() -> None:
    op.drop_table("payer_aliases")
    op.drop_table("remittance_advices")
