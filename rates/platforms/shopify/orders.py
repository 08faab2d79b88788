"""Shopify's webhook events, translated into what the service does with each.

Pure: no Flask, no store, no clock. The HTTP layer verifies the delivery
(`rates.platforms.shopify.signature`) and hands `shopify_event` the `X-Shopify-Topic` and
the parsed body; the use case (`rates.app.platform_orders`) applies what it returns.

Fulfillments (fulfillments/create, fulfillments/update, and orders/fulfilled's
`fulfillments`) are read as parcels by `rates.platforms.shopify.fulfillments`.

Shopify's side, as documented for webhooks (shopify.dev, "Webhooks delivery structure",
"Verify webhook deliveries") and the REST Order resource its order topics deliver:
- headers: `X-Shopify-Topic` ("orders/create"), `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256
  of the raw body with the app's client secret), `X-Shopify-Shop-Domain`,
  `X-Shopify-Webhook-Id` (the delivery's id: the same on every retry of it, so duplicates
  are recognised by it), `X-Shopify-Event-Id`, `X-Shopify-API-Version`.
- an order: `id` (a number), `created_at` (ISO 8601 with offset), `currency` (the shop's)
  and `presentment_currency` (the customer's), `line_items` (`sku`, `variant_id`,
  `product_id`, `quantity`, `grams`, `requires_shipping`, `price` as a decimal string in
  the shop's currency and `price_set` with `shop_money` and `presentment_money`),
  `shipping_address`
  (`country_code`, `province_code`, `zip`, and personal fields never read here), and
  `shipping_lines` (`code`: "a reference to the shipping method", for a carrier-service
  rate its `service_code`, our option id; `price` and `price_set` likewise; `is_removed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rates.app.platform_events import (
    CheckoutCart,
    Ignored,
    NoCart,
    OrderClosed,
    OrderPlaced,
    PlatformEvent,
    ProductsChanged,
    ShippingChoice,
    hundredths,
)
from rates.domain.errors import InvalidRequest
from rates.platforms.reading import iso_instant, text_of
from rates.platforms.shopify.fulfillments import (
    FULFILLMENT_TOPICS,
    fulfillment_event,
    parcels_of,
)
from rates.platforms.shopify.products import products_of
from rates.platforms.shopify.rates import cart_of
from rates.settings import Limits
from rates.store import OrderStatus

ORDERS_CREATE = "orders/create"
ORDERS_FULFILLED = "orders/fulfilled"
CLOSING = {"orders/cancelled": OrderStatus.CANCELLED, ORDERS_FULFILLED: OrderStatus.SHIPPED}
"""The order topics that close an order, and how (orders/fulfilled with its parcels)."""
PRODUCT_TOPICS = frozenset({"products/create", "products/update"})
"""The product topics, which update the product catalog (`rates.platforms.shopify.products`)."""
TOPICS = frozenset({ORDERS_CREATE, *CLOSING, *FULFILLMENT_TOPICS, *PRODUCT_TOPICS})
"""The topics a shop is expected to send (counted by name; any other is "other")."""

ORDER_PREFIX = "shopify-"


def shopify_event(topic: str, body: Any, *, limits: Limits) -> PlatformEvent:
    """What the delivery of `topic` with `body` asks of the service. InvalidRequest when an
    order topic's body has no usable order `id` (or, for a new order, `created_at`), a
    fulfillment topic's no `order_id` (or, shipped, no `created_at`), or a product
    topic's no product `id`. `limits` are the quote request's, which a new
    order's cart must keep to, as its checkout's rate request did."""
    if topic == ORDERS_CREATE:
        return order_placed(body, limits=limits)
    if topic in CLOSING:
        ours = order_id(body)
        return OrderClosed(ours, CLOSING[topic],
                           parcels_of(body, ours) if topic == ORDERS_FULFILLED else ())
    if topic in FULFILLMENT_TOPICS:
        return fulfillment_event(topic, body, prefix=ORDER_PREFIX)
    if topic in PRODUCT_TOPICS:
        return ProductsChanged(products_of(body))
    return Ignored(topic)


def order_id(body: Any) -> str:
    """Our id of Shopify's order `body`: "shopify-" and its numeric `id`."""
    found = body.get("id") if isinstance(body, Mapping) else None
    if isinstance(found, bool) or not isinstance(found, int | str) or not str(found).strip():
        raise InvalidRequest("the Shopify order has no id", {"id": ["required: the order's id"]})
    return f"{ORDER_PREFIX}{str(found).strip()}"


