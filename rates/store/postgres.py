"""The `Store` on PostgreSQL: one database that every node shares.

Connections are in autocommit mode, as SQLite's are: a read is one statement, a write one
`transaction()` block. Placing an order takes a transaction-scoped advisory lock on each
of its SKUs before it reads the queue, so orders on a SKU take turns across every process
and node while orders on other SKUs go ahead. Webhooks are leased through `FOR UPDATE SKIP
LOCKED`, so senders never wait for one another or take the same event.

Strings are sent typed as `text`, so the SQL casts them where a column is of another type
(`::jsonb`, `::timestamptz`, `::date`). That is how one ISO text fills both a timestamptz
column and its `*_iso` twin. (None is sent untyped and takes the type of its first cast, so
a twin that may be None is cast back `::text` where the type matters.) Reads select the
text forms that `rates.store.rows` decodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, LiteralString

import psycopg
from psycopg import sql
from psycopg.types.string import StrDumper
from psycopg_pool import ConnectionPool

from rates.domain.backorders import Claim
from rates.domain.stock import SkuStock
from rates.store.base import OrderCheck, OrderRecord, OrderStatus, QuoteRecord, WebhookDelivery
from rates.store.pg_migrations import advisory_key, migrate
from rates.store.rows import (
    checked_limit,
    claim_of,
    claim_params,
    claimed_by_sku,
    closing_params,
    delivery_of,
    event_params,
    failure_params,
    instant_params,
    inventory_params,
    lease_params,
    order_filters,
    order_params,
    orders_of,
    quote_of,
    quote_params,
    stock_of,
)

# How long to wait for a connection, a server to answer, or a lock held by another
# transaction: the 5 s of SQLite's busy_timeout.
WAIT_SECONDS = 5

_CLAIM = sql.SQL(
    "c.order_id, c.sku, c.location, c.quantity, to_char(c.promised_earliest, 'YYYY-MM-DD'),"
    " to_char(c.promised_latest, 'YYYY-MM-DD'), c.lot, to_char(c.lead_time_from, 'YYYY-MM-DD')")
# An order's columns, then one claim's: the rows `rates.store.rows.orders_of` reads.
_ORDER_ROWS = sql.SQL(
    "SELECT o.id, o.quote_id, o.option_id, o.reference, o.accepted_iso, o.promise::text,"
    " o.status, o.closed_iso, o.at_risk, o.seq, {claim}"
    " FROM orders AS o LEFT JOIN claims AS c ON c.order_id = o.id WHERE {condition}")


def _order_rows(condition: LiteralString) -> sql.Composed:
    """The joined rows of the orders `condition` picks; it ends with an ORDER BY that keeps
    each order's rows together in claim position order."""
    return _ORDER_ROWS.format(claim=_CLAIM, condition=sql.SQL(condition))


_ORDER_BY_ID = _order_rows("o.id = %(id)s ORDER BY c.position")
_ORDERS_FOUND = _order_rows(
    "o.id IN (SELECT id FROM orders WHERE reference = %(reference)s OR quote_id = %(quote_id)s"
    " ORDER BY accepted_at DESC, seq DESC LIMIT %(limit)s)"
    " ORDER BY o.accepted_at DESC, o.seq DESC, c.position")
_OPEN_ORDERS = _order_rows("o.status = 'open' ORDER BY o.seq, c.position")
_OPEN_ORDERS_OF = _order_rows(
    "o.status = 'open' AND o.id IN"
    " (SELECT order_id FROM claims WHERE sku = ANY(%(skus)s::text[]))"
    " ORDER BY o.seq, c.position")
_OPEN_CLAIMS = sql.SQL(
    "SELECT {claim} FROM claims AS c JOIN orders AS o ON o.id = c.order_id"
    " WHERE o.status = 'open' AND c.sku = ANY(%s::text[]) ORDER BY o.seq, c.position"
).format(claim=_CLAIM)

Connection = psycopg.Connection[tuple[Any, ...]]


