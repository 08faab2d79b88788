"""The whole path of an at-risk notification, in a service built as `rates serve` builds
it: an order is placed, its lot slips, the inventory update finds the promise at risk,
and the dispatcher delivers one signed event to a real receiver on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime

from rates.web.app import build_app
from tests.support.webhooks import SECRET, SECRET_ENV, verified

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno
CART = {"reference": "cart-3001", "currency": "USD",
        "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}]}
SLIPPED = {"locations": [{"location": "reno", "on_hand": 2, "inbound": [
    {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-17", "latest": "2026-12-21"}]}],
    "lead_time_days": [21, 35]}
ADMIN = {"Authorization": "Bearer rk_demo_admin_key_for_the_bundled_example_only"}
QUOTE = {"Authorization": "Bearer rk_demo_quote_key_for_the_bundled_example_only"}


def test_a_promise_newly_at_risk_is_delivered_once_signed(example, receiver, monkeypatch):
    hook = receiver()
    monkeypatch.setenv(SECRET_ENV, SECRET)
    with example.open("a") as config:
        config.write(f"webhooks: {{url: '{hook.url}', secret_env: {SECRET_ENV}, "
                     "poll_seconds: 0.1}\n")
    app = build_app(example, lambda: NOW, watch=False)
    try:
        notified(app.test_client(), hook)
    finally:
        app.config["RATES_WEBHOOKS"].stop()


def notified(client, hook) -> None:
    quote_id = client.post("/v1/quotes", json=CART, headers=QUOTE).get_json()["id"]
    assert client.post("/v1/orders", headers=QUOTE, json={
        "order_id": "order-77", "quote_id": quote_id,
        "option_id": "in_stock_first/ups/ground"}).status_code == 201

    assert client.put("/v1/inventory/TENT-2P", json=SLIPPED, headers=ADMIN).status_code == 200
    # Found again, still at risk: not a new event.
    assert client.put("/v1/inventory/TENT-2P", json=SLIPPED, headers=ADMIN).status_code == 200

    assert hook.wait_for(1, timeout=10)
    assert not hook.wait_for(2, timeout=0.5)
    (request,) = hook.received
    assert request.headers["webhook-id"].startswith("msg_")
    event = verified(request.body, request.headers, NOW)
    assert event["type"] == "promise.at_risk"
    assert event["order"]["id"] == "order-77"
    assert event["order"]["causes"][0]["lot"] == "PO-1042"
    assert event["order"]["days_late"] > 0
