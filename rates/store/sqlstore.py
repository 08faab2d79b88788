"""The `Store` on SQLite or PostgreSQL: one implementation, SQLAlchemy Core statements.

Each read is one statement, each write one transaction (`rates.store.connected`). Rows
are encoded before the transaction begins (`rates.store.rows`), so bad input never holds a
lock. What differs between the databases is in `rates.store.dialects`; the statements are
written once (`rates.store.statements`) and run compiled on the driver's connections
(`rates.store.prepared` says why). Pruning removes old rows in short batches, and on
SQLite gives a bounded number of freed pages back after each (`Dialect.reclaim`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from rates.domain.backorders import Claim
from rates.domain.products import Product
from rates.domain.stock import SkuStock
from rates.store.base import (
    AttemptCheck,
    CartStock,
    ConsoleSession,
    OrderCheck,
    OrderRecord,
    OrderStatus,
    PrunedQuotes,
    PruneMark,
    QuoteRecord,
    SignInAttempt,
    StoredSetup,
    WebhookDelivery,
    WebhookReceipt,
)
from rates.store.codec import stock_of
from rates.store.connected import distinct
from rates.store.history_records import HistoryRecords
from rates.store.prepared import Prepared
from rates.store.rows import (
    attempt_of,
    attempt_params,
    cart_filters,
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
    lot_params,
    mark_of,
    order_filters,
    order_params,
    orders_of,
    product_of,
    product_params,
    pruning_params,
    quote_of,
    quote_params,
    receipt_of,
    receipt_params,
    session_of,
    session_params,
    setup_of,
    setup_params,
)


class SqlStore(HistoryRecords):
    """The `Store` in `dialect`'s database, migrated to the latest schema when opened
    (`rates.store.connected`); what happened after promises is kept by its
    `HistoryRecords` part.

    `default_location` is what a stored stock document without a location is read as.
    """

    def save_quote(self, record: QuoteRecord) -> None:
        row = quote_params(record)
        with self._write() as connection:
            self._sql.save_quote.run(connection, row)

    def get_quote(self, quote_id: str) -> QuoteRecord | None:
        with self._read() as connection:
            rows = self._sql.get_quote.rows(connection, {"id": quote_id})
        return quote_of(rows[0]) if rows else None

    def save_setup(self, setup: StoredSetup, stored_at: datetime) -> None:
        row = setup_params(setup, stored_at)
        with self._write() as connection:
            self._sql.save_setup.run(connection, row)

    def get_setup(self, setup_id: str) -> StoredSetup | None:
        with self._read() as connection:
            rows = self._sql.get_setup.rows(connection, {"id": setup_id})
        return setup_of(setup_id, rows[0]) if rows else None

    def find_quotes(self, reference: str, limit: int = 20) -> list[QuoteRecord]:
        params = {"reference": reference, "limit": checked_limit(limit)}
        with self._read() as connection:
            rows = self._sql.find_quotes.rows(connection, params)
        return [quote_of(row) for row in rows]

    def quotes_for_cart(self, cart_key: str, since: datetime, until: datetime,
                        limit: int = 20) -> list[QuoteRecord]:
        params = cart_filters(cart_key, since, until, limit)
        with self._read() as connection:
            rows = self._sql.quotes_for_cart.rows(connection, params)
        return [quote_of(row) for row in rows]

    def prune_quotes(self, before: datetime, limit: int,
                     after: PruneMark | None = None) -> PrunedQuotes:
        params = pruning_params(before, limit, after)
        with self._write() as connection:
            rows = self._sql.old_quotes.rows(connection, params)
            unreferred = [row[0] for row in rows if not row[3]]
            removed = (self._sql.remove_quotes.run(connection, {"ids": unreferred})
                       if unreferred else 0)
        if removed:
            self._reclaim()
        return PrunedQuotes(removed, len(rows), mark_of(rows[-1]) if rows else None)

    def prune_receipts(self, before: datetime, limit: int) -> int:
        params = {"before": instant(before), "limit": checked_limit(limit)}
        with self._write() as connection:
            removed = self._sql.remove_receipts.run(connection, params)
        if removed:
            self._reclaim()
        return removed

    def put_inventory(self, stock: SkuStock, updated_at: datetime) -> None:
        row, lots = inventory_params(stock, updated_at), lot_params(stock, updated_at)
        with self._write() as connection:
            self._sql.put_inventory.run(connection, row)
            if lots:
                self._sql.add_lot.run_many(connection, lots)

    def get_inventory(self, sku: str) -> SkuStock | None:
        return self.inventory_for([sku]).get(sku)

    def inventory_for(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        with self._read() as connection:
            return self._inventory(connection, distinct(skus))

    def seed_inventory(self, stock: Mapping[str, SkuStock], updated_at: datetime) -> int:
        rows = [(inventory_params(item, updated_at), lot_params(item, updated_at))
                for item in stock.values()]
        added = 0
        with self._write() as connection:
            for row, lots in rows:
                if self._sql.seed_inventory.run(connection, row) == 1:
                    added += 1
                    if lots:
                        self._sql.add_lot.run_many(connection, lots)
        return added

    def put_product(self, product: Product, updated_at: datetime) -> None:
        row = product_params(product, updated_at)
        with self._write() as connection:
            self._sql.put_product.run(connection, row)

    def merge_products(self, products: Iterable[Product], updated_at: datetime,
                       receipt: WebhookReceipt | None = None) -> None:
        rows = [product_params(product, updated_at) for product in products]
        received = None if receipt is None else receipt_params(receipt)
        with self._write() as connection:
            for row in rows:
                self._sql.merge_product.run(connection, row)
            self._receipt(connection, received)

    def products_for(self, *, skus: Iterable[str] = (), variant_ids: Iterable[str] = (),
                     product_ids: Iterable[str] = ()) -> list[Product]:
        asked = ((self._sql.products_by_sku, {"skus": distinct(skus)}),
                 (self._sql.products_by_variant, {"ids": distinct(variant_ids)}),
                 (self._sql.products_by_product, {"ids": distinct(product_ids)}))
        found: dict[str, Product] = {}
        with self._read() as connection:
            for query, params in asked:
                if next(iter(params.values())):
                    for row in query.rows(connection, params):
                        found.setdefault(row[0], product_of(row))
        return [found[sku] for sku in sorted(found)]

    def seed_products(self, products: Mapping[str, Product], updated_at: datetime) -> int:
        rows = [product_params(product, updated_at) for product in products.values()]
        with self._write() as connection:
            return sum(self._sql.seed_product.run(connection, row) for row in rows)

    def place_order(self, order: OrderRecord, check: OrderCheck,
                    receipt: WebhookReceipt | None = None) -> tuple[OrderRecord, bool]:
        row, claims = order_params(order), claim_params(order)
        received = None if receipt is None else receipt_params(receipt)
        skus = distinct(claim.sku for claim in order.claims)
        with self._write() as connection:
            # SQLite's write lock already excludes every other writer; on PostgreSQL the
            # orders on these SKUs take turns, so none joins the queue between the check
            # and the insert.
            self._dialect.lock(connection, [f"rates-sku:{sku}" for sku in skus])
            stored = self._orders(connection, self._sql.order, {"id": order.id})
            if stored:
                self._receipt(connection, received)
                return stored[0], False
            check(self._inventory(connection, skus), self._claimed(connection, skus))
            # The id can still be taken by an order on other SKUs, hence no lock in common
            # (PostgreSQL): the insert then waits for that transaction, and its order is
            # returned.
            inserted = self._sql.add_order.run(connection, row) == 1
            if inserted and claims:
                self._sql.add_claims.run_many(connection, claims)
            self._receipt(connection, received)
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
                                {"skus": distinct(skus)})

    def claims_for(self, skus: Iterable[str]) -> list[Claim]:
        with self._read() as connection:
            rows = self._sql.open_claims.rows(connection, {"skus": distinct(skus)})
        return [claim_of(row) for row in rows]

    def cart_stock(self, skus: Iterable[str]) -> CartStock:
        with self._read() as connection:
            rows = self._sql.cart_stock.rows(connection, {"skus": distinct(skus)})
        stock: dict[str, SkuStock] = {}
        claimed: dict[str, dict[str, int]] = {}
        for sku, stored, location, units in rows:
            if stored is not None:
                stock[sku] = stock_of(sku, stored, self._default_location)
            else:
                claimed.setdefault(sku, {})[location] = int(units)
        return CartStock(stock, claimed)

    def claimed_units(self, skus: Iterable[str], *,
                      ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        with self._read() as connection:
            return self._claimed(connection, distinct(skus), ahead_of)

    def close_order(self, order_id: str, status: OrderStatus, at: datetime,
                    receipt: WebhookReceipt | None = None) -> OrderRecord | None:
        row = closing_params(order_id, status, at)
        received = None if receipt is None else receipt_params(receipt)
        with self._write() as connection:
            self._sql.close_order.run(connection, row)
            self._receipt(connection, received)
            found = self._orders(connection, self._sql.order, row)
        return found[0] if found else None

    def get_orders(self, order_ids: Iterable[str]) -> list[OrderRecord]:
        with self._read() as connection:
            return self._orders(connection, self._sql.orders, {"ids": distinct(order_ids)})

    def webhook_receipt(self, shop: str, webhook_id: str) -> WebhookReceipt | None:
        with self._read() as connection:
            rows = self._sql.receipt.rows(connection, {"shop": shop, "webhook_id": webhook_id})
        return receipt_of(rows[0]) if rows else None

    def record_webhook(self, receipt: WebhookReceipt) -> bool:
        row = receipt_params(receipt)
        with self._write() as connection:
            return self._sql.add_receipt.run(connection, row) == 1

    def mark_at_risk(self, order_id: str, *, at_risk: bool, event: dict[str, Any] | None,
                     at: datetime) -> bool:
        outbox = None if event is None else event_params(event, at)
        with self._write() as connection:
            changed = self._sql.mark_at_risk.run(
                connection, {"target": order_id, "risk": at_risk}) == 1
            if changed and at_risk and outbox is not None:
                self._sql.add_event.run(connection, outbox)
        return changed

    def due_webhooks(self, now: datetime, limit: int,
                     lease_seconds: float) -> list[WebhookDelivery]:
        lease = lease_params(now, limit, lease_seconds)
        # The rows are picked and leased in one transaction: on SQLite under the write
        # lock, on PostgreSQL locked FOR UPDATE, skipping rows another sender is leasing.
        with self._write() as connection:
            rows = self._sql.due_webhooks.rows(connection, lease)
            if rows:
                self._sql.lease.run(connection, {**lease, "ids": [row[0] for row in rows]})
        return [delivery_of(row) for row in rows]

    def webhook_delivered(self, delivery_id: int, at: datetime) -> None:
        row = {"target": delivery_id, "at": instant(at)}
        with self._write() as connection:
            self._sql.delivered.run(connection, row)

    def webhook_failed(self, delivery_id: int, error: str,
                       next_attempt_at: datetime | None) -> None:
        row = failure_params(delivery_id, error, next_attempt_at)
        with self._write() as connection:
            self._sql.failed.run(connection, row)

    def start_console_session(self, session: ConsoleSession, *, prune: int = 100) -> None:
        row = session_params(session, prune)
        with self._write() as connection:
            self._sql.prune_sessions.run(connection, row)
            self._sql.start_session.run(connection, row)

    def console_session(self, id_sha256: str, now: datetime) -> ConsoleSession | None:
        params = {"id_sha256": id_sha256, "now": instant(now)}
        with self._read() as connection:
            rows = self._sql.console_session.rows(connection, params)
        return session_of(rows[0]) if rows else None

    def end_console_session(self, id_sha256: str) -> bool:
        with self._write() as connection:
            return self._sql.end_session.run(connection, {"id_sha256": id_sha256}) == 1

    def record_sign_in_attempt(self, attempt: SignInAttempt, since: datetime,
                               check: AttemptCheck, *, prune: int = 100) -> None:
        row = attempt_params(attempt, since, prune)
        with self._write() as connection:
            # SQLite's write lock already excludes every other attempt; on PostgreSQL the
            # attempts from one address, or with one prefix, take turns, so no two are
            # both let through on the same count.
            self._dialect.lock(connection, [f"rates-sign-in:{attempt.address}",
                                            f"rates-sign-in:{attempt.key_prefix}"])
            check([attempt_of(found) for found in
                   self._sql.recent_attempts.rows(connection, row)])
            self._sql.add_attempt.run(connection, row)
            self._sql.prune_attempts.run(connection, row)

    def forget_sign_in_attempt(self, attempt_id: str) -> None:
        with self._write() as connection:
            self._sql.forget_attempt.run(connection, {"id": attempt_id})

    def ping(self) -> None:
        with self._read() as connection:
            self._sql.ping.rows(connection, {})

    def _inventory(self, connection: Any, skus: list[str]) -> dict[str, SkuStock]:
        rows = self._sql.inventory.rows(connection, {"skus": skus})
        return {sku: stock_of(sku, stock, self._default_location) for sku, stock in rows}

    def _claimed(self, connection: Any, skus: list[str],
                 ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        if ahead_of is None:
            return claimed_by_sku(self._sql.claimed.rows(connection, {"skus": skus}))
        return claimed_by_sku(self._sql.claimed_ahead.rows(connection,
                                                           {"skus": skus, "ahead": ahead_of}))

    @staticmethod
    def _orders(connection: Any, query: Prepared,
                params: Mapping[str, Any]) -> list[OrderRecord]:
        return orders_of(query.rows(connection, params))
