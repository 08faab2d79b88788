"""Saleor's order events, as the engine's `PlatformEvent`s. Pure.

The payload is `ORDER_EVENTS_QUERY`'s (`rates.platforms.saleor.queries`): `{"__typename",
"order": {...}}`. Saleor's ids are GraphQL global ids, base64("<Type>:<key>"): an order's
is "Order:<uuid>" (`saleor/graphql/order/types.py`), and a method an app listed is
base64("app:<app identifier>:<the app's method id>") (`to_shipping_app_id` in
`saleor/webhook/transport/shipping_helpers.py`; the identifier is the manifest's `id`, or
the app's database id for an app installed without one), which the order keeps as its
`deliveryMethod`'s id (`resolve_shipping_method`). Saleor sends no delivery id header: a
retry posts the same event with the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from typing import Any

from rates.app.platform_events import (
    CheckoutCart,
    Ignored,
    NoCart,
    OrderClosed,
    OrderPlaced,
    PlatformEvent,
    ShippingChoice,
    hundredths,
)
from rates.domain.errors import InvalidRequest
from rates.platforms.reading import iso_instant
from rates.platforms.saleor.checkout import checkout_cart
from rates.platforms.saleor.queries import ORDER_CANCELLED, ORDER_CREATED, ORDER_FULFILLED
from rates.settings import Limits
from rates.store import OrderStatus

ORDER_PREFIX = "saleor-"
CLOSING = {ORDER_CANCELLED: OrderStatus.CANCELLED, ORDER_FULFILLED: OrderStatus.SHIPPED}
EVENTS = frozenset({ORDER_CREATED, *CLOSING})
"""The order events the manifest subscribes to (`Saleor-Event` sends them lower-case)."""

ORDER_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,91}")
"""What follows "Order:" in an order's global id: a UUID (an old order's number); at most
92 characters, so "saleor-<key>" fits the order id pattern's 100."""


def order_event(event: str, payload: Any, *, limits: Limits) -> PlatformEvent:
    """What the `event` (the `Saleor-Event` header, any case) with `payload` asks of the
    service. InvalidRequest when an order event's payload has no usable order id (or, for
    a new order, no `created` instant)."""
    name = event.strip().upper()
    if name == ORDER_CREATED:
        return order_placed(payload, limits=limits)
    if name in CLOSING:
        return OrderClosed(order_id(payload), CLOSING[name])
    return Ignored(event)


def order_id(payload: Any) -> str:
    """Our id of the payload's order: "saleor-" and the key of its global id
    ("T3JkZXI6NmUx..." is "Order:6e1...": "saleor-6e1..."), which fits our order id pattern
    whatever base64 characters the global id has."""
    order = payload.get("order") if isinstance(payload, Mapping) else None
    typename, key = _global_id(order.get("id") if isinstance(order, Mapping) else None)
    if typename != "Order" or not ORDER_KEY.fullmatch(key):
        raise InvalidRequest("the Saleor order has no id", {
            "order.id": ["required: the order's global id (base64 of Order:<uuid>)"]})
    return f"{ORDER_PREFIX}{key}"


def order_placed(payload: Any, *, limits: Limits) -> OrderPlaced:
    """ORDER_CREATED: the order, its chosen method and its cart as its checkout's rate
    request was read (`NoCart` with the reason when it cannot be)."""
    ours = order_id(payload)
    order = payload["order"]
    created = iso_instant(order.get("created"))
    if created is None:
        raise InvalidRequest("the Saleor order has no created instant", {
            "order.created": ["required: an ISO 8601 instant with its UTC offset"]})
    return OrderPlaced(ours, created, _choice(order), _cart(order, limits))


def option_id(method_id: Any) -> str | None:
    """Our option id in a method id Saleor gives an order (base64 of
    "app:<app>:<our id>"); None for a method that is not an app's (one of Saleor's own)."""
    typename, rest = _global_id(method_id)
    if typename != "app" or ":" not in rest:
        return None
    return rest.split(":", 1)[1] or None


def delivery_id(event: str, body: bytes) -> str:
    """The idempotency key of a delivery: Saleor sends no delivery id, and a retry posts
    the same bytes, so SHA-256 of the event name and the raw body (hex)."""
    digest = hashlib.sha256(event.strip().lower().encode() + b"\n" + body)
    return digest.hexdigest()


def _choice(order: Mapping[str, Any]) -> ShippingChoice:
    """The order's delivery method (a collection point or none: no code), priced as
    Saleor keeps it: the undiscounted price we answered, and the shipping price with or
    without tax as the channel's prices are entered."""
    method = order.get("deliveryMethod")
    code = option_id(method.get("id")) if isinstance(method, Mapping) else None
    prices = set()
    for money in (order.get("undiscountedShippingPrice"),
                  _taxed(order.get("shippingPrice"), order)):
        if isinstance(money, Mapping) and isinstance(money.get("currency"), str):
            cents = hundredths(money.get("amount"))
            if cents is not None:
                prices.add((cents, money["currency"].strip().upper()))
    return ShippingChoice(code, frozenset(prices))


def _cart(order: Mapping[str, Any], limits: Limits) -> CheckoutCart | NoCart:
    """The order's lines read as its checkout's were (`checkout.checkout_cart`)."""
    if not isinstance(order.get("shippingAddress"), Mapping):
        return NoCart("the order has no shipping address")
    lines = order.get("lines")
    as_checkout = {
        "channel": order.get("channel"),
        "shippingAddress": order.get("shippingAddress"),
        "languageCode": order.get("languageCodeEnum"),
        "lines": [_checkout_line(line, order) if isinstance(line, Mapping) else line
                  for line in lines] if isinstance(lines, list) else lines,
    }
    try:
        return checkout_cart(as_checkout, "order", limits=limits)
    except InvalidRequest as refused:
        return NoCart("the order's lines cannot be quoted: " + "; ".join(
            f"{path}: {', '.join(messages)}" for path, messages in refused.fields.items()))


def _checkout_line(line: Mapping[str, Any], order: Mapping[str, Any]) -> dict[str, Any]:
    """An order line as a checkout line: its denormalised SKU and variant id stand in for a
    variant deleted since."""
    variant = line.get("variant")
    if not isinstance(variant, Mapping):
        variant = {"id": line.get("productVariantId"), "sku": line.get("productSku")}
    return {"quantity": line.get("quantity"),
            "requiresShipping": line.get("isShippingRequired"),
            "undiscountedUnitPrice": _taxed(line.get("undiscountedUnitPrice"), order),
            "variant": variant}


def _taxed(price: Any, order: Mapping[str, Any]) -> Any:
    """A TaxedMoney's amount as the channel's prices are entered (gross with tax, net
    without), as Saleor prices an app's method on an order."""
    if not isinstance(price, Mapping):
        return None
    channel = order.get("channel")
    taxes = channel.get("taxConfiguration") if isinstance(channel, Mapping) else None
    gross = isinstance(taxes, Mapping) and taxes.get("pricesEnteredWithTax") is True
    return price.get("gross" if gross else "net")


def _global_id(value: Any) -> tuple[str, str]:
    """(type, key) of a Saleor global id; ("", "") for anything else."""
    if not isinstance(value, str) or not value.strip() or len(value) > 400:
        return "", ""
    try:
        text = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    typename, _, key = text.partition(":")
    return typename, key
