"""Alembic environment: runs o2c's migrations on the connection handed over by ``migrate``."""

from alembic import context

from o2c.adapters.store import (  # noqa: F401  (their tables join the shared metadata)
    billing_store,
    cash_store,
    collections_store,
    conversations_store,
    intake_store,
    operations_store,
)
from o2c.adapters.store.tables import metadata
from o2c.auth import tables as auth_tables  # noqa: F401

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run o2c migrations through o2c.adapters.store.migrate")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
