"""What the service keeps between requests, as one backend-neutral interface.

The web and CLI code against `Store` only; `open_store` picks the backend from the URL in
the settings, so moving from SQLite to PostgreSQL changes configuration, not callers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from rates.domain.backorders import Claim
from rates.domain.history import LotReceipt, ShipmentEvent
from rates.domain.live_rates import LiveAnswer
from rates.domain.products import Product
from rates.domain.stock import SkuStock
from rates.settings import Role


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """A served quote, kept so support can look it up by id or by cart reference.

    `request` and `document` are the JSON exactly as received and as served, so the record
    shows what the shopper saw even after the rules or the code change. `served`, when
    given, is the document's JSON text as it was sent: the store keeps those very bytes
    rather than encoding the document a second time. `cart_key`, for a quote asked
    by a checkout platform's rate request, is its cart's key (`rates.app.cart_keys`),
    by which the order placed at that checkout finds it. `setup` (a `StoredSetup` id) and
    `inputs` (the stock and live answers it read, as JSON) let support replay the quote
    with its trace (`rates.app.replays`); None for a setup made in code.
    """

    id: str
    created_at: datetime
    ruleset: str
    reference: str | None
    request: dict[str, Any]
    document: dict[str, Any]
    served: bytes | None = field(default=None, compare=False, repr=False)
    cart_key: str | None = None
    setup: str | None = None
    inputs: QuoteInputs | None = None


@dataclass(frozen=True, slots=True)
class CartStock:
    """What a quote of a cart reads from the store, at one instant: the stored stock of
    each of its SKUs that has some, and the units open orders claim of each, by location
    (as `Store.claimed_units` gives them)."""

    stock: dict[str, SkuStock]
    claimed: dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class QuoteInputs:
    """What a quote read besides its request and its setup: the stock of the cart's SKUs
    as quoted (open orders' claims committed), the live carriers' answers in the order
    they were asked (None: no live carrier was asked), and the id of the lateness history
    its windows were weighed by (`Store.get_calibration`; None: none was)."""

    stock: Mapping[str, SkuStock]
    live: tuple[LiveAnswer | None, ...] | None = None
    calibration: str | None = None


@dataclass(frozen=True, slots=True)
class StoredSetup:
    """The files of a setup version that served quotes (`rates.loading.sources`): their
    text by path relative to the config's folder, kept once under their content address."""

    id: str
    config: str
    rules: str | None
    files: dict[str, str]


class OrderStatus(StrEnum):
    OPEN = "open"            # waiting: its claims hold their place in the backorder queue
    SHIPPED = "shipped"      # closed: everything left; its claims are released
    CANCELLED = "cancelled"  # closed: the customer or the merchant cancelled it


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """An accepted option: the promise made to the customer (`promise`, the JSON document
    of `rates.app.orders`) and the backordered units waiting for it (`claims`, in queue
    order within the order).

    `seq` is the order's place in the backorder queue, assigned by the store when the order
    is saved (0 before). `at_risk` is what the last at-risk sweep found.
    """

    id: str
    quote_id: str
    option_id: str
    reference: str | None
    accepted_at: datetime
    promise: dict[str, Any]
    claims: tuple[Claim, ...]
    status: OrderStatus = OrderStatus.OPEN
    closed_at: datetime | None = None
    at_risk: bool = False
    seq: int = 0


@dataclass(frozen=True, slots=True)
class WebhookReceipt:
    """A Shopify webhook delivery whose event was applied: `webhook_id` is its
    X-Shopify-Webhook-Id, `outcome` what applying it did, `order_id` the order it
    concerned (None: none). Kept so that a replayed delivery changes nothing."""

    shop: str
    webhook_id: str
    topic: str
    received_at: datetime
    outcome: str
    order_id: str | None = None


@dataclass(frozen=True, slots=True)
class PruneMark:
    """The last quote a pruning pass looked at: its instant and its place among quotes of
    the same instant. The next batch starts after it, so the quotes orders keep are read
    once per pass, not once per batch."""

    created_at: datetime
    seq: int


@dataclass(frozen=True, slots=True)
class PrunedQuotes:
    """One batch of `Store.prune_quotes`: `removed` of the `looked_at` quotes; `mark` is
    the last one looked at (None: none was)."""

    removed: int
    looked_at: int
    mark: PruneMark | None


OrderCheck = Callable[[Mapping[str, SkuStock], Mapping[str, Mapping[str, int]]], None]
"""Called by `Store.place_order` inside its transaction with the stored stock of the new
order's SKUs and the units open orders claim of each, by location (as `claimed_units`
gives them); raises to refuse the order. One total per SKU and location, however many
orders wait."""


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One webhook event waiting in the outbox. `attempts` counts the failed tries."""

    id: int
    event: dict[str, Any]
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A support person signed in to the console. Kept under `id_sha256`, the digest of
    the random id their cookie carries, so the table alone opens no session; `key_name`,
    `role` and `key_sha256` name the key that signed in, so that the session ends when
    that key leaves the config or changes. Valid until `expires_at`, however much used."""

    id_sha256: str
    key_name: str
    role: Role
    key_sha256: str
    started_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SignInAttempt:
    """A console sign-in being tried, counted as failed unless forgotten
    (`Store.forget_sign_in_attempt`) once its key proved right. `address` and
    `key_prefix` are digests of the client's address and of the key's first characters:
    what failures are throttled by, never kept in clear."""

    id: str
    address: str
    key_prefix: str
    at: datetime


AttemptCheck = Callable[[Sequence[SignInAttempt]], None]
"""Called by `Store.record_sign_in_attempt` inside its transaction with the recent
attempts from the same address or with the same key prefix, oldest first; raises to
refuse the attempt."""


class Store(Protocol):
    """Quotes, inventory, the product catalog, orders and the webhook outbox. Safe to
    share between threads; every method is one transaction.

    Datetimes must be timezone-aware (a naive one raises ValueError): they come back as the
    same instant with the same UTC offset.
    """

    def save_quote(self, record: QuoteRecord) -> None:
        """Keep `record`. Saving an id again is a no-op (the first record stays), so a
        retried request cannot duplicate a quote."""

    def get_quote(self, quote_id: str) -> QuoteRecord | None:
        """The record with this id, or None."""

    def save_setup(self, setup: StoredSetup, stored_at: datetime) -> None:
        """Keep a setup version; one already kept stays as it is (same id, same files)."""

    def get_setup(self, setup_id: str) -> StoredSetup | None:
        """The setup version with this id, or None."""

    def find_quotes(self, reference: str, limit: int = 20) -> list[QuoteRecord]:
        """At most `limit` (>= 1) records of this cart reference, newest first."""

    def quotes_for_cart(self, cart_key: str, since: datetime, until: datetime,
                        limit: int = 20) -> list[QuoteRecord]:
        """At most `limit` (>= 1) records of this cart key made from `since` to `until`
        (both included), newest first: one range scan of an index."""

    def prune_quotes(self, before: datetime, limit: int,
                     after: PruneMark | None = None) -> PrunedQuotes:
        """Remove the quotes made before `before` that no order refers to, looking at the
        oldest `limit` (>= 1) of those made before it (after `after`), in one short
        transaction: a batch never holds the database long, whatever is stored. On
        SQLite the freed pages are then given back to the file system, a bounded number
        per batch (the rest stay free in the file, reused by the next writes); on
        PostgreSQL autovacuum makes the space of removed rows reusable."""

    def prune_receipts(self, before: datetime, limit: int) -> int:
        """Remove at most `limit` (>= 1) webhook receipts received before `before`, oldest
        first; how many were removed."""

    def put_inventory(self, stock: SkuStock, updated_at: datetime) -> None:
        """Replace (or add) the stock of `stock.sku`; in the same transaction, each of its
        lots with an id not seen before joins the lot ledger with its ETA as promised and
        its supplier (the lot's, else the SKU's), which `receive_lot` measures against."""

    def get_inventory(self, sku: str) -> SkuStock | None:
        """The stored stock of `sku`, or None if it was never stored."""

    def inventory_for(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        """The stored stock of each of `skus` that has some, in one query (a cart's SKUs)."""

    def seed_inventory(self, stock: Mapping[str, SkuStock], updated_at: datetime) -> int:
        """Add the SKUs not stored yet, leaving stored ones as they are (they may have been
        updated through the API since the seed file was written); how many were added. The
        added SKUs' lots join the lot ledger as by `put_inventory`."""

    def put_product(self, product: Product, updated_at: datetime) -> None:
        """Replace (or add) the catalog's product of `product.sku`."""

    def merge_products(self, products: Iterable[Product], updated_at: datetime,
                       receipt: WebhookReceipt | None = None) -> None:
        """What a platform says of these products (their ids, tags and weight; a weight of
        None leaves the stored one) over the stored ones, which keep their dimensions, or
        added; `receipt`, the webhook delivery that said it, recorded in the same
        transaction (unless its id is recorded already)."""

    def products_for(self, *, skus: Iterable[str] = (), variant_ids: Iterable[str] = (),
                     product_ids: Iterable[str] = ()) -> list[Product]:
        """The catalog's products with one of `skus`, `variant_ids` or `product_ids`, by
        one indexed query for each kind of id given: a cart's items however named."""

    def seed_products(self, products: Mapping[str, Product], updated_at: datetime) -> int:
        """Add the SKUs the catalog does not hold yet, leaving stored ones as they are (as
        `seed_inventory`); how many were added."""

    def place_order(self, order: OrderRecord, check: OrderCheck,
                    receipt: WebhookReceipt | None = None) -> tuple[OrderRecord, bool]:
        """Save `order` unless its id is taken: (the stored order, True if it is new).

        For a new order, in one transaction that excludes every other `place_order` on any
        of its SKUs: read the stock and the open claims of the order's SKUs, call `check`
        (which may raise; nothing is written then), then save the order and its claims at
        the end of the queue. With an id already stored, the stored order is returned and
        `check` is not called: a retried request does not place a second order. `receipt`,
        the webhook delivery that placed it, is recorded in the same transaction (unless
        its id is recorded already) whether the order is new or not, never if `check`
        raises.
        """

    def get_order(self, order_id: str) -> OrderRecord | None:
        """The order with this id, or None."""

    def find_orders(self, *, reference: str | None = None, quote_id: str | None = None,
                    limit: int = 20) -> list[OrderRecord]:
        """At most `limit` orders of this cart reference or quote, newest first."""

    def open_orders(self, skus: Iterable[str] | None = None) -> list[OrderRecord]:
        """Open orders in queue order: all of them, or those with a claim on one of `skus`."""

    def claims_for(self, skus: Iterable[str]) -> list[Claim]:
        """Every open order's claims on `skus`, in queue order (order by order, each
        order's claims in their own order)."""

    def cart_stock(self, skus: Iterable[str]) -> CartStock:
        """The stock of `skus` and the units open orders claim of each, in one statement:
        all a quote of a cart reads."""

    def claimed_units(self, skus: Iterable[str], *,
                      ahead_of: int | None = None) -> dict[str, dict[str, int]]:
        """Units open orders claim, by SKU of `skus` and location, in all: what a quote
        needs of the queue (`committed_stock`), summed by the database. With `ahead_of`,
        only the orders placed before the one of that `seq`: all an order's place in the
        queue depends on."""

    def close_order(self, order_id: str, status: OrderStatus, at: datetime,
                    receipt: WebhookReceipt | None = None) -> OrderRecord | None:
        """Close an open order (its claims leave the queue); closing a closed order
        changes nothing. The order as it now is, or None if there is none. `receipt` is
        recorded in the same transaction, as by `place_order`."""

    def get_orders(self, order_ids: Iterable[str]) -> list[OrderRecord]:
        """The stored orders among `order_ids`, in one query (in no particular order)."""

    def receive_lot(self, receipt: LotReceipt, recorded_at: datetime,
                    ) -> tuple[LotReceipt, bool]:
        """Record that a lot arrived: (the stored receipt, True if it is new). The lot's
        `promised` range is the one its ledger row was first seen with (by `put_inventory`
        or `seed_inventory`), whatever `receipt` says, and `receipt.promised` when the
        ledger has no row for it. A lot already received keeps its first receipt, which is
        returned with False: the caller tells a retry (same day) from a conflict."""

    def receipts_of(self, sku: str, lot: str) -> list[LotReceipt]:
        """The receipts of lot `lot` of `sku`, one per location that received a lot of that
        id: what answers a receipt sent again once the lot has left the stock."""

    def lot_receipts(self, since: date | None = None) -> list[LotReceipt]:
        """Every received lot (received on or after `since`), oldest receipt first."""

    def record_shipment_event(self, event: ShipmentEvent, recorded_at: datetime,
                              receipt: WebhookReceipt | None = None,
                              ) -> tuple[ShipmentEvent, bool]:
        """Record what happened to one shipment of an order: (the stored event, True if it
        is new). One event per (order, shipment, type): one recorded already is returned
        with False, unchanged. `receipt`, the webhook delivery that said it, is recorded
        in the same transaction (unless its id is recorded already)."""

    def shipment_events(self, *, order_ids: Iterable[str] | None = None,
                        since: datetime | None = None) -> list[ShipmentEvent]:
        """The events of `order_ids` (None: every order), at or after `since`, in the
        order of their instants."""

    def save_calibration(self, calibration_id: str, observations: dict[str, Any],
                         stored_at: datetime) -> None:
        """Keep the observations a lateness model was built from under their content
        address, kept at `stored_at`: counts kept already (same id, same observations)
        are kept again at `stored_at`, which makes them the latest."""

    def latest_calibration(self) -> str | None:
        """The id of the counts kept (or kept again) last: what every node of the service
        weighs its windows by (None: none kept)."""

    def get_calibration(self, calibration_id: str) -> dict[str, Any] | None:
        """The observations kept under `calibration_id`, or None."""

    def webhook_receipt(self, shop: str, webhook_id: str) -> WebhookReceipt | None:
        """The recorded delivery of `shop` with this id, or None."""

    def record_webhook(self, receipt: WebhookReceipt) -> bool:
        """Record a delivery whose event changed nothing here (an unknown order, an order
        that could not be promised); True if its id was not recorded yet."""

    def mark_at_risk(self, order_id: str, *, at_risk: bool, event: dict[str, Any] | None,
                     at: datetime) -> bool:
        """Record the sweep's finding for an open order; True if it changed. When it
        changes to at risk and `event` is given, the event joins the webhook outbox in the
        same transaction, so a finding is never recorded without its notification."""

    def due_webhooks(self, now: datetime, limit: int,
                     lease_seconds: float) -> list[WebhookDelivery]:
        """Up to `limit` undelivered events whose next attempt is due, oldest first,
        leased for `lease_seconds` so no other sender (thread or node) takes them meanwhile."""

    def webhook_delivered(self, delivery_id: int, at: datetime) -> None:
        """The receiver acknowledged the event: it leaves the outbox."""

    def webhook_failed(self, delivery_id: int, error: str,
                       next_attempt_at: datetime | None) -> None:
        """A try failed: count it, keep `error`, and try again at `next_attempt_at`, or
        never (None: given up, kept for inspection)."""

    def start_console_session(self, session: ConsoleSession, *, prune: int = 100) -> None:
        """Keep `session`; in the same transaction, delete at most `prune` sessions
        expired by its `started_at`, so that sessions nobody signed out of do not pile up
        and no start pays for many."""

    def console_session(self, id_sha256: str, now: datetime) -> ConsoleSession | None:
        """The session kept under `id_sha256`, unless it has expired by `now` (or ended)."""

    def end_console_session(self, id_sha256: str) -> bool:
        """Delete the session kept under `id_sha256`; True if there was one."""

    def record_sign_in_attempt(self, attempt: SignInAttempt, since: datetime,
                               check: AttemptCheck, *, prune: int = 100) -> None:
        """In one transaction that excludes every other on the same address or key prefix
        (across processes and nodes): the attempts made after `since` from `attempt`'s
        address or with its key prefix are passed to `check`, which may raise (nothing is
        written then); else `attempt` is kept, and at most `prune` attempts made by
        `since` are deleted."""

    def forget_sign_in_attempt(self, attempt_id: str) -> None:
        """The attempt succeeded: it no longer counts against its address or key prefix."""

    def ping(self) -> None:
        """Raise if the database cannot be read (for the readiness probe)."""

    def close(self) -> None:
        """Release the connections; the store cannot be used afterwards."""
