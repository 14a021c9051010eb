"""revisions: a counter the database moves whenever what cash application knows of payers changes

Cash application reads every customer and learned alias into a payer directory. Rebuilding it for
each batch of payments cost more than matching them, so the agent keeps it between batches and
rebuilds it only when the ``payers`` revision moved. Triggers move it on every insert, update or
delete of ``customers`` and ``payer_aliases``, whoever writes them (repositories, imports, SQL).

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from o2c.adapters.store import guards

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_revisions")),
    )
    op.execute("INSERT INTO revisions (name, value) VALUES ('payers', 0)")
    for statement in guards.revision_triggers(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in guards.drop_revision_triggers(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table("revisions")
