"""Alembic's environment for the store: always run on the connection chibo opened (store/db.py), inside
the transaction it already holds, so a migration is applied whole or not at all."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
