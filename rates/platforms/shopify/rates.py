"""Shopify's CarrierService callback, translated to and from our quote wire shape.

Pure: no Flask, no I/O, no clock. The HTTP layer checks the signature
(`rates.platforms.shopify.signature`), turns Shopify's `{"rate": {...}}` into the engine's
cart with `cart_of`, quotes it, and answers with `rates_response`.

Shopify's side, as documented for the CarrierService / DeliveryCarrierService resource
(shopify.dev, "Providing shipping rates to Shopify"):
- Money is an integer count of hundredths in every currency: "total_price: The total price
  expressed in subunits. If the currency doesn't use subunits, then the value must be
  multiplied by 100. For example: 500 for 5.00 CAD, 100000 for 1000 JPY." The request's
  item `price` (1999 for a 19.99 USD T-shirt in the documented example) is read the same
  way, so one factor, `SHOPIFY_SCALE`, converts both directions. (The docs give no
  zero-decimal example for the request; reading it like the response is an inference.)
- Delivery dates are written "YYYY-MM-DD HH:MM:SS -0400" (the documented example is
  "2013-04-12 14:48:45 -0400").
- An empty `rates` list with a 2xx status means "this service cannot ship the cart".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rates.app.platform_events import CheckoutCart
from rates.domain.errors import InvalidRequest, UnknownCurrency
from rates.domain.money import Money, minor_unit
from rates.domain.plans import PlanKind
from rates.domain.quote.result import Option, Quote
from rates.platforms.reading import numeric_ids
from rates.settings import FallbackRate, Limits
from rates.wire.request import MAX_GRAMS, within_caps
from rates.wire.voice import Voice

# Shopify's integer money is amount x 100 whatever the currency's own minor unit (see the
# module docstring): JPY 1000 is 100000, USD 12.95 is 1295.
SHOPIFY_SCALE = 100

# The quote request's own bounds (the configured limits, MAX_GRAMS, and this one for a
# unit price) are checked here too, so that a problem is named by its path in Shopify's
# body ("rate.items.0.price"); a price of 10**30 hundredths would not even fit the decimal
# context when converted.
MAX_CENTS = 10 ** 14 - 1  # 999 999 999 999.99: the 12 digits a unit price may have

# Our windows are calendar dates at the destination, but Shopify wants an instant. Noon UTC
# names the same calendar day in every time zone from UTC-11:59 to UTC+11:59, so however
# Shopify converts it for the shop or the shopper, the date shown stays the one we mean;
# midnight UTC would show the day before anywhere west of Greenwich.
DELIVERY_TIME = "12:00:00 +0000"

LOCALE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
"""A locale tag as Shopify sends one ("fr", "pt-BR"); anything else is not copied, so an odd
locale never fails a checkout: the shopper then reads the shop's default locale."""


FALLBACK_CODE = "fallback"
"""The fallback rate's `service_code`: no option id has no slash, so it never collides."""


def cart_of(body: Any, *, limits: Limits) -> CheckoutCart:
    """Shopify's rate request `body` as the engine's cart (DESIGN section 7).

    - currency: `rate.currency`, the checkout's (a Shopify Markets currency, say), which
      this engine must know; the item prices are in it. The quote then refuses it unless
      it is the shop's own or has an exchange rate in the config (`currencies:`).
    - destination: `country`, `region` from `province` (an ISO 3166-2 form such as
      "JP-13" loses its country prefix), `postcode` from `postal_code`; empty ones are left
      out. Nothing else of the address is copied: no name, street, phone, email or company.
    - lines: one per item whose `requires_shipping` is not false, in Shopify's order:
      `sku` (or "variant-<variant_id>" for an item without one), `quantity`, `grams`, and
      `unit_price` as a decimal string in the currency's minor unit (Shopify's 1999 in USD
      is "19.99"), and Shopify's `variant_id` and `product_id` as text where the item has
      them (`PLATFORM_IDS`: the checkout resolves the line through the product catalog by
      them and drops them before quoting). No `stock`: the service looks each SKU up in
      its inventory.
    - locale: `rate.locale` when it is a locale tag, so the stored quote reads as the
      shopper read it.
    - origin: `rate.origin`'s country and postal code, the shop's address Shopify would
      ship from, for sourcing only.
    Customer ids and tags and order totals are ignored.

    Raises `InvalidRequest` listing every problem with its path in Shopify's body
    ("rate.items.0.quantity"), the configuration's `limits` (items that ship, units per
    item) among them.
    """
    problems: dict[str, list[str]] = {}
    if not isinstance(body, Mapping):
        raise InvalidRequest("the Shopify rate request must be a JSON object",
                             {"_schema": ["must be a JSON object"]})
    rate = body.get("rate")
    if not isinstance(rate, Mapping):
        raise InvalidRequest("the Shopify rate request has no rate object",
                             {"rate": ["must be an object"]})
    currency = _currency(rate.get("currency"), problems)
    destination = _destination(rate.get("destination"), problems)
    lines = _lines(rate.get("items"), currency, within_caps(limits), problems)
    if problems:
        raise InvalidRequest("the Shopify rate request is invalid", problems)
    payload = {"currency": currency, "destination": destination, "lines": lines}
    locale = rate.get("locale")
    if isinstance(locale, str) and LOCALE_TAG.fullmatch(locale):
        payload["locale"] = locale  # the stored quote reads as the shopper read it
    return CheckoutCart(payload, _origin(rate.get("origin")))


