"""The product catalog through the app: PUT and GET /v1/products/{sku}, and the Shopify
callback quoting an item under the SKU and tags the catalog gives it."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from typing import Any

import pytest

from rates.settings import Role
from rates.web.app import build_app
from tests.support.project import SHOPIFY_RATE_REQUEST
from tests.support.shopify import delivery
from tests.support.web import NOW, SHOP, auth
from tests.web.test_callbacks_shopify import signed_post

TENT_4P = {"tags": ["oversize", "tent"], "variant_id": "258644705304",
           "product_id": "48447225880", "grams": 5400,
           "dimensions": {"length": 700, "width": 250, "height": 250}}


def put(client: Any, sku: str, body: Any, role: Role = Role.ADMIN) -> Any:
    return client.put(f"/v1/products/{sku}", json=body, headers=auth(role))


def test_a_product_put_is_read_back_by_support(client):
    response = put(client, "TENT-4P", TENT_4P)
    assert response.status_code == 200
    assert response.get_json() == {"sku": "TENT-4P", **TENT_4P}
    read = client.get("/v1/products/TENT-4P", headers=auth(Role.SUPPORT))
    assert read.status_code == 200
    assert read.get_json() == {"sku": "TENT-4P", **TENT_4P}


def test_every_field_may_be_left_out_and_reads_back_null(client):
    assert put(client, "LANTERN", {}).get_json() == {
        "sku": "LANTERN", "tags": [], "variant_id": None, "product_id": None, "grams": None,
        "dimensions": None}


def test_an_unknown_product_is_a_404(client):
    response = client.get("/v1/products/NOPE", headers=auth(Role.SUPPORT))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("body", "field"), [
    ({"tags": "oversize"}, "tags"),
    ({"tags": [""]}, "tags.0"),
    ({"tags": ["x"] * 51}, "tags"),
    ({"variant_id": 258644705304}, "variant_id"),
    ({"variant_id": "abc"}, "variant_id"),
    ({"product_id": "12 34"}, "product_id"),
    ({"grams": -1}, "grams"),
    ({"grams": "5"}, "grams"),
    ({"dimensions": {"length": 700, "width": 250}}, "dimensions.height"),
    ({"dimensions": {"length": 0, "width": 250, "height": 1}}, "dimensions.length"),
    ({"colour": "green"}, "colour"),
])
def test_each_bad_field_is_a_422_naming_it(client, body, field):
    response = put(client, "TENT-4P", body)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_only_an_admin_may_change_the_catalog_and_support_may_read_it(client):
    assert put(client, "TENT-4P", TENT_4P, Role.SUPPORT).status_code == 403
    assert put(client, "TENT-4P", TENT_4P, Role.QUOTE).status_code == 403
    assert client.put("/v1/products/TENT-4P", json=TENT_4P).status_code == 401
    put(client, "TENT-4P", TENT_4P)
    assert client.get("/v1/products/TENT-4P", headers=auth(Role.QUOTE)).status_code == 403


# -- the catalog at Shopify's checkout -----------------------------------------------------


def hoboken_request() -> bytes:
    """Shopify's documented request (its one item: no SKU, variant 258644705304, product
    48447225880, 1 kg, 19.99 USD), sent to Hoboken, NJ: USPS serves no Canadian zone in the
    example, so only a US address shows what the catalog's tags withhold."""
    body = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["destination"].update(country="US", province="NJ", postal_code="07030")
    return json.dumps(body).encode()


def api_cart(tags: list[str]) -> dict[str, Any]:
    """The same cart as `POST /v1/quotes` takes it, as TENT-4P with `tags`."""
    return {"currency": "USD",
            "destination": {"country": "US", "region": "NJ", "postcode": "07030"},
            "lines": [{"sku": "TENT-4P", "quantity": 1, "unit_price": "19.99", "grams": 1000,
                       "tags": tags}]}


def codes_from_api(client: Any, tags: list[str]) -> list[str]:
    document = client.post("/v1/quotes", json=api_cart(tags), headers=auth(Role.QUOTE))
    return [option["id"] for option in document.get_json()["options"]]


def codes_from_shopify(client: Any, body: bytes) -> list[str]:
    response = signed_post(client, body)
    assert response.status_code == 200
    return [rate["service_code"] for rate in response.get_json()["rates"]]


