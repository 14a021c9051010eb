"""audit log: append-only in the database, keyed chain from here on, sealed head

Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) of audit records. The head row learns
where the keyed (HMAC) chain starts: after the records already written, which keep their plain SHA-256
chain and end on ``legacy_hash``. When the migration runs with the audit key (``bootstrap`` hands it
over), it seals the head so that verify can tell the switch point was not moved; the head row is
created for a database that had none.

Revision ID: 0021
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from o2c.adapters.store import guards
from o2c.adapters.store.audit_store import GENESIS, head_seal

revision: str = "0021"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("keyed_from", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(
            sa.Column("legacy_hash", sa.String(length=64), nullable=False, server_default=GENESIS)
        )
        batch.add_column(sa.Column("seal", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    head = bind.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
    seq, digest = (int(head[0]), str(head[1])) if head else (0, GENESIS)
    key = context.config.attributes.get("audit_key")
    seal = head_seal(key, seq, digest, seq + 1, digest) if key else None
    values = {"seq": seq, "hash": digest, "keyed_from": seq + 1, "legacy_hash": digest, "seal": seal}
    if head is None:
        bind.execute(
            sa.text(
                "INSERT INTO audit_head (id, seq, hash, keyed_from, legacy_hash, seal) "
                "VALUES (1, :seq, :hash, :keyed_from, :legacy_hash, :seal)"
            ),
            values,
        )
    else:
        bind.execute(
            sa.text(
                "UPDATE audit_head SET keyed_from = :keyed_from, legacy_hash = :legacy_hash, "
                "seal = :seal WHERE id = 1"
            ),
            values,
        )
    for statement in guards.audit_triggers(bind.dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in guards.drop_audit_triggers(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("seal")
        batch.drop_column("legacy_hash")
        batch.drop_column("keyed_from")
