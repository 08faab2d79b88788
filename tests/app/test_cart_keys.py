"""A checkout cart's key: the rate request and the order placed at its checkout agree on
it, however the platform spells the cart, and any change to what counts changes it.
Shown on Shopify's documented rate request and the order its checkout places."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from rates.app.cart_keys import cart_key
from rates.domain.errors import InvalidRequest
from rates.platforms.shopify.orders import rate_request_of
from rates.platforms.shopify.rates import cart_of
from rates.settings import Limits
from tests.support.project import SHOPIFY_RATE_REQUEST
from tests.support.shopify import order_for

SHOP = "example-outfitters.myshopify.com"


def key(shop: str, body: Any) -> str:
    """The key of Shopify's rate request `body` at `shop`, as the service makes it."""
    return cart_key(shop, cart_of(body, limits=Limits()))


def rate_request() -> dict[str, Any]:
    """The documented rate request with two items of the example's inventory."""
    body: dict[str, Any] = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    item = body["rate"]["items"][0]
    body["rate"]["destination"].update(country="US", province="CA", postal_code="94110")
    body["rate"]["items"] = [{**item, "sku": "TENT-2P", "quantity": 3, "price": 14900},
                             {**item, "sku": "", "quantity": 1, "price": 1999}]
    return body


def test_the_rate_request_and_its_order_have_one_key():
    request = rate_request()
    made = key(SHOP, request)
    assert len(made) == 64
    assert key(SHOP, rate_request_of(order_for(request))) == made


def test_a_key_made_before_the_platform_layer_still_matches():
    """Shopify's quotes stored by the code before the adapter layer (which hashed the
    rate request's body itself) are still found by the orders that come after it."""
    assert key(SHOP, rate_request()) == (
        "b6821cf83252a686e888e1e43d2b9df03c5942c743ef0f64394788111582d515")


def test_the_product_catalog_changes_no_key():
    """The key reads Shopify's own names (SKU or variant), not what the catalog resolves
    them to, and not the product id; the order's rate request keeps the product id so that
    a re-quote resolves its items as the callback did."""
    request = rate_request()
    rebuilt = rate_request_of(order_for(request))
    assert [item["product_id"] for item in rebuilt["rate"]["items"]] == [48447225880] * 2
    other_product = copy.deepcopy(request)
    for item in other_product["rate"]["items"]:
        item["product_id"] = 1
    assert key(SHOP, other_product) == key(SHOP, request) == key(SHOP, rebuilt)


def test_spelling_does_not_count():
    request = rate_request()
    spelled = copy.deepcopy(request)
    rate = spelled["rate"]
    rate["destination"].update(country=" us", province="US-CA", postal_code="941 10")
    rate["items"].reverse()
    tent = next(item for item in rate["items"] if item["sku"] == "TENT-2P")
    tent["quantity"] = 2
    rate["items"].append({**tent, "quantity": 1, "price": 1})  # the same SKU on two lines
    rate["items"].append({**tent, "sku": "GIFT-CARD", "requires_shipping": False})
    assert key(SHOP.upper(), spelled) == key(SHOP, request)


@pytest.mark.parametrize("change", [
    lambda rate: rate["items"][0].update(quantity=4),
    lambda rate: rate["items"][0].update(sku="TENT-3P"),
    lambda rate: rate["items"][1].update(variant_id=1),
    lambda rate: rate["items"].pop(),
    lambda rate: rate["destination"].update(postal_code="94111"),
    lambda rate: rate["destination"].update(province="NV"),
    lambda rate: rate["destination"].update(country="CA"),
])
def test_what_counts_changes_the_key(change):
    request = rate_request()
    changed = copy.deepcopy(request)
    change(changed["rate"])
    assert key(SHOP, changed) != key(SHOP, request)


def test_the_shop_counts():
    assert key("other.myshopify.com", rate_request()) != key(SHOP, rate_request())


@pytest.mark.parametrize("body", [
    None, {}, {"rate": []},
    {"rate": {"destination": {"country": ""}, "items": [{"sku": "A", "quantity": 1}]}},
    {"rate": {"destination": {"country": "US"}, "items": []}},
    {"rate": {"destination": {"country": "US"},
              "items": [{"sku": "A", "quantity": 1, "requires_shipping": False}]}},
])
def test_a_cart_that_cannot_be_quoted_has_no_key(body):
    with pytest.raises(InvalidRequest):
        key(SHOP, body)
