"""Webhook receipts sortable by when they were received, so old ones can be pruned.

Revision ID: 0005
Revises: 0004

Quotes and Shopify webhook receipts are pruned once past their retention
(`Store.prune_quotes`, `Store.prune_receipts`). Quotes need nothing new: the index
`quotes_by_created` (0001) finds the oldest, and `orders_by_quote` (0002) whether an
order refers to one. Receipts:

- SQLite: `shopify_webhooks.received_us`, the instant in microseconds since the epoch
  (`received_at` is ISO text in its own offset, which does not sort), indexed.
  Receipts stored before this revision get it from their text, to the millisecond
  (SQLite's `julianday`): enough to tell which are a week old. NULL nowhere after this.
- PostgreSQL: `received_at` is a timestamptz already; it is indexed.

SQLite's incremental auto-vacuum (`rates.store.dialects`) is not turned on here: that
takes a VACUUM, which cannot run inside the migration's transaction; the store does it
once, after migrating (`rates.store.dialects.incremental_vacuum`).

Existing databases: a column and an index (SQLite) or an index (PostgreSQL); every
receipt row is written once on SQLite. The markers of the release before Alembic stay as
0003 raised them.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SQLITE = (
    "ALTER TABLE shopify_webhooks ADD COLUMN received_us INTEGER",
    "UPDATE shopify_webhooks SET received_us ="
    " CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER) * 1000",
    "CREATE INDEX shopify_webhooks_by_received ON shopify_webhooks (received_us)",
)

POSTGRES = (
    "CREATE INDEX shopify_webhooks_by_received ON shopify_webhooks (received_at)",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
