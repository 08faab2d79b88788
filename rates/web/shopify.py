"""Shopify's routes: the CarrierService callback (`POST /shopify/{shop}/rates`), asked for
rates at checkout, and the webhooks (`POST /shopify/{shop}/webhooks`), orders placed and
closed and products changed at the shop.

Shopify signs each with the app's shared secret (`rates.platforms.shopify.signature`); a
shop we do not answer is a 404, a bad signature a 401, and nothing is read further. The
callback's cart is translated by `rates.platforms.shopify.rates` and quoted by the path
every platform shares (`web/platforms.py`): a cart that cannot be quoted whole gets 200
with an empty `rates` list, which Shopify shows as "no shipping available", or the shop's
fallback rate. A webhook is dispatched on `X-Shopify-Topic` and applied once per
`X-Shopify-Webhook-Id`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import UnsupportedMediaType

from rates.domain.errors import RatesError
from rates.platforms.shopify.orders import TOPICS, shopify_event
from rates.platforms.shopify.rates import cart_of, fallback_response, rates_response
from rates.platforms.shopify.signature import HEADER, verify_hmac
from rates.settings import Shop
from rates.web import platforms
from rates.web.auth import public
from rates.web.bodies import parse_json
from rates.web.errors import error_response

shopify = Blueprint("shopify", __name__, url_prefix="/shopify")

TOPIC = "X-Shopify-Topic"
WEBHOOK_ID = "X-Shopify-Webhook-Id"
PLATFORM = "shopify"


def _signed(shop: Shop) -> tuple[str, str] | None:
    """None if the request is signed with `shop`'s shared secret."""
    secret = shop.secret(platforms.environ()) or ""
    if verify_hmac(request.get_data(cache=True), request.headers.get(HEADER), secret):
        return None
    return HEADER, f"the {HEADER} header does not match the body"


@shopify.post("/<shop>/rates")
@public  # authenticated by the shop's HMAC signature instead of an API key
def rates(shop: str) -> Any:
    found = platforms.verified(PLATFORM, Shop, shop, _signed)
    if not request.is_json:  # Shopify always sends JSON; anything else is not Shopify
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    cart = cart_of(parse_json(request.get_data(cache=True)), limits=platforms.limits())
    return platforms.answer(found, cart, lambda served, voice: rates_response(
        served.quote, voice=voice), fallback_response)


@shopify.post("/<shop>/webhooks")
@public  # authenticated by the shop's HMAC signature instead of an API key
def webhooks(shop: str) -> Any:
    topic = request.headers.get(TOPIC, "").strip()
    webhook_id = request.headers.get(WEBHOOK_ID, "").strip()
    try:
        found = platforms.verified(PLATFORM, Shop, shop, _signed)
    except RatesError:
        platforms.record(PLATFORM, shop, topic, TOPICS, webhook_id, "refused")
        raise
    missing = [name for name, value in ((TOPIC, topic), (WEBHOOK_ID, webhook_id))
               if not value or len(value) > platforms.MAX_HEADER]
    if missing:
        platforms.record(PLATFORM, shop, topic, TOPICS, webhook_id, "invalid")
        return error_response(400, "missing_header", f"{', '.join(missing)} is required",
                              {name: [f"required: 1 to {platforms.MAX_HEADER} characters"]
                               for name in missing})
    body = request.get_data(cache=True)
    return platforms.delivery(found, webhook_id, topic, TOPICS, lambda: shopify_event(
        topic, parse_json(body), limits=platforms.limits()))
