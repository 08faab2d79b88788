"""The `Store` on SQLite or PostgreSQL: one implementation, SQLAlchemy Core statements.

A read is one statement on a pooled connection in autocommit mode. A write is one
transaction that the store begins itself (`Dialect.begin`: `BEGIN IMMEDIATE` on SQLite,
which takes the write lock before anything is read) and commits before it returns, so an
answer is never given for a write that is not committed. Rows are encoded before the
transaction begins (`rates.store.rows`), so bad input never holds a lock. What differs
between the databases is in `rates.store.dialects`; the statements are built once per
dialect (`rates.store.statements`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Executable
from sqlalchemy.exc import ResourceClosedError

from rates.domain.backorders import Claim
from rates.domain.stock import SkuStock
from rates.store.base import OrderCheck, OrderRecord, OrderStatus, QuoteRecord, WebhookDelivery
from rates.store.codec import stock_of
from rates.store.dialects import Dialect
from rates.store.rows import (
    checked_limit,
    claim_of,
    claim_params,
    claimed_by_sku,
    closing_params,
    delivery_of,
    event_params,
    failure_params,
    instant,
    inventory_params,
    lease_params,
    order_filters,
    order_params,
    orders_of,
    quote_of,
    quote_params,
)
from rates.store.schema import migrate
from rates.store.statements import statements


class SqlStore:
    """The `Store` in `dialect`'s database, migrated to the latest schema when opened.

    `default_location` is what a stored stock document without a location is read as.
    """

    def __init__(self, dialect: Dialect, *, default_location: str) -> None:
        self._dialect = dialect
        self._engine = dialect.engine
        self._sql = statements(dialect.name, dialect.insert,
                               numbers_orders=dialect.numbers_orders)
        self._default_location = default_location
        self._closed = False
        try:
            migrate(dialect)
        except BaseException:
            self._engine.dispose()
            raise
        self._background = dialect.background() if dialect.background else None

    def save_quote(self, record: QuoteRecord) -> None:
        row = quote_params(record)
        with self._write() as connection:
            connection.execute(self._sql.save_quote, row)

    def get_quote(self, quote_id: str) -> QuoteRecord | None:
        with self._read() as connection:
            row = connection.execute(self._sql.get_quote, {"id": quote_id}).one_or_none()
        return quote_of(row) if row else None

    def find_quotes(self, reference: str, limit: int = 20) -> list[QuoteRecord]:
        params = {"reference": reference, "limit": checked_limit(limit)}
        with self._read() as connection:
            rows = connection.execute(self._sql.find_quotes, params).all()
        return [quote_of(row) for row in rows]

    def put_inventory(self, stock: SkuStock, updated_at: datetime) -> None:
        row = inventory_params(stock, updated_at)
        with self._write() as connection:
            connection.execute(self._sql.put_inventory, row)

    def get_inventory(self, sku: str) -> SkuStock | None:
        return self.inventory_for([sku]).get(sku)

    def inventory_for(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        with self._read() as connection:
            return self._inventory(connection, _sku_list(skus))

    def seed_inventory(self, stock: Mapping[str, SkuStock], updated_at: datetime) -> int:
        rows = [inventory_params(item, updated_at) for item in stock.values()]
        if not rows:
            return 0
        with self._write() as connection:
            return len(connection.execute(self._sql.seed_inventory, rows).all())

    def place_order(self, order: OrderRecord, check: OrderCheck) -> tuple[OrderRecord, bool]:
        row, claims = order_params(order), claim_params(order)
        skus = _sku_list(claim.sku for claim in order.claims)
        with self._write() as connection:
            # SQLite's write lock already excludes every other writer; on PostgreSQL the
            # orders on these SKUs take turns, so none joins the queue between the check
            # and the insert.
            self._dialect.lock(connection, [f"rates-sku:{sku}" for sku in skus])
            stored = self._orders(connection, self._sql.order, {"id": order.id})
            if stored:
                return stored[0], False
            check(self._inventory(connection, skus), self._claimed(connection, skus))
            # The id can still be taken by an order on other SKUs, hence no lock in common
            # (PostgreSQL): the insert then waits for that transaction, and its order is
            # returned.
            inserted = connection.execute(self._sql.add_order, row).rowcount == 1
            if inserted and claims:
                connection.execute(self._sql.add_claims, claims)
            [placed] = self._orders(connection, self._sql.order, {"id": order.id})
        return placed, inserted

    def get_order(self, order_id: str) -> OrderRecord | None:
        with self._read() as connection:
            found = self._orders(connection, self._sql.order, {"id": order_id})
        return found[0] if found else None

    def find_orders(self, *, reference: str | None = None, quote_id: str | None = None,
                    limit: int = 20) -> list[OrderRecord]:
        filters = order_filters(reference, quote_id, limit)
        with self._read() as connection:
            return self._orders(connection, self._sql.find_orders, filters)

    def open_orders(self, skus: Iterable[str] | None = None) -> list[OrderRecord]:
        with self._read() as connection:
            if skus is None:
                return self._orders(connection, self._sql.open_orders, {})
            return self._orders(connection, self._sql.open_orders_of,
                                {"skus": _sku_list(skus)})

    def claims_for(self, skus: Iterable[str]) -> list[Claim]:
        with self._read() as connection:
            rows = connection.execute(self._sql.open_claims, {"skus": _sku_list(skus)})
            return [claim_of(row) for row in rows]

    def claimed_units(self, skus: Iterable[str], *,
                      ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        with self._read() as connection:
            return self._claimed(connection, _sku_list(skus), ahead_of)

    def close_order(self, order_id: str, status: OrderStatus,
                    at: datetime) -> OrderRecord | None:
        row = closing_params(order_id, status, at)
        with self._write() as connection:
            connection.execute(self._sql.close_order, row)
            found = self._orders(connection, self._sql.order, row)
        return found[0] if found else None

    def mark_at_risk(self, order_id: str, *, at_risk: bool, event: dict[str, Any] | None,
                     at: datetime) -> bool:
        outbox = None if event is None else event_params(event, at)
        with self._write() as connection:
            changed = connection.execute(self._sql.mark_at_risk,
                                         {"target": order_id, "risk": at_risk}).rowcount == 1
            if changed and at_risk and outbox is not None:
                connection.execute(self._sql.add_event, outbox)
        return changed

    def due_webhooks(self, now: datetime, limit: int,
                     lease_seconds: float) -> list[WebhookDelivery]:
        lease = lease_params(now, limit, lease_seconds)
        # The rows are picked and leased in one transaction: on SQLite under the write
        # lock, on PostgreSQL locked FOR UPDATE, skipping rows another sender is leasing.
        with self._write() as connection:
            rows = connection.execute(self._sql.due_webhooks, lease).all()
            if rows:
                connection.execute(self._sql.lease,
                                   {**lease, "ids": [row[0] for row in rows]})
        return [delivery_of(row) for row in rows]

    def webhook_delivered(self, delivery_id: int, at: datetime) -> None:
        row = {"target": delivery_id, "at": instant(at)}
        with self._write() as connection:
            connection.execute(self._sql.delivered, row)

    def webhook_failed(self, delivery_id: int, error: str,
                       next_attempt_at: datetime | None) -> None:
        row = failure_params(delivery_id, error, next_attempt_at)
        with self._write() as connection:
            connection.execute(self._sql.failed, row)

    def ping(self) -> None:
        with self._read() as connection:
            connection.execute(self._sql.ping).all()

    def close(self) -> None:
        self._closed = True
        if self._background is not None:
            self._background.stop()
        self._engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._closed:
            raise ResourceClosedError("the store is closed")
        with self._engine.connect() as connection:
            yield connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection inside a write transaction, committed if the block succeeds."""
        with self._read() as connection:
            connection.exec_driver_sql(self._dialect.begin)
            try:
                yield connection
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")

    def _inventory(self, connection: Connection, skus: list[str]) -> dict[str, SkuStock]:
        rows = connection.execute(self._sql.inventory, {"skus": skus})
        return {sku: stock_of(sku, stock, self._default_location) for sku, stock in rows}

    def _claimed(self, connection: Connection, skus: list[str],
                 ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        if ahead_of is None:
            rows = connection.execute(self._sql.claimed, {"skus": skus})
        else:
            rows = connection.execute(self._sql.claimed_ahead, {"skus": skus, "ahead": ahead_of})
        return claimed_by_sku(rows)

    @staticmethod
    def _orders(connection: Connection, query: Executable,
                params: Mapping[str, Any]) -> list[OrderRecord]:
        return orders_of(connection.execute(query, params).all())


def _sku_list(skus: Iterable[str]) -> list[str]:
    return sorted(set(skus))
