"""The OpenAPI description matches the app, and real responses match the description."""

import json

import pytest

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
