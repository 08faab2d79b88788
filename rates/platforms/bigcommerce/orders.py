"""BigCommerce's order webhooks, and the orders they name, as our events.

Pure: no Flask, no HTTP, no clock. A callback only names its order (the route checks the
custom header the webhook was created with, reads the callback with `delivery_of`, fetches
the order through `rates.platforms.bigcommerce.api`, and hands the parts to `order_event`).

BigCommerce's side, as documented (developer.bigcommerce.com: "Webhooks Overview",
"Webhook Events", and the v2 Orders reference: Get an Order, List Order Products, Get Order
Shipping Addresses, Get Order Shipping Quotes, Get All Order Statuses):
- a callback is `{"scope", "store_id", "data": {"type": "order", "id"}, "hash",
  "created_at", "producer"}`; `store/order/statusUpdated` adds `data.status`
  (`previous_status_id`, `new_status_id`) on the events page, though not in the
  overview's example, so the order's own `status_id` is what counts here. `hash` is "the
  SHA-1 hash of the JSON-encoded payload data", for detecting duplicates.
- an order: `id` (per store), `date_created` (RFC 2822, UTC), `status_id`,
  `default_currency_code` (the transactional currency the shopper pays in; its amounts
  are in it), `store_default_currency_code` and
  `store_default_to_transactional_exchange_rate`, `base_shipping_cost`.
- its products: `sku`, `product_id`, `variant_id`, `quantity`, `type` (physical, digital,
  giftcertificate), `base_price`, `weight` in the store's weight unit (Settings, units of
  measurement: LBS, Ounces, KGS, Grams, Tonnes), `order_address_id`.
- its shipping addresses: `id`, `country_iso2`, `state` (a name: "Texas"), `zip`,
  `shipping_method` (the method's display text: "Fixed Shipping"), `base_cost`.
- the shipping quote kept on an address (storefront orders only; 204 otherwise):
  `provider_code`, `carrier_code`, `rate_code`, `rate_id`, where our quote's `code` and
  `rate_id` (both our option id) are recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

import holidays

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
from rates.platforms.bigcommerce.rates import cart_of
from rates.platforms.reading import decimal_of, text_of
from rates.settings import Limits
from rates.store import OrderStatus

ORDER_CREATED = "store/order/created"
STATUS_UPDATED = "store/order/statusUpdated"
SCOPES = (ORDER_CREATED, STATUS_UPDATED)
"""The scopes a store's webhooks are created for."""

CLOSING_STATUSES = {
    2: OrderStatus.SHIPPED,     # Shipped
    10: OrderStatus.SHIPPED,    # Completed
    4: OrderStatus.CANCELLED,   # Refunded
    5: OrderStatus.CANCELLED,   # Cancelled
    6: OrderStatus.CANCELLED,   # Declined
}
"""BigCommerce's order status ids that close an order, and how. Partially Shipped (3) and
Partially Refunded (14) leave it open: some of it is still to ship."""

GRAMS_PER_WEIGHT_UNIT = {"Grams": Decimal(1), "Ounces": Decimal("28.349523125"),
                         "LBS": Decimal("453.59237"), "KGS": Decimal(1000),
                         "Tonnes": Decimal(1_000_000)}
"""A store's weight units, as its settings name them, in grams."""

