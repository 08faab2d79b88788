"""BigCommerce's Shipping Provider API: its rate request as our cart, our quote as its
answer, and its connection check.

Pure: no Flask, no I/O, no clock. Built to BigCommerce's own documentation
(developer.bigcommerce.com, "Shipping Providers" guide, docs/integrations/shipping, and the
"Shipping Provider" API reference, Request Shipping Rates / Validate Connection Options):
- BigCommerce POSTs `{"base_options": {origin, destination, items, customer, store_id,
  request_context}, "connection_options": {...}, "zone_options": {...}}` to `rate`.
  Addresses name the country `country_iso2`, the state `state_iso2`, the postcode `zip`.
  Each item has `sku`, `variant_id` and `product_id` (strings), `quantity`, `weight`
  (`{"units": "oz" | "g", "value"}`) and money as `{"currency", "amount"}`
  (`discounted_price`, `declared_value`): the request has no currency of its own, so the
  cart's is its items'. The documented example sends amounts as strings ("10") where the
  schema says number: both are read.
- The answer is `{"quote_id", "messages", "carrier_quotes": [{"carrier_info", "quotes":
  [{"code", "display_name", "cost": {"currency", "amount"}, "description", "rate_id",
  "dispatch_date", "transit_time": {"units", "duration"}}]}]}`; "no shipping quotes" is
  `carrier_quotes: []`. Lengths: `code` and `rate_id` at most 50 characters,
  `display_name` 100, `description` 500; `transit_time.duration` 1 to 90.
- Authentication is "developer-defined request body keys" (Authentication, "Developer-
  configured authentication"): the merchant enters our credential as a connection option
  (`CREDENTIAL_OPTION`) when connecting the carrier, and BigCommerce sends it in
  `connection_options` of every rate and check request.
- `check_connection_options` receives `{"connection_options": {...}}` and answers
  `{"valid": bool, "messages": [{"text", "type": "INFO" | "WARNING" | "ERROR"}]}`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rates.app.platform_events import CheckoutCart
from rates.domain.errors import InvalidRequest, UnknownCurrency
from rates.domain.money import Money, minor_unit
from rates.domain.plans import PlanKind
from rates.domain.quote.result import Option, Quote
from rates.platforms.reading import decimal_of, numeric_ids, text_of
from rates.settings import FallbackRate, Limits
from rates.wire.request import MAX_GRAMS, within_caps
from rates.wire.voice import Voice

CREDENTIAL_OPTION = "rates_token"
"""The connection option (type `password`) that carries the store's credential: the code
registered with BigCommerce for the carrier, and the key of `connection_options`."""

GRAMS_PER_UNIT = {"g": Decimal(1), "oz": Decimal("28.349523125")}
"""The weight units a rate request may use, in grams (an avoirdupois ounce exactly)."""

MAX_AMOUNT = Decimal("999999999999.99")
"""A unit price's bound, as the quote request's own: 12 digits before the point."""

CODE_LENGTH, NAME_LENGTH, DESCRIPTION_LENGTH = 50, 100, 500
"""BigCommerce's `maxLength` of a quote's `code` (and `rate_id`), `display_name` and
`description`: a longer string risks the whole answer being refused."""

MAX_TRANSIT_DAYS = 90
"""`transit_time.duration` is 1 to 90: a longer transit is left to the description."""

FALLBACK_CODE = "fallback"
"""The fallback rate's code: no option id lacks a slash, so it never collides."""



@dataclass(frozen=True, slots=True)
class CarrierInfo:
    """How a multi-carrier registration names the group of our quotes at checkout
    (`carrier_info`): a `code` of at most 50 characters and a `display_name` of 1 to 100."""

    code: str
    display_name: str


