"""Shopify's side of the webhook tests: signed deliveries and orders shaped as Shopify
documents them.

`SHOPIFY_ORDER` (tests/platforms/shopify/fixtures/order_created.json) is the sample payload
Shopify documents for the orders/create topic (shopify.dev, Webhooks reference), trimmed to
the fields an order of a few lines carries, with the documented names and shapes: decimal
strings for prices, `price_set` in shop and presentment money, the shipping address with
`country_code`, `province_code` and `zip`, and one shipping line whose `code` is null (a
shop's own rate; a carrier-service rate carries its `service_code` there). `order_for`
gives it the cart of a rate request and the rate the customer chose.

`SHOPIFY_FULFILLMENT` (fixtures/fulfillment_created.json) and `SHOPIFY_FULFILLMENT_EVENT`
(fixtures/fulfillment_event_created.json) are the sample payloads Shopify documents for
the fulfillments/create and fulfillment_events/create topics, verbatim, from
https://shopify.dev/docs/api/webhooks/2026-07 (the fulfillments/update sample is the
fulfillments/create one). `fulfillment_for` gives the fulfillment an order's line items.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import uuid
from decimal import Decimal
from typing import Any

from tests.support.project import (
    SHOPIFY_FULFILLMENT,
    SHOPIFY_FULFILLMENT_EVENT,
    SHOPIFY_ORDER,
    SHOPIFY_RATE_REQUEST,
)
from tests.support.web import SHOP_SECRET


def signature(body: bytes, secret: str = SHOP_SECRET) -> str:
    """X-Shopify-Hmac-Sha256: base64 of the HMAC-SHA256 of the raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def delivery(topic: str, body: dict[str, Any], *, webhook_id: str | None = None,
             secret: str = SHOP_SECRET) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of one delivery of `topic`, signed with `secret`."""
    raw = json.dumps(body).encode()
    return raw, {"Content-Type": "application/json", "X-Shopify-Topic": topic,
                 "X-Shopify-Hmac-Sha256": signature(raw, secret),
                 "X-Shopify-Shop-Domain": "example-outfitters.myshopify.com",
                 "X-Shopify-API-Version": "2026-10",
                 "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
                 "X-Shopify-Event-Id": str(uuid.uuid4())}


def documented_order() -> dict[str, Any]:
    return json.loads(SHOPIFY_ORDER.read_text())  # type: ignore[no-any-return]


def documented_fulfillment() -> dict[str, Any]:
    return json.loads(SHOPIFY_FULFILLMENT.read_text())  # type: ignore[no-any-return]


def documented_fulfillment_event() -> dict[str, Any]:
    return json.loads(SHOPIFY_FULFILLMENT_EVENT.read_text())  # type: ignore[no-any-return]


def fulfillment_for(order: dict[str, Any], quantities: dict[str, int], *,
                    fulfillment_id: int = 123456, created_at: str,
                    updated_at: str | None = None,
                    shipment_status: str | None = None) -> dict[str, Any]:
    """The documented fulfillment, shipped (`status` "success") at `created_at`, of
    `order` (as `order_for` made it): `quantities` units of its line items, by SKU."""
    fulfillment = documented_fulfillment()
    [template, *_] = fulfillment["line_items"]
    lines = {line["sku"]: line for line in order["line_items"]}
    fulfillment.update(
        id=fulfillment_id, order_id=order["id"], status="success", created_at=created_at,
        updated_at=updated_at or created_at, shipment_status=shipment_status,
        name=f"{order['name']}.1", admin_graphql_api_id=f"gid://shopify/Fulfillment/{fulfillment_id}",
        line_items=[{**template, **{key: lines[sku][key] for key in (
            "id", "sku", "variant_id", "product_id", "name", "title", "grams", "price")},
            "quantity": quantity} for sku, quantity in quantities.items()])
    return fulfillment


def order_for(rate_request: dict[str, Any], rate: dict[str, Any] | None = None, *,
              order_id: int = 820982911946154508,
              created_at: str = "2026-11-23T09:31:00-08:00") -> dict[str, Any]:
    """The documented order, for the cart of `rate_request` (Shopify's callback body) and
    the `rate` of the callback's answer the customer chose (its code and price)."""
    order = documented_order()
    cart = rate_request["rate"]
    order["id"] = order_id
    order["admin_graphql_api_id"] = f"gid://shopify/Order/{order_id}"
    order["created_at"] = order["processed_at"] = created_at
    order["currency"] = order["presentment_currency"] = cart["currency"]
    [template] = order["line_items"]
    order["line_items"] = [_line(template, item, cart["currency"]) for item in cart["items"]]
    address = order["shipping_address"]
    destination = cart["destination"]
    address.update(country_code=destination["country"], province_code=destination["province"],
                   zip=destination["postal_code"])
    if rate is not None:
        [line] = order["shipping_lines"]
        price = str(Decimal(rate["total_price"]) / 100)
        line.update(code=rate["service_code"], title=rate["service_name"], price=price,
                    carrier_identifier="650f1a14fa979ec5c74d063e968411d4")
        for money in line["price_set"].values():
            money.update(amount=price, currency_code=cart["currency"])
    return order


def _line(template: dict[str, Any], item: dict[str, Any], currency: str) -> dict[str, Any]:
    line = copy.deepcopy(template)
    price = str(Decimal(item["price"]) / 100)
    line.update(sku=item.get("sku"), variant_id=item.get("variant_id"),
                product_id=item.get("product_id"),
                quantity=item["quantity"], current_quantity=item["quantity"],
                fulfillable_quantity=item["quantity"], grams=item["grams"], price=price,
                name=item.get("name", line["name"]), title=item.get("name", line["title"]))
    for money in line["price_set"].values():
        money.update(amount=price, currency_code=currency)
    return line


def mixed_cart() -> dict[str, Any]:
    """The example's mixed cart as Shopify's rate callback sends it (the documented
    request, prices in cents, SKUs of the example's inventory), to San Francisco."""
    body: dict[str, Any] = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["destination"].update(country="US", province="CA", postal_code="94110")
    item = body["rate"]["items"][0]
    body["rate"]["items"] = [
        {**item, "sku": "TENT-2P", "quantity": 3, "price": 14900, "grams": 3200},
        {**item, "sku": "LANTERN", "quantity": 2, "price": 1950, "grams": 400},
        {**item, "sku": "STOVE-2B", "quantity": 1, "price": 8900, "grams": 4500},
    ]
    return body


def rate_headers(raw: bytes, secret: str = SHOP_SECRET) -> dict[str, str]:
    """The headers of a rate callback with the body `raw`."""
    return {"Content-Type": "application/json", "X-Shopify-Hmac-Sha256": signature(raw, secret)}


def window(rate: dict[str, Any]) -> dict[str, str]:
    """A rate's delivery dates as an order document's promised window."""
    return {"earliest": rate["min_delivery_date"][:10], "latest": rate["max_delivery_date"][:10]}
