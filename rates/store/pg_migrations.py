"""The PostgreSQL schema as numbered scripts, applied in order when a store opens.

The one row of `schema_version` counts the scripts a database has run. A released script
never changes: a schema change is a new script appended to `MIGRATIONS`.

An instant is a `timestamptz`, to compare and sort by, beside the ISO 8601 text it was
written as (`*_iso`): a timestamptz keeps the instant but not its UTC offset, and records
come back in the offset they were made in. The columns never read back keep no text.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b
from typing import Any

import psycopg

from rates.store.migrations import known_version

MIGRATIONS: tuple[str, ...] = (
    # 1: quotes, inventory, orders and their claims, the webhook outbox.
    """
    CREATE TABLE quotes (
        id          text PRIMARY KEY,
        seq         bigint GENERATED ALWAYS AS IDENTITY,  -- equal created_at: latest first
        created_at  timestamptz NOT NULL,
        created_iso text NOT NULL,
        ruleset     text NOT NULL,
        reference   text,
        request     jsonb NOT NULL,
        document    jsonb NOT NULL
    );
    CREATE INDEX quotes_by_reference ON quotes (reference, created_at);
    CREATE INDEX quotes_by_created ON quotes (created_at);
    CREATE TABLE inventory (
        sku        text PRIMARY KEY,
        stock      jsonb NOT NULL,  -- as rates.wire.response.stock_document
        updated_at timestamptz NOT NULL
    );
    CREATE TABLE orders (
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
    );
    CREATE INDEX orders_by_reference ON orders (reference, accepted_at);
    CREATE INDEX orders_by_quote ON orders (quote_id, accepted_at);
    CREATE INDEX orders_open ON orders (seq) WHERE status = 'open';
    -- Kept when the order closes: its status alone takes them out of the queue.
    CREATE TABLE claims (
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
    );
    CREATE INDEX claims_by_sku ON claims (sku);
    CREATE TABLE webhooks (
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
    );
    CREATE INDEX webhooks_due ON webhooks (next_attempt_at)
        WHERE delivered_at IS NULL AND NOT gave_up;
    """,
)


def advisory_key(name: str) -> int:
    """The key of the advisory lock called `name`: a signed 64-bit hash that every node
    computes alike (Python's own `hash` differs from process to process)."""
    return int.from_bytes(blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


_MIGRATING = advisory_key("rates-schema")


def migrate(connection: psycopg.Connection[Any], scripts: Sequence[str] = MIGRATIONS) -> None:
    """Run the scripts `connection`'s database has not run, all in one transaction (DDL is
    transactional: a failing script leaves the database as it was). `connection` must be
    in autocommit mode. An up-to-date database is not written to; one from a newer release
    is refused with ConfigError rather than misread."""
    if _version(connection, scripts) == len(scripts):
        return
    with connection.transaction():
        # Nodes starting together on a fresh database migrate one after the other; the
        # version is read again under the lock.
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATING,))
        connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
        for script in scripts[_version(connection, scripts):]:
            connection.execute(script)
        connection.execute("DELETE FROM schema_version")
        connection.execute("INSERT INTO schema_version (version) VALUES (%s)", (len(scripts),))


def _version(connection: psycopg.Connection[Any], scripts: Sequence[str]) -> int:
    [[exists]] = connection.execute(
        "SELECT to_regclass('schema_version') IS NOT NULL").fetchall()
    if not exists:
        return 0
    [[version]] = connection.execute(
        "SELECT coalesce(max(version), 0) FROM schema_version").fetchall()
    return known_version(version, scripts)
