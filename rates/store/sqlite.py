"""The `Store` on SQLite: one file for a single node (or a private in-memory database).

Every write is a `BEGIN IMMEDIATE` transaction: it takes the write lock before reading, so
a concurrent writer waits out `busy_timeout` instead of failing on a lock upgrade, and what
a write reads (the queue an order joins, the webhooks it leases) cannot change before it
commits. Rows are encoded before the transaction begins, so bad input never holds the lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Any

from rates.domain.backorders import Claim
from rates.domain.stock import SkuStock
from rates.store.base import OrderCheck, OrderRecord, OrderStatus, QuoteRecord, WebhookDelivery
from rates.store.checkpoints import Checkpointer
from rates.store.encoding import json_text
from rates.store.migrations import migrate
from rates.store.pool import Pool, connect
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

_MEMORY = ":memory:"

# An order's columns, then one claim's: the rows `rates.store.rows.orders_of` reads.
_ORDER_ROWS = (
    "SELECT o.id, o.quote_id, o.option_id, o.reference, o.accepted_at, o.promise, o.status,"
    " o.closed_at, o.at_risk, o.seq, c.order_id, c.sku, c.location, c.quantity,"
    " c.promised_earliest, c.promised_latest, c.lot, c.lead_time_from"
    " FROM orders AS o LEFT JOIN claims AS c ON c.order_id = o.id WHERE ")


def _order_rows(condition: str) -> str:
    """The joined rows of the orders `condition` picks; it ends with an ORDER BY that keeps
    each order's rows together in claim position order."""
    return _ORDER_ROWS + condition


_ORDER_BY_ID = _order_rows("o.id = :id ORDER BY c.position")
_ORDERS_FOUND = _order_rows(
    "o.id IN (SELECT id FROM orders WHERE reference = :reference OR quote_id = :quote_id"
    " ORDER BY accepted_us DESC, seq DESC LIMIT :limit)"
    " ORDER BY o.accepted_us DESC, o.seq DESC, c.position")
_OPEN_ORDERS = _order_rows("o.status = 'open' ORDER BY o.seq, c.position")
_OPEN_ORDERS_OF = _order_rows(
    "o.status = 'open' AND o.id IN"
    " (SELECT order_id FROM claims WHERE sku IN (SELECT value FROM json_each(:skus)))"
    " ORDER BY o.seq, c.position")


