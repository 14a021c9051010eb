"""company_clock: one "today" for the company, the books' date

The demo company's books end on its last simulated day; commands, pages and agents read the date
from here instead of the wall clock, so a statement and a worklist count the same days overdue. An
empty table (production) means the wall clock. One row at most (``id`` = 1).

Revision ID: 0024
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("today", sa.Date(), nullable=True),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_clock")),
        sa.CheckConstraint("id = 1", name=op.f("ck_company_clock_one_row")),
    )


def downgrade() -> None:
    op.drop_table("company_clock")
