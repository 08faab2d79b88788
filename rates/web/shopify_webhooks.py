"""Shopify's webhooks: `POST /shopify/{shop}/webhooks`, orders placed and closed at the shop.

Verified as the rate callback is (`callbacks.unverified`: 404 for an unknown shop, 401 for
a missing or wrong `X-Shopify-Hmac-Sha256`, and nothing is stored then), dispatched on
`X-Shopify-Topic`, applied once per `X-Shopify-Webhook-Id` (`rates.app.shopify_orders`).
Every delivery that is applied, replayed or ignored answers 200: Shopify retries anything
else, and an order that cannot be promised would be retried for nothing. Each delivery
logs one line (topic, shop, webhook id, outcome, our order id and, for an order not
promised, why; never an address, a name or an email) and counts in
`rates_shopify_webhooks{topic, outcome}`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from rates.app.quoting import ShippingService
from rates.app.shopify_orders import ShopifyWebhooks
from rates.domain.errors import RatesError
from rates.web.api import metrics
from rates.web.auth import public
from rates.web.bodies import parse_json
from rates.web.callbacks import unverified
from rates.web.errors import error_response
from rates.wire.shopify_orders import TOPICS

webhooks = Blueprint("shopify_webhooks", __name__, url_prefix="/shopify")
log = logging.getLogger("rates.shopify")

TOPIC = "X-Shopify-Topic"
WEBHOOK_ID = "X-Shopify-Webhook-Id"
MAX_HEADER = 200  # a topic or webhook id longer than this is not Shopify's


@webhooks.post("/<shop>/webhooks")
@public  # authenticated by the shop's HMAC signature instead of an API key
def receive(shop: str) -> Any:
    topic = request.headers.get(TOPIC, "").strip()
    webhook_id = request.headers.get(WEBHOOK_ID, "").strip()
    refused = unverified(shop)
    if refused is not None:
        _record(topic, shop, webhook_id, "refused")
        return refused
    missing = [name for name, value in ((TOPIC, topic), (WEBHOOK_ID, webhook_id))
               if not value or len(value) > MAX_HEADER]
    if missing:
        _record(topic, shop, webhook_id, "invalid")
        return error_response(400, "missing_header", f"{', '.join(missing)} is required",
                              {name: [f"required: 1 to {MAX_HEADER} characters"]
                               for name in missing})
    service: ShippingService = current_app.config["RATES_SERVICE"]
    try:
        settings = current_app.config["RATES_SHOPS"][shop]
        applied = ShopifyWebhooks(service, settings.unknown_items).receive(
            shop, webhook_id, topic, parse_json(request.get_data(cache=True)))
    except Exception as error:  # answered by the error handlers; still one line and a count
        _record(topic, shop, webhook_id, "invalid" if isinstance(error, RatesError | HTTPException)
                else "error")
        raise
    _record(topic, shop, webhook_id, applied.outcome, applied.order_id, applied.reason)
    return jsonify({"outcome": applied.outcome, "order_id": applied.order_id})


def _record(topic: str, shop: str, webhook_id: str, outcome: str,
            order_id: str | None = None, reason: str | None = None) -> None:
    """The delivery's log line and count. A topic is counted by name only if a shop is
    expected to send it, so a forged header cannot grow the metric's labels."""
    metrics().shopify_webhooks.labels(topic if topic in TOPICS else "other", outcome).inc()
    log.info("shopify webhook", extra={
        "topic": topic[:MAX_HEADER], "shop": shop[:MAX_HEADER],
        "webhook_id": webhook_id[:MAX_HEADER], "outcome": outcome, "order_id": order_id,
        "reason": reason})
