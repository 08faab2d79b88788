"""Alembic's environment for the store's schema, run by `rates.store.schema.migrate`.

There is no alembic.ini: `migrate` builds the configuration in code and passes the
connection it has already locked and begun a transaction on (`connection` in the
configuration's attributes), so every revision and the version stamp commit together.
To write a new revision by hand, copy the last one in `versions/`: its `down_revision` is
the last one's `revision`.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
