"""Shopify's checkout to promise on a real `rates serve`: gunicorn workers on 127.0.0.1,
spoken to over HTTP, with a real at-risk webhook receiver.

The shopper's checkout asks the rate callback; Shopify then delivers orders/create with
the chosen rate's code; the order is promised the rate's dates; a lot slips and the
at-risk webhook fires; Shopify's replay, a forged delivery and the cancellation follow.
The inventory is set relative to today, since the server runs on the real clock.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from standardwebhooks import Webhook

from tests.support.project import RATES
from tests.support.shopify import delivery, order_for, rate_headers, signature, window
from tests.support.web import SHOP, SHOP_SECRET
from tests.support.webhooks import SECRET, SECRET_ENV, Receiver
from tests.support.windows import dates

ADMIN = {"Authorization": "Bearer rk_demo_admin_key_for_the_bundled_example_only"}
SUPPORT = {"Authorization": "Bearer rk_demo_support_key_for_the_bundled_example_only"}
CHOSEN = "in_stock_first/ups/ground"
ORDER_ID = 5001002003004


def tents(earliest: int, latest: int) -> dict[str, Any]:
    """TENT-2P: two on hand at reno, ten more due in `earliest` to `latest` days."""
    today = date.today()
    return {"locations": [{"location": "reno", "on_hand": 2, "inbound": [
        {"id": "PO-1042", "quantity": 10,
         "earliest": (today + timedelta(days=earliest)).isoformat(),
         "latest": (today + timedelta(days=latest)).isoformat()}]}],
        "lead_time_days": [21, 35]}


def cart() -> dict[str, Any]:
    """Three tents to Reno as Shopify's callback asks: two ship now, one is backordered."""
    return {"rate": {
        "origin": {"country": "US", "postal_code": "89502", "province": "NV"},
        "destination": {"country": "US", "province": "NV", "postal_code": "89501",
                        "city": "Reno", "name": "Bob Norman", "address1": "1 Main St"},
        "items": [{"name": "Tent", "sku": "TENT-2P", "quantity": 3, "grams": 3200,
                   "price": 14900, "vendor": "Example", "requires_shipping": True,
                   "taxable": True, "fulfillment_service": "manual", "properties": None,
                   "product_id": 48447225880, "variant_id": 258644705304}],
        "currency": "USD", "locale": "en"}}


def rows(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in ("quotes", "orders", "claims", "shopify_webhooks")}


@pytest.mark.skipif(not RATES.exists(), reason="the console script is installed by make")
def test_a_shopify_checkout_becomes_a_promise_that_is_watched(serve, example: Path):
    hook = Receiver()
    try:
        with example.open("a") as config:
            config.write(f"webhooks: {{url: '{hook.url}', secret_env: {SECRET_ENV}, "
                         "poll_seconds: 0.1}\n")
        server = serve(**{SECRET_ENV: SECRET, "RATES_SHOPIFY_SECRET": SHOP_SECRET})
        checkout_to_cancellation(server.base, example.parent / "rates.db", hook)
        log = server.stop()
    finally:
        hook.close()
    lines = [json.loads(line) for line in log.splitlines()
             if line.startswith("{") and '"message": "shopify webhook"' in line]
    assert [(line["topic"], line["outcome"]) for line in lines] == [
        ("orders/create", "promised"), ("orders/create", "duplicate"),
        ("orders/create", "refused"), ("orders/cancelled", "closed")]
    assert {line["shop"] for line in lines} == {SHOP}
    for personal in ("Bob Norman", "1 Main St", "Steve", "123 Shipping Street",
                     "jon@example.com", "89501"):
        assert personal not in log


def checkout_to_cancellation(base: str, database: Path, hook: Receiver) -> None:
    session = requests.Session()
    assert session.put(f"{base}/v1/inventory/TENT-2P", json=tents(5, 9), headers=ADMIN,
                       timeout=10).status_code == 200

    raw = json.dumps(cart()).encode()
    answered = session.post(f"{base}/shopify/{SHOP}/rates", data=raw,
                            headers=rate_headers(raw), timeout=10)
    assert answered.status_code == 200, answered.text
    rate = {r["service_code"]: r for r in answered.json()["rates"]}[CHOSEN]

    order = order_for(cart(), rate, order_id=ORDER_ID,
                      created_at=datetime.now(UTC).isoformat(timespec="seconds"))
    body, headers = delivery("orders/create", order, webhook_id="e2e-create")
    placed = session.post(f"{base}/shopify/{SHOP}/webhooks", data=body, headers=headers,
                          timeout=10)
    assert placed.status_code == 200, placed.text
    assert placed.json()["outcome"] == "promised"
    url = f"{base}/v1/orders/shopify-{ORDER_ID}"
    promised = session.get(url, headers=SUPPORT, timeout=10).json()
    assert dates(promised["promised"]) == window(rate)
    assert (promised["status"], promised["promise_source"]) == ("open", "quote")

    # The lot slips a month: the promise is at risk, and the merchant hears it once.
    assert session.put(f"{base}/v1/inventory/TENT-2P", json=tents(40, 45), headers=ADMIN,
                       timeout=10).status_code == 200
    assert hook.wait_for(1, timeout=15)
    (notice,) = hook.received
    event = Webhook(SECRET).verify(notice.body, notice.headers)
    assert event["type"] == "promise.at_risk"
    assert event["order"]["id"] == f"shopify-{ORDER_ID}"
    assert dates(event["order"]["promised"]) == window(rate)
    assert session.get(url, headers=SUPPORT, timeout=10).json()["at_risk"]

    # Shopify delivers the same webhook again: nothing changes.
    before = rows(database)
    replayed = session.post(f"{base}/shopify/{SHOP}/webhooks", data=body, headers=headers,
                            timeout=10)
    assert (replayed.status_code, replayed.json()["outcome"]) == (200, "duplicate")
    assert rows(database) == before
    again = session.get(url, headers=SUPPORT, timeout=10).json()
    assert (again["quote_id"], again["accepted_at"], again["promised"]) == (
        promised["quote_id"], promised["accepted_at"], promised["promised"])

    # A delivery signed with another secret: refused, nothing stored.
    forged, forged_headers = delivery("orders/create", {**order, "id": ORDER_ID + 1},
                                      webhook_id="e2e-forged")
    forged_headers["X-Shopify-Hmac-Sha256"] = signature(forged, "not-the-secret")
    refused = session.post(f"{base}/shopify/{SHOP}/webhooks", data=forged,
                           headers=forged_headers, timeout=10)
    assert refused.status_code == 401
    assert rows(database) == before

    cancel, cancel_headers = delivery("orders/cancelled", {**order, "cancel_reason": "customer"})
    closed = session.post(f"{base}/shopify/{SHOP}/webhooks", data=cancel,
                          headers=cancel_headers, timeout=10)
    assert (closed.status_code, closed.json()["outcome"]) == (200, "closed")
    assert session.get(url, headers=SUPPORT, timeout=10).json()["status"] == "cancelled"