def cart_of(body: Any, *, limits: Limits) -> CheckoutCart:
    """BigCommerce's rate request `body` as our cart.

    - currency: the items' (`discounted_price.currency`, else `declared_value.currency`);
      every item must agree, and this engine must know it.
    - destination: `country_iso2`, `state_iso2` as `region` (an ISO 3166-2 "US-CA" loses
      its prefix), `zip` as `postcode`; empty ones are left out. No street, city, name or
      customer id is copied.
    - lines, one per item in BigCommerce's order: `sku` (or "variant-<variant_id>" for an
      item without one), `quantity`, `grams` (the item's `weight` in oz or g, rounded half
      up to the gram; 0 without a weight, which the product catalog then fills),
      `unit_price` from `discounted_price` (else `declared_value`), read as the price of
      one unit like the weight beside it, as a decimal string in the currency's minor
      unit, and `variant_id` / `product_id` as text where they are ids.
    - origin: the (`country_iso2`, `zip`) of `base_options.origin`, for sourcing only.

    Raises `InvalidRequest` listing every problem with its path in BigCommerce's body
    ("base_options.items.0.quantity"), the configured `limits` among them.
    """
    if not isinstance(body, Mapping):
        raise InvalidRequest("the BigCommerce rate request must be a JSON object",
                             {"_schema": ["must be a JSON object"]})
    base = body.get("base_options")
    if not isinstance(base, Mapping):
        raise InvalidRequest("the BigCommerce rate request has no base_options object",
                             {"base_options": ["must be an object"]})
    problems: dict[str, list[str]] = {}
    destination = _destination(base.get("destination"), problems)
    lines, currency = _lines(base.get("items"), within_caps(limits), problems)
    if problems:
        raise InvalidRequest("the BigCommerce rate request is invalid", problems)
    return CheckoutCart({"currency": currency, "destination": destination, "lines": lines},
                        _origin(base.get("origin")))


def credential_of(body: Any) -> str | None:
    """The credential the merchant entered (`connection_options.rates_token`), or None."""
    options = body.get("connection_options") if isinstance(body, Mapping) else None
    value = options.get(CREDENTIAL_OPTION) if isinstance(options, Mapping) else None
    return value if isinstance(value, str) and value else None


def authorized(body: Any, credential: str) -> bool:
    """Whether `body` carries the store's `credential`, compared in constant time. An
    empty configured credential never matches."""
    entered = credential_of(body)
    return bool(credential) and entered is not None and hmac.compare_digest(
        entered.encode("utf-8"), credential.encode("utf-8"))


def connection_answer(body: Any, *, credential: str) -> dict[str, Any]:
    """`check_connection_options`' answer: `valid` when the entered credential is the
    store's, else why not, as an ERROR message the merchant reads in the control panel."""
    if authorized(body, credential):
        return {"valid": True, "messages": [
            {"text": "Connected: this store's rates will be quoted.", "type": "INFO"}]}
    why = (f"Enter this store's rates token in the {CREDENTIAL_OPTION} option."
           if credential_of(body) is None else
           "That rates token is not this store's: copy it again from the rates service.")
    return {"valid": False, "messages": [{"text": why, "type": "ERROR"}]}


def quotes_answer(quote: Quote, *, voice: Voice, quote_id: str,
                  carrier_info: CarrierInfo | None = None) -> dict[str, Any]:
    """The quote's options, in order, as one group of BigCommerce's `carrier_quotes`
    (which BigCommerce shows cheapest first); no options is `carrier_quotes: []`.

    Each quote: `code` and `rate_id` the option's id (`quote_code`), by which the order
    names the choice; `display_name` its label in `voice` (service and plan, "UPS Ground -
    in-stock items now, the rest when restocked"); `cost` its price in the quote's
    currency; `description` its delivery window(s) in `voice`, the whole window in words
    (the day the carrier guarantees, for a guaranteed option: "Guaranteed by Wed, Nov 25");
    and `dispatch_date` with `transit_time` (`delivery_fields`).
    """
    quotes = [_quote(option, voice) for option in quote.options]
    group: dict[str, Any] = {"quotes": quotes}
    if carrier_info is not None:
        group["carrier_info"] = {"code": carrier_info.code[:CODE_LENGTH],
                                 "display_name": _clipped(carrier_info.display_name,
                                                          NAME_LENGTH)}
    return {"quote_id": quote_id[:CODE_LENGTH], "messages": [],
            "carrier_quotes": [group] if quotes else []}