ORDER_PREFIX = "bigcommerce-"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook callback: its `scope`, the `order_number` it names (BigCommerce's id, per
    store), and `delivery_id`, the same for every retry of it, by which it is applied once."""

    scope: str
    order_number: int
    delivery_id: str


def delivery_of(body: Any) -> Delivery:
    """The callback `body` (parsed JSON). Raises `InvalidRequest` unless it is an order
    webhook: a `scope`, and `data` of type "order" with a numeric `id`.

    `delivery_id` is the SHA-256 of the whole callback written canonically (sorted keys),
    not BigCommerce's `hash` alone: that hash is of the payload's `data`, which is the same
    for an order's created and updated callbacks and, where `data` has no status, for all
    its status updates, which would then pass for duplicates of one another. A retry
    repeats the whole callback, `hash` and `created_at` included, so its id is the same.
    """
    if not isinstance(body, Mapping):
        raise InvalidRequest("the BigCommerce callback must be a JSON object",
                             {"_schema": ["must be a JSON object"]})
    problems: dict[str, list[str]] = {}
    scope = body.get("scope")
    if not isinstance(scope, str) or not scope.strip():
        problems["scope"] = ["required: the webhook's scope"]
    data = body.get("data")
    number = _number(data.get("id")) if isinstance(data, Mapping) else None
    if not isinstance(data, Mapping) or data.get("type") != "order":
        problems["data.type"] = ["must be \"order\": only order webhooks are expected"]
    elif number is None:
        problems["data.id"] = ["required: the order's id"]
    if problems or number is None or not isinstance(scope, str):
        raise InvalidRequest("the BigCommerce callback is not an order webhook", problems)
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Delivery(scope.strip(), number,
                    hashlib.sha256(text.encode("utf-8")).hexdigest())


def order_id(store_hash: str, number: Any) -> str:
    """Our id of BigCommerce's order `number` at `store_hash`: ids are per store, so both."""
    return f"{ORDER_PREFIX}{store_hash}-{number}"


def order_event(scope: str, order: Mapping[str, Any], products: Sequence[Any],
                addresses: Sequence[Any], *, store_hash: str, limits: Limits,
                weight_unit: str, shipping_quote: Mapping[str, Any] | None = None,
                ) -> PlatformEvent:
    """What the callback of `scope` for the fetched `order` asks of the service.

    - `store/order/created`: `OrderPlaced` with its cart as the checkout's rate request
      would have been read (`cart_of`, on the request `rate_request_of` rebuilds), and
      the choice: the code of `shipping_quote` (the address's quote, None when BigCommerce
      kept none) and the shipping cost in the order's currency and the store's.
    - `store/order/statusUpdated`: `OrderClosed` when the order's `status_id` closes it
      (`CLOSING_STATUSES`), else `Ignored`. Any other scope is `Ignored`.

    `weight_unit` is the store's (Settings, units of measurement); the products' weights
    are in it. Raises `InvalidRequest` when the order has no `id`, or a new order no
    `date_created`.
    """
    number = _number(order.get("id"))
    if number is None:
        raise InvalidRequest("the BigCommerce order has no id", {"id": ["required"]})
    ours = order_id(store_hash, number)
    if scope == STATUS_UPDATED:
        status = CLOSING_STATUSES.get(_number(order.get("status_id")) or -1)
        return Ignored(scope) if status is None else OrderClosed(ours, status)
    if scope != ORDER_CREATED:
        return Ignored(scope)
    created_at = _instant(order.get("date_created"))
    if created_at is None:
        raise InvalidRequest("the BigCommerce order has no date_created", {
            "date_created": ["required: an RFC 2822 date with its offset"]})
    listed = [address for address in addresses if isinstance(address, Mapping)]
    return OrderPlaced(ours, created_at, _choice(order, listed, shipping_quote),
                       _cart(order, products, listed, weight_unit, limits))


def rate_request_of(order: Mapping[str, Any], products: Sequence[Any],
                    address: Mapping[str, Any], weight_unit: str) -> dict[str, Any]:
    """The rate request (as BigCommerce sends it to `rate`) of the `order`'s physical
    products to `address`: its country, state (BigCommerce's address names it, "Texas";
    the request codes it, "TX": by the `holidays` package's names of each country's
    subdivisions, else left out) and postcode; each product's SKU, ids, quantity, weight in
    grams and `base_price` in the order's currency."""
    country = text_of(address.get("country_iso2")).upper()
    currency = text_of(order.get("default_currency_code")).upper()
    items = [_item(product, currency, weight_unit) for product in products
             if isinstance(product, Mapping) and product.get("type", "physical") == "physical"]
    return {"base_options": {
        "destination": {"country_iso2": country,
                        "state_iso2": state_code(country, text_of(address.get("state"))),
                        "zip": text_of(address.get("zip"))},
        "items": items}}