class PostgresStore:
    """The `Store` in the PostgreSQL database at `url` (postgresql://user:pass@host/db).

    `default_location` is what a stored stock document without a location would be read
    as; `pool_size` bounds the connections open at once.
    """

    def __init__(self, url: str, *, default_location: str, pool_size: int = 8) -> None:
        # A connection of its own first: a wrong URL fails at once, where the pool would
        # keep retrying it in the background.
        with psycopg.connect(url, autocommit=True, connect_timeout=WAIT_SECONDS) as connection:
            migrate(connection)
        self._pool = ConnectionPool(
            url, min_size=1, max_size=pool_size, timeout=WAIT_SECONDS, open=False,
            kwargs={"autocommit": True, "connect_timeout": WAIT_SECONDS},
            configure=_configure, name="rates-store",
            # A connection the server dropped (a restart, a failover) is replaced before
            # it is lent, so the first request afterwards does not fail.
            check=ConnectionPool.check_connection)
        try:
            self._pool.open(wait=True, timeout=WAIT_SECONDS)
        except BaseException:
            self._pool.close()
            raise
        self._default_location = default_location

    def save_quote(self, record: QuoteRecord) -> None:
        with self._pool.connection() as connection:
            connection.execute(
                "INSERT INTO quotes (id, created_at, created_iso, ruleset, reference, request,"
                " document) VALUES (%(id)s, %(created_at)s::timestamptz, %(created_at)s,"
                " %(ruleset)s, %(reference)s, %(request)s::jsonb, %(document)s::jsonb)"
                " ON CONFLICT (id) DO NOTHING", quote_params(record))

    def get_quote(self, quote_id: str) -> QuoteRecord | None:
        with self._pool.connection() as connection:
            row = connection.execute(
                "SELECT id, created_iso, ruleset, reference, request::text, document::text"
                " FROM quotes WHERE id = %s", (quote_id,)).fetchone()
        return quote_of(row) if row else None

    def find_quotes(self, reference: str, limit: int = 20) -> list[QuoteRecord]:
        with self._pool.connection() as connection:
            rows = connection.execute(
                "SELECT id, created_iso, ruleset, reference, request::text, document::text"
                " FROM quotes WHERE reference = %s"
                " ORDER BY created_at DESC, seq DESC LIMIT %s",
                (reference, checked_limit(limit))).fetchall()
        return [quote_of(row) for row in rows]

    def put_inventory(self, stock: SkuStock, updated_at: datetime) -> None:
        row = inventory_params(stock, updated_at)
        with self._pool.connection() as connection:
            connection.execute(
                "INSERT INTO inventory (sku, stock, updated_at)"
                " VALUES (%(sku)s, %(stock)s::jsonb, %(updated_at)s::timestamptz)"
                " ON CONFLICT (sku) DO UPDATE"
                " SET stock = excluded.stock, updated_at = excluded.updated_at", row)

    def get_inventory(self, sku: str) -> SkuStock | None:
        return self.inventory_for([sku]).get(sku)

    def inventory_for(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        with self._pool.connection() as connection:
            return self._inventory(connection, sorted(set(skus)))

    def seed_inventory(self, stock: Mapping[str, SkuStock], updated_at: datetime) -> int:
        rows = [inventory_params(item, updated_at) for item in stock.values()]
        with self._write() as connection, connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO inventory (sku, stock, updated_at)"
                " VALUES (%(sku)s, %(stock)s::jsonb, %(updated_at)s::timestamptz)"
                " ON CONFLICT (sku) DO NOTHING", rows)
            return cursor.rowcount

    def place_order(self, order: OrderRecord, check: OrderCheck) -> tuple[OrderRecord, bool]:
        row, claims = order_params(order), claim_params(order)
        skus = sorted({claim.sku for claim in order.claims})
        with self._write() as connection:
            # In key order, so two orders sharing SKUs cannot each hold one the other
            # waits for. The function scan locks the keys in the array's order.
            connection.execute(
                "SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key",
                (sorted({advisory_key(f"rates-sku:{sku}") for sku in skus}),))
            stored = self._orders(connection, _ORDER_BY_ID, {"id": order.id})
            if stored:
                return stored[0], False
            check(self._inventory(connection, skus), self._claimed(connection, skus))
            # The id can still be taken by an order on other SKUs, hence no lock in common:
            # the insert then waits for that transaction, and its order is returned.
            inserted = connection.execute(
                "INSERT INTO orders (id, quote_id, option_id, reference, accepted_at,"
                " accepted_iso, promise, status, closed_at, closed_iso, at_risk) VALUES"
                " (%(id)s, %(quote_id)s, %(option_id)s, %(reference)s,"
                " %(accepted_at)s::timestamptz, %(accepted_at)s, %(promise)s::jsonb,"
                " %(status)s, %(closed_at)s::timestamptz, %(closed_at)s, %(at_risk)s)"
                " ON CONFLICT (id) DO NOTHING", row).rowcount == 1
            if inserted:
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO claims (order_id, position, sku, location, quantity,"
                        " promised_earliest, promised_latest, lot, lead_time_from) VALUES"
                        " (%(order_id)s, %(position)s, %(sku)s, %(location)s, %(quantity)s,"
                        " %(earliest)s::date, %(latest)s::date, %(lot)s,"
                        " %(lead_time_from)s::date)", claims)
            [placed] = self._orders(connection, _ORDER_BY_ID, {"id": order.id})
        return placed, inserted

    def get_order(self, order_id: str) -> OrderRecord | None:
        with self._pool.connection() as connection:
            found = self._orders(connection, _ORDER_BY_ID, {"id": order_id})
        return found[0] if found else None

    def find_orders(self, *, reference: str | None = None, quote_id: str | None = None,
                    limit: int = 20) -> list[OrderRecord]:
        filters = order_filters(reference, quote_id, limit)
        with self._pool.connection() as connection:
            return self._orders(connection, _ORDERS_FOUND, filters)

    def open_orders(self, skus: Iterable[str] | None = None) -> list[OrderRecord]:
        with self._pool.connection() as connection:
            if skus is None:
                return self._orders(connection, _OPEN_ORDERS, {})
            return self._orders(connection, _OPEN_ORDERS_OF, {"skus": sorted(set(skus))})

    def claims_for(self, skus: Iterable[str]) -> list[Claim]:
        with self._pool.connection() as connection:
            return self._claims(connection, sorted(set(skus)))

    def claimed_units(self, skus: Iterable[str], *,
                      ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        with self._pool.connection() as connection:
            return self._claimed(connection, sorted(set(skus)), ahead_of)

    @staticmethod
    def _claimed(connection: Connection, skus: list[str],
                 ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        rows = connection.execute(
            "SELECT c.sku, c.location, sum(c.quantity)::int"
            " FROM claims AS c JOIN orders AS o ON o.id = c.order_id"
            " WHERE o.status = 'open' AND (%(ahead)s::bigint IS NULL OR o.seq < %(ahead)s)"
            " AND c.sku = ANY(%(skus)s::text[])"
            " GROUP BY c.sku, c.location",
            {"skus": skus, "ahead": ahead_of}).fetchall()
        return claimed_by_sku(rows)

    def close_order(self, order_id: str, status: OrderStatus,
                    at: datetime) -> OrderRecord | None:
        row = closing_params(order_id, status, at)
        with self._write() as connection:
            connection.execute(
                "UPDATE orders SET status = %(status)s, closed_at = %(closed_at)s::timestamptz,"
                " closed_iso = %(closed_at)s WHERE id = %(id)s AND status = 'open'", row)
            found = self._orders(connection, _ORDER_BY_ID, row)
        return found[0] if found else None

    def mark_at_risk(self, order_id: str, *, at_risk: bool, event: dict[str, Any] | None,
                     at: datetime) -> bool:
        outbox = None if event is None else event_params(event, at)
        with self._write() as connection:
            changed = connection.execute(
                "UPDATE orders SET at_risk = %(at_risk)s"
                " WHERE id = %(id)s AND status = 'open' AND at_risk <> %(at_risk)s",
                {"id": order_id, "at_risk": at_risk}).rowcount == 1
            if changed and at_risk and outbox is not None:
                connection.execute(
                    "INSERT INTO webhooks (event, created_at, created_iso, next_attempt_at,"
                    " next_attempt_iso) VALUES (%(event)s::jsonb, %(created_at)s::timestamptz,"
                    " %(created_at)s, %(created_at)s::timestamptz, %(created_at)s)", outbox)
        return changed

    def due_webhooks(self, now: datetime, limit: int,
                     lease_seconds: float) -> list[WebhookDelivery]:
        lease = lease_params(now, limit, lease_seconds)
        # One statement, so one transaction: it picks and leases the rows together, and
        # skips rows another sender is leasing at this moment instead of waiting.
        with self._pool.connection() as connection:
            rows = connection.execute(
                "WITH leased AS (UPDATE webhooks SET lease_until = %(lease_until)s::timestamptz"
                " WHERE id IN (SELECT id FROM webhooks"
                " WHERE delivered_at IS NULL AND NOT gave_up"
                " AND next_attempt_at <= %(now)s::timestamptz"
                " AND (lease_until IS NULL OR lease_until <= %(now)s::timestamptz)"
                " ORDER BY created_at, id LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
                " RETURNING id, event, created_at, created_iso, attempts, next_attempt_iso,"
                " last_error)"
                " SELECT id, event::text, created_iso, attempts, next_attempt_iso, last_error"
                " FROM leased ORDER BY created_at, id", lease).fetchall()
        return [delivery_of(row) for row in rows]

    def webhook_delivered(self, delivery_id: int, at: datetime) -> None:
        row = {"id": delivery_id, **instant_params("delivered_at", at)}
        with self._pool.connection() as connection:
            connection.execute(
                "UPDATE webhooks SET delivered_at = %(delivered_at)s::timestamptz,"
                " lease_until = NULL WHERE id = %(id)s", row)

    def webhook_failed(self, delivery_id: int, error: str,
                       next_attempt_at: datetime | None) -> None:
        with self._pool.connection() as connection:
            connection.execute(
                "UPDATE webhooks SET attempts = attempts + 1, last_error = %(error)s,"
                " lease_until = NULL, gave_up = %(gave_up)s,"
                " next_attempt_at = coalesce(%(next_attempt_at)s::timestamptz, next_attempt_at),"
                " next_attempt_iso = coalesce(%(next_attempt_at)s::text, next_attempt_iso)"
                " WHERE id = %(id)s AND delivered_at IS NULL",
                failure_params(delivery_id, error, next_attempt_at))

    def ping(self) -> None:
        with self._pool.connection() as connection:
            connection.execute("SELECT 1 FROM quotes LIMIT 1").fetchall()

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection inside a transaction, committed if the block succeeds."""
        with self._pool.connection() as connection, connection.transaction():
            yield connection

    def _inventory(self, connection: Connection, skus: Sequence[str]) -> dict[str, SkuStock]:
        rows = connection.execute(
            "SELECT sku, stock::text FROM inventory WHERE sku = ANY(%s::text[])",
            (skus,)).fetchall()
        return {sku: stock_of(sku, stock, self._default_location) for sku, stock in rows}

    @staticmethod
    def _claims(connection: Connection, skus: Sequence[str]) -> list[Claim]:
        return [claim_of(row) for row in connection.execute(_OPEN_CLAIMS, (skus,))]

    @staticmethod
    def _orders(connection: Connection, query: sql.Composed,
                params: Mapping[str, Any]) -> list[OrderRecord]:
        return orders_of(connection.execute(query, params).fetchall())


def _configure(connection: Connection) -> None:
    """Each new pooled connection: strings typed as `text` (see the module docstring), and
    lock waits bounded like SQLite's busy_timeout."""
    connection.adapters.register_dumper(str, StrDumper)
    connection.execute(f"SET lock_timeout = {WAIT_SECONDS * 1000:d}")