def no_quotes_answer(quote_id: str) -> dict[str, Any]:
    """"No shipping quotes", as documented: a cart that gets no rate."""
    return {"quote_id": quote_id[:CODE_LENGTH], "messages": [], "carrier_quotes": []}


def fallback_answer(fallback: FallbackRate, currency: str, *,
                    quote_id: str) -> dict[str, Any]:
    """The store's one fallback rate ("Contact us for delivery") for a cart that cannot be
    quoted whole; no dispatch or transit, since no date can be promised."""
    rate = {"code": FALLBACK_CODE, "rate_id": FALLBACK_CODE,
            "display_name": _clipped(fallback.name, NAME_LENGTH),
            "cost": money_value(Money(fallback.price, currency))}
    if fallback.description:
        rate["description"] = _clipped(fallback.description, DESCRIPTION_LENGTH)
    return {"quote_id": quote_id[:CODE_LENGTH], "messages": [],
            "carrier_quotes": [{"quotes": [rate]}]}


def quote_code(option_id: str) -> str:
    """The option's `code` at BigCommerce: its id ("in_stock_first/ups/ground"), or, for an
    id longer than BigCommerce's 50 characters, its first 33 and 16 hex digits of its
    SHA-256, so that it still names one option and the order's code is matched by it."""
    if len(option_id) <= CODE_LENGTH:
        return option_id
    return f"{option_id[:33]}~{hashlib.sha256(option_id.encode()).hexdigest()[:16]}"


def money_value(money: Money) -> dict[str, Any]:
    """BigCommerce's money value: `amount` is a JSON number. The Decimal becomes a float
    only here, to be written: a float's shortest form gives back the same decimal digits
    for any amount of 15 significant digits or fewer (12.95 is written 12.95)."""
    return {"currency": money.currency, "amount": float(money.amount)}


def delivery_fields(option: Option) -> dict[str, Any]:
    """The option's delivery as BigCommerce's `dispatch_date` and `transit_time`.

    BigCommerce has one dispatch date and one transit time per quote, where an option has
    a window (and a shipment per parcel). They are written so that they add up to the
    window's last day, the day promised: the last parcel's latest dispatch, and the
    calendar DAYS from it to its latest delivery. Calendar days, not BUSINESS_DAYS, since
    our dates are already counted on the carrier's calendars, and BigCommerce's idea of a
    business day (holidays?) is not documented. A transit outside 1 to 90 days (same-day
    delivery, a long backorder) is left out, as is everything for a pickup; the
    description says the whole window in words either way.
    """
    if option.plan is PlanKind.PICKUP:
        return {}
    last = max(option.shipments, key=lambda s: (s.window.delivery.latest,
                                                s.window.ships.latest))
    dispatch = last.window.ships.latest
    fields: dict[str, Any] = {"dispatch_date": dispatch.isoformat()}
    days = (last.window.delivery.latest - dispatch).days
    if 1 <= days <= MAX_TRANSIT_DAYS:
        fields["transit_time"] = {"units": "DAYS", "duration": days}
    return fields


def _quote(option: Option, voice: Voice) -> dict[str, Any]:
    code = quote_code(option.id)
    return {"code": code, "rate_id": code,
            "display_name": _clipped(voice.label(option), NAME_LENGTH),
            "cost": money_value(option.price),
            "description": _clipped(voice.describe(option), DESCRIPTION_LENGTH),
            **delivery_fields(option)}


