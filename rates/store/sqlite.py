"""The `Store` on SQLite: one file for a single node (or a private in-memory database).

Every write is a `BEGIN IMMEDIATE` transaction: it takes the write lock before reading, so
a concurrent writer waits out `busy_timeout` instead of failing on a lock upgrade. Rows are
encoded before the transaction begins, so bad input never holds the lock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from rates.domain.stock import SkuStock
from rates.store.base import QuoteRecord
from rates.store.encoding import instant_key, instant_text, json_text
from rates.store.migrations import migrate
from rates.store.pool import Pool, connect
from rates.wire.request import parse_stock
from rates.wire.response import stock_document

_MEMORY = ":memory:"


class SqliteStore:
    """Quotes and inventory in the SQLite database at `database` (a path or ":memory:").

    `default_location` is what a stored stock document without a location would be read
    as; `pool_size` bounds the connections open at once.
    """

    def __init__(self, database: str, *, default_location: str, pool_size: int = 8) -> None:
        # Each connection to ":memory:" is a new, empty database: all threads share one.
        self._pool = Pool(partial(connect, database), 1 if database == _MEMORY else pool_size)
        self._default_location = default_location
        try:
            with self._pool.connection() as connection:
                migrate(connection)
        except BaseException:
            self._pool.close()
            raise

    def save_quote(self, record: QuoteRecord) -> None:
        row = (record.id, instant_text(record.created_at), instant_key(record.created_at),
               record.ruleset, record.reference, json_text(record.request),
               json_text(record.document))
        with self._write() as connection:
            connection.execute(
                "INSERT INTO quotes (id, created_at, created_us, ruleset, reference, request,"
                " document) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", row)

    def get_quote(self, quote_id: str) -> QuoteRecord | None:
        with self._pool.connection() as connection:
            row = connection.execute(
                "SELECT id, created_at, ruleset, reference, request, document"
                " FROM quotes WHERE id = ?",
                (quote_id,)).fetchone()
        return _quote(row) if row else None

    def find_quotes(self, reference: str, limit: int = 20) -> list[QuoteRecord]:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        with self._pool.connection() as connection:
            rows = connection.execute(
                "SELECT id, created_at, ruleset, reference, request, document"
                " FROM quotes WHERE reference = ?"
                " ORDER BY created_us DESC, rowid DESC LIMIT ?",
                (reference, limit)).fetchall()
        return [_quote(row) for row in rows]

    def put_inventory(self, stock: SkuStock, updated_at: datetime) -> None:
        row = _inventory_row(stock, updated_at)
        with self._write() as connection:
            connection.execute(
                "INSERT INTO inventory (sku, stock, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (sku) DO UPDATE"
                " SET stock = excluded.stock, updated_at = excluded.updated_at", row)

    def get_inventory(self, sku: str) -> SkuStock | None:
        return self.inventory_for([sku]).get(sku)

    def inventory_for(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        # One JSON array parameter keeps the SQL constant whatever the number of SKUs.
        wanted = json_text(sorted(set(skus)))
        with self._pool.connection() as connection:
            rows = connection.execute(
                "SELECT sku, stock FROM inventory"
                " WHERE sku IN (SELECT value FROM json_each(?))",
                (wanted,)).fetchall()
        return {sku: parse_stock(sku, json.loads(stock), default_location=self._default_location)
                for sku, stock in rows}

    def seed_inventory(self, stock: Mapping[str, SkuStock], updated_at: datetime) -> int:
        rows = [_inventory_row(item, updated_at) for item in stock.values()]
        with self._write() as connection:
            return connection.executemany(
                "INSERT INTO inventory (sku, stock, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (sku) DO NOTHING", rows).rowcount

    def ping(self) -> None:
        with self._pool.connection() as connection:
            connection.execute("SELECT 1 FROM quotes LIMIT 1").fetchall()

    def close(self) -> None:
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


def _quote(row: tuple[str, str, str, str | None, str, str]) -> QuoteRecord:
    quote_id, created_at, ruleset, reference, request, document = row
    return QuoteRecord(quote_id, datetime.fromisoformat(created_at), ruleset, reference,
                       json.loads(request), json.loads(document))


def _inventory_row(stock: SkuStock, updated_at: datetime) -> tuple[str, str, str]:
    return stock.sku, json_text(stock_document(stock)), instant_text(updated_at)