class SqliteStore:
    """The `Store` in the SQLite database at `database` (a path or ":memory:").

    `default_location` is what a stored stock document without a location would be read
    as; `pool_size` bounds the connections open at once. A file's WAL is checkpointed
    every `checkpoint_seconds` by a thread of the store's (`rates.store.checkpoints`).
    """

    def __init__(self, database: str, *, default_location: str, pool_size: int = 8,
                 checkpoint_seconds: float = 0.05) -> None:
        # Each connection to ":memory:" is a new, empty database: all threads share one.
        self._pool = Pool(partial(connect, database), 1 if database == _MEMORY else pool_size)
        self._default_location = default_location
        try:
            with self._pool.connection() as connection:
                migrate(connection)
        except BaseException:
            self._pool.close()
            raise
        self._checkpointer = (None if database == _MEMORY
                              else Checkpointer(partial(connect, database), checkpoint_seconds))

    def save_quote(self, record: QuoteRecord) -> None:
        row = quote_params(record)
        with self._write() as connection:
            connection.execute(
                "INSERT INTO quotes (id, created_at, created_us, ruleset, reference, request,"
                " document) VALUES (:id, :created_at, :created_at_us, :ruleset, :reference,"
                " :request, :document) ON CONFLICT (id) DO NOTHING", row)

    def get_quote(self, quote_id: str) -> QuoteRecord | None:
        with self._pool.connection() as connection:
            row = connection.execute(
                "SELECT id, created_at, ruleset, reference, request, document"
                " FROM quotes WHERE id = ?",
                (quote_id,)).fetchone()
        return quote_of(row) if row else None

    def find_quotes(self, reference: str, limit: int = 20) -> list[QuoteRecord]:
        with self._pool.connection() as connection:
            rows = connection.execute(
                "SELECT id, created_at, ruleset, reference, request, document"
                " FROM quotes WHERE reference = ?"
                " ORDER BY created_us DESC, rowid DESC LIMIT ?",
                (reference, checked_limit(limit))).fetchall()
        return [quote_of(row) for row in rows]

    def put_inventory(self, stock: SkuStock, updated_at: datetime) -> None:
        row = inventory_params(stock, updated_at)
        with self._write() as connection:
            connection.execute(
                "INSERT INTO inventory (sku, stock, updated_at)"
                " VALUES (:sku, :stock, :updated_at) ON CONFLICT (sku) DO UPDATE"
                " SET stock = excluded.stock, updated_at = excluded.updated_at", row)

    def get_inventory(self, sku: str) -> SkuStock | None:
        return self.inventory_for([sku]).get(sku)

    def inventory_for(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        with self._pool.connection() as connection:
            return self._inventory(connection, _sku_list(skus))

    def seed_inventory(self, stock: Mapping[str, SkuStock], updated_at: datetime) -> int:
        rows = [inventory_params(item, updated_at) for item in stock.values()]
        with self._write() as connection:
            return connection.executemany(
                "INSERT INTO inventory (sku, stock, updated_at)"
                " VALUES (:sku, :stock, :updated_at) ON CONFLICT (sku) DO NOTHING",
                rows).rowcount

    def place_order(self, order: OrderRecord, check: OrderCheck) -> tuple[OrderRecord, bool]:
        row, claims = order_params(order), claim_params(order)
        skus = _sku_list(claim.sku for claim in order.claims)
        # BEGIN IMMEDIATE excludes every other writer, so no order can join the queue
        # between the check and the insert.
        with self._write() as connection:
            stored = self._orders(connection, _ORDER_BY_ID, {"id": order.id})
            if stored:
                return stored[0], False
            check(self._inventory(connection, skus), self._claimed(connection, skus))
            connection.execute(
                "INSERT INTO orders (id, seq, quote_id, option_id, reference, accepted_at,"
                " accepted_us, promise, status, closed_at, at_risk) VALUES (:id,"
                " (SELECT coalesce(max(seq), 0) + 1 FROM orders), :quote_id, :option_id,"
                " :reference, :accepted_at, :accepted_at_us, :promise, :status, :closed_at,"
                " :at_risk)", row)
            connection.executemany(
                "INSERT INTO claims (order_id, position, sku, location, quantity,"
                " promised_earliest, promised_latest, lot, lead_time_from) VALUES (:order_id,"
                " :position, :sku, :location, :quantity, :earliest, :latest, :lot,"
                " :lead_time_from)", claims)
            [placed] = self._orders(connection, _ORDER_BY_ID, {"id": order.id})
        return placed, True

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
            return self._orders(connection, _OPEN_ORDERS_OF, {"skus": _sku_list(skus)})

    def claims_for(self, skus: Iterable[str]) -> list[Claim]:
        with self._pool.connection() as connection:
            return self._claims(connection, _sku_list(skus))

    def claimed_units(self, skus: Iterable[str], *,
                      ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        with self._pool.connection() as connection:
            return self._claimed(connection, _sku_list(skus), ahead_of)

    @staticmethod
    def _claimed(connection: sqlite3.Connection, skus: str,
                 ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        rows = connection.execute(
            "SELECT c.sku, c.location, sum(c.quantity)"
            " FROM claims AS c JOIN orders AS o ON o.id = c.order_id"
            " WHERE o.status = 'open' AND (:ahead IS NULL OR o.seq < :ahead)"
            " AND c.sku IN (SELECT value FROM json_each(:skus))"
            " GROUP BY c.sku, c.location",
            {"skus": skus, "ahead": ahead_of}).fetchall()
        return claimed_by_sku(rows)

    def close_order(self, order_id: str, status: OrderStatus,
                    at: datetime) -> OrderRecord | None:
        row = closing_params(order_id, status, at)
        with self._write() as connection:
            connection.execute(
                "UPDATE orders SET status = :status, closed_at = :closed_at"
                " WHERE id = :id AND status = 'open'", row)
            found = self._orders(connection, _ORDER_BY_ID, row)
        return found[0] if found else None

    def mark_at_risk(self, order_id: str, *, at_risk: bool, event: dict[str, Any] | None,
                     at: datetime) -> bool:
        outbox = None if event is None else event_params(event, at)
        with self._write() as connection:
            changed = connection.execute(
                "UPDATE orders SET at_risk = :at_risk"
                " WHERE id = :id AND status = 'open' AND at_risk <> :at_risk",
                {"id": order_id, "at_risk": at_risk}).rowcount == 1
            if changed and at_risk and outbox is not None:
                connection.execute(
                    "INSERT INTO webhooks (event, created_at, created_us, next_attempt_at,"
                    " next_attempt_us) VALUES (:event, :created_at, :created_at_us,"
                    " :created_at, :created_at_us)", outbox)
        return changed

    def due_webhooks(self, now: datetime, limit: int,
                     lease_seconds: float) -> list[WebhookDelivery]:
        lease = lease_params(now, limit, lease_seconds)
        with self._write() as connection:
            rows = connection.execute(
                "SELECT id, event, created_at, attempts, next_attempt_at, last_error"
                " FROM webhooks WHERE delivered_at IS NULL AND gave_up = 0"
                " AND next_attempt_us <= :now_us"
                " AND (lease_until_us IS NULL OR lease_until_us <= :now_us)"
                " ORDER BY created_us, id LIMIT :limit", lease).fetchall()
            connection.execute(
                "UPDATE webhooks SET lease_until_us = :lease_until_us"
                " WHERE id IN (SELECT value FROM json_each(:ids))",
                {**lease, "ids": json_text([row[0] for row in rows])})
        return [delivery_of(row) for row in rows]

    def webhook_delivered(self, delivery_id: int, at: datetime) -> None:
        row = {"id": delivery_id, **instant_params("delivered_at", at)}
        with self._write() as connection:
            connection.execute(
                "UPDATE webhooks SET delivered_at = :delivered_at, lease_until_us = NULL"
                " WHERE id = :id", row)

    def webhook_failed(self, delivery_id: int, error: str,
                       next_attempt_at: datetime | None) -> None:
        row = failure_params(delivery_id, error, next_attempt_at)
        with self._write() as connection:
            connection.execute(
                "UPDATE webhooks SET attempts = attempts + 1, last_error = :error,"
                " lease_until_us = NULL, gave_up = :gave_up,"
                " next_attempt_at = coalesce(:next_attempt_at, next_attempt_at),"
                " next_attempt_us = coalesce(:next_attempt_at_us, next_attempt_us)"
                " WHERE id = :id AND delivered_at IS NULL", row)

    def ping(self) -> None:
        with self._pool.connection() as connection:
            connection.execute("SELECT 1 FROM quotes LIMIT 1").fetchall()

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self._pool.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a write transaction, committed if the block succeeds."""
        with self._pool.connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _inventory(self, connection: sqlite3.Connection, skus: str) -> dict[str, SkuStock]:
        rows = connection.execute(
            "SELECT sku, stock FROM inventory WHERE sku IN (SELECT value FROM json_each(?))",
            (skus,)).fetchall()
        return {sku: stock_of(sku, stock, self._default_location) for sku, stock in rows}

    @staticmethod
    def _claims(connection: sqlite3.Connection, skus: str) -> list[Claim]:
        rows = connection.execute(
            "SELECT c.order_id, c.sku, c.location, c.quantity, c.promised_earliest,"
            " c.promised_latest, c.lot, c.lead_time_from"
            " FROM claims AS c JOIN orders AS o ON o.id = c.order_id"
            " WHERE o.status = 'open' AND c.sku IN (SELECT value FROM json_each(?))"
            " ORDER BY o.seq, c.position", (skus,)).fetchall()
        return [claim_of(row) for row in rows]

    @staticmethod
    def _orders(connection: sqlite3.Connection, query: str,
                params: Mapping[str, Any]) -> list[OrderRecord]:
        return orders_of(connection.execute(query, params).fetchall())


def _sku_list(skus: Iterable[str]) -> str:
    """SKUs as one JSON array parameter: the SQL stays the same whatever their number."""
    return json_text(sorted(set(skus)))
