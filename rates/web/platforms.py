"""The one path every checkout platform's routes take (`web/shopify.py`,
`web/bigcommerce.py`, `web/saleor.py`): each route verifies its caller and translates its
body with the platform's adapter (`rates.platforms`), and hands the result here.

- `checkout`: a rate request's cart quoted for the store (`ShippingService
  .checkout_quote`), counted in `rates_quotes{channel=<platform>}`; a cart that cannot be
  quoted whole is a `Refusal`, counted in `rates_checkout_refusals{platform, reason}` and
  logged by its SKUs (never an address). The route then answers in its platform's words:
  its rates, or none (or the store's fallback rate).
- `delivery`: a webhook delivery applied once (`rates.app.platform_orders`). Every
  delivery that is applied, replayed or ignored answers 200 (a platform retries anything
  else, and an order that cannot be promised would be retried for nothing). Each logs
  one line (platform, topic, store, delivery id, outcome, our order id and, for an order
  not promised, why; never an address, a name or an email) and counts in
  `rates_platform_webhooks{platform, topic, outcome}`.
- `verified`: the configured store a route names, its caller verified by the platform's
  check; 404 for a store not configured (or whose secret this environment lacks: it
  could verify nothing), 401 for a caller the check refuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from flask import current_app, jsonify
from werkzeug.exceptions import HTTPException

from rates.app.checkout import Refusal
from rates.app.platform_events import CheckoutCart, PlatformEvent
from rates.app.platform_orders import PlatformOrders
from rates.app.quoting import Served, ShippingService
from rates.domain.errors import NotFound, RatesError
from rates.settings import FallbackRate, Limits, PlatformStore
from rates.web.api import metrics
from rates.wire.voice import Voice, voice_for

Shop = TypeVar("Shop", bound=PlatformStore)

MAX_HEADER = 200  # a topic or delivery id longer than this is no platform's


def service() -> ShippingService:
    found: ShippingService = current_app.config["RATES_SERVICE"]
    return found


def limits() -> Limits:
    """The quote request's limits, which a platform's cart keeps to."""
    return service().reloading.current.settings.limits


class UnknownShop(NotFound):
    """A store this service does not answer: not configured, or its secret is not set
    here (`rates serve` and `rates check` say which)."""

    code = "unknown_shop"


class PlatformUnavailable(RatesError):
    """The platform's own API did not answer what an event needs (an order's details):
    answered 503, so the platform delivers the event again later."""

    code = "platform_unavailable"
    status = 503


class BadSignature(RatesError):
    """A caller that is not the platform: nothing of its request is read further."""

    code = "bad_signature"
    status = 401


def environ() -> Mapping[str, str]:
    """The environment as the app read it when it was made (the stores' secrets)."""
    found: Mapping[str, str] = current_app.config["RATES_ENVIRON"]
    return found


def verified(platform: str, kind: type[Shop], name: str,
             check: Callable[[Shop], tuple[str, str] | None]) -> Shop:
    """The store `name` of `platform` (a Shopify domain, a BigCommerce store hash, a Saleor
    domain; its settings a `kind`), whose caller `check` verified: it returns None, or
    (the field at fault, why not). `UnknownShop` (404) for a store not answered here,
    `BadSignature` (401) when `check` refuses."""
    shop = current_app.config["RATES_STORES"].get((platform, name))
    if not isinstance(shop, kind):
        raise UnknownShop(f"no {platform} store {name!r} is configured",
                          {"store": ["not configured here"]})
    refused = check(shop)
    if refused is not None:
        field, why = refused
        raise BadSignature(why, {field: [why]})
    return shop


def checkout(shop: PlatformStore, cart: CheckoutCart) -> Served | Refusal:
    """`cart` quoted for `shop`; a `Refusal` when it cannot be quoted whole (counted and
    logged here: the route only words the answer)."""
    served = service().checkout_quote(cart, shop=shop)
    channel = shop.platform
    if isinstance(served, Refusal):
        metrics().quotes.labels(channel, "refused").inc()
        metrics().checkout_refusals.labels(channel, served.reason).inc()
        logging.getLogger(f"rates.{channel}").info("%s %s: no rate, %s", channel, shop.name,
                                                   served)
        return served
    metrics().quotes.labels(channel, "ok" if served.quote.options else "empty").inc()
    if served.reused:
        metrics().quotes_reused.labels(channel).inc()
    return served


def answer(shop: PlatformStore, cart: CheckoutCart,
           rates: Callable[[Served, Voice], Any],
           no_rates: Callable[[FallbackRate | None, str], Any]) -> Any:
    """The JSON answer to a rate request: `rates` of the quote, in the words of the cart's
    locale, or `no_rates` with the store's fallback rate (None: none) in the shop's
    currency when the cart cannot be quoted whole."""
    served = checkout(shop, cart)
    if isinstance(served, Refusal):
        currency = service().reloading.current.ruleset.currency
        return jsonify(no_rates(shop.fallback_rate, currency))
    return jsonify(rates(served, voice_for(served.ruleset, cart.payload.get("locale"))))


def delivery(shop: PlatformStore, delivery_id: str, topic: str, known: Collection[str],
             event_of: Callable[[], PlatformEvent]) -> Any:
    """Apply the verified delivery `delivery_id` of `topic` (`known`: the topics the
    platform is expected to send, counted by name) and answer what it did."""
    try:
        applied = PlatformOrders(service(), shop).receive(delivery_id, topic, event_of)
    except Exception as error:  # answered by the error handlers; still one line and a count
        outcome = ("unavailable" if isinstance(error, PlatformUnavailable) else "invalid"
                   if isinstance(error, RatesError | HTTPException) else "error")
        record(shop.platform, shop.name, topic, known, delivery_id, outcome)
        raise
    record(shop.platform, shop.name, topic, known, delivery_id, applied.outcome,
           applied.order_id, applied.reason)
    return jsonify({"outcome": applied.outcome, "order_id": applied.order_id})


def record(platform: str, shop: str, topic: str, known: Collection[str], delivery_id: str,
           outcome: str, order_id: str | None = None, reason: str | None = None) -> None:
    """A delivery's log line (logger `rates.<platform>`) and count; `shop` is the store
    as the route names it. A topic is counted by name only if it is in `known`, so a
    forged header cannot grow the metric's labels."""
    metrics().platform_webhooks.labels(platform, topic if topic in known else "other",
                                       outcome).inc()
    logging.getLogger(f"rates.{platform}").info(f"{platform} webhook", extra={
        "platform": platform, "topic": topic[:MAX_HEADER], "shop": shop[:MAX_HEADER],
        "webhook_id": delivery_id[:MAX_HEADER], "outcome": outcome, "order_id": order_id,
        "reason": reason})
