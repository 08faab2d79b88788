"""The SQLite schema as numbered scripts, applied in order when a store opens.

`PRAGMA user_version` counts the scripts a database has run. A released script never
changes: a schema change is a new script appended to `MIGRATIONS`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from rates.domain.errors import ConfigError

MIGRATIONS: tuple[str, ...] = (
    # 1: quotes and inventory.
    """
    CREATE TABLE quotes (
        id         TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,     -- ISO 8601 with the offset it was made in
        created_us INTEGER NOT NULL,  -- the same instant in microseconds since the epoch
        ruleset    TEXT NOT NULL,
        reference  TEXT,
        request    TEXT NOT NULL,     -- JSON
        document   TEXT NOT NULL      -- JSON
    );
    CREATE INDEX quotes_by_reference ON quotes (reference, created_us);
    CREATE INDEX quotes_by_created ON quotes (created_us);
    CREATE TABLE inventory (
        sku        TEXT PRIMARY KEY,
        stock      TEXT NOT NULL,     -- JSON, as rates.wire.response.stock_document
        updated_at TEXT NOT NULL      -- ISO 8601 with offset
    );
    """,
    # 2: orders, their claims on backordered stock, and the webhook outbox.
    """
    CREATE TABLE orders (
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
    );
    CREATE INDEX orders_by_reference ON orders (reference, accepted_us);
    CREATE INDEX orders_by_quote ON orders (quote_id, accepted_us);
    -- Kept when the order closes: its status alone takes them out of the queue.
    CREATE TABLE claims (
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
    );
    CREATE INDEX claims_by_sku ON claims (sku);
    CREATE TABLE webhooks (
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
    );
    CREATE INDEX webhooks_due ON webhooks (next_attempt_us)
        WHERE delivered_at IS NULL AND gave_up = 0;
    """,
)


def migrate(connection: sqlite3.Connection, scripts: Sequence[str] = MIGRATIONS) -> None:
    """Run the scripts `connection`'s database has not run, all in one transaction: a
    failing script leaves the database as it was. An up-to-date database is not written to;
    one from a newer release is refused with ConfigError rather than misread."""
    if _version(connection, scripts) == len(scripts):
        return
    # IMMEDIATE takes the write lock first, so two processes opening a fresh file at once
    # migrate one after the other; the version is read again under that lock.
    connection.execute("BEGIN IMMEDIATE")
    try:
        for script in scripts[_version(connection, scripts):]:
            for statement in _statements(script):
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {len(scripts):d}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _version(connection: sqlite3.Connection, scripts: Sequence[str]) -> int:
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return known_version(version, scripts)


def known_version(version: int, scripts: Sequence[str]) -> int:
    """`version`, unless it is beyond `scripts`: ConfigError for a database from a newer
    release, which this one would misread."""
    if version > len(scripts):
        raise ConfigError([
            f"store.url: the database has schema version {version}, but this release of "
            f"backorder-rates knows only up to version {len(scripts)}; upgrade "
            "backorder-rates, or point store.url at another database"])
    return version


def _statements(script: str) -> Iterator[str]:
    """The statements of `script` one by one: `executescript` would commit the migration
    transaction first. `complete_statement` keeps a ";" inside a string, a comment or a
    trigger body from splitting a statement."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                yield pending
            pending = ""
    if pending.strip(" \t\r\n;"):
        yield pending  # an unfinished statement: let SQLite say what is wrong with it
