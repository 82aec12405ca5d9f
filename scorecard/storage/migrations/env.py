"""Alembic environment: migrations always run on the connection the store hands over."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("scorecard migrations run when a store is opened: ResultStore(url)")
context.configure(connection=connection, render_as_batch=True, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
