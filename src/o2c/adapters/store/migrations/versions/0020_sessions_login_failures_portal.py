"""web sessions kept on the server, failed logins for throttling, customers' portal access

Browser sessions were signed cookies only, so logging out could not end a copied cookie; now the
cookie names a row of ``web_sessions`` that logout and ``o2c users revoke`` end. ``login_failures``
counts wrong passwords per user name and per client address. ``portal_access`` holds one hashed
token per customer contact: the customer's own identity in conversations, revocable.

Revision ID: 0020
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], name=op.f("fk_web_sessions_user_name_users")),
        sa.PrimaryKeyConstraint("session_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_name"), "web_sessions", ["user_name"], unique=False)
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(op.f("ix_login_failures_user_name"), "login_failures", ["user_name"], unique=False)
    op.create_index(op.f("ix_login_failures_address"), "login_failures", ["address"], unique=False)
    op.create_table(
        "portal_access",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_portal_access_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_access")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_portal_access_token_hash")),
    )
    op.create_index(op.f("ix_portal_access_customer_id"), "portal_access", ["customer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_access_customer_id"), table_name="portal_access")
    op.drop_table("portal_access")
    op.drop_index(op.f("ix_login_failures_address"), table_name="login_failures")
    op.drop_index(op.f("ix_login_failures_user_name"), table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index(op.f("ix_web_sessions_user_name"), table_name="web_sessions")
    op.drop_table("web_sessions")