def rates_response(quote: Quote, *, voice: Voice) -> dict[str, Any]:
    """The quote's options, in order, as Shopify's `{"rates": [...]}`.

    Each rate: `service_name` is the option's label in `voice`, the words of the shopper's
    locale (service and plan, e.g. "UPS Ground - in-stock items now, the rest when
    restocked"); `service_code` its id ("in_stock_first/ups/ground", stable across requests
    and locales, as Shopify asks); `total_price` its price x 100 as a string and `currency`
    the quote's, the checkout's (its prices were converted from the shop's,
    `rates.domain.exchange`); `description` its delivery window(s) in `voice` (the
    day the carrier guarantees, for a guaranteed option: "Guaranteed by Wed, Nov 25");
    `min_delivery_date` / `max_delivery_date` the first and last day of the option's whole
    delivery window (first parcel's earliest, last parcel's latest). A quote without
    options gives `{"rates": []}`.

    A pickup at a store is a rate like the others (a carrier service's rates are always
    shipping rates at Shopify's checkout): `service_name` its label ("Pick up at Toronto,
    ON store"), `service_code` "pickup/<location>", the delivery dates its window of
    collection, the description when it is ready ("Ready from Dec 21 (restock due)") and
    the store's hours, and `phone_required`, so the store can call when it is ready.
    """
    return {"rates": [_rate(option, voice) for option in quote.options]}


def _origin(origin: Any) -> tuple[str | None, str | None]:
    if not isinstance(origin, Mapping):
        return None, None
    country, postcode = origin.get("country"), origin.get("postal_code")
    return (country if isinstance(country, str) else None,
            postcode if isinstance(postcode, str) else None)


def fallback_response(fallback: FallbackRate | None, currency: str) -> dict[str, Any]:
    """The answer to a cart that cannot be quoted whole: the shop's one fallback rate
    ("Contact us for delivery"), with no delivery dates since none can be promised, or
    no rate at all (`{"rates": []}`) when the shop has none."""
    if fallback is None:
        return {"rates": []}
    rate = {"service_name": fallback.name, "service_code": FALLBACK_CODE,
            "total_price": shopify_amount(Money(fallback.price, currency)),
            "currency": currency}
    if fallback.description:
        rate["description"] = fallback.description
    return {"rates": [rate]}


def shopify_amount(money: Money) -> str:
    """`money` in Shopify's integer hundredths: "1295" for 12.95 USD, "129500" for 1295 JPY.

    A currency with three decimals loses the third, rounded half up (12.345 KWD is "1235").
    """
    scaled = (money.amount * SHOPIFY_SCALE).to_integral_value(rounding=ROUND_HALF_UP)
    return str(int(scaled))


def _rate(option: Option, voice: Voice) -> dict[str, Any]:
    delivery = option.delivery
    rate: dict[str, Any] = {
        "service_name": voice.label(option),
        "service_code": option.id,
        "total_price": shopify_amount(option.price),
        "description": voice.describe(option),
        "currency": option.price.currency,
        "min_delivery_date": _shopify_date(delivery.earliest),
        "max_delivery_date": _shopify_date(delivery.latest),
    }
    if option.plan is PlanKind.PICKUP:
        rate["phone_required"] = True
    return rate


def _shopify_date(day: date) -> str:
    return f"{day.isoformat()} {DELIVERY_TIME}"


