"""Shopify's product topics read as catalog products (rates.platforms.shopify.products)."""

from __future__ import annotations

import pytest

from rates.app.platform_events import ProductsChanged
from rates.domain.errors import InvalidRequest
from rates.domain.products import Product
from rates.platforms.shopify.orders import shopify_event
from rates.platforms.shopify.products import grams_of, products_of, tags_of
from rates.settings import Limits

PRODUCT = {"id": 632910392, "title": "IPod Nano - 8GB", "tags": "Emotive, Flash Memory, MP3",
           "variants": [
               {"id": 808950810, "sku": "IPOD2008PINK", "grams": 567, "weight": 1.25,
                "weight_unit": "lb"},
               {"id": 49148385, "sku": "", "grams": 567},
               {"id": 39072856, "sku": " IPOD2008GREEN ", "weight": 0.2, "weight_unit": "kg"},
           ]}


def test_each_variant_with_a_sku_is_a_product_with_the_products_tags() -> None:
    tags = frozenset({"Emotive", "Flash Memory", "MP3"})
    assert products_of(PRODUCT) == (
        Product("IPOD2008PINK", tags, "808950810", "632910392", 567),
        Product("IPOD2008GREEN", tags, "39072856", "632910392", 200))
    assert shopify_event("products/update", PRODUCT, limits=Limits()) == ProductsChanged(
        products_of(PRODUCT))


@pytest.mark.parametrize(("variant", "grams"), [
    ({"grams": 0}, 0),
    ({"weight": 1, "weight_unit": "lb"}, 454),
    ({"weight": "16", "weight_unit": "oz"}, 454),
    ({"weight": 2.5, "weight_unit": "kg"}, 2500),
    ({"weight": 300, "weight_unit": "g"}, 300),
    ({"weight": 1, "weight_unit": "stone"}, None),
    ({"weight": "heavy", "weight_unit": "kg"}, None),
    ({"weight": -1, "weight_unit": "kg"}, None),
    ({}, None),
])
def test_a_variants_weight_in_grams(variant: dict[str, object], grams: int | None) -> None:
    assert grams_of(variant) == grams


def test_tags_are_one_comma_separated_string() -> None:
    assert tags_of(" oversize,tent ,, ") == frozenset({"oversize", "tent"})
    assert tags_of("") == frozenset()
    assert tags_of(None) == frozenset()


@pytest.mark.parametrize("body", [{"variants": []}, {"id": "abc"}, {"id": True}, []])
def test_a_product_without_an_id_is_refused(body: object) -> None:
    with pytest.raises(InvalidRequest) as caught:
        products_of(body)
    assert caught.value.fields == {"id": ["required: the product's id"]}


def test_a_sku_or_tag_the_store_cannot_keep_is_left_out() -> None:
    body = {"id": 1, "tags": "ok, a\u0000b", "variants": [
        {"id": 2, "sku": "A\u0000"}, {"id": 3, "sku": "X" * 101}, {"id": "4x", "sku": "B"}]}
    assert products_of(body) == (Product("B", frozenset({"ok"}), None, "1"),)