def order_placed(body: Any, *, limits: Limits) -> OrderPlaced:
    order = order_id(body)
    created_at = iso_instant(body.get("created_at"))
    if created_at is None:
        raise InvalidRequest("the Shopify order has no created_at", {
            "created_at": ["required: an ISO 8601 instant with its UTC offset"]})
    return OrderPlaced(order, created_at, _choice(body), _cart(body, limits))


def _cart(order: Mapping[str, Any], limits: Limits) -> CheckoutCart | NoCart:
    """The order's cart as its checkout's rate request was translated, or why not."""
    request = rate_request_of(order)
    if request is None:
        return NoCart("the order has no shipping address")
    try:
        return cart_of(request, limits=limits)
    except InvalidRequest as error:
        return NoCart(f"the order's cart cannot be quoted ({', '.join(error.fields)})")


def rate_request_of(order: Mapping[str, Any]) -> dict[str, Any] | None:
    """The rate request (`{"rate": {...}}`, as `rates.platforms.shopify.rates.cart_of` reads it)
    that the checkout of `order`'s cart made: the shipping address's country, province
    and postcode only, and each line item in the customer's currency (Shopify's
    hundredths, like the callback's). None when the order has no shipping address."""
    address = order.get("shipping_address")
    if not isinstance(address, Mapping):
        return None
    currency = _currency(order)
    presentment = currency != text_of(order.get("currency")).upper()
    items = order.get("line_items")
    lines = [item for item in items if isinstance(item, Mapping)
             ] if isinstance(items, list) else []
    return {"rate": {
        "currency": currency,
        "locale": order.get("customer_locale"),
        "destination": {"country": address.get("country_code"),
                        "province": address.get("province_code"),
                        "postal_code": address.get("zip")},
        "items": [_item(item, presentment=presentment) for item in lines],
    }}


def _item(item: Mapping[str, Any], *, presentment: bool) -> dict[str, Any]:
    price = _money(item, "presentment_money") if presentment else item.get("price")
    return {"sku": item.get("sku"), "variant_id": item.get("variant_id"),
            "product_id": item.get("product_id"), "quantity": item.get("quantity"),
            "grams": item.get("grams"), "price": hundredths(price),
            "requires_shipping": item.get("requires_shipping", True)}


def _choice(order: Mapping[str, Any]) -> ShippingChoice:
    """The order's first shipping line that was not removed."""
    lines = order.get("shipping_lines")
    line = next((each for each in lines if isinstance(each, Mapping)
                 and not each.get("is_removed")), None) if isinstance(lines, list) else None
    if line is None:
        return ShippingChoice(None, frozenset())
    code = text_of(line.get("code")) or None
    prices = set()
    for currency, amount in ((text_of(order.get("currency")), line.get("price")),
                             *_price_set(line)):
        cents = hundredths(amount)
        if cents is not None and currency:
            prices.add((cents, currency.upper()))
    return ShippingChoice(code, frozenset(prices))


def _price_set(line: Mapping[str, Any]) -> list[tuple[str, Any]]:
    found = line.get("price_set")
    moneys = [found.get(kind) for kind in ("shop_money", "presentment_money")
              ] if isinstance(found, Mapping) else []
    return [(text_of(money.get("currency_code")), money.get("amount"))
            for money in moneys if isinstance(money, Mapping)]


def _money(item: Mapping[str, Any], kind: str) -> Any:
    found = item.get("price_set")
    money = found.get(kind) if isinstance(found, Mapping) else None
    return money.get("amount") if isinstance(money, Mapping) else item.get("price")


def _currency(order: Mapping[str, Any]) -> str:
    return (text_of(order.get("presentment_currency")) or text_of(order.get("currency"))).upper()
