"""Quotes and inventory: the first release's schema, as its hand-rolled migrations made it.

Revision ID: 0001
Revises: (none)

A database made before Alembic carries its own marker instead of `alembic_version`: SQLite
`PRAGMA user_version` 1 is this revision. Both revisions here also write that marker, so
the release before Alembic can still open a database this one made (its schema is the
same). A revision that changes the schema must raise the marker beyond what that release
knows (SQLite 2, PostgreSQL 1), so that it refuses the database instead of misreading it.

How the store writes its columns (`rates.store.codec`, `rates.store.types`):

- JSON (`request`, `document`, `stock`, and later `promise`, `event`): compact, keys
  sorted, UTF-8; on PostgreSQL as `jsonb`. A quote's `document` is the answer's bytes as
  served when the store was given them (`QuoteRecord.served`), keys in the order built.
- Instants: ISO 8601 text with the UTC offset the instant was given in (for example
  `2026-11-23T09:30:15.123456-08:00`), read back in that offset. Beside it, what sorts and
  compares: SQLite `*_us`, integer microseconds since 1970-01-01T00:00:00Z; PostgreSQL
  `timestamptz`, its text twin being `*_iso`. A column never read back keeps one form.
- Dates (claims): ISO 8601 `YYYY-MM-DD`; on PostgreSQL `date`.
- `inventory.stock`, a SKU's stock:
  `{"locations": [{"location": "reno", "on_hand": 2, "inbound": [{"id": "PO-1",
  "quantity": 10, "committed": 3, "earliest": "2026-12-10", "latest": "2026-12-14"}]}],
  "lead_time_days": [21, 35], "lead_time_location": "newark", "backorder_limit": 40}`.
  A lot's `id` is left out when it has none; the last three keys when they are null. The
  reader also takes one position given inline (`location`, `on_hand`, `inbound` at the
  top), and a position without `location` is at the configured default location.
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE = (
    """CREATE TABLE quotes (
        id         TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,     -- ISO 8601 with the offset it was made in
        created_us INTEGER NOT NULL,  -- the same instant in microseconds since the epoch
        ruleset    TEXT NOT NULL,
        reference  TEXT,
        request    TEXT NOT NULL,     -- JSON
        document   TEXT NOT NULL      -- JSON
    )""",
    "CREATE INDEX quotes_by_reference ON quotes (reference, created_us)",
    "CREATE INDEX quotes_by_created ON quotes (created_us)",
    """CREATE TABLE inventory (
        sku        TEXT PRIMARY KEY,
        stock      TEXT NOT NULL,     -- JSON, as the baseline migration describes
        updated_at TEXT NOT NULL      -- ISO 8601 with offset
    )""",
    "PRAGMA user_version = 1",
)

POSTGRES = (
    """CREATE TABLE quotes (
        id          text PRIMARY KEY,
        seq         bigint GENERATED ALWAYS AS IDENTITY,  -- equal created_at: latest first
        created_at  timestamptz NOT NULL,
        created_iso text NOT NULL,
        ruleset     text NOT NULL,
        reference   text,
        request     jsonb NOT NULL,
        document    jsonb NOT NULL
    )""",
    "CREATE INDEX quotes_by_reference ON quotes (reference, created_at)",
    "CREATE INDEX quotes_by_created ON quotes (created_at)",
    """CREATE TABLE inventory (
        sku        text PRIMARY KEY,
        stock      jsonb NOT NULL,  -- as the baseline migration describes
        updated_at timestamptz NOT NULL
    )""",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
