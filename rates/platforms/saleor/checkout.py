"""Saleor's shipping events, translated to and from our quote wire shape. Pure.

In: the payload of `LIST_METHODS_QUERY` / `FILTER_METHODS_QUERY`
(`rates.platforms.saleor.queries`), `{"__typename": ..., "checkout": {...}}`.
Out, as documented (docs.saleor.io, "Shipping events", and Saleor's response schemas,
`saleor/webhook/response_schemas/shipping.py`):
- `SHIPPING_LIST_METHODS_FOR_CHECKOUT` answers a list of methods: `id`, `name` (at most 100
  characters), `amount` (a number or a decimal string, at least 0), `currency` (must be the
  checkout's, or Saleor hides the method), `minimum_delivery_days` / `maximum_delivery_days`
  (whole days, at least 0), `description` (at most 255 characters). A method Saleor cannot
  read is dropped silently, so every limit is kept here. Saleor names the method
  base64("app:<app identifier>:<id>") from then on.
- `CHECKOUT_FILTER_SHIPPING_METHODS` answers `{"excluded_methods": [{"id", "reason"}]}`,
  with the ids Saleor sent in the payload's `shippingMethods`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rates.app.platform_events import CheckoutCart
from rates.domain.errors import InvalidRequest, UnknownCurrency
from rates.domain.money import minor_unit
from rates.domain.quote.result import Option, Quote
from rates.platforms.reading import decimal_of, text_of
from rates.settings import FallbackRate, Limits
from rates.wire.request import MAX_GRAMS, within_caps
from rates.wire.request_bounds import POSTCODE
from rates.wire.voice import Voice

NAME_LENGTH = 100
DESCRIPTION_LENGTH = 255
"""Saleor's limits for a method's `name` and `description` (longer: the method is dropped)."""

FALLBACK_ID = "fallback"
"""The fallback method's id: an option id always has a slash, so it never collides."""

MAX_AMOUNT = Decimal("999999999999.99")
"""The largest unit price read: the 12 digits a quote request's decimal may have."""

GRAMS_PER = {"G": Decimal(1), "KG": Decimal(1000), "TONNE": Decimal(1_000_000),
             "LB": Decimal("453.59237"), "OZ": Decimal("28.349523125")}
"""Saleor's `WeightUnitsEnum`, in grams (the pound and ounce as defined in 1959)."""

MAX_ID = 100
"""The longest Saleor global id kept as a line's `variant_id` / `product_id`."""


CHECKOUT_EVENTS = frozenset({"ShippingListMethodsForCheckout", "CheckoutFilterShippingMethods"})
"""The `__typename` our subscription queries put in a shipping event's payload: a payload
without it (Saleor's legacy payload, or another query's) is not one we can read."""


def cart_of(payload: Any, *, limits: Limits) -> CheckoutCart:
    """The checkout of a list or filter event's `payload` as our cart.

    - currency: the channel's `currencyCode` (a Saleor checkout is in its channel's).
    - destination: the shipping address's `country.code`, `countryArea` as `region` when it
      is a region code (Saleor stores a country's own codes, "CA" in the US; a name is left
      out rather than refuse the checkout), `postalCode` as `postcode`; nothing else.
    - lines: one per line whose `requiresShipping` is not false: `sku` (the variant's, or
      "variant-<its id>"), `quantity`, `grams` (the variant's weight, else its product's,
      else its product type's, else 0, converted from Saleor's unit), `unit_price` (the
      line's `undiscountedUnitPrice` in the currency's minor unit), and Saleor's global
      ids of the variant and product as `variant_id` / `product_id`, by which the product
      catalog resolves a line.
    - locale: `languageCode` ("EN_US") as a tag ("en-US").
    The origin is unknown: a Saleor checkout names no ship-from address.

    Raises `InvalidRequest` naming every problem by its path in the payload
    ("checkout.lines.0.quantity"), the configured `limits` among them.
    """
    if (not isinstance(payload, Mapping) or payload.get("__typename") not in CHECKOUT_EVENTS
            or not isinstance(payload.get("checkout"), Mapping)):
        raise InvalidRequest("the Saleor payload has no checkout", {"checkout": [
            "required: an object (is the webhook's subscription query ours, and does the "
            "app have MANAGE_CHECKOUTS?)"]})
    return checkout_cart(payload["checkout"], "checkout", limits=limits)


def checkout_cart(checkout: Mapping[str, Any], path: str, *, limits: Limits) -> CheckoutCart:
    """`cart_of` for the checkout object at `path` (an order's lines read as one too)."""
    problems: dict[str, list[str]] = {}
    currency = _currency(checkout.get("channel"), f"{path}.channel.currencyCode", problems)
    destination = _destination(checkout.get("shippingAddress"), f"{path}.shippingAddress",
                               problems)
    lines = _lines(checkout.get("lines"), f"{path}.lines", currency, within_caps(limits),
                   problems)
    if problems:
        raise InvalidRequest("the Saleor checkout cannot be quoted", problems)
    payload: dict[str, Any] = {"currency": currency, "destination": destination,
                               "lines": lines}
    locale = _locale(checkout.get("languageCode"))
    if locale:
        payload["locale"] = locale
    return CheckoutCart(payload)