def state_code(country: str, name: str) -> str:
    """The ISO 3166-2 code (without the country) of a subdivision `name` of `country`
    ("Texas" of US is "TX"), a code given as is, or "" when neither is known."""
    try:
        known = getattr(holidays, country) if country.isalpha() else None
    except AttributeError:
        return ""
    if known is None or not name:
        return ""
    if name.upper() in known.subdivisions:
        return name.upper()
    aliases = getattr(known, "subdivisions_aliases", {})
    return next((code for alias, code in aliases.items()
                 if alias.casefold() == name.casefold()), "")


def _cart(order: Mapping[str, Any], products: Sequence[Any],
          addresses: list[Mapping[str, Any]], weight_unit: str,
          limits: Limits) -> CheckoutCart | NoCart:
    if not addresses:
        return NoCart("the order has no shipping address")
    if len(addresses) > 1:
        return NoCart(f"the order ships to {len(addresses)} addresses; a rate request "
                      "quotes one")
    if weight_unit not in GRAMS_PER_WEIGHT_UNIT:
        return NoCart(f"the store's weight unit {weight_unit!r} is not one BigCommerce "
                      "documents")
    body = rate_request_of(order, products, addresses[0], weight_unit)
    if not body["base_options"]["items"]:
        return NoCart("no product of the order is physical")
    try:
        return cart_of(body, limits=limits)
    except InvalidRequest as refused:
        return NoCart("the order's cart would have been refused: "
                      + ", ".join(sorted(refused.fields)))


def _item(product: Mapping[str, Any], currency: str, weight_unit: str) -> dict[str, Any]:
    weight = decimal_of(product.get("weight"))
    grams = None if weight is None or weight_unit not in GRAMS_PER_WEIGHT_UNIT else (
        weight * GRAMS_PER_WEIGHT_UNIT[weight_unit])
    item: dict[str, Any] = {
        "sku": product.get("sku"), "quantity": product.get("quantity"),
        "discounted_price": {"currency": currency, "amount": product.get("base_price")},
        "variant_id": _id_text(product.get("variant_id")),
        "product_id": _id_text(product.get("product_id"))}
    if grams is not None:
        item["weight"] = {"units": "g", "value": str(grams)}
    return item


def _choice(order: Mapping[str, Any], addresses: list[Mapping[str, Any]],
            shipping_quote: Mapping[str, Any] | None) -> ShippingChoice:
    """The code BigCommerce kept of the quote chosen (`rate_code`, else `rate_id`: we send
    our option id as both) and the shipping cost: the address's `base_cost` (the order's
    `base_shipping_cost` without one) in the order's currency, and in the store's default
    currency when that differs, at the order's exchange rate."""
    quote = shipping_quote or {}
    code = text_of(quote.get("rate_code")) or text_of(quote.get("rate_id")) or None
    cost = decimal_of(addresses[0].get("base_cost") if len(addresses) == 1
                    else order.get("base_shipping_cost"))
    currency = text_of(order.get("default_currency_code")).upper()
    prices = set()
    if cost is not None and currency:
        prices.add((hundredths(cost), currency))
        store = text_of(order.get("store_default_currency_code")).upper()
        rate = decimal_of(order.get("store_default_to_transactional_exchange_rate"))
        if store and store != currency and rate:
            prices.add((hundredths(cost / rate), store))
    return ShippingChoice(code, frozenset((cents, money) for cents, money in prices
                                          if cents is not None))


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        found = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    return found if found.utcoffset() is not None else None


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = text_of(value)
    return int(text) if text.isascii() and text.isdigit() else None


def _id_text(value: Any) -> str | None:
    number = _number(value)
    return None if number is None else str(number)
