"""bounded quarantine (first and last page, size, attempts) and the EDI interchanges received

A refused file was stored whole for every attempt (a 201 MiB file, once per try). The quarantine now
keeps a file up to two pages (64 KiB each) whole and a larger one as its first and last page with
its size and hash, and the same file refused again counts another attempt on its open entry. Rows
already stored are cut the same way here.

``edi_interchanges`` records, per sender and interchange control number, a hash of the orders the
interchange carried: the same number with other content goes to review instead of being dropped as
a duplicate.

Revision ID: 0023
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAGE = 64 * 1024

CUT = {
    "sqlite": f"UPDATE quarantine SET size_bytes = length(content), truncated = 1, "
    f"content_tail = substr(content, -{PAGE}), content = substr(content, 1, {PAGE}) "
    f"WHERE length(content) > {2 * PAGE}",
    "postgresql": f"UPDATE quarantine SET size_bytes = octet_length(content), truncated = true, "
    f"content_tail = substring(content from octet_length(content) - {PAGE - 1}), "
    f"content = substring(content from 1 for {PAGE}) WHERE octet_length(content) > {2 * PAGE}",
}
SIZES = {
    "sqlite": "UPDATE quarantine SET size_bytes = length(content) WHERE size_bytes IS NULL",
    "postgresql": "UPDATE quarantine SET size_bytes = octet_length(content) WHERE size_bytes IS NULL",
}


def upgrade() -> None:
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.add_column(sa.Column("size_bytes", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("content_tail", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("truncated", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect in CUT:
        op.execute(CUT[dialect])
        op.execute(SIZES[dialect])
    op.create_table(
        "edi_interchanges",
        sa.Column("family", sa.String(length=8), nullable=False),
        sa.Column("sender", sa.String(length=40), nullable=False),
        sa.Column("control_number", sa.String(length=20), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("family", "sender", "control_number", name=op.f("pk_edi_interchanges")),
    )


def downgrade() -> None:
    op.drop_table("edi_interchanges")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        for column in ("last_seen_at", "attempts", "truncated", "content_tail", "size_bytes"):
            batch_op.drop_column(column)
