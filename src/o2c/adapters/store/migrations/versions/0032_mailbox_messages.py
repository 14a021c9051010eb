"""mailbox_messages: every e-mail o2c read from a mailbox, recorded with what it did

One row per message, keyed by its Message-ID (or a hash of its content when it has none), with where
it was found (mailbox, UIDVALIDITY, UID). The row is written in the same transaction as the message's
effects, so a message seen again after a crash (effects done, not yet moved out of the inbox) is only
moved.

Revision ID: 0032
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mailbox_messages",
        sa.Column("message_key", sa.String(length=200), nullable=False),
        sa.Column("mailbox", sa.String(length=300), nullable=False),
        sa.Column("uid_validity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_key", name=op.f("pk_mailbox_messages")),
    )
    op.create_index(
        op.f("ix_mailbox_messages_mailbox"), "mailbox_messages", ["mailbox", "uid_validity", "uid"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_mailbox_messages_mailbox"), table_name="mailbox_messages")
    op.drop_table("mailbox_messages")
