"""The OpenAPI description matches the app, and real responses match the description."""

import json

import pytest
from jsonschema import Draft202012Validator

from rates.settings import Role
from rates.web.auth import required_role
from rates.wire import documents as docs
from tests.support.project import CARTS
from tests.support.web import auth

MIXED = json.loads((CARTS / "mixed.json").read_text())


def test_every_route_is_described_with_its_role(app, client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    described = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("support."):
            continue  # the support console is pages for people, not part of the API
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((path, method.lower()))
            role = required_role(app.view_functions[rule.endpoint])
            assert spec["paths"][path][method.lower()]["x-role"] == str(role), path
    assert served == described


def test_the_docs_page_lists_every_operation_without_external_assets(client):
    page = client.get("/docs").get_data(as_text=True)
    assert "<code>POST /v1/quotes</code>" in page
    assert "<code>PUT /v1/inventory/{sku}</code>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


@pytest.mark.parametrize("explain", ["0", "1"])
def test_a_served_quote_matches_the_quote_schema(client, explain):
    document = client.post(f"/v1/quotes?explain={explain}", json=MIXED,
                           headers=auth(Role.QUOTE)).get_json()
    assert docs.QuoteDoc().validate(document) == {}
    assert ("withheld" in document) == (explain == "1")


def test_inventory_rules_and_errors_match_their_schemas(client):
    stock = {"locations": [{"location": "reno", "on_hand": 3, "inbound": [
        {"id": "PO-1", "quantity": 5, "earliest": "2026-12-01", "latest": "2026-12-03"}]}],
        "lead_time_days": [10, 20], "backorder_limit": 7}
    put = client.put("/v1/inventory/NEW-SKU", json=stock, headers=auth(Role.ADMIN))
    assert docs.InventoryDoc().validate(put.get_json()) == {}
    rules = client.get("/v1/rules", headers=auth(Role.SUPPORT)).get_json()
    assert docs.RulesStatusDoc().validate(rules) == {}
    for response in (client.get("/v1/quotes/q_none", headers=auth(Role.SUPPORT)),
                     client.post("/v1/quotes", json={}, headers=auth(Role.QUOTE)),
                     client.post("/v1/quotes", json=MIXED)):
        assert docs.ErrorDoc().validate(response.get_json()) == {}


def described(client, name, value):
    """Whether `value` is valid under the served description's schema `name`, formats
    checked as a client's validator would."""
    spec = client.get("/openapi.json").get_json()
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return validator.is_valid(value)


def quote_in(client, currency):
    cart = {**MIXED, "currency": currency}
    return client.post("/v1/quotes", json=cart, headers=auth(Role.QUOTE))


def test_the_description_lists_exactly_the_currencies_the_shop_quotes_in(client):
    spec = client.get("/openapi.json").get_json()
    currency = spec["components"]["schemas"]["QuoteRequest"]["properties"]["currency"]
    # The rules' USD, then the config's `currencies:` {CAD, EUR, JPY}.
    assert currency["enum"] == ["USD", "CAD", "EUR", "JPY"]
    assert [quote_in(client, code).status_code for code in currency["enum"]] == [201] * 4
    assert not described(client, "QuoteRequest", {**MIXED, "currency": "AED"})
    assert quote_in(client, "AED").status_code == 422


def test_the_description_lists_exactly_the_configured_locations(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    for schema, field in (("QuoteRequest", "origin"), ("Stock", "location"),
                          ("Stock", "lead_time_location"), ("Position", "location")):
        assert schemas[schema]["properties"][field]["enum"] == ["reno", "newark", "toronto"]
    stock = {"location": "boise", "on_hand": 1}
    assert not described(client, "Stock", stock)
    put = client.put("/v1/inventory/TENT-2P", json=stock, headers=auth(Role.ADMIN))
    assert put.status_code == 422


@pytest.mark.parametrize("stock", [
    {"locations": [{"location": "reno", "on_hand": 1}], "location": "reno"},
    {"locations": [], "on_hand": 3},
    {"locations": [], "inbound": []}])
def test_locations_with_a_position_is_invalid_as_described_and_refused(client, stock):
    assert not described(client, "Stock", stock)
    put = client.put("/v1/inventory/TENT-2P", json=stock, headers=auth(Role.ADMIN))
    assert put.status_code == 422
    assert put.get_json()["error"]["fields"] == {
        "locations": ["give either locations: [...] or one position, not both"]}


@pytest.mark.parametrize("stock", [
    {"locations": [{"location": "newark", "on_hand": 1}], "lead_time_days": [3, 9]},
    {"location": "newark", "on_hand": 1, "inbound": []},
    {"lead_time_days": [3, 9], "backorder_limit": None}])
def test_either_stock_shape_is_valid_as_described_and_accepted(client, stock):
    assert described(client, "Stock", stock)
    put = client.put("/v1/inventory/TENT-2P", json=stock, headers=auth(Role.ADMIN))
    assert put.status_code == 200


@pytest.mark.parametrize(("ordered_at", "valid"), [
    ("2026-11-23T10:00:00Z", True),
    ("2026-11-23T10:00:00.123456-05:00", True),
    ("2026-11-23t10:00:00z", False),  # RFC 3339 allows lower case; the server does not
    ("2026-12-31T23:59:60Z", False),  # a leap second, which Python cannot represent
    ("1999-12-31T10:00:00Z", False),  # before the years the server accepts
    ("2026-11-23", False)])
def test_an_order_instant_is_valid_as_described_exactly_when_accepted(client, ordered_at,
                                                                      valid):
    cart = {**MIXED, "ordered_at": ordered_at}
    assert described(client, "QuoteRequest", cart) is valid
    response = client.post("/v1/quotes", json=cart, headers=auth(Role.QUOTE))
    assert (response.status_code == 201) is valid, response.get_json()


@pytest.mark.parametrize(("earliest", "valid"), [
    ("2026-12-01", True), ("1999-12-01", False), ("2200-01-01", False),
    ("2026-02-30", False)])
def test_a_lot_date_is_valid_as_described_exactly_when_accepted(client, earliest, valid):
    stock = {"location": "reno", "inbound": [
        {"quantity": 5, "earliest": earliest, "latest": "2026-12-31"}]}
    if earliest.startswith("2200"):
        stock["inbound"][0]["latest"] = earliest
    assert described(client, "Stock", stock) is valid
    put = client.put("/v1/inventory/TENT-2P", json=stock, headers=auth(Role.ADMIN))
    assert (put.status_code == 200) is valid, put.get_json()


def test_the_description_follows_a_reload(client, example):
    config = example.read_text()
    edited = config.replace('currencies: {CAD: "1.3650", EUR: "0.9210", JPY: "156.40"}',
                            'currencies: {GBP: "0.7900"}')
    assert edited != config
    example.write_text(edited)
    assert client.post("/v1/rules/reload", headers=auth(Role.ADMIN)).status_code == 200
    spec = client.get("/openapi.json").get_json()
    currency = spec["components"]["schemas"]["QuoteRequest"]["properties"]["currency"]
    assert currency["enum"] == ["USD", "GBP"]
    assert quote_in(client, "GBP").status_code == 201
    assert quote_in(client, "CAD").status_code == 422
