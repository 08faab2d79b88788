"""The `Store` on SQLite or PostgreSQL: one implementation, SQLAlchemy Core statements.

A read is one statement on a pooled connection in autocommit mode. A write is one
transaction that the store begins itself (`Dialect.begin`: `BEGIN IMMEDIATE` on SQLite,
which takes the write lock before anything is read) and commits before it returns, so an
answer is never given for a write that is not committed. Rows are encoded before the
transaction begins (`rates.store.rows`), so bad input never holds a lock. What differs
between the databases is in `rates.store.dialects`; the statements are written once
(`rates.store.statements`) and run compiled on the driver's connections
(`rates.store.prepared` says why). Pruning removes old rows in short batches, and on
SQLite gives a bounded number of freed pages back after each (`Dialect.reclaim`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import ResourceClosedError

from rates.domain.backorders import Claim
from rates.domain.history import LotReceipt, ShipmentEvent
from rates.domain.products import Product
from rates.domain.stock import SkuStock
from rates.store.base import (
    AttemptCheck,
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
from rates.store.codec import aware, json_text, json_value, stock_of
from rates.store.dialects import Dialect
from rates.store.pool import Lending
from rates.store.prepared import Prepared, driver_sql
from rates.store.rows import (
    EVER,
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
    lot_receipt_of,
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
    receiving_params,
    session_of,
    session_params,
    setup_of,
    setup_params,
    shipment_event_of,
    shipment_event_params,
)
from rates.store.schema import migrate
from rates.store.statements import prepared_statements


class SqlStore:
    """The `Store` in `dialect`'s database, migrated to the latest schema when opened.

    `default_location` is what a stored stock document without a location is read as.
    """

    def __init__(self, dialect: Dialect, *, default_location: str) -> None:
        self._dialect = dialect
        self._engine = dialect.engine
        self._default_location = default_location
        self._closed = False
        try:
            migrate(dialect)
            if dialect.settle is not None:
                dialect.settle()
        except BaseException:
            self._engine.dispose()
            raise
        self._sql = prepared_statements(self._engine.dialect, dialect.insert,
                                        numbers_orders=dialect.numbers_orders)
        self._background = dialect.background() if dialect.background else None

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
            return self._inventory(connection, _sku_list(skus))

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
        asked = ((self._sql.products_by_sku, {"skus": _sku_list(skus)}),
                 (self._sql.products_by_variant, {"ids": _sku_list(variant_ids)}),
                 (self._sql.products_by_product, {"ids": _sku_list(product_ids)}))
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
        skus = _sku_list(claim.sku for claim in order.claims)
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
                                {"skus": _sku_list(skus)})

    def claims_for(self, skus: Iterable[str]) -> list[Claim]:
        with self._read() as connection:
            rows = self._sql.open_claims.rows(connection, {"skus": _sku_list(skus)})
        return [claim_of(row) for row in rows]

    def claimed_units(self, skus: Iterable[str], *,
                      ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        with self._read() as connection:
            return self._claimed(connection, _sku_list(skus), ahead_of)

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
            return self._orders(connection, self._sql.orders, {"ids": _sku_list(order_ids)})

    def receive_lot(self, receipt: LotReceipt, recorded_at: datetime,
                    ) -> tuple[LotReceipt, bool]:
        row = receiving_params(receipt, recorded_at)
        with self._write() as connection:
            # A lot the ledger lacks (stored before it existed) joins it as received; the
            # update then marks it received unless a receipt already did.
            self._sql.add_lot.run(connection, row)
            received = self._sql.receive_lot.run(connection, row) == 1
            [stored] = self._sql.lot.rows(connection, row)
        return lot_receipt_of(stored), received

    def receipts_of(self, sku: str, lot: str) -> list[LotReceipt]:
        with self._read() as connection:
            rows = self._sql.lot_received.rows(connection, {"target_sku": sku,
                                                            "target_lot": lot})
        return [lot_receipt_of(row) for row in rows]

    def lot_receipts(self, since: date | None = None) -> list[LotReceipt]:
        with self._read() as connection:
            rows = self._sql.lot_receipts.rows(connection, {"since": since or date.min})
        return [lot_receipt_of(row) for row in rows]

    def record_shipment_event(self, event: ShipmentEvent, recorded_at: datetime,
                              receipt: WebhookReceipt | None = None,
                              ) -> tuple[ShipmentEvent, bool]:
        row = shipment_event_params(event, recorded_at)
        received = None if receipt is None else receipt_params(receipt)
        with self._write() as connection:
            added = self._sql.add_shipment_event.run(connection, row) == 1
            [stored] = self._sql.shipment_event.rows(connection, row)
            self._receipt(connection, received)
        return shipment_event_of(stored), added

    def shipment_events(self, *, order_ids: Iterable[str] | None = None,
                        since: datetime | None = None) -> list[ShipmentEvent]:
        params = {"since": instant(since) or EVER}
        with self._read() as connection:
            if order_ids is None:
                rows = self._sql.shipment_events.rows(connection, params)
            else:
                rows = self._sql.shipment_events_of.rows(
                    connection, {**params, "ids": _sku_list(order_ids)})
        return [shipment_event_of(row) for row in rows]

    def save_calibration(self, calibration_id: str, observations: dict[str, Any],
                         stored_at: datetime) -> None:
        # In UTC, so that SQLite's text orders them by instant as PostgreSQL's timestamptz.
        row = {"id": calibration_id, "observations": json_text(observations),
               "stored_at": aware(stored_at).astimezone(UTC)}
        with self._write() as connection:
            self._sql.save_calibration.run(connection, row)

    def latest_calibration(self) -> str | None:
        with self._read() as connection:
            rows = self._sql.latest_calibration.rows(connection, {})
        return rows[0][0] if rows else None

    def get_calibration(self, calibration_id: str) -> dict[str, Any] | None:
        with self._read() as connection:
            rows = self._sql.calibration.rows(connection, {"id": calibration_id})
        return json_value(rows[0][0]) if rows else None

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

    def close(self) -> None:
        self._closed = True
        if self._background is not None:
            self._background.stop()
        self._dialect.lender.close()
        self._engine.dispose()

    def _read(self) -> _Borrowed:
        """A driver connection, in autocommit mode, for one `with` block."""
        if self._closed:
            raise ResourceClosedError("the store is closed")
        return _Borrowed(self._dialect.lender, None)

    def _write(self) -> _Borrowed:
        """The same, inside a write transaction, committed if the block succeeds."""
        if self._closed:
            raise ResourceClosedError("the store is closed")
        return _Borrowed(self._dialect.lender, self._dialect.begin)

    def _reclaim(self) -> None:
        with self._read() as connection:
            self._dialect.reclaim(connection)

    def _receipt(self, connection: Any, received: Mapping[str, Any] | None) -> None:
        """Record a webhook delivery in the transaction on `connection` (once: a
        delivery recorded already stays as it was)."""
        if received is not None:
            self._sql.add_receipt.run(connection, received)

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


class _Borrowed:
    """A connection borrowed for one `with` block, in a transaction begun by `begin` (None:
    none), committed if the block succeeds and rolled back if not. A class rather than a
    generator: it is entered three times a quote, and costs half as much."""

    __slots__ = ("_begin", "_connection", "_lease", "_lender")

    def __init__(self, lender: Lending, begin: str | None) -> None:
        self._lender, self._begin = lender, begin

    def __enter__(self) -> Any:
        self._lease = lease = self._lender.connection()
        self._connection = connection = lease.__enter__()
        if self._begin is not None:
            try:
                driver_sql(connection, self._begin)
            except BaseException:
                lease.__exit__(None, None, None)
                raise
        return connection

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if self._begin is not None:
                driver_sql(self._connection, "COMMIT" if kind is None else "ROLLBACK")
        finally:
            self._lease.__exit__(None, None, None)


def _sku_list(skus: Iterable[str]) -> list[str]:
    return sorted(set(skus))
