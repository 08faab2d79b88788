"""Shopify's webhook events, translated into what the service does with each.

Pure: no Flask, no store, no clock. The HTTP layer verifies the delivery
(`rates.wire.shopify.verify_hmac`) and hands `shopify_event` the `X-Shopify-Topic` and the
parsed body; the use case (`rates.app.shopify_orders`) applies what it returns.

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
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from rates.domain.errors import InvalidRequest
from rates.domain.products import Product
from rates.store import OrderStatus
from rates.wire.shopify import SHOPIFY_SCALE
from rates.wire.shopify_products import products_of

ORDERS_CREATE = "orders/create"
CLOSING = {"orders/cancelled": OrderStatus.CANCELLED, "orders/fulfilled": OrderStatus.SHIPPED}
"""The order topics that close an order, and how."""
PRODUCT_TOPICS = frozenset({"products/create", "products/update"})
"""The product topics, which update the product catalog (`rates.wire.shopify_products`)."""
TOPICS = frozenset({ORDERS_CREATE, *CLOSING, *PRODUCT_TOPICS})
"""The topics a shop is expected to send (counted by name; any other is "other")."""

ORDER_PREFIX = "shopify-"


@dataclass(frozen=True, slots=True)
class ShippingChoice:
    """The rate the customer chose: its `code` (our option id, or None: the order has no
    shipping line) and its price as (hundredths, currency) pairs, in every currency the
    order gives it in (`price_set`'s shop and presentment money)."""

    code: str | None
    prices: frozenset[tuple[int, str]]

    def costs(self, amount: str, currency: str) -> bool:
        """Whether an option priced `amount` `currency` (a quote document's decimal
        string) is this price, compared in Shopify's hundredths as the rate was sent."""
        cents = _hundredths(amount)
        return cents is not None and (cents, currency.upper()) in self.prices


@dataclass(frozen=True, slots=True)
class OrderCreated:
    """A new order: ours is `order_id` ("shopify-<id>"), placed at `created_at`.
    `rate_request` is the rate request the checkout of its cart made (None: the order
    ships nowhere), from which its cart key and, if need be, a new quote are made."""

    order_id: str
    created_at: datetime
    choice: ShippingChoice
    rate_request: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class OrderClosed:
    order_id: str
    status: OrderStatus


@dataclass(frozen=True, slots=True)
class Ignored:
    """A topic the service does nothing with (yet): answered 200 so Shopify stops
    sending it again."""

    topic: str


@dataclass(frozen=True, slots=True)
class ProductsChanged:
    """A product created or updated at the shop: its variants with a SKU, as the catalog's
    products."""

    products: tuple[Product, ...]


Event = OrderCreated | OrderClosed | ProductsChanged | Ignored


def shopify_event(topic: str, body: Any) -> Event:
    """What the delivery of `topic` with `body` asks of the service. InvalidRequest when an
    order topic's body has no usable order `id` (or, for a new order, `created_at`), or a
    product topic's no product `id`."""
    if topic == ORDERS_CREATE:
        return order_created(body)
    if topic in CLOSING:
        return OrderClosed(order_id(body), CLOSING[topic])
    if topic in PRODUCT_TOPICS:
        return ProductsChanged(products_of(body))
    return Ignored(topic)


def order_id(body: Any) -> str:
    """Our id of Shopify's order `body`: "shopify-" and its numeric `id`."""
    found = body.get("id") if isinstance(body, Mapping) else None
    if isinstance(found, bool) or not isinstance(found, int | str) or not str(found).strip():
        raise InvalidRequest("the Shopify order has no id", {"id": ["required: the order's id"]})
    return f"{ORDER_PREFIX}{str(found).strip()}"


def order_created(body: Any) -> OrderCreated:
    order = order_id(body)
    created_at = _instant(body.get("created_at"))
    if created_at is None:
        raise InvalidRequest("the Shopify order has no created_at", {
            "created_at": ["required: an ISO 8601 instant with its UTC offset"]})
    return OrderCreated(order, created_at, _choice(body), rate_request_of(body))


def rate_request_of(order: Mapping[str, Any]) -> dict[str, Any] | None:
    """The rate request (`{"rate": {...}}`, as `rates.wire.shopify.quote_payload` reads it)
    that the checkout of `order`'s cart made: the shipping address's country, province
    and postcode only, and each line item in the customer's currency (Shopify's
    hundredths, like the callback's). None when the order has no shipping address."""
    address = order.get("shipping_address")
    if not isinstance(address, Mapping):
        return None
    currency = _currency(order)
    presentment = currency != _text(order.get("currency")).upper()
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
            "grams": item.get("grams"), "price": _hundredths(price),
            "requires_shipping": item.get("requires_shipping", True)}


def _choice(order: Mapping[str, Any]) -> ShippingChoice:
    """The order's first shipping line that was not removed."""
    lines = order.get("shipping_lines")
    line = next((each for each in lines if isinstance(each, Mapping)
                 and not each.get("is_removed")), None) if isinstance(lines, list) else None
    if line is None:
        return ShippingChoice(None, frozenset())
    code = _text(line.get("code")) or None
    prices = set()
    for currency, amount in ((_text(order.get("currency")), line.get("price")),
                             *_price_set(line)):
        cents = _hundredths(amount)
        if cents is not None and currency:
            prices.add((cents, currency.upper()))
    return ShippingChoice(code, frozenset(prices))


def _price_set(line: Mapping[str, Any]) -> list[tuple[str, Any]]:
    found = line.get("price_set")
    moneys = [found.get(kind) for kind in ("shop_money", "presentment_money")
              ] if isinstance(found, Mapping) else []
    return [(_text(money.get("currency_code")), money.get("amount"))
            for money in moneys if isinstance(money, Mapping)]


def _money(item: Mapping[str, Any], kind: str) -> Any:
    found = item.get("price_set")
    money = found.get(kind) if isinstance(found, Mapping) else None
    return money.get("amount") if isinstance(money, Mapping) else item.get("price")


def _currency(order: Mapping[str, Any]) -> str:
    return (_text(order.get("presentment_currency")) or _text(order.get("currency"))).upper()


def _hundredths(amount: Any) -> int | None:
    """A decimal string ("12.95") in Shopify's integer hundredths (1295), rounded half up
    as `rates.wire.shopify.shopify_amount` rounds a rate's price; None if it is none."""
    if not isinstance(amount, str | int) or isinstance(amount, bool):
        return None
    try:
        scaled = Decimal(str(amount).strip()) * SHOPIFY_SCALE
        return int(scaled.to_integral_value(rounding=ROUND_HALF_UP)) if scaled.is_finite() else None
    except InvalidOperation:
        return None


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        found = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return found if found.utcoffset() is not None else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