def _currency(value: Any, problems: dict[str, list[str]]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems["rate.currency"] = ["required: an ISO 4217 code such as USD"]
        return None
    code = value.strip().upper()
    try:
        minor_unit(code)
    except UnknownCurrency:
        problems["rate.currency"] = [f"{value!r} is not a currency this engine knows"]
        return None
    return code


def _destination(value: Any, problems: dict[str, list[str]]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        problems["rate.destination"] = ["must be an object"]
        return {}
    country = value.get("country")
    if not isinstance(country, str) or not country.strip():
        problems["rate.destination.country"] = ["required: an ISO 3166-1 alpha-2 code"]
        return {}
    result = {"country": country.strip().upper()}
    region = _optional_text(value, "province", "rate.destination", problems)
    if region:
        region = region.upper()
        prefix = result["country"] + "-"
        result["region"] = region.removeprefix(prefix)
    postcode = _optional_text(value, "postal_code", "rate.destination", problems)
    if postcode:
        result["postcode"] = postcode
    return result


def _optional_text(value: Mapping[str, Any], key: str, path: str,
                   problems: dict[str, list[str]]) -> str | None:
    text = value.get(key)
    if text is None:
        return None
    if not isinstance(text, str):
        problems[f"{path}.{key}"] = ["must be a string or null"]
        return None
    return text.strip() or None


def _lines(items: Any, currency: str | None, limits: Limits,
           problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not items:
        problems["rate.items"] = ["must be a list of at least one item"]
        return []
    lines = []
    malformed = False
    for index, item in enumerate(items):
        path = f"rate.items.{index}"
        if not isinstance(item, Mapping):
            problems[path] = ["must be an object"]
            malformed = True
            continue
        ships = item.get("requires_shipping", True)
        if not isinstance(ships, bool):
            problems[f"{path}.requires_shipping"] = ["must be true or false"]
            malformed = True
        elif ships:  # False: a download or a service, nothing to put in a parcel
            line = _line(item, path, currency, limits.max_quantity, problems)
            malformed = malformed or line is None
            if line is not None:
                lines.append(line)
    if not lines and not malformed:
        problems["rate.items"] = ["no item requires shipping"]
    if len(lines) > limits.max_lines:
        problems["rate.items"] = [f"at most {limits.max_lines} items may require shipping"]
    return lines


def _line(item: Mapping[str, Any], path: str, currency: str | None, max_quantity: int,
          problems: dict[str, list[str]]) -> dict[str, Any] | None:
    """One cart line, or None after recording why the item cannot be one (an unknown
    currency also gives None, the currency's own problem being recorded already)."""
    quantity = _integer(item, "quantity", path, (1, max_quantity), problems)
    grams = _integer(item, "grams", path, (0, MAX_GRAMS), problems)
    cents = _integer(item, "price", path, (0, MAX_CENTS), problems)
    sku = _sku(item, path, problems)
    if quantity is None or grams is None or cents is None or sku is None or currency is None:
        return None
    return {"sku": sku, "quantity": quantity, "unit_price": _from_shopify(cents, currency),
            "grams": grams, **numeric_ids(item)}


def _integer(item: Mapping[str, Any], key: str, path: str, bounds: tuple[int, int],
             problems: dict[str, list[str]]) -> int | None:
    minimum, maximum = bounds
    value = item.get(key)
    # bool is an int in Python, but `true` is never a quantity.
    if not isinstance(value, int) or isinstance(value, bool):
        problems[f"{path}.{key}"] = [f"required: a whole number of at least {minimum}"]
        return None
    if value < minimum:
        problems[f"{path}.{key}"] = [f"must be at least {minimum}"]
        return None
    if value > maximum:
        problems[f"{path}.{key}"] = [f"must be at most {maximum}"]
        return None
    return value


def _sku(item: Mapping[str, Any], path: str, problems: dict[str, list[str]]) -> str | None:
    """The item's name (`item_name`), or None with the problem at `path`."""
    sku = item.get("sku")
    if sku is not None and not isinstance(sku, str):
        problems[f"{path}.sku"] = ["must be a string or null"]
        return None
    name = item_name(item)
    if name is None:
        problems[f"{path}.sku"] = ["the item has neither a sku nor a variant_id"]
    return name


def item_name(item: Mapping[str, Any]) -> str | None:
    """The item's SKU; Shopify sends "" for a variant without one, which then goes by its
    variant id so that the inventory can still hold it ("variant-258644705304"). An
    order's line items and a fulfillment's are named the same way. None: neither."""
    sku = item.get("sku")
    if isinstance(sku, str) and sku.strip():
        return sku.strip()
    variant = item.get("variant_id")
    if isinstance(variant, int) and not isinstance(variant, bool):
        return f"variant-{variant}"
    if isinstance(variant, str) and variant.strip():
        return f"variant-{variant.strip()}"
    return None


def _from_shopify(cents: int, currency: str) -> str:
    """Shopify's integer hundredths as a decimal string in `currency`'s minor unit:
    1999 USD is "19.99", 150000 JPY is "1500"."""
    amount = Decimal(cents) / SHOPIFY_SCALE
    return str(amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP))
