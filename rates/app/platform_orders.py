"""A checkout platform's webhooks: the option chosen at checkout becomes the order's
promise, an order cancelled or shipped there closes it, and a product created or updated
there updates the product catalog. One path for every platform: its adapter
(`rates.platforms`) translates a delivery into a `PlatformEvent`, and this applies it.

`PlatformOrders.receive` applies one verified delivery and says what it did (`Applied`),
so the web layer can log and count it. Each delivery is applied once, by the id the
platform gives it (Shopify's `X-Shopify-Webhook-Id`, ...), within its store:
- a delivery already recorded changes nothing (`duplicate`);
- the record of a delivery (`WebhookReceipt`) is written in the transaction of its effect:
  with the order placed (`Store.place_order`) or closed (`Store.close_order`), with the
  products merged into the catalog (`Store.merge_products`), or alone
  when the effect is nothing (an unknown order, an order that cannot be promised);
- a parcel shipped or delivered (`ParcelMoved`, `rates.app.parcels`) may make several
  shipment events: each is recorded on its own, idempotently (the same event again
  changes nothing), and the receipt after them, alone. A delivery interrupted in between
  is delivered again (it has no receipt) and records the rest. An order closed with its
  parcels (Shopify's orders/fulfilled) records the parcels' events first, then closes
  with the receipt, so a retry finishes both. An event the use case refuses (another
  instant for a recorded event, an implausible instant) is answered, not raised: the
  platform would deliver it again forever;
- the one effect in two steps is a re-quote: its quote is saved, then the order placed
  with the receipt. A delivery repeated between the two (Shopify retries on a timeout)
  saves another quote, which nothing refers to; the order is placed by whichever comes
  first, and the other finds it placed (`already_placed`), since an order's id is the
  platform's own. So the promise is made once, whatever the deliveries' order or number.
Topics the service does nothing with are not recorded: there is nothing to apply twice.

The matching rule of a new order: the quote with the order's cart key (store, lines,
destination: `rates.app.cart_keys`), made within `orders.quote_valid_hours` before
the order's `created_at` (and up to `CLOCK_SKEW` after it: the two instants come from two
clocks), that offered the shipping line's code at the shipping line's price, newest
first. Its option is accepted as of the order's `created_at`. Without one (the quote
expired, the cart changed, stock was taken since), the order's cart is quoted again as
ordered at its `created_at` and the option with that code accepted (`requoted`). If even
that offers no such option, the order is recorded as not promised, and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rates.app.cart_keys import cart_key
from rates.app.checkout import Refusal
from rates.app.parcels import Moved, Parcels
from rates.app.platform_events import (
    CheckoutCart,
    Ignored,
    NoCart,
    OrderClosed,
    OrderPlaced,
    ParcelMoved,
    PlatformEvent,
    ProductsChanged,
    ShippingChoice,
)
from rates.app.quoting import ShippingService
from rates.domain.errors import OrderExists, QuoteExpired, RatesError, StockChanged
from rates.settings import PlatformStore
from rates.store import OrderStatus, QuoteRecord, WebhookReceipt
from rates.wire.orders import PromiseSource

CLOCK_SKEW = timedelta(minutes=5)
"""How much later than Shopify's `created_at` our clock may have stamped the order's quote."""

CANDIDATES = 20
"""Quotes of one cart read at most (newest first): a shopper asks for rates a few times."""


@dataclass(frozen=True, slots=True)
class Applied:
    """What a delivery did: `outcome` (promised, requoted, not_promised, already_placed,
    closed, already_closed, unknown_order, catalogued, no_sku, duplicate, ignored, and a
    parcel's: recorded, already_recorded, no_shipment, conflict, implausible), the order
    it concerned, and, for an order not promised or a parcel's event not recorded, why
    (never personal data: it is logged)."""

    outcome: str
    order_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class PlatformOrders:
    """The deliveries of one platform store (`shop`), whose `unknown_items` policy a
    re-quoted cart follows as its rate request did (`rates.app.checkout`)."""

    service: ShippingService
    shop: PlatformStore

    def receive(self, delivery_id: str, topic: str,
                event_of: Callable[[], PlatformEvent]) -> Applied:
        """Apply the (verified) delivery `delivery_id` of `topic`, whose event `event_of`
        reads (asked only for a delivery not seen before: it may call the platform).
        Raises what `event_of` raises: InvalidRequest for a body that names no order or
        no product."""
        store, shop = self.service.store, self.shop.key
        seen = store.webhook_receipt(shop, delivery_id)
        if seen is not None:
            return Applied("duplicate", seen.order_id)
        event = event_of()
        if isinstance(event, Ignored):
            return Applied("ignored")
        receipt = _Receipts(shop, delivery_id, topic, self.service.clock())
        if isinstance(event, OrderClosed):
            return self._close(event, receipt)
        if isinstance(event, ParcelMoved):
            return self._moved(event, receipt)
        if isinstance(event, ProductsChanged):
            return self._catalogue(event, receipt)
        return self._create(event, receipt)

    def _catalogue(self, event: ProductsChanged, receipt: _Receipts) -> Applied:
        """The product's variants with a SKU, merged into the catalog with the receipt."""
        store = self.service.store
        if not event.products:
            return receipt.alone(store.record_webhook, "no_sku", None,
                                 "no variant of the product has a SKU")
        store.merge_products(event.products, receipt.received_at,
                             receipt.of("catalogued", None))
        return Applied("catalogued")

    def _close(self, event: OrderClosed, receipt: _Receipts) -> Applied:
        store = self.service.store
        order = store.get_order(event.order_id)
        if order is None:
            return receipt.alone(store.record_webhook, "unknown_order", event.order_id)
        parcels = self._parcels()
        moved = [parcels.record(order, parcel) for parcel in event.parcels]
        refused = next((each.reason for each in moved
                        if each.outcome in {"conflict", "implausible"}), None)
        if order.status is not OrderStatus.OPEN:
            return receipt.alone(store.record_webhook, "already_closed", event.order_id,
                                 refused)
        self.service.orders.close(event.order_id, event.status,
                                  receipt.of("closed", event.order_id))
        return Applied("closed", event.order_id, refused)

    def _moved(self, event: ParcelMoved, receipt: _Receipts) -> Applied:
        store = self.service.store
        order = store.get_order(event.order_id)
        moved = (Moved("unknown_order") if order is None
                 else self._parcels().record(order, event))
        return receipt.alone(store.record_webhook, moved.outcome, event.order_id,
                             moved.reason)

    def _parcels(self) -> Parcels:
        return Parcels(self.service.shipment_events)

    def _create(self, event: OrderPlaced, receipt: _Receipts) -> Applied:
        store, order_id, cart = self.service.store, event.order_id, event.cart
        if store.get_order(order_id) is not None:
            return receipt.alone(store.record_webhook, "already_placed", order_id)
        if event.choice.code is None:
            return receipt.alone(store.record_webhook, "not_promised", order_id,
                                 "the order has no shipping line")
        if isinstance(cart, NoCart):
            return receipt.alone(store.record_webhook, "not_promised", order_id, cart.reason)
        quote = self._quoted(cart_key(self.shop.key, cart), event)
        if quote is not None:
            try:
                return self._place(quote.id, event, PromiseSource.QUOTE, receipt)
            except (QuoteExpired, StockChanged):
                pass  # stock was taken since the quote (or it just expired): quote again
        return self._requoted(cart, event, receipt)

    def _quoted(self, key: str, event: OrderPlaced) -> QuoteRecord | None:
        """The newest quote of the cart, in its lifetime, that offered the chosen rate."""
        valid = timedelta(hours=self.service.reloading.current.settings.orders.quote_valid_hours)
        found = self.service.store.quotes_for_cart(
            key, event.created_at - valid, event.created_at + CLOCK_SKEW, CANDIDATES)
        return next((quote for quote in found if _offers(quote, event.choice)), None)

    def _requoted(self, cart: CheckoutCart, event: OrderPlaced, receipt: _Receipts) -> Applied:
        store, code = self.service.store, event.choice.code
        try:
            served = self.service.checkout_quote(cart, shop=self.shop,
                                                 ordered_at=event.created_at)
        except RatesError as error:  # a date past the calendars, ...
            return receipt.alone(store.record_webhook, "not_promised", event.order_id,
                                 f"the order's cart cannot be quoted ({error.code})")
        if isinstance(served, Refusal):
            return receipt.alone(store.record_webhook, "not_promised", event.order_id,
                                 f"the order's cart cannot be quoted whole ({served})")
        if all(option.id != code for option in served.quote.options):
            return receipt.alone(store.record_webhook, "not_promised", event.order_id,
                                 "a new quote of the order's cart does not offer its "
                                 "shipping line's code")
        try:
            return self._place(served.document["id"], event, PromiseSource.REQUOTED, receipt)
        except StockChanged:
            return receipt.alone(store.record_webhook, "not_promised", event.order_id,
                                 "stock was taken while the order's cart was quoted again")

    def _place(self, quote_id: str, event: OrderPlaced, source: PromiseSource,
               receipt: _Receipts) -> Applied:
        quoted = source is PromiseSource.QUOTE
        outcome = "promised" if quoted else "requoted"
        request = {"order_id": event.order_id, "quote_id": quote_id,
                   "option_id": event.choice.code}
        try:
            # The customer chose the quote's option when the order was placed; a new
            # quote's, now (the quote is made after the order).
            _, created = self.service.orders.place(
                request, chosen_at=event.created_at if quoted else None, source=source,
                receipt=receipt.of(outcome, event.order_id))
        except OrderExists:  # another delivery of the order placed it meanwhile
            created = False
        if not created:
            return receipt.alone(self.service.store.record_webhook, "already_placed",
                                 event.order_id)
        return Applied(outcome, event.order_id)


@dataclass(frozen=True, slots=True)
class _Receipts:
    """The receipts of one delivery, by outcome."""

    shop: str
    webhook_id: str
    topic: str
    received_at: datetime

    def of(self, outcome: str, order_id: str | None) -> WebhookReceipt:
        return WebhookReceipt(self.shop, self.webhook_id, self.topic, self.received_at,
                              outcome, order_id)

    def alone(self, record: Callable[[WebhookReceipt], bool], outcome: str,
              order_id: str | None, reason: str | None = None) -> Applied:
        """Record the delivery whose effect is nothing (`record` is the store's)."""
        record(self.of(outcome, order_id))
        return Applied(outcome, order_id, reason)


def _offers(quote: QuoteRecord, choice: ShippingChoice) -> bool:
    return any(option["id"] == choice.code
               and choice.costs(option["price"]["amount"], option["price"]["currency"])
               for option in quote.document["options"])