def _clipped(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _origin(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, Mapping):
        return None, None
    country, postcode = text_of(value.get("country_iso2")), text_of(value.get("zip"))
    return country.upper() or None, postcode or None


def _destination(value: Any, problems: dict[str, list[str]]) -> dict[str, str]:
    path = "base_options.destination"
    if not isinstance(value, Mapping):
        problems[path] = ["must be an object"]
        return {}
    country = text_of(value.get("country_iso2")).upper()
    if len(country) != 2 or not country.isalpha():
        problems[f"{path}.country_iso2"] = ["required: an ISO 3166-1 alpha-2 code"]
        return {}
    found = {"country": country}
    region = text_of(value.get("state_iso2")).upper().removeprefix(f"{country}-")
    if region:
        found["region"] = region
    postcode = text_of(value.get("zip"))
    if postcode:
        found["postcode"] = postcode
    return found


def _lines(items: Any, limits: Limits,
           problems: dict[str, list[str]]) -> tuple[list[dict[str, Any]], str | None]:
    """The cart's lines, and its currency (the first item's that this engine knows)."""
    path = "base_options.items"
    if not isinstance(items, list) or not items:
        problems[path] = ["must be a list of at least one item"]
        return [], None
    if len(items) > limits.max_lines:
        problems[path] = [f"at most {limits.max_lines} items may be quoted"]
        return [], None
    currency = None
    lines = []
    for index, item in enumerate(items):
        where = f"{path}.{index}"
        if not isinstance(item, Mapping):
            problems[where] = ["must be an object"]
            continue
        price = _price(item, where, currency, problems)
        if price is not None:
            currency = price.currency
        line = _line(item, where, limits.max_quantity, problems)
        if line is not None and price is not None:
            lines.append({**line, "unit_price": str(price.amount)})
    return lines, currency


def _line(item: Mapping[str, Any], path: str, max_quantity: int,
          problems: dict[str, list[str]]) -> dict[str, Any] | None:
    quantity = _whole(item.get("quantity"), f"{path}.quantity", max_quantity, problems)
    grams = _grams(item.get("weight"), f"{path}.weight", problems)
    ids = numeric_ids(item)
    sku = text_of(item.get("sku")) or (f"variant-{ids['variant_id']}" if "variant_id" in ids
                                      else None)
    if sku is None:
        problems[f"{path}.sku"] = ["the item has neither a sku nor a variant_id"]
    if quantity is None or grams is None or sku is None:
        return None
    return {"sku": sku, "quantity": quantity, "grams": grams, **ids}


def _price(item: Mapping[str, Any], path: str, currency: str | None,
           problems: dict[str, list[str]]) -> Money | None:
    key = "discounted_price" if "discounted_price" in item else "declared_value"
    path = f"{path}.{key}"
    value = item.get(key)
    if not isinstance(value, Mapping):
        problems[path] = ["required: the item's price, {currency, amount}"]
        return None
    code = text_of(value.get("currency")).upper()
    try:
        quantum = minor_unit(code)
    except UnknownCurrency:
        problems[f"{path}.currency"] = [f"{value.get('currency')!r} is not a currency this "
                                        "engine knows"]
        return None
    if currency is not None and code != currency:
        problems[f"{path}.currency"] = [f"must be the cart's currency, {currency}"]
        return None
    amount = decimal_of(value.get("amount"))
    if amount is None or not 0 <= amount <= MAX_AMOUNT:
        problems[f"{path}.amount"] = [f"required: an amount from 0 to {MAX_AMOUNT}"]
        return None
    return Money(amount.quantize(quantum, rounding=ROUND_HALF_UP), code)


def _grams(weight: Any, path: str, problems: dict[str, list[str]]) -> int | None:
    if weight is None:
        return 0
    units = text_of(weight.get("units")).lower() if isinstance(weight, Mapping) else ""
    if units not in GRAMS_PER_UNIT:
        problems[f"{path}.units"] = ["required: oz or g"]
        return None
    value = decimal_of(weight.get("value"))
    grams = None if value is None or value < 0 else (
        value * GRAMS_PER_UNIT[units]).to_integral_value(rounding=ROUND_HALF_UP)
    if grams is None or grams > MAX_GRAMS:
        problems[f"{path}.value"] = [f"required: a weight from 0 to {MAX_GRAMS} g"]
        return None
    return int(grams)


def _whole(value: Any, path: str, maximum: int, problems: dict[str, list[str]]) -> int | None:
    """A whole number from 1 to `maximum`: BigCommerce documents `quantity` as a number
    (int32), so 2.0 is 2; `true` is no quantity."""
    number = decimal_of(value) if not isinstance(value, str) else None
    if number is None or number != number.to_integral_value():
        problems[path] = ["required: a whole number of at least 1"]
        return None
    if not 1 <= number <= maximum:
        problems[path] = [f"must be from 1 to {maximum}"]
        return None
    return int(number)
