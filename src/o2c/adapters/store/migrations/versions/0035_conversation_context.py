"""conversations.context: the last request's intent and the documents its answer showed

A follow-up ("and the other one?", "what about the second invoice?") points at documents an earlier
answer named; the conversation keeps them (``{"intent", "documents", "focus"}``, JSON, empty for
conversations started before this revision).

Revision ID: 0035
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("context", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("context")
