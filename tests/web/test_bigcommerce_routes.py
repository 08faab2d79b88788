"""BigCommerce's routes through the app: its Shipping Provider's rate and connection check,
and its order webhooks, whose orders are read from the v2 Orders API stand-in
(tests/support/bigcommerce.py) on 127.0.0.1. The bodies are BigCommerce's documented
examples (tests/platforms/bigcommerce/fixtures), their carts the example's SKUs."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rates.settings import BigCommerceStore, Role
from tests.support.bigcommerce import (
    CREDENTIAL,
    ENVIRON,
    ORDER,
    STORE_HASH,
    bigcommerce_api,
    callback,
    fixture,
    order_for,
    rate_request,
)
from tests.support.web import auth

CHOSEN = "in_stock_first/ups/ground"
ORDER_ID = f"bigcommerce-{STORE_HASH}-{ORDER}"
TABLES = ("quotes", "orders", "shopify_webhooks")
WEBHOOK_HEADERS = {"X-Rates-Webhook-Token": CREDENTIAL}


@pytest.fixture
def api():
    with bigcommerce_api() as store:
        yield store


@pytest.fixture
def client(make_app, api):
    """The app answering the store `abc123`, its orders read from the stand-in."""
    store = BigCommerceStore(STORE_HASH, *ENVIRON, api_url=api.base)
    return make_app(ENVIRON, bigcommerce=(store,)).test_client()


def rate(client, body: dict[str, Any]):
    return client.post(f"/bigcommerce/{STORE_HASH}/rate", json=body)


def quotes_of(client, body: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The quotes our rate answer offers for `body` (default: the mixed cart), by code."""
    response = rate(client, body or rate_request())
    assert response.status_code == 200, response.get_json()
    [group] = response.get_json()["carrier_quotes"]
    return {quote["code"]: quote for quote in group["quotes"]}


def deliver(client, body: dict[str, Any], headers: dict[str, str] | None = None):
    return client.post(f"/bigcommerce/{STORE_HASH}/webhooks", json=body,
                       headers=WEBHOOK_HEADERS if headers is None else headers)


def order_document(client, order_id: str = ORDER_ID):
    return client.get(f"/v1/orders/{order_id}", headers=auth(Role.SUPPORT))


def rows(tmp_path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(tmp_path / "rates.db")) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our names)
                for table in TABLES}


def placed(client, api) -> dict[str, Any]:
    """The mixed cart quoted, and the order of its CHOSEN quote delivered: that quote."""
    request = rate_request()
    chosen = quotes_of(client, request)[CHOSEN]
    api.orders[ORDER] = order_for(request, chosen)
    response = deliver(client, callback())
    assert response.get_json() == {"outcome": "promised", "order_id": ORDER_ID}
    return chosen


def test_the_documented_request_gets_quotes_in_bigcommerces_words(client):
    """The documented rate request, its one item (SKU-100, known to no inventory: on hand
    at reno under `unknown_items: in_stock`) weighing 1 kg and going to Ottawa, ON, as
    Shopify's documented example does (tests/web/test_callbacks_shopify.py): UPS Ground in
    the `canada` zone, the 29.95 band, shipped Mon 23 or Tue 24 Nov and delivered Thu 26
    Nov to Wed 2 Dec. BigCommerce's one dispatch date and transit add up to the last day:
    dispatched Tue 24, 8 calendar days to Wed 2 Dec."""
    body = rate_request((("SKU-100", 1, 1000, "10"),),
                        destination={"country_iso2": "CA", "state_iso2": "ON",
                                     "zip": "K1M 1M4"})
    quotes = quotes_of(client, body)
    assert quotes["together/ups/ground"] == {
        "code": "together/ups/ground", "rate_id": "together/ups/ground",
        "display_name": "UPS Ground - ship everything together",
        "cost": {"currency": "USD", "amount": 29.95},
        "description": "Arrives Nov 26 - Dec 2",
        "dispatch_date": "2026-11-24",
        "transit_time": {"units": "DAYS", "duration": 8},
    }


@pytest.mark.parametrize("credential", ["not-the-credential", None])
def test_a_wrong_or_missing_credential_is_a_401_and_stores_nothing(client, tmp_path,
                                                                    credential):
    before = rows(tmp_path)
    response = rate(client, rate_request(credential=credential))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_signature"
    assert rows(tmp_path) == before


