"""billing: customer agreements, rebate accruals, billing holds, outbound documents

Revision ID: 0015
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014_collections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "billing_agreements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("settled_by", sa.String(length=32), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_agreements")),
    )
    with op.batch_alter_table("billing_agreements") as batch:
        batch.create_index(batch.f("ix_billing_agreements_customer_id"), ["customer_id"])
        batch.create_index(batch.f("ix_billing_agreements_kind"), ["kind"])
    op.create_table(
        "rebate_accruals",
        sa.Column("agreement_id", sa.String(length=32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("volume_minor", sa.BigInteger(), nullable=False),
        sa.Column("percent", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("agreement_id", "as_of", name=op.f("pk_rebate_accruals")),
    )
    op.create_table(
        "billing_holds",
        sa.Column("delivery_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("fixes", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_billing_holds")),
    )
    with op.batch_alter_table("billing_holds") as batch:
        batch.create_index(batch.f("ix_billing_holds_customer_id"), ["customer_id"])
        batch.create_index(batch.f("ix_billing_holds_status"), ["status"])
    op.create_table(
        "outbound_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column("destination", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_documents")),
        sa.UniqueConstraint("document", "channel", name="once_per_channel"),
    )
    with op.batch_alter_table("outbound_documents") as batch:
        batch.create_index(batch.f("ix_outbound_documents_document"), ["document"])
        batch.create_index(batch.f("ix_outbound_documents_customer_id"), ["customer_id"])
        batch.create_index(batch.f("ix_outbound_documents_status"), ["status"])


def downgrade() -> None:
    op.drop_table("outbound_documents")
    op.drop_table("billing_holds")
    op.drop_table("rebate_accruals")
    op.drop_table("billing_agreements")
