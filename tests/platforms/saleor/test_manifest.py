"""The app manifest, read as Saleor reads one (docs.saleor.io, "App Manifest", and
`saleor/app/manifest_schema.py`: `id`, `name`, `version` required; webhooks with `name`,
`targetUrl`, `query`, `asyncEvents` / `syncEvents`, `isActive`)."""

from __future__ import annotations

import json

from rates.platforms.saleor import queries
from rates.platforms.saleor.manifest import APP_ID, manifest


def test_the_manifest_names_the_app_and_the_permissions_a_shipping_app_needs() -> None:
    found = manifest(app_url="https://rates.example.com/", domain="shop.example.com")
    assert {key: found[key] for key in ("id", "version", "name", "permissions", "appUrl")} == {
        "id": "backorder-rates", "version": "1.0.0", "name": "Backorder rates",
        "permissions": ["MANAGE_CHECKOUTS", "MANAGE_ORDERS", "MANAGE_SHIPPING"],
        "appUrl": "https://rates.example.com"}
    assert "tokenTargetUrl" not in found
    assert ":" not in APP_ID  # it is a part of "app:<id>:<method>"
    json.dumps(found)


def test_every_webhook_posts_to_the_one_endpoint_of_its_instance() -> None:
    found = manifest(app_url="https://rates.example.com", domain="shop.example.com")
    hooks = {hook["name"]: hook for hook in found["webhooks"]}
    assert {name: (hook["syncEvents"], hook["asyncEvents"]) for name, hook in hooks.items()
            } == {
        "Backorder rates: list shipping methods": (["SHIPPING_LIST_METHODS_FOR_CHECKOUT"], []),
        "Backorder rates: filter shipping methods": (["CHECKOUT_FILTER_SHIPPING_METHODS"], []),
        "Backorder rates: orders": ([], ["ORDER_CREATED", "ORDER_CANCELLED",
                                         "ORDER_FULFILLED"]),
    }
    assert {hook["targetUrl"] for hook in hooks.values()} == {
        "https://rates.example.com/saleor/shop.example.com/webhooks"}
    assert all(hook["isActive"] for hook in hooks.values())
    assert [hook["query"] for hook in hooks.values()] == [
        queries.LIST_METHODS_QUERY, queries.FILTER_METHODS_QUERY, queries.ORDER_EVENTS_QUERY]


def test_no_query_asks_for_personal_data_or_a_circular_field() -> None:
    """Saleor refuses a checkout's shippingMethods or deliveryMethod in these events; an
    address is asked for its country, area and postal code only."""
    for query in (queries.LIST_METHODS_QUERY, queries.FILTER_METHODS_QUERY,
                  queries.ORDER_EVENTS_QUERY):
        for word in ("email", "firstName", "lastName", "streetAddress", "phone", "city",
                     "companyName", "user"):
            assert word not in query
    checkout_part = queries.FILTER_METHODS_QUERY.split("shippingMethods { id name }")[0]
    assert "shippingMethods" not in checkout_part and "deliveryMethod" not in checkout_part
    assert "unitPrice {" not in queries.LIST_METHODS_QUERY.replace("undiscountedUnitPrice", "")
