"""Alembic environment: runs o2c's migrations on the connection handed over by ``migrate``."""

from alembic import context

from o2c.adapters.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run o2c migrations through o2c.adapters.store.migrate")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
