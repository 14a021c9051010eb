"""collections: dunning notices, payment announcements, payment predictions

Revision ID: 0014_collections
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_collections"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dunning_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("tone", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("carrier_ref", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_notices")),
        sa.UniqueConstraint("document", "step", name="once_per_step"),
    )
    with op.batch_alter_table("dunning_notices") as batch:
        batch.create_index(batch.f("ix_dunning_notices_customer_id"), ["customer_id"])
        batch.create_index(batch.f("ix_dunning_notices_document"), ["document"])
        batch.create_index(batch.f("ix_dunning_notices_sent_on"), ["sent_on"])
    op.create_table(
        "payment_announcements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("announced_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_announcements")),
    )
    with op.batch_alter_table("payment_announcements") as batch:
        batch.create_index(batch.f("ix_payment_announcements_customer_id"), ["customer_id"])
        batch.create_index(batch.f("ix_payment_announcements_status"), ["status"])
    op.create_table(
        "payment_predictions",
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("predicted_on", sa.Date(), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=False),
        sa.Column("expected_delay", sa.Float(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("document", name=op.f("pk_payment_predictions")),
    )
    with op.batch_alter_table("payment_predictions") as batch:
        batch.create_index(batch.f("ix_payment_predictions_customer_id"), ["customer_id"])


def downgrade() -> None:
    op.drop_table("payment_predictions")
    op.drop_table("payment_announcements")
    op.drop_table("dunning_notices")
