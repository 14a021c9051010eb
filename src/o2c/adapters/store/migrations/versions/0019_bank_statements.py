"""bank statements: every imported statement, whether it adds up and follows on from the one before

A statement that does not add up (opening + booked entries != closing) or whose opening balance is
not the previous statement's closing balance is still imported, its entries recorded, and kept
here with the difference, never reconciled, so a person can see it and the next import can check
its chain against it.

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bank_statements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("statement_key", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("statement_id", sa.String(length=200), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=True),
        sa.Column("opening_minor", sa.BigInteger(), nullable=True),
        sa.Column("closing_minor", sa.BigInteger(), nullable=True),
        sa.Column("difference_minor", sa.BigInteger(), nullable=True),
        sa.Column("chain_break_minor", sa.BigInteger(), nullable=True),
        sa.Column("reconciled", sa.Boolean(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statements")),
        sa.UniqueConstraint("statement_key", name=op.f("uq_bank_statements_statement_key")),
    )
    op.create_index(
        "ix_bank_statements_account_date", "bank_statements", ["account", "currency", "statement_date"]
    )


def downgrade() -> None:
    op.drop_index("ix_bank_statements_account_date", table_name="bank_statements")
    op.drop_table("bank_statements")
