"""company_profile and trading_partners: a database that says whose books it holds, and EDI senders

``company_profile`` (one row at most, ``id`` = 1) keeps the company ``o2c init`` set up: name, country,
functional currency, VAT id, bank accounts and fiscal calendar; bootstrap reads it when present (a demo
database has none and keeps the settings' company). ``trading_partners`` maps EDI sender identifiers
(qualifier + id; an empty qualifier matches any) to customers for order intake.

Revision ID: 0030
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_profile")),
        sa.CheckConstraint("id = 1", name=op.f("ck_company_profile_one_row")),
    )
    op.create_table(
        "trading_partners",
        sa.Column("qualifier", sa.String(length=8), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_trading_partners_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("qualifier", "sender_id", name=op.f("pk_trading_partners")),
    )
    op.create_index(op.f("ix_trading_partners_customer_id"), "trading_partners", ["customer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_trading_partners_customer_id"), table_name="trading_partners")
    op.drop_table("trading_partners")
    op.drop_table("company_profile")