@pytest.mark.parametrize("token", ["not-the-credential", None])
def test_a_webhook_without_the_stores_token_is_a_401_and_stores_nothing(client, api,
                                                                        tmp_path, token):
    quotes_of(client)
    before = rows(tmp_path)
    response = deliver(client, callback(), {} if token is None else {
        "X-Rates-Webhook-Token": token})
    assert response.status_code == 401
    assert rows(tmp_path) == before
    assert api.requests == []  # the Orders API is not even asked
    assert order_document(client).status_code == 404


def test_units_nobody_can_supply_get_no_quotes(client, tmp_path):
    """TENT-4P x10 to NJ: only 5 can be supplied (tests/web/test_callbacks_shopify.py)."""
    nj = {"country_iso2": "US", "state_iso2": "NJ", "zip": "07030"}
    response = rate(client, rate_request((("TENT-4P", 10, 6800, "349.00"),),
                                         destination=nj))
    assert response.status_code == 200
    answer = response.get_json()
    assert (answer["carrier_quotes"], answer["messages"]) == ([], [])
    assert quotes_of(client, rate_request((("TENT-4P", 5, 6800, "349.00"),),
                                          destination=nj))


def test_the_chosen_quote_becomes_the_orders_promise(client, api):
    request = rate_request()
    quotes = quotes_of(client, request)
    chosen = quotes[CHOSEN]
    api.orders[ORDER] = order_for(request, chosen)

    response = deliver(client, callback())

    assert response.status_code == 200
    assert response.get_json() == {"outcome": "promised", "order_id": ORDER_ID}
    document = order_document(client).get_json()
    assert (document["option_id"], document["status"], document["promise_source"]) == (
        CHOSEN, "open", "quote")
    # The quote's window: its last day is the dispatch date plus the transit.
    api_quote = client.post("/v1/quotes", headers=auth(Role.QUOTE), json={
        "currency": "USD", "ordered_at": "2026-11-23T09:30:00-08:00",
        "destination": {"country": "US", "region": "CA", "postcode": "94110"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200},
                  {"sku": "LANTERN", "quantity": 2, "unit_price": "19.50", "grams": 400},
                  {"sku": "STOVE-2B", "quantity": 1, "unit_price": "89.00", "grams": 4500}],
    }).get_json()
    option = next(o for o in api_quote["options"] if o["id"] == CHOSEN)
    assert document["promised"] == option["delivery"]
    # BigCommerce's one dispatch date and transit add up to the window's last day.
    dispatched = date.fromisoformat(chosen["dispatch_date"])
    assert str(dispatched + timedelta(days=chosen["transit_time"]["duration"])) == (
        document["promised"]["latest"])
    assert chosen["cost"]["amount"] == float(option["price"]["amount"])
    assert [request["path"] for request in api.requests][:1] == [
        f"/stores/{STORE_HASH}/v2/orders/{ORDER}"]


def test_the_same_callback_again_changes_nothing(client, api, tmp_path):
    placed(client, api)
    before, document = rows(tmp_path), order_document(client).get_json()

    again = deliver(client, callback())

    assert again.get_json() == {"outcome": "duplicate", "order_id": ORDER_ID}
    assert rows(tmp_path) == before
    assert order_document(client).get_json() == document


def test_an_orders_api_that_fails_is_a_503_and_stores_nothing(client, api, tmp_path):
    request = rate_request()
    api.orders[ORDER] = order_for(request, quotes_of(client, request)[CHOSEN])
    api.fail = 503
    before = rows(tmp_path)

    response = deliver(client, callback())

    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "platform_unavailable"
    assert rows(tmp_path) == before
    api.fail = None  # BigCommerce delivers it again later, and then it is applied
    assert deliver(client, callback()).get_json()["outcome"] == "promised"


def test_a_status_update_to_cancelled_closes_the_order(client, api):
    placed(client, api)
    api.orders[ORDER].order["status_id"] = 5  # Cancelled

    response = deliver(client, callback("store/order/statusUpdated", status=5))

    assert response.get_json() == {"outcome": "closed", "order_id": ORDER_ID}
    assert order_document(client).get_json()["status"] == "cancelled"


@pytest.mark.parametrize(("options", "valid"), [
    ({"rates_token": CREDENTIAL}, True),
    ({"rates_token": "not-the-credential"}, False),
    (fixture("check_connection_options_request.json")["connection_options"], False),
])
def test_check_connection_options_says_whether_the_credential_is_the_stores(
        client, options, valid):
    response = client.post(f"/bigcommerce/{STORE_HASH}/check_connection_options",
                           data=json.dumps({"connection_options": options}),
                           content_type="application/json")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["valid"] is valid
    [message] = answer["messages"]
    assert message["type"] == ("INFO" if valid else "ERROR")