def method_ids(payload: Any) -> list[str]:
    """The ids of the methods a filter event's payload offers (`shippingMethods`), as
    Saleor sent them: what `excluded_answer` may name."""
    methods = payload.get("shippingMethods") if isinstance(payload, Mapping) else None
    if not isinstance(methods, list):
        return []
    return [method["id"] for method in methods
            if isinstance(method, Mapping) and isinstance(method.get("id"), str)]


def methods_answer(quote: Quote, *, voice: Voice) -> list[dict[str, Any]]:
    """The quote's options, in order, as Saleor's shipping methods.

    `id` the option's id (stable across requests and locales); `name` its label in
    `voice`; `amount` its price as a decimal string (exact; Saleor reads a string or a
    number) and `currency` the quote's, the checkout's; `description` its delivery
    window(s) in words (the day the carrier guarantees, for a guaranteed option:
    "Guaranteed by Wed, Nov 25"); `minimum_delivery_days` / `maximum_delivery_days` the
    calendar days from the day the quote was made (its `ordered_at`, in that instant's own
    offset) to the first and the last day of the option's whole delivery window. Saleor does not say
    whether its delivery days are business or calendar days; calendar days are what a
    window's dates give without a calendar, and what a shopper counts. A quote without
    options answers `[]`: no method of ours is offered."""
    today = quote.ordered_at.date()
    return [_method(option, voice, today) for option in quote.options]


def excluded_answer(method_ids: list[str], reason: str) -> dict[str, Any]:
    """The filter event's answer excluding `method_ids` (Saleor's ids, from `method_ids`),
    each with `reason`, which Saleor shows as the method's `message`. No ids: nothing is
    excluded."""
    return {"excluded_methods": [{"id": each, "reason": reason} for each in method_ids]}


def fallback_methods(fallback: FallbackRate, currency: str) -> list[dict[str, Any]]:
    """The shop's one fallback rate as a method, for a checkout that cannot be quoted
    whole; no delivery days, since none can be promised."""
    amount = fallback.price.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    method: dict[str, Any] = {"id": FALLBACK_ID, "name": _clip(fallback.name, NAME_LENGTH),
                              "amount": str(amount), "currency": currency}
    if fallback.description:
        method["description"] = _clip(fallback.description, DESCRIPTION_LENGTH)
    return [method]


def _method(option: Option, voice: Voice, today: date) -> dict[str, Any]:
    delivery = option.delivery
    return {
        "id": option.id,
        "name": _clip(voice.label(option), NAME_LENGTH),
        "amount": str(option.price.amount),
        "currency": option.price.currency,
        "minimum_delivery_days": max(0, (delivery.earliest - today).days),
        "maximum_delivery_days": max(0, (delivery.latest - today).days),
        "description": _clip(voice.describe(option), DESCRIPTION_LENGTH),
    }


def _clip(text: str, length: int) -> str:
    """`text` cut to `length` characters, an ellipsis marking the cut: Saleor drops a method
    whose name or description is longer."""
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _locale(code: Any) -> str | None:
    if not isinstance(code, str) or not code.replace("_", "").isalnum() or len(code) > 35:
        return None
    language, *rest = code.split("_")
    return "-".join([language.lower(), *rest]) if language else None


def _currency(channel: Any, path: str, problems: dict[str, list[str]]) -> str | None:
    code = channel.get("currencyCode") if isinstance(channel, Mapping) else None
    if not isinstance(code, str) or not code.strip():
        problems[path] = ["required: the channel's ISO 4217 currency code"]
        return None
    try:
        minor_unit(code.strip().upper())
    except UnknownCurrency:
        problems[path] = [f"{code!r} is not a currency this engine knows"]
        return None
    return code.strip().upper()


def _destination(address: Any, path: str, problems: dict[str, list[str]]) -> dict[str, str]:
    if not isinstance(address, Mapping):
        problems[path] = ["required: the checkout has no shipping address yet"]
        return {}
    country = address.get("country")
    code = country.get("code") if isinstance(country, Mapping) else None
    if not isinstance(code, str) or not code.strip():
        problems[f"{path}.country.code"] = ["required: an ISO 3166-1 alpha-2 code"]
        return {}
    found = {"country": code.strip().upper()}
    area = text_of(address.get("countryArea")).upper().removeprefix(found["country"] + "-")
    if area.isascii() and area.isalnum() and len(area) <= 3:
        found["region"] = area
    postcode = text_of(address.get("postalCode"))
    if len(postcode) > POSTCODE:
        problems[f"{path}.postalCode"] = [f"must be at most {POSTCODE} characters"]
    elif postcode:
        found["postcode"] = postcode
    return found