def test_the_catalogs_tags_withhold_usps_from_a_shopify_cart_as_from_the_api(client):
    """The item's variant is TENT-4P in the catalog, tagged oversize. TENT-4P has 1 on hand
    at newark, so the cart ships whole today: the one plan is `together`, and the
    contiguous-US services are UPS Ground, 2nd Day Air and Next Day Air, and USPS Ground
    Advantage, Priority and Priority Express. `no-oversize-by-usps` hides the three USPS
    ones; the three UPS ones remain, exactly as for the API's cart tagged oversize."""
    put(client, "TENT-4P", TENT_4P)
    expected = ["together/ups/ground", "together/ups/2nd_day_air", "together/ups/next_day_air"]
    assert codes_from_shopify(client, hoboken_request()) == expected
    assert codes_from_api(client, ["oversize"]) == expected
    assert "together/usps/ground_advantage" in codes_from_api(client, [])


def test_the_stored_quote_names_the_catalogs_sku_and_tags(client, tmp_path):
    put(client, "TENT-4P", TENT_4P)
    signed_post(client, hoboken_request())
    with closing(sqlite3.connect(tmp_path / "rates.db")) as connection:
        (request,) = connection.execute("SELECT request FROM quotes").fetchone()
    assert json.loads(request)["lines"] == [
        {"sku": "TENT-4P", "quantity": 1, "unit_price": "19.99", "grams": 1000,
         "tags": ["oversize", "tent"]}]


def test_a_signed_products_update_changes_the_catalog_once_then_the_callback_uses_it(
        client, metrics):
    """Before: the variant is unknown (quoted as in stock at reno, USPS offered). The
    webhook makes it TENT-4P, tagged oversize; its replay changes nothing, even after the
    catalog is edited through the API."""
    assert "together/usps/ground_advantage" in codes_from_shopify(client, hoboken_request())
    product = {"id": 48447225880, "title": "Family tent", "tags": "oversize, tent",
               "variants": [{"id": 258644705304, "sku": "TENT-4P", "grams": 5400},
                            {"id": 258644705305, "sku": "", "grams": 5400}]}
    raw, headers = delivery("products/update", product, webhook_id="w-product-1")
    response = client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert response.get_json() == {"outcome": "catalogued", "order_id": None}
    assert metrics.registry.get_sample_value("rates_platform_webhooks_total", {
        "platform": "shopify", "topic": "products/update", "outcome": "catalogued"}) == 1
    read = client.get("/v1/products/TENT-4P", headers=auth(Role.SUPPORT)).get_json()
    assert read == {"sku": "TENT-4P", "tags": ["oversize", "tent"],
                    "variant_id": "258644705304", "product_id": "48447225880",
                    "grams": 5400, "dimensions": None}

    put(client, "TENT-4P", {"tags": ["tent"], "variant_id": "258644705304"})
    replay = client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert replay.get_json() == {"outcome": "duplicate", "order_id": None}
    assert client.get("/v1/products/TENT-4P", headers=auth(Role.SUPPORT)).get_json()[
        "tags"] == ["tent"]
    assert "together/usps/ground_advantage" in codes_from_shopify(client, hoboken_request())

    raw, headers = delivery("products/update", product, webhook_id="w-product-2")
    client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert codes_from_shopify(client, hoboken_request()) == [
        "together/ups/ground", "together/ups/2nd_day_air", "together/ups/next_day_air"]


def test_a_product_without_any_sku_is_recorded_and_changes_nothing(client):
    product = {"id": 1, "tags": "oversize", "variants": [{"id": 2, "sku": ""}]}
    raw, headers = delivery("products/create", product)
    response = client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert response.get_json() == {"outcome": "no_sku", "order_id": None}
    replay = client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert replay.get_json()["outcome"] == "duplicate"


def test_a_product_topic_without_a_product_id_is_a_422(client):
    raw, headers = delivery("products/create", {"variants": []})
    response = client.post(f"/shopify/{SHOP}/webhooks", data=raw, headers=headers)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["id"]


def test_the_catalog_file_seeds_the_store_and_leaves_what_the_api_changed(example):
    """The service starts with the example's catalog; a product changed through the API
    keeps its change when the service starts again."""
    admin = {"Authorization": "Bearer rk_demo_admin_key_for_the_bundled_example_only"}
    client = build_app(example, lambda: NOW, watch=False).test_client()
    tent = client.get("/v1/products/TENT-4P", headers=admin).get_json()
    assert tent["tags"] == ["oversize", "tent"]
    assert tent["variant_id"] == "40000000004"
    client.put("/v1/products/TENT-4P", json={"tags": ["tent"]}, headers=admin)

    again = build_app(example, lambda: NOW, watch=False).test_client()
    assert again.get("/v1/products/TENT-4P", headers=admin).get_json()["tags"] == ["tent"]
    assert again.get("/v1/products/TENT-2P", headers=admin).get_json()["tags"] == [
        "oversize", "tent"]
