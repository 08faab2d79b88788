"""Orders, their claims on backordered stock, and the webhook outbox.

Revision ID: 0002
Revises: 0001

Before Alembic this was SQLite `PRAGMA user_version` 2 and PostgreSQL `schema_version` 1
(whose one script made the tables of both revisions); the markers are written again here
(see 0001). Column formats: 0001's docstring.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE = (
    """CREATE TABLE orders (
        id          TEXT PRIMARY KEY,
        seq         INTEGER NOT NULL UNIQUE,  -- place in the queue, from 1; indexed
        quote_id    TEXT NOT NULL,
        option_id   TEXT NOT NULL,
        reference   TEXT,
        accepted_at TEXT NOT NULL,            -- ISO 8601 with the offset it was made in
        accepted_us INTEGER NOT NULL,         -- the same instant in microseconds
        promise     TEXT NOT NULL,            -- JSON
        status      TEXT NOT NULL CHECK (status IN ('open', 'shipped', 'cancelled')),
        closed_at   TEXT,                     -- ISO 8601 with offset
        at_risk     INTEGER NOT NULL DEFAULT 0 CHECK (at_risk IN (0, 1))
    )""",
    "CREATE INDEX orders_by_reference ON orders (reference, accepted_us)",
    "CREATE INDEX orders_by_quote ON orders (quote_id, accepted_us)",
    # Kept when the order closes: its status alone takes them out of the queue.
    """CREATE TABLE claims (
        order_id          TEXT NOT NULL REFERENCES orders (id),
        position          INTEGER NOT NULL,  -- within the order, from 0
        sku               TEXT NOT NULL,
        location          TEXT NOT NULL,
        quantity          INTEGER NOT NULL,
        promised_earliest TEXT NOT NULL,     -- ISO 8601 dates
        promised_latest   TEXT NOT NULL,
        lot               TEXT,
        lead_time_from    TEXT,
        PRIMARY KEY (order_id, position)
    )""",
    "CREATE INDEX claims_by_sku ON claims (sku)",
    """CREATE TABLE webhooks (
        id              INTEGER PRIMARY KEY,
        event           TEXT NOT NULL,        -- JSON
        created_at      TEXT NOT NULL,        -- ISO 8601 with offset
        created_us      INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,  -- failed tries
        next_attempt_at TEXT NOT NULL,        -- ISO 8601 with offset
        next_attempt_us INTEGER NOT NULL,
        lease_until_us  INTEGER,              -- a sender has it until then
        last_error      TEXT,
        delivered_at    TEXT,                 -- ISO 8601 with offset
        gave_up         INTEGER NOT NULL DEFAULT 0 CHECK (gave_up IN (0, 1))
    )""",
    """CREATE INDEX webhooks_due ON webhooks (next_attempt_us)
        WHERE delivered_at IS NULL AND gave_up = 0""",
    "PRAGMA user_version = 2",
)

POSTGRES = (
    """CREATE TABLE orders (
        id           text PRIMARY KEY,
        seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- place in the queue
        quote_id     text NOT NULL,
        option_id    text NOT NULL,
        reference    text,
        accepted_at  timestamptz NOT NULL,
        accepted_iso text NOT NULL,
        promise      jsonb NOT NULL,
        status       text NOT NULL CHECK (status IN ('open', 'shipped', 'cancelled')),
        closed_at    timestamptz,
        closed_iso   text,
        at_risk      boolean NOT NULL DEFAULT false
    )""",
    "CREATE INDEX orders_by_reference ON orders (reference, accepted_at)",
    "CREATE INDEX orders_by_quote ON orders (quote_id, accepted_at)",
    "CREATE INDEX orders_open ON orders (seq) WHERE status = 'open'",
    # Kept when the order closes: its status alone takes them out of the queue.
    """CREATE TABLE claims (
        order_id          text NOT NULL REFERENCES orders (id),
        position          integer NOT NULL,  -- within the order, from 0
        sku               text NOT NULL,
        location          text NOT NULL,
        quantity          integer NOT NULL,
        promised_earliest date NOT NULL,
        promised_latest   date NOT NULL,
        lot               text,
        lead_time_from    date,
        PRIMARY KEY (order_id, position)
    )""",
    "CREATE INDEX claims_by_sku ON claims (sku)",
    """CREATE TABLE webhooks (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event            jsonb NOT NULL,
        created_at       timestamptz NOT NULL,
        created_iso      text NOT NULL,
        attempts         integer NOT NULL DEFAULT 0,  -- failed tries
        next_attempt_at  timestamptz NOT NULL,
        next_attempt_iso text NOT NULL,
        lease_until      timestamptz,                 -- a sender has it until then
        last_error       text,
        delivered_at     timestamptz,
        gave_up          boolean NOT NULL DEFAULT false
    )""",
    """CREATE INDEX webhooks_due ON webhooks (next_attempt_at)
        WHERE delivered_at IS NULL AND NOT gave_up""",
    "CREATE TABLE schema_version (version integer NOT NULL)",
    "INSERT INTO schema_version (version) VALUES (1)",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
