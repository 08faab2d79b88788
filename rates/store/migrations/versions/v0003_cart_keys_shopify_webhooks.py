"""Quotes keep their Shopify cart key; Shopify webhooks received are kept by id.

Revision ID: 0003
Revises: 0002

- `quotes.cart_key`: what ties a Shopify order to the quote its checkout was shown
  (`rates.wire.shopify_carts.cart_key`: a SHA-256 hex digest of the shop, the cart's lines
  and its destination). NULL for every quote made before this revision and for quotes not
  asked by Shopify's rate callback. Indexed with the quote's instant, so that an order's
  quote is found by one index range scan (the key, within the quote's lifetime).
- `shopify_webhooks`: one row per Shopify webhook delivery (`X-Shopify-Webhook-Id`) whose
  event was applied, written in the transaction of its effect where there is one, so a
  replayed delivery is recognised and changes nothing. `outcome` is what applying it did
  (for example `promised`, `requoted`, `not_promised`, `closed`, `unknown_order`);
  `order_id` the order it concerned. Instants as 0001's docstring says.

Existing databases: the column is added (nullable, no default, so no row is rewritten)
and the table created; nothing else changes. The markers of the release before Alembic
(SQLite `PRAGMA user_version`, PostgreSQL `schema_version`) are raised to 3 and 2, as 0001
asks of a revision that changes the schema, so that release refuses the database rather
than writing quotes without their keys.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE = (
    "ALTER TABLE quotes ADD COLUMN cart_key TEXT",
    "CREATE INDEX quotes_by_cart_key ON quotes (cart_key, created_us)"
    " WHERE cart_key IS NOT NULL",
    """CREATE TABLE shopify_webhooks (
        shop        TEXT NOT NULL,     -- the shop's domain, as in the webhook's URL
        webhook_id  TEXT NOT NULL,     -- X-Shopify-Webhook-Id
        topic       TEXT NOT NULL,     -- X-Shopify-Topic
        received_at TEXT NOT NULL,     -- ISO 8601 with offset
        outcome     TEXT NOT NULL,
        order_id    TEXT,
        PRIMARY KEY (shop, webhook_id)
    )""",
    "PRAGMA user_version = 3",
)

POSTGRES = (
    "ALTER TABLE quotes ADD COLUMN cart_key text",
    "CREATE INDEX quotes_by_cart_key ON quotes (cart_key, created_at)"
    " WHERE cart_key IS NOT NULL",
    """CREATE TABLE shopify_webhooks (
        shop        text NOT NULL,
        webhook_id  text NOT NULL,
        topic       text NOT NULL,
        received_at timestamptz NOT NULL,
        outcome     text NOT NULL,
        order_id    text,
        PRIMARY KEY (shop, webhook_id)
    )""",
    "UPDATE schema_version SET version = 2",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
