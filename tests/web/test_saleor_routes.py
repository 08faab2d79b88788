"""Saleor's routes through the app: the manifest, and the app's webhooks (shipping methods
listed and filtered at checkout, order events), each signed as Saleor signs them and
verified against the instance's JWKS served on 127.0.0.1 (tests/support/saleor.py). The
payloads are those our subscription queries give (tests/platforms/saleor/fixtures), the
example's mixed cart to San Francisco."""

from __future__ import annotations

import base64
import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rates.settings import FallbackRate, Role, SaleorInstance
from tests.support.saleor import (
    DOMAIN,
    SaleorKey,
    fixture,
    method_id,
    order_created,
    saleor_instance,
    webhook_headers,
)
from tests.support.web import auth, on_moving_clock
from tests.support.windows import dates

CHOSEN = "in_stock_first/ups/ground"
ORDER_ID = "saleor-6e1d3a1c-3c59-4e8b-9b8e-2f3c1d2a4b5c"
TABLES = ("quotes", "orders", "shopify_webhooks")
QUOTED_ON = date(2026, 11, 23)
FALLBACK = FallbackRate("Contact us for delivery", Decimal("15.00"))


@pytest.fixture
def instance():
    with saleor_instance() as served:
        yield served


@pytest.fixture
def app(make_app, instance):
    """The app answering the instance DOMAIN, its keys read from the stand-in's JWKS, its
    fallback rate FALLBACK."""
    saleor = SaleorInstance(DOMAIN, jwks_url=instance.jwks_url, fallback_rate=FALLBACK)
    return make_app({}, saleor=(saleor,))


@pytest.fixture
def client(app):
    return app.test_client()


def post(client, event: str, payload: Any, key: SaleorKey | None):
    body = json.dumps(payload).encode()
    return client.post(f"/saleor/{DOMAIN}/webhooks", data=body,
                       headers=webhook_headers(event, body, key))


def methods_of(client, key: SaleorKey, payload: Any = None) -> dict[str, dict[str, Any]]:
    response = post(client, "shipping_list_methods_for_checkout",
                    payload or fixture("list_methods_payload.json"), key)
    assert response.status_code == 200, response.get_json()
    return {method["id"]: method for method in response.get_json()}


def order_document(client, order_id: str = ORDER_ID):
    return client.get(f"/v1/orders/{order_id}", headers=auth(Role.SUPPORT))


def rows(tmp_path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(tmp_path / "rates.db")) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our names)
                for table in TABLES}


def unsuppliable(payload: dict[str, Any]) -> dict[str, Any]:
    """`payload`'s checkout as TENT-4P x10 to NJ: only 5 can be supplied
    (tests/web/test_callbacks_shopify.py)."""
    checkout = payload["checkout"]
    checkout["shippingAddress"].update(countryArea="NJ", postalCode="07030")
    line = checkout["lines"][0]
    line["quantity"] = 10
    line["variant"]["sku"] = "TENT-4P"
    checkout["lines"] = [line]
    return payload


def test_the_manifest_points_every_webhook_back_here(client):
    response = client.get(f"/saleor/{DOMAIN}/manifest")
    assert response.status_code == 200
    manifest = response.get_json()
    assert manifest["id"] == "backorder-rates"
    assert {webhook["targetUrl"] for webhook in manifest["webhooks"]} == {
        f"http://localhost/saleor/{DOMAIN}/webhooks"}
    assert client.get("/saleor/someone-else.saleor.cloud/manifest").status_code == 404


def test_listed_methods_are_the_quotes_options_in_saleors_words(client, instance):
    """One 1 kg line at 10.00 of a SKU no inventory knows (on hand at reno under `unknown_items:
    in_stock`) to Ottawa, ON, as Shopify's documented example
    (tests/web/test_callbacks_shopify.py): UPS Ground in the `canada` zone, the 29.95
    band, delivered Thu 26 Nov to Wed 2 Dec: 3 and 9 calendar days from Mon 23 Nov."""
    payload = fixture("list_methods_payload.json")
    checkout = payload["checkout"]
    checkout["shippingAddress"] = {"country": {"code": "CA"}, "countryArea": "ON",
                                   "postalCode": "K1M 1M4"}
    line = checkout["lines"][0]
    line["variant"].update(sku="SKU-100", weight={"unit": "KG", "value": 1.0})
    line.update(quantity=1, undiscountedUnitPrice={"amount": 10.0, "currency": "USD"})
    checkout["lines"] = [line]
    methods = methods_of(client, instance.key, payload)
    assert methods["together/ups/ground"] == {
        "id": "together/ups/ground",
        "name": "UPS Ground - ship everything together",
        "amount": "29.95", "currency": "USD",
        "minimum_delivery_days": 3, "maximum_delivery_days": 9,
        "description": "Arrives Nov 26 - Dec 2",
    }


