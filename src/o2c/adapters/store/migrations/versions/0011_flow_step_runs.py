"""flow step runs: completion records of durable business steps

Revision ID: 0011
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "flow_step_runs",
        sa.Column("flow_id", sa.String(length=200), nullable=False),
        sa.Column("step_name", sa.String(length=200), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("executor_id", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("flow_id", "step_name", name="pk_flow_step_runs"),
    )


def downgrade() -> None:
    op.drop_table("flow_step_runs")
