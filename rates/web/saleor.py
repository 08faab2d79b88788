"""Saleor's routes, for an instance that installed our app (docs/saleor.md):

- `GET /saleor/{domain}/manifest`: the app manifest the merchant installs from
  (`rates.platforms.saleor.manifest`), its webhooks pointing back at this service.
- `POST /saleor/{domain}/webhooks`: every webhook of the app, dispatched on `Saleor-Event`.
  Each payload is signed by the instance (`Saleor-Signature`, a JWS with a detached
  payload) and verified against its public keys (`JwksCache`: fetched from the
  instance, kept, fetched again for a key id it does not hold); a missing or wrong
  signature is 401 and nothing is read further.
  - `shipping_list_methods_for_checkout` (synchronous): the checkout quoted by the path
    every platform shares (`web/platforms.py`), answered as Saleor's shipping methods,
    or none (or the instance's fallback rate) when the cart cannot be quoted whole.
  - `checkout_filter_shipping_methods` (synchronous): when the cart cannot be quoted
    whole, every method is excluded (none could ship units nobody can supply); else none.
  - `order_created`, `order_cancelled`, `order_fulfilled`: the order's promise, applied
    once per delivery (Saleor gives a retry the same bytes).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from rates.app.checkout import Refusal
from rates.domain.errors import InvalidRequest, RatesError
from rates.platforms.saleor.checkout import (
    FALLBACK_ID,
    cart_of,
    excluded_answer,
    fallback_methods,
    method_ids,
    methods_answer,
)
from rates.platforms.saleor.jwks import JwksCache
from rates.platforms.saleor.manifest import manifest
from rates.platforms.saleor.orders import EVENTS, delivery_id, option_id, order_event
from rates.platforms.saleor.queries import FILTER_METHODS, LIST_METHODS
from rates.platforms.saleor.signature import verify
from rates.settings import FallbackRate, SaleorInstance
from rates.web import platforms
from rates.web.auth import public
from rates.web.bodies import parse_json

saleor = Blueprint("saleor", __name__, url_prefix="/saleor")

PLATFORM = "saleor"
EVENT = "Saleor-Event"
SIGNATURE = "Saleor-Signature"
EXCLUDED = "Not every item in the cart can be supplied"
KNOWN = frozenset({LIST_METHODS.lower(), FILTER_METHODS.lower(), *(e.lower() for e in EVENTS)})


def keys(instance: SaleorInstance) -> JwksCache:
    """The instance's public keys, one cache per instance and process."""
    caches: dict[str, JwksCache] = current_app.config.setdefault("RATES_SALEOR_KEYS", {})
    if instance.domain not in caches:
        clock: Any = platforms.service().clock
        caches[instance.domain] = JwksCache(instance.jwks_url, clock=clock)
    return caches[instance.domain]


def _signed(instance: SaleorInstance) -> tuple[str, str] | None:
    if verify(request.get_data(cache=True), request.headers.get(SIGNATURE), keys(instance)):
        return None
    return SIGNATURE, f"the {SIGNATURE} header is not the instance's signature of the body"


@saleor.get("/<domain>/manifest")
@public  # what the merchant pastes into Saleor's dashboard; it holds no secret
def app_manifest(domain: str) -> Any:
    platforms.verified(PLATFORM, SaleorInstance, domain, lambda _: None)
    return jsonify(manifest(app_url=request.host_url.rstrip("/"), domain=domain))


@saleor.post("/<domain>/webhooks")
@public  # authenticated by the instance's signature instead of an API key
def webhooks(domain: str) -> Any:
    event = request.headers.get(EVENT, "").strip().lower()
    try:
        instance = platforms.verified(PLATFORM, SaleorInstance, domain, _signed)
    except RatesError:
        platforms.record(PLATFORM, domain, event, KNOWN, "", "refused")
        raise
    body = request.get_data(cache=True)
    if event == LIST_METHODS.lower():
        cart = cart_of(parse_json(body), limits=platforms.limits())
        return platforms.answer(instance, cart, lambda served, voice: methods_answer(
            served.quote, voice=voice), _no_methods)
    if event == FILTER_METHODS.lower():
        return _filtered(instance, parse_json(body))
    if event in KNOWN:
        return platforms.delivery(instance, delivery_id(event, body), event, KNOWN,
                                  lambda: order_event(event, parse_json(body),
                                                      limits=platforms.limits()))
    if not event:
        raise InvalidRequest(f"the {EVENT} header is required", {EVENT: ["required"]})
    platforms.record(PLATFORM, domain, event, KNOWN, "", "ignored")
    return jsonify({"outcome": "ignored", "order_id": None})


def _no_methods(fallback: FallbackRate | None, currency: str) -> list[dict[str, Any]]:
    return [] if fallback is None else fallback_methods(fallback, currency)


def _filtered(instance: SaleorInstance, payload: Any) -> Any:
    """Every method excluded when the cart cannot be quoted whole, but the instance's
    fallback rate, which is there for exactly that cart; else none."""
    served = platforms.checkout(instance, cart_of(payload, limits=platforms.limits()))
    if not isinstance(served, Refusal):
        return jsonify(excluded_answer([], EXCLUDED))
    excluded = [each for each in method_ids(payload) if option_id(each) != FALLBACK_ID]
    return jsonify(excluded_answer(excluded, EXCLUDED))