@pytest.mark.parametrize("signer", ["another key", "no signature"])
def test_a_wrong_or_missing_signature_is_a_401_and_stores_nothing(client, instance,
                                                                   tmp_path, signer):
    methods = methods_of(client, instance.key)
    before = rows(tmp_path)
    # A key of the same id that is not the instance's: the key it names verifies nothing.
    forger = SaleorKey()
    body = json.dumps(order_created(methods[CHOSEN])).encode()
    headers = webhook_headers("order_created", body, None)
    if signer == "another key":
        headers["Saleor-Signature"] = forger.sign(body, kid=instance.key.kid)
    response = client.post(f"/saleor/{DOMAIN}/webhooks", data=body, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_signature"
    assert rows(tmp_path) == before
    assert order_document(client).status_code == 404
    listed = post(client, "shipping_list_methods_for_checkout",
                  fixture("list_methods_payload.json"), None)
    assert listed.status_code == 401
    assert rows(tmp_path) == before


def test_a_cart_nobody_can_supply_lists_only_the_fallback(client, instance):
    methods = methods_of(client, instance.key, unsuppliable(fixture("list_methods_payload.json")))
    assert list(methods) == ["fallback"]
    assert methods["fallback"]["amount"] == "15.00"


def test_a_cart_nobody_can_supply_lists_nothing_without_a_fallback(make_app, instance):
    saleor = SaleorInstance(DOMAIN, jwks_url=instance.jwks_url)
    client = make_app({}, saleor=(saleor,)).test_client()
    response = post(client, "shipping_list_methods_for_checkout",
                    unsuppliable(fixture("list_methods_payload.json")), instance.key)
    assert response.status_code == 200
    assert response.get_json() == []


def test_filtering_excludes_every_method_but_the_fallback_for_a_cart_nobody_can_supply(
        client, instance):
    payload = unsuppliable(fixture("filter_methods_payload.json"))
    payload["shippingMethods"].append({"id": method_id("fallback"), "name": "Contact us"})
    response = post(client, "checkout_filter_shipping_methods", payload, instance.key)
    assert response.status_code == 200
    excluded = {each["id"] for each in response.get_json()["excluded_methods"]}
    assert excluded == {"U2hpcHBpbmdNZXRob2Q6MTI=", method_id(CHOSEN)}

    whole = post(client, "checkout_filter_shipping_methods",
                 fixture("filter_methods_payload.json"), instance.key)
    assert whole.get_json() == {"excluded_methods": []}


def test_the_chosen_method_becomes_the_orders_promise(client, instance):
    methods = methods_of(client, instance.key)
    chosen = methods[CHOSEN]
    payload = order_created(chosen)
    assert base64.b64decode(payload["order"]["deliveryMethod"]["id"]) == (
        b"app:backorder-rates:" + CHOSEN.encode())

    response = post(client, "order_created", payload, instance.key)

    assert response.status_code == 200
    assert response.get_json() == {"outcome": "promised", "order_id": ORDER_ID}
    document = order_document(client).get_json()
    assert (document["option_id"], document["status"], document["promise_source"]) == (
        CHOSEN, "open", "quote")
    assert Decimal(document["price"]["amount"]) == Decimal(chosen["amount"])
    # The method's delivery days count from the quote's day, Mon 23 Nov 2026.
    assert dates(document["promised"]) == {
        "earliest": str(QUOTED_ON + timedelta(days=chosen["minimum_delivery_days"])),
        "latest": str(QUOTED_ON + timedelta(days=chosen["maximum_delivery_days"]))}


def test_the_same_event_again_changes_nothing(client, instance, tmp_path):
    payload = order_created(methods_of(client, instance.key)[CHOSEN])
    assert post(client, "order_created", payload, instance.key).get_json()[
        "outcome"] == "promised"
    before, document = rows(tmp_path), order_document(client).get_json()

    again = post(client, "order_created", payload, instance.key)

    assert again.get_json() == {"outcome": "duplicate", "order_id": ORDER_ID}
    assert rows(tmp_path) == before
    assert order_document(client).get_json() == document


def test_a_cancelled_order_is_closed(client, instance):
    post(client, "order_created", order_created(methods_of(client, instance.key)[CHOSEN]),
         instance.key)
    response = post(client, "order_cancelled", fixture("order_cancelled_payload.json"),
                    instance.key)
    assert response.get_json() == {"outcome": "closed", "order_id": ORDER_ID}
    assert order_document(client).get_json()["status"] == "cancelled"


def test_a_rotated_key_is_fetched_again_and_verifies(app, client, instance):
    clock = on_moving_clock(app)
    methods_of(client, instance.key)
    assert instance.fetches == 1
    instance.keys = [SaleorKey()]  # the instance rotates its key
    # A key id the kept set lacks is fetched at most once per 30 seconds (a forged one
    # must not make us hammer the instance): the first webhook signed with it waits.
    clock.now += timedelta(seconds=31)

    methods = methods_of(client, instance.key)

    assert CHOSEN in methods
    assert instance.fetches == 2
