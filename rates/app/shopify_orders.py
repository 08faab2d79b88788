"""Shopify's webhooks: the option chosen at checkout becomes the order's promise, and a
product created or updated at the shop updates the product catalog.

`ShopifyWebhooks.receive` applies one verified delivery and says what it did (`Applied`),
so the web layer can log and count it. Each delivery is applied once, by its
`X-Shopify-Webhook-Id`:
- a delivery already recorded changes nothing (`duplicate`);
- the record of a delivery (`WebhookReceipt`) is written in the transaction of its effect:
  with the order placed (`Store.place_order`) or closed (`Store.close_order`), with the
  products merged into the catalog (`Store.merge_products`), or alone
  when the effect is nothing (an unknown order, an order that cannot be promised);
- the one effect in two steps is a re-quote: its quote is saved, then the order placed
  with the receipt. A delivery repeated between the two (Shopify retries on a timeout)
  saves another quote, which nothing refers to; the order is placed by whichever comes
  first, and the other finds it placed (`already_placed`), since an order's id is
  Shopify's own. So the promise is made once, whatever the deliveries' order or number.
Topics the service does nothing with are not recorded: there is nothing to apply twice.

The matching rule of a new order: the quote with the order's cart key (shop, lines,
destination: `rates.wire.shopify_carts`), made within `orders.quote_valid_hours` before
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
from typing import Any

from rates.app.checkout import Refusal
from rates.app.quoting import ShippingService
from rates.domain.errors import OrderExists, QuoteExpired, RatesError, StockChanged
from rates.settings import UnknownItems
from rates.store import OrderStatus, QuoteRecord, WebhookReceipt
from rates.wire.orders import PromiseSource
from rates.wire.shopify import origin_address, quote_payload
from rates.wire.shopify_carts import cart_key
from rates.wire.shopify_orders import (
    Ignored,
    OrderClosed,
    OrderCreated,
    ProductsChanged,
    ShippingChoice,
    shopify_event,
)

CLOCK_SKEW = timedelta(minutes=5)
"""How much later than Shopify's `created_at` our clock may have stamped the order's quote."""

CANDIDATES = 20
"""Quotes of one cart read at most (newest first): a shopper asks for rates a few times."""


@dataclass(frozen=True, slots=True)
class Applied:
    """What a delivery did: `outcome` (promised, requoted, not_promised, already_placed,
    closed, already_closed, unknown_order, catalogued, no_sku, duplicate, ignored), the
    order it concerned,
    and, for an order not promised, why (never personal data: it is logged)."""

    outcome: str
    order_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ShopifyWebhooks:
    """`unknown_items`: the shop's policy, which a re-quoted cart follows as its rate
    callback did (`rates.app.checkout`)."""

    service: ShippingService
    unknown_items: UnknownItems = UnknownItems.IN_STOCK

    def receive(self, shop: str, webhook_id: str, topic: str, body: Any) -> Applied:
        """Apply the delivery `webhook_id` of `topic` from `shop` (verified). Raises
        InvalidRequest for an order topic whose body names no order, or a product topic
        whose body names no product."""
        store = self.service.store
        seen = store.webhook_receipt(shop, webhook_id)
        if seen is not None:
            return Applied("duplicate", seen.order_id)
        event = shopify_event(topic, body)
        if isinstance(event, Ignored):
            return Applied("ignored")
        receipt = _Receipts(shop, webhook_id, topic, self.service.clock())
        if isinstance(event, OrderClosed):
            return self._close(event, receipt)
        if isinstance(event, ProductsChanged):
            return self._catalogue(event, receipt)
        return self._create(shop, event, receipt)

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
        if order is None or order.status is not OrderStatus.OPEN:
            outcome = "unknown_order" if order is None else "already_closed"
            return receipt.alone(store.record_webhook, outcome, event.order_id)
        self.service.orders.close(event.order_id, event.status,
                                  receipt.of("closed", event.order_id))
        return Applied("closed", event.order_id)

    def _create(self, shop: str, event: OrderCreated, receipt: _Receipts) -> Applied:
        store, order_id = self.service.store, event.order_id
        if store.get_order(order_id) is not None:
            return receipt.alone(store.record_webhook, "already_placed", order_id)
        key = cart_key(shop, event.rate_request) if event.rate_request else None
        if event.choice.code is None or key is None:
            why = "the order has no shipping line" if event.choice.code is None else (
                "the order has no shipping address or no item that ships")
            return receipt.alone(store.record_webhook, "not_promised", order_id, why)
        quote = self._quoted(key, event)
        if quote is not None:
            try:
                return self._place(quote.id, event, PromiseSource.QUOTE, receipt)
            except (QuoteExpired, StockChanged):
                pass  # stock was taken since the quote (or it just expired): quote again
        return self._requoted(key, event, receipt)

    def _quoted(self, key: str, event: OrderCreated) -> QuoteRecord | None:
        """The newest quote of the cart, in its lifetime, that offered the chosen rate."""
        valid = timedelta(hours=self.service.reloading.current.settings.orders.quote_valid_hours)
        found = self.service.store.quotes_for_cart(
            key, event.created_at - valid, event.created_at + CLOCK_SKEW, CANDIDATES)
        return next((quote for quote in found if _offers(quote, event.choice)), None)

    def _requoted(self, key: str, event: OrderCreated, receipt: _Receipts) -> Applied:
        store, code = self.service.store, event.choice.code
        try:
            payload = quote_payload(event.rate_request, now=event.created_at,
                                    limits=self.service.reloading.current.settings.limits)
            served = self.service.checkout_quote(
                payload, unknown_items=self.unknown_items,
                origin=origin_address(event.rate_request), cart_key=key)
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

    def _place(self, quote_id: str, event: OrderCreated, source: PromiseSource,
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
