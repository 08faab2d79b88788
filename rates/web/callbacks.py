"""Carrier-service callbacks: Shopify asks us for rates at checkout.

Shopify signs each callback with the app's shared secret (X-Shopify-Hmac-Sha256 over the
raw body); a shop we do not know is a 404, a bad signature a 401. A cart that cannot ship
gets 200 with an empty `rates` list, which Shopify shows as "no shipping available"; only
a failure we want Shopify to cover with its backup rates answers 4xx/5xx.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from rates.app.quoting import ShippingService
from rates.web.api import metrics
from rates.web.auth import public
from rates.web.bodies import parse_json
from rates.web.errors import error_response
from rates.wire.shopify import quote_payload, rates_response, verify_hmac
from rates.wire.voice import voice_for

shopify = Blueprint("shopify", __name__, url_prefix="/shopify")

SIGNATURE = "X-Shopify-Hmac-Sha256"
# A locale tag as Shopify sends it ("fr", "pt-BR"); anything else is ignored, so that an odd
# locale never fails a checkout: the shopper then reads the shop's default locale.
LOCALE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")


@shopify.post("/<shop>/rates")
@public  # authenticated by the shop's HMAC signature instead of an API key
def rates(shop: str) -> Any:
    secret = current_app.config["RATES_SHOP_SECRETS"].get(shop)
    if secret is None:
        return error_response(404, "unknown_shop", f"no shop {shop!r} is configured")
    raw = request.get_data(cache=True)
    if not verify_hmac(raw, request.headers.get(SIGNATURE), secret):
        return error_response(401, "bad_signature",
                              f"the {SIGNATURE} header does not match the body")
    if not request.is_json:  # Shopify always sends JSON; anything else is not Shopify
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    body = parse_json(raw)
    service: ShippingService = current_app.config["RATES_SERVICE"]
    payload = quote_payload(body, now=service.clock())
    locale = body["rate"].get("locale")
    if isinstance(locale, str) and LOCALE_TAG.fullmatch(locale):
        payload["locale"] = locale  # the stored quote reads as the shopper read it
    served = service.served_quote(payload)
    quote, ruleset = served.quote, served.ruleset
    metrics().quotes.labels("shopify", "ok" if quote.options else "empty").inc()
    return jsonify(rates_response(quote, voice=voice_for(ruleset, payload.get("locale"))))
