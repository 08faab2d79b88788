"""Orders and promises: accept a quoted option, re-estimate it, find the ones at risk.

The shell around `rates.domain.backorders` and `rates.domain.promise`: it reads the store,
runs the pure queue and estimate, and writes back. Every answer comes from the same walk
of the backorder queue over the stock as it is now, so a quote, an order's acceptance and
its later estimates never disagree about which order a restock serves first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rates.app.reloading import ReloadingSetup
from rates.app.replays import Replays, replayed
from rates.domain.backorders import (
    Claim,
    Placement,
    QueuedStock,
    committed_stock,
    placements_of,
    queue,
    ready_of,
    with_stock,
)
from rates.domain.catalog import Catalog
from rates.domain.errors import NotFound, OrderExists, QuoteExpired, StockChanged
from rates.domain.promise import Estimate, estimate
from rates.domain.stock import SkuStock, Source
from rates.store import (
    CartStock,
    OrderCheck,
    OrderRecord,
    OrderStatus,
    QuoteRecord,
    Store,
    WebhookReceipt,
)
from rates.wire.orders import (
    OrderRequestSchema,
    PromiseSource,
    at_risk_entry,
    order_document,
    parse_promise,
    promise_document,
)
from rates.wire.request import load_document
from rates.wire.response import Detail

AT_RISK_EVENT = "promise.at_risk"


def local_dates(catalog: Catalog, now: datetime) -> dict[str, date]:
    """Today's date at each location: the queue reads a past ETA as today's."""
    return {loc.id: now.astimezone(loc.timezone).date() for loc in catalog.locations.values()}


def committed(cart: CartStock) -> dict[str, SkuStock]:
    """The cart's stock with every lot's units promised to open orders marked committed,
    so a new quote's backorders come after theirs (only lots can be: claims on the shelf
    are what a stock document's `on_hand` already left). The store read one total per
    SKU and location, however many orders wait (`Store.cart_stock`)."""
    claimed = cart.claimed
    return {sku: committed_stock(item, claimed[sku])
            if sku in claimed and any(place.inbound for place in item.locations) else item
            for sku, item in cart.stock.items()}


@dataclass(frozen=True, slots=True)
class Orders:
    """The order use cases of the service (HTTP, console and CLI share them)."""

    reloading: ReloadingSetup
    store: Store
    clock: Callable[[], datetime]
    notify: bool = False
    """Whether an order newly at risk puts an event in the webhook outbox."""
    replays: Replays | None = None
    """What replays a stored quote's shipments in full for its promise: the setup versions
    and lateness histories that served it (None: a service that places no orders)."""

    def place(self, payload: Any, *, chosen_at: datetime | None = None,
              source: PromiseSource = PromiseSource.QUOTE,
              receipt: WebhookReceipt | None = None) -> tuple[dict[str, Any], bool]:
        """Accept an option of a stored quote as order `order_id`: (the order document,
        True if it is new). Placing the same order again returns it unchanged.

        `chosen_at`: when the customer chose the option (default: now), which is when the
        quote must still have been valid: a platform's order event arrives after its
        checkout, hours after it when the platform retries. `source` says where the
        promised option came from (the order document shows it). `receipt`: the webhook
        delivery that placed the order, recorded in the same transaction."""
        data = load_document(_ORDER_REQUEST, payload, "order")
        now, catalog = self.clock(), self.reloading.current.catalog
        existing = self.store.get_order(data["order_id"])
        if existing is not None:
            return self._replayed(existing, data), False
        record = self.store.get_quote(data["quote_id"])
        if record is None:
            raise NotFound(f"no quote {data['quote_id']!r}",
                           {"quote_id": ["no quote has this id"]})
        answered = _offered(record.document, record.id, data["option_id"])
        valid = timedelta(hours=self.reloading.current.settings.orders.quote_valid_hours)
        if (chosen_at or now) - record.created_at > valid:
            raise QuoteExpired(
                f"quote {record.id} was made at {record.created_at.isoformat()}; quotes can "
                f"be accepted for {valid} only: quote the cart again",
                {"quote_id": ["expired"]})
        full = self._in_full(record)
        # What the shopper was answered, with its shipments in full (the answer names
        # only what each carries and when it arrives).
        option = {**answered, "shipments": _offered(full, record.id, answered["id"])["shipments"]}
        document = promise_document(full, record.request, option, source)
        promise = parse_promise(data["order_id"], document)
        order = OrderRecord(data["order_id"], record.id, option["id"], record.reference,
                            now, document, promise.claims(catalog))
        stored, created = self.store.place_order(
            order, _still_promised(order.claims, local_dates(catalog, now)), receipt)
        if not created:
            return self._replayed(stored, data), False
        return self._document(stored), True

    def _in_full(self, record: QuoteRecord) -> dict[str, Any]:
        """The stored quote's document with every shipment in full: replayed
        (`rates.app.replays`), or as stored for a quote stored before answers left the
        details out."""
        if self.replays is None:
            return record.document
        return replayed(record, self.replays, Detail.FULL) or record.document

    def _replayed(self, order: OrderRecord, data: dict[str, Any]) -> dict[str, Any]:
        if (order.quote_id, order.option_id) != (data["quote_id"], data["option_id"]):
            raise OrderExists(
                f"order {order.id} was already placed for {order.quote_id} "
                f"{order.option_id}", {"order_id": ["already used for another order"]})
        return self._document(order)

    def order(self, order_id: str) -> dict[str, Any] | None:
        found = self.store.get_order(order_id)
        return self._document(found) if found else None

    def close(self, order_id: str, status: OrderStatus,
              receipt: WebhookReceipt | None = None) -> dict[str, Any]:
        """Close the order as `status`; `receipt`, the webhook delivery that closed it, is
        recorded in the same transaction."""
        closed = self.store.close_order(order_id, status, self.clock(), receipt)
        if closed is None:
            raise NotFound(f"no order {order_id!r}")
        return self._document(closed)

    def at_risk(self, skus: Iterable[str] | None = None) -> dict[str, Any]:
        """Estimate every open order (or those waiting for `skus`), record which are at
        risk (an order newly at risk notifies, with `notify`), and list them, latest
        first."""
        now = self.clock()
        orders = self.store.open_orders(skus)
        estimates = self._estimates(orders, now)
        risky = []
        for order in orders:
            found = estimates[order.id]
            if found.at_risk != order.at_risk:  # write only what changed
                event = _event(order, found, now) if self.notify and found.at_risk else None
                self.store.mark_at_risk(order.id, at_risk=found.at_risk, event=event, at=now)
            if found.at_risk:
                risky.append((order, found))
        risky.sort(key=lambda pair: (-(pair[1].days_late or 10**6), pair[0].seq))
        return {"as_of": now.isoformat(),
                "orders": [at_risk_entry(order, found) for order, found in risky]}

    def _document(self, order: OrderRecord) -> dict[str, Any]:
        now = self.clock()
        found = (self._estimates([order], now)[order.id]
                 if order.status is OrderStatus.OPEN else None)
        return order_document(order, found, now,
                              self.store.shipment_events(order_ids=[order.id]))

    def _estimates(self, orders: Sequence[OrderRecord], now: datetime) -> dict[str, Estimate]:
        """Each open order's estimate, from one read of the stock and the queue of every
        SKU they wait for."""
        setup = self.reloading.current
        catalog = setup.catalog
        skus = {claim.sku for order in orders for claim in order.claims}
        stock = self.store.inventory_for(skus) if skus else {}
        today = local_dates(catalog, now)
        if len(orders) == 1:
            queued = self._behind(orders[0], stock, today)
        else:
            queued = with_stock(stock, self.store.claims_for(stock) if stock else [], today)
        return {order.id: estimate(parse_promise(order.id, order.promise),
                                   _placements(order, queued), stock, catalog,
                                   setup.windows)
                for order in orders}

    def _behind(self, order: OrderRecord, stock: Mapping[str, SkuStock],
                today: Mapping[str, date]) -> dict[str, QueuedStock]:
        """The queue as `order` finds it: the units of the open orders ahead of it, in all
        (orders behind cannot move its units), then its own claims. A support lookup
        reads one total per SKU and location, not a thousand claims."""
        ahead = self.store.claimed_units(stock, ahead_of=order.seq) if stock else {}
        return _queued_behind(stock, ahead, order.claims, today)


_ORDER_REQUEST = OrderRequestSchema()


def _event(order: OrderRecord, found: Estimate, now: datetime) -> dict[str, Any]:
    return {"type": AT_RISK_EVENT, "detected_at": now.isoformat(),
            "order": at_risk_entry(order, found)}


def _offered(document: dict[str, Any], quote_id: str, option_id: str) -> dict[str, Any]:
    for option in document["options"]:
        if option["id"] == option_id:
            return option  # type: ignore[no-any-return]
    offered = ", ".join(o["id"] for o in document["options"]) or "none"
    raise NotFound(f"quote {quote_id} did not offer {option_id!r}",
                   {"option_id": [f"not offered by this quote; offered: {offered}"]})


def _placements(order: OrderRecord,
                queued: Mapping[str, QueuedStock]) -> list[tuple[Placement, ...]]:
    """The queue's placements of `order`'s claims. A SKU the store holds no stock for
    (the checkout sent the stock with the cart) has no queue: its units stay as promised."""
    tracked = [claim for claim in order.claims if claim.sku in queued]
    placed = iter(placements_of(order.id, tracked, queued))
    return [next(placed) if claim.sku in queued else (_as_promised(claim),)
            for claim in order.claims]


def _as_promised(claim: Claim) -> Placement:
    return Placement(claim.quantity, Source.INBOUND if claim.lot else Source.LEAD_TIME,
                     claim.promised, claim.lot)


def _queued_behind(stock: Mapping[str, SkuStock], ahead: Mapping[str, Mapping[str, int]],
                   claims: Sequence[Claim], today: Mapping[str, date]
                   ) -> dict[str, QueuedStock]:
    """The queue of each SKU of `stock` as one order's `claims` find it, behind the units
    `ahead` of them (by SKU and location)."""
    return {sku: queue(committed_stock(item, ahead.get(sku, {})),
                       [claim for claim in claims if claim.sku == sku], today)
            for sku, item in stock.items()}


def _still_promised(claims: Sequence[Claim], today: Mapping[str, date]) -> OrderCheck:
    """The check `place_order` runs under its lock: with the new order at the end of the
    queue, every unit must still be ready by the latest date it was promised. Two orders
    racing for a lot's last unit: the second finds it taken and is refused."""
    def check(stock: Mapping[str, SkuStock], claimed: Mapping[str, Mapping[str, int]]) -> None:
        if not claims:
            return
        queued = _queued_behind(stock, claimed, claims, today)
        late: dict[str, list[str]] = {}
        tracked = [claim for claim in claims if claim.sku in queued]
        for claim, placed in zip(tracked, placements_of(claims[0].order, tracked, queued),
                                 strict=True):
            ready = ready_of(placed)
            if ready is None or ready.latest > claim.promised.latest:
                late.setdefault(claim.sku, []).append(
                    f"{claim.quantity} unit(s) promised ready by {claim.promised.latest} "
                    f"at {claim.location} are no longer available then "
                    f"({'no restock' if ready is None else f'now ready {ready}'})")
        if late:
            raise StockChanged("stock was taken or changed since the quote; quote the cart "
                               "again", {f"stock.{sku}": why for sku, why in late.items()})
    return check
