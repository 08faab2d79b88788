"""The product catalog: per SKU, the platform ids that name it, its tags, weight and size.

Revision ID: 0004
Revises: 0003

- `products`: one row per SKU (`rates.domain.products.Product`). `variant_id` and
  `product_id` are Shopify's ids as text (NULL: unknown); `tags` a JSON array of strings,
  sorted; `grams` and `length_mm`, `width_mm`, `height_mm` whole numbers (NULL: unknown).
  `updated_at` as 0001's docstring says for an instant never read back in order. Seeded
  from the catalog file, written by `PUT /v1/products/{sku}` and Shopify's
  `products/create` and `products/update` webhooks. A checkout looks its items up by SKU
  (the primary key), by variant id and by product id: each is one index lookup
  (`products_by_variant`, `products_by_product`, partial: most rows may have neither).

Existing databases: the table is created; nothing else changes. The markers of the
release before Alembic are left as 0003 raised them (SQLite 3, PostgreSQL 2): already
beyond what that release knows (0001's docstring), which refuses the database.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE = (
    """CREATE TABLE products (
        sku        TEXT PRIMARY KEY,
        variant_id TEXT,
        product_id TEXT,
        tags       TEXT NOT NULL,     -- JSON array of strings, sorted
        grams      INTEGER,
        length_mm  INTEGER,
        width_mm   INTEGER,
        height_mm  INTEGER,
        updated_at TEXT NOT NULL      -- ISO 8601 with offset
    )""",
    "CREATE INDEX products_by_variant ON products (variant_id) WHERE variant_id IS NOT NULL",
    "CREATE INDEX products_by_product ON products (product_id) WHERE product_id IS NOT NULL",
)

POSTGRES = (
    """CREATE TABLE products (
        sku        text PRIMARY KEY,
        variant_id text,
        product_id text,
        tags       jsonb NOT NULL,
        grams      integer,
        length_mm  integer,
        width_mm   integer,
        height_mm  integer,
        updated_at timestamptz NOT NULL
    )""",
    "CREATE INDEX products_by_variant ON products (variant_id) WHERE variant_id IS NOT NULL",
    "CREATE INDEX products_by_product ON products (product_id) WHERE product_id IS NOT NULL",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
