"""Carrier-service callbacks: Shopify asks us for rates at checkout.

Shopify signs each callback with the app's shared secret (X-Shopify-Hmac-Sha256 over the
raw body); a shop we do not know is a 404, a bad signature a 401. A cart that cannot ship,
or cannot be quoted whole (`rates.app.checkout`: units nobody can supply, an item the
shop's policy refuses), gets 200 with an empty `rates` list, which Shopify shows as "no
shipping available", or the shop's fallback rate; each refusal is logged (SKUs, never
addresses) and counted by reason. Only a failure we want Shopify to cover with its backup
rates answers 4xx/5xx.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from rates.app.checkout import Refusal
from rates.app.quoting import ShippingService
from rates.settings import Shop
from rates.web.api import metrics
from rates.web.auth import public
from rates.web.bodies import parse_json
from rates.web.errors import error_response
from rates.wire.shopify import (
    fallback_response,
    origin_address,
    quote_payload,
    rates_response,
    verify_hmac,
)
from rates.wire.shopify_carts import cart_key
from rates.wire.voice import voice_for

log = logging.getLogger(__name__)

shopify = Blueprint("shopify", __name__, url_prefix="/shopify")

SIGNATURE = "X-Shopify-Hmac-Sha256"


def unverified(shop: str) -> Any:
    """None if the request is signed by `shop`'s secret; else the answer: 404 for a shop
    we do not know, 401 for a missing or wrong signature (nothing is read further)."""
    secret = current_app.config["RATES_SHOP_SECRETS"].get(shop)
    if secret is None:
        return error_response(404, "unknown_shop", f"no shop {shop!r} is configured")
    if not verify_hmac(request.get_data(cache=True), request.headers.get(SIGNATURE), secret):
        return error_response(401, "bad_signature",
                              f"the {SIGNATURE} header does not match the body")
    return None


@shopify.post("/<shop>/rates")
@public  # authenticated by the shop's HMAC signature instead of an API key
def rates(shop: str) -> Any:
    refused = unverified(shop)
    if refused is not None:
        return refused
    raw = request.get_data(cache=True)
    if not request.is_json:  # Shopify always sends JSON; anything else is not Shopify
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    body = parse_json(raw)
    service: ShippingService = current_app.config["RATES_SERVICE"]
    settings: Shop = current_app.config["RATES_SHOPS"][shop]
    payload = quote_payload(body, now=service.clock(),
                            limits=service.reloading.current.settings.limits)
    answer = service.checkout_quote(payload, unknown_items=settings.unknown_items,
                                    origin=origin_address(body),
                                    cart_key=cart_key(shop, body))
    if isinstance(answer, Refusal):
        metrics().quotes.labels("shopify", "refused").inc()
        metrics().checkout_refusals.labels("shopify", answer.reason).inc()
        log.info("shopify %s: no rate, %s", shop, answer)
        if settings.fallback_rate is None:
            return jsonify({"rates": []})
        currency = service.reloading.current.ruleset.currency
        return jsonify(fallback_response(settings.fallback_rate, currency))
    quote, ruleset = answer.quote, answer.ruleset
    metrics().quotes.labels("shopify", "ok" if quote.options else "empty").inc()
    return jsonify(rates_response(quote, voice=voice_for(ruleset, payload.get("locale"))))