def _lines(lines: Any, path: str, currency: str | None, limits: Limits,
           problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(lines, list) or not lines:
        problems[path] = ["must be a list of at least one line"]
        return []
    found, malformed = [], False
    for index, line in enumerate(lines):
        at = f"{path}.{index}"
        if not isinstance(line, Mapping):
            problems[at] = ["must be an object"]
            malformed = True
            continue
        if line.get("requiresShipping") is False:  # a gift card, a download: no parcel
            continue
        read = _line(line, at, currency, limits.max_quantity, problems)
        malformed = malformed or read is None
        if read is not None:
            found.append(read)
    if not found and not malformed:
        problems[path] = ["no line requires shipping"]
    if len(found) > limits.max_lines:
        problems[path] = [f"at most {limits.max_lines} lines may require shipping"]
    return found


def _line(line: Mapping[str, Any], path: str, currency: str | None, max_quantity: int,
          problems: dict[str, list[str]]) -> dict[str, Any] | None:
    quantity = line.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
            1 <= quantity <= max_quantity):
        problems[f"{path}.quantity"] = [f"required: a whole number from 1 to {max_quantity}"]
        quantity = None
    variant = line.get("variant")
    if not isinstance(variant, Mapping):
        problems[f"{path}.variant"] = ["required: the line's product variant"]
        return None
    price = _price(line.get("undiscountedUnitPrice"), f"{path}.undiscountedUnitPrice",
                   currency, problems)
    grams = _grams(variant, f"{path}.variant", problems)
    sku = _sku(variant, f"{path}.variant", problems)
    if quantity is None or price is None or grams is None or sku is None:
        return None
    return {"sku": sku, "quantity": quantity, "unit_price": price, "grams": grams,
            **_platform_ids(variant)}


def _price(money: Any, path: str, currency: str | None,
           problems: dict[str, list[str]]) -> str | None:
    if not isinstance(money, Mapping):
        problems[path] = ["required: an object with amount and currency"]
        return None
    amount = decimal_of(money.get("amount"))
    if amount is None or not (0 <= amount <= MAX_AMOUNT):
        problems[f"{path}.amount"] = [f"required: an amount from 0 to {MAX_AMOUNT}"]
        return None
    if currency is None:
        return None  # the currency's own problem is recorded already
    if text_of(money.get("currency")).upper() != currency:
        problems[f"{path}.currency"] = [f"must be the checkout's currency, {currency}"]
        return None
    return str(amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP))


def _grams(variant: Mapping[str, Any], path: str, problems: dict[str, list[str]]) -> int | None:
    """The first weight given of the variant, its product, its product type, in grams
    (rounded half up); 0 when none is, as Saleor itself then weighs nothing."""
    product = _object(variant.get("product"))
    kind = _object(product.get("productType"))
    for at, weight in ((f"{path}.weight", variant.get("weight")),
                       (f"{path}.product.weight", product.get("weight")),
                       (f"{path}.product.productType.weight", kind.get("weight"))):
        if weight is None:
            continue
        factor = GRAMS_PER.get(text_of(weight.get("unit")).upper()) if isinstance(
            weight, Mapping) else None
        value = decimal_of(weight.get("value")) if isinstance(weight, Mapping) else None
        grams = None if factor is None or value is None else int(
            (value * factor).to_integral_value(rounding=ROUND_HALF_UP))
        if grams is None or not (0 <= grams <= MAX_GRAMS):
            problems[at] = [f"must be a weight (unit one of {', '.join(GRAMS_PER)}) of "
                            f"0 to {MAX_GRAMS} g"]
            return None
        return grams
    return 0


def _sku(variant: Mapping[str, Any], path: str, problems: dict[str, list[str]]) -> str | None:
    """The variant's SKU; a variant without one goes by its id ("variant-UHJv...")."""
    sku = variant.get("sku")
    if sku is not None and not isinstance(sku, str):
        problems[f"{path}.sku"] = ["must be a string or null"]
        return None
    if sku and sku.strip():
        return sku.strip()
    ident = _global_id(variant.get("id"))
    if ident:
        return f"variant-{ident}"
    problems[f"{path}.sku"] = ["the variant has neither a sku nor an id"]
    return None


def _platform_ids(variant: Mapping[str, Any]) -> dict[str, str]:
    product = variant.get("product")
    found = {"variant_id": _global_id(variant.get("id")),
             "product_id": _global_id(product.get("id") if isinstance(product, Mapping)
                                      else None)}
    return {key: value for key, value in found.items() if value}


def _global_id(value: Any) -> str | None:
    """A Saleor global id (base64 text) as sent; anything else names nothing."""
    text = text_of(value)
    ok = 0 < len(text) <= MAX_ID and text.isascii() and all(
        ch.isalnum() or ch in "+/=_-" for ch in text)
    return text if ok else None


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
