"""journal lines indexed by (entry, account)

The posting trigger checks an entry's AR control lines (``entry_id = ? AND account = '1100'``).
With one index on ``entry_id`` and another on ``(account, currency)``, SQLite's planner took the
account index and scanned every AR line ever posted, so each posting got slower as the ledger grew.
One index on ``(entry_id, account)`` serves both that check and every lookup by entry.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_journal_lines_entry_account", "journal_lines", ["entry_id", "account"])
    op.drop_index("ix_journal_lines_entry_id", table_name="journal_lines")


def downgrade() -> None:
    op.create_index("ix_journal_lines_entry_id", "journal_lines", ["entry_id"])
    op.drop_index("ix_journal_lines_entry_account", table_name="journal_lines")
