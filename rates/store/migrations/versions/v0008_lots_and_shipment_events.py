"""What happened after a promise: the lot ledger, shipment events, and calibrations.

Revision ID: 0008
Revises: 0007

- `lots`: every inbound lot with an id, once per (sku, location, lot), as first seen by
  `PUT /v1/inventory/{sku}` or the inventory seed: `supplier` (the lot's, else the SKU's;
  NULL: none named) and `promised_earliest`/`promised_latest`, the ETA it was first
  seen with (later ETAs of the same lot are the supplier slipping: the row is never
  updated by a PUT). `received_on` is the day it arrived and `received_at` when that was
  recorded (both NULL until it is received; set once). `lots_by_receipt` serves the
  received lots in date order (`rates.store.base.Store.lot_receipts`).
- `shipment_events`: what happened to one shipment (numbered from 1) of an order, one row
  per (order, shipment, type) (`shipped`, `delivered`): `at` the instant, `carrier` and
  `service`, `recorded_at` when the API or a platform's webhook said so.
  `shipment_events_by_time` serves the scans since an instant.
- `calibrations`: the observations a lateness model was built from, kept once under
  their content address `id`, with when they were first kept.

Instants as 0001's docstring says: SQLite `at` ISO text beside `at_us`; PostgreSQL
`at_iso` beside the `timestamptz` `at`. Instants never compared (`first_seen_at`,
`received_at`, `recorded_at`, `stored_at`) are one column. Dates as `claims`' (0002).

Existing databases: the tables are created, empty. Lots already stored join the ledger
at their SKU's next PUT (or, if received first, with the ETA they have then).
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SQLITE = (
    """CREATE TABLE lots (
        sku               TEXT NOT NULL,
        location          TEXT NOT NULL,
        lot               TEXT NOT NULL,
        supplier          TEXT,
        promised_earliest TEXT NOT NULL,  -- ISO 8601 dates
        promised_latest   TEXT NOT NULL,
        first_seen_at     TEXT NOT NULL,  -- ISO 8601 with offset
        received_on       TEXT,           -- ISO 8601 date
        received_at       TEXT,           -- ISO 8601 with offset
        PRIMARY KEY (sku, location, lot)
    )""",
    "CREATE INDEX lots_by_receipt ON lots (received_on) WHERE received_on IS NOT NULL",
    """CREATE TABLE shipment_events (
        order_id    TEXT NOT NULL REFERENCES orders (id),
        shipment    INTEGER NOT NULL,   -- from 1, as the order document numbers them
        type        TEXT NOT NULL CHECK (type IN ('shipped', 'delivered')),
        at          TEXT NOT NULL,      -- ISO 8601 with offset
        at_us       INTEGER NOT NULL,   -- the same instant in microseconds since the epoch
        carrier     TEXT NOT NULL,
        service     TEXT NOT NULL,
        recorded_at TEXT NOT NULL,      -- ISO 8601 with offset
        PRIMARY KEY (order_id, shipment, type)
    )""",
    "CREATE INDEX shipment_events_by_time ON shipment_events (at_us)",
    """CREATE TABLE calibrations (
        id           TEXT PRIMARY KEY,  -- the observations' content address
        observations TEXT NOT NULL,     -- JSON
        stored_at    TEXT NOT NULL      -- ISO 8601 with offset
    )""",
)

POSTGRES = (
    """CREATE TABLE lots (
        sku               text NOT NULL,
        location          text NOT NULL,
        lot               text NOT NULL,
        supplier          text,
        promised_earliest date NOT NULL,
        promised_latest   date NOT NULL,
        first_seen_at     timestamptz NOT NULL,
        received_on       date,
        received_at       timestamptz,
        PRIMARY KEY (sku, location, lot)
    )""",
    "CREATE INDEX lots_by_receipt ON lots (received_on) WHERE received_on IS NOT NULL",
    """CREATE TABLE shipment_events (
        order_id    text NOT NULL REFERENCES orders (id),
        shipment    integer NOT NULL,
        type        text NOT NULL CHECK (type IN ('shipped', 'delivered')),
        at_iso      text NOT NULL,
        at          timestamptz NOT NULL,
        carrier     text NOT NULL,
        service     text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (order_id, shipment, type)
    )""",
    "CREATE INDEX shipment_events_by_time ON shipment_events (at)",
    """CREATE TABLE calibrations (
        id           text PRIMARY KEY,
        observations jsonb NOT NULL,
        stored_at    timestamptz NOT NULL
    )""",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
