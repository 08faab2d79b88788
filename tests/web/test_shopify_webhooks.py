"""Shopify's webhooks through the app: a checkout's rate becomes the order's promise, once.

Each test first asks the rate callback for the example's mixed cart, as Shopify does at
checkout, then delivers signed webhooks as Shopify documents them (tests/support/shopify.py).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rates.settings import Role
from tests.support.shopify import delivery, mixed_cart, order_for, rate_headers, window
from tests.support.web import SHOP, auth
from tests.support.windows import dates

CHOSEN = "in_stock_first/ups/ground"
ORDER_ID = 820982911946154508
TABLES = ("quotes", "orders", "claims", "shopify_webhooks")


def checkout(client, cart: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The rates the callback answers for `cart` (default: the mixed cart), by code."""
    raw = json.dumps(cart or mixed_cart()).encode()
    response = client.post(f"/shopify/{SHOP}/rates", data=raw, headers=rate_headers(raw))
    assert response.status_code == 200, response.get_json()
    return {rate["service_code"]: rate for rate in response.get_json()["rates"]}


def deliver(client, topic: str, body: dict[str, Any], *, shop: str = SHOP, **signing: Any):
    raw, headers = delivery(topic, body, **signing)
    return client.post(f"/shopify/{shop}/webhooks", data=raw, headers=headers)


def order_document(client, order_id: int = ORDER_ID):
    return client.get(f"/v1/orders/shopify-{order_id}", headers=auth(Role.SUPPORT))


def rows(tmp_path: Path) -> dict[str, int]:
    """How many rows each table of the app's database holds."""
    with closing(sqlite3.connect(tmp_path / "rates.db")) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our names)
                for table in TABLES}


def counted(metrics, topic: str, outcome: str) -> float:
    return metrics.registry.get_sample_value(
        "rates_platform_webhooks_total",
        {"platform": "shopify", "topic": topic, "outcome": outcome}) or 0


def test_the_chosen_rate_becomes_the_orders_promise(client, metrics):
    rates = checkout(client)

    response = deliver(client, "orders/create", order_for(mixed_cart(), rates[CHOSEN]))

    assert response.status_code == 200
    assert response.get_json() == {"outcome": "promised", "order_id": f"shopify-{ORDER_ID}"}
    order = order_document(client)
    assert order.status_code == 200
    document = order.get_json()
    assert dates(document["promised"]) == window(rates[CHOSEN])
    assert (document["option_id"], document["status"], document["promise_source"]) == (
        CHOSEN, "open", "quote")
    assert Decimal(document["price"]["amount"]) * 100 == int(rates[CHOSEN]["total_price"])
    assert counted(metrics, "orders/create", "promised") == 1


def test_a_replayed_delivery_changes_nothing(client, tmp_path, metrics):
    rates = checkout(client)
    order = order_for(mixed_cart(), rates[CHOSEN])
    assert deliver(client, "orders/create", order, webhook_id="w-1").get_json()[
        "outcome"] == "promised"
    before, document = rows(tmp_path), order_document(client).get_json()

    # Shopify retries the same delivery; the order itself now reads otherwise.
    replayed = deliver(client, "orders/create", {**order, "line_items": []}, webhook_id="w-1")

    assert replayed.status_code == 200
    assert replayed.get_json() == {"outcome": "duplicate", "order_id": f"shopify-{ORDER_ID}"}
    assert rows(tmp_path) == before
    assert order_document(client).get_json() == document
    assert counted(metrics, "orders/create", "duplicate") == 1


def test_another_delivery_of_a_placed_order_places_nothing(client, tmp_path):
    rates = checkout(client)
    order = order_for(mixed_cart(), rates[CHOSEN])
    deliver(client, "orders/create", order)
    before = rows(tmp_path)
    again = deliver(client, "orders/create", order)  # a second subscription, say
    assert again.get_json()["outcome"] == "already_placed"
    assert rows(tmp_path) == {**before, "shopify_webhooks": before["shopify_webhooks"] + 1}


@pytest.mark.parametrize("signing", [{"secret": "not-the-secret"}, {"secret": ""}])
def test_a_bad_signature_is_a_401_and_stores_nothing(client, tmp_path, metrics, signing):
    rates = checkout(client)
    before = rows(tmp_path)
    raw, headers = delivery("orders/create", order_for(mixed_cart(), rates[CHOSEN]),
                            **signing)
    if not signing["secret"]:
        del headers["X-Shopify-Hmac-Sha256"]
    response = client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_signature"
    assert rows(tmp_path) == before
    assert order_document(client).status_code == 404
    assert counted(metrics, "orders/create", "refused") == 1


def test_an_unknown_shop_is_a_404(client, tmp_path):
    before = rows(tmp_path)
    response = deliver(client, "orders/create", order_for(mixed_cart()),
                       shop="someone-else.myshopify.com")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_shop"
    assert rows(tmp_path) == before


def test_a_delivery_without_its_webhook_id_is_a_400(client, tmp_path):
    raw, headers = delivery("orders/create", order_for(mixed_cart()))
    del headers["X-Shopify-Webhook-Id"]
    response = client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert response.status_code == 400
    assert "X-Shopify-Webhook-Id" in response.get_json()["error"]["fields"]


def test_an_expired_quote_is_quoted_again_as_ordered(client, tmp_path):
    rates = checkout(client)
    # Accepted 25 hours after its checkout: past orders.quote_valid_hours (24).
    order = order_for(mixed_cart(), rates[CHOSEN], created_at="2026-11-24T10:31:00-08:00")
    quotes = rows(tmp_path)["quotes"]

    response = deliver(client, "orders/create", order)

    assert response.get_json() == {"outcome": "requoted", "order_id": f"shopify-{ORDER_ID}"}
    document = order_document(client).get_json()
    assert document["promise_source"] == "requoted"
    assert document["option_id"] == CHOSEN
    assert document["ordered_at"] == "2026-11-24T10:31:00-08:00"
    assert document["quote_id"] not in {None, ""}
    assert rows(tmp_path)["quotes"] == quotes + 1


def test_a_changed_cart_is_quoted_again(client):
    rates = checkout(client)
    cart = mixed_cart()
    cart["rate"]["items"][1]["quantity"] = 1  # one lantern less than at checkout
    response = deliver(client, "orders/create", order_for(cart, rates[CHOSEN]))
    assert response.get_json()["outcome"] == "requoted"
    assert order_document(client).get_json()["promise_source"] == "requoted"


def test_a_rate_at_another_price_is_not_the_quotes(client):
    rates = checkout(client)
    chosen = {**rates[CHOSEN], "total_price": str(int(rates[CHOSEN]["total_price"]) + 100)}
    response = deliver(client, "orders/create", order_for(mixed_cart(), chosen))
    assert response.get_json()["outcome"] == "requoted"


def test_a_code_no_quote_offers_is_recorded_as_not_promised(client, tmp_path, caplog):
    rates = checkout(client)
    chosen = {**rates[CHOSEN], "service_code": "together/pigeon/express"}
    caplog.set_level(logging.INFO, logger="rates.shopify")

    response = deliver(client, "orders/create", order_for(mixed_cart(), chosen),
                       webhook_id="w-9")

    assert response.status_code == 200
    assert response.get_json() == {"outcome": "not_promised",
                                   "order_id": f"shopify-{ORDER_ID}"}
    assert order_document(client).status_code == 404
    [line] = [r for r in caplog.records if r.name == "rates.shopify"]
    assert (line.outcome, line.webhook_id, line.topic) == ("not_promised", "w-9",
                                                           "orders/create")
    assert "does not offer" in line.reason
    with closing(sqlite3.connect(tmp_path / "rates.db")) as connection:
        assert connection.execute("SELECT outcome, order_id FROM shopify_webhooks").fetchall(
        ) == [("not_promised", f"shopify-{ORDER_ID}")]


def test_an_order_with_a_shops_own_rate_is_not_promised(client):
    checkout(client)
    response = deliver(client, "orders/create", order_for(mixed_cart()))  # code: null
    assert response.get_json()["outcome"] == "not_promised"


@pytest.mark.parametrize(("topic", "status"), [("orders/cancelled", "cancelled"),
                                               ("orders/fulfilled", "shipped")])
def test_cancelled_and_fulfilled_close_the_order(client, topic, status):
    rates = checkout(client)
    order = order_for(mixed_cart(), rates[CHOSEN])
    deliver(client, "orders/create", order)

    response = deliver(client, topic, order)

    assert response.get_json() == {"outcome": "closed", "order_id": f"shopify-{ORDER_ID}"}
    assert order_document(client).get_json()["status"] == status
    assert deliver(client, topic, order).get_json()["outcome"] == "already_closed"


def test_closing_an_unknown_order_is_a_200(client, tmp_path):
    response = deliver(client, "orders/cancelled", order_for(mixed_cart()))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "unknown_order"


@pytest.mark.parametrize("topic", ["customers/create", "products/delete"])
def test_other_topics_are_ignored_with_a_log_line(client, tmp_path, caplog, metrics, topic):
    caplog.set_level(logging.INFO, logger="rates.shopify")
    before = rows(tmp_path)
    response = deliver(client, topic, {"id": 9554194432293, "title": "T-Shirt"})
    assert response.status_code == 200
    assert response.get_json() == {"outcome": "ignored", "order_id": None}
    assert rows(tmp_path) == before
    [line] = [r for r in caplog.records if r.name == "rates.shopify"]
    assert (line.topic, line.outcome) == (topic, "ignored")
    assert counted(metrics, "other", "ignored") == 1


def test_the_log_holds_no_personal_data(client, caplog):
    caplog.set_level(logging.DEBUG)
    rates = checkout(client)
    order = order_for(mixed_cart(), rates[CHOSEN])
    deliver(client, "orders/create", order)
    deliver(client, "orders/cancelled", order)
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    for personal in ("Steve", "Shipper", "123 Shipping Street", "jon@example.com",
                     "john@example.com", "555-555-SHIP", "94110", "Smith"):
        assert personal not in logged
    assert "shopify-820982911946154508" in logged


def test_a_malformed_order_is_a_422(client, tmp_path):
    before = rows(tmp_path)
    response = deliver(client, "orders/create", {"id": None})
    assert response.status_code == 422
    assert rows(tmp_path) == before
