"""Resolving a checkout's item through the product catalog (rates.domain.products)."""

from __future__ import annotations

from rates.domain.products import Product, Resolution, resolve

TENT = Product("TENT-4P", frozenset({"oversize", "tent"}), "41", "70", 5400)
TENT_2P = Product("TENT-2P", frozenset({"oversize", "small"}), "42", "70")
LAMP = Product("LANTERN", frozenset({"electronics"}), "51", "80", 450)
CATALOG = (TENT, TENT_2P, LAMP)


def test_the_sku_comes_first() -> None:
    assert resolve("LANTERN", "41", "70", fallback="LANTERN", products=CATALOG) == Resolution(
        "LANTERN", frozenset({"electronics"}), 450, LAMP)


def test_else_the_variant_id() -> None:
    assert resolve("UNKNOWN", "41", None, fallback="UNKNOWN", products=CATALOG).sku == "TENT-4P"
    assert resolve(None, "41", None, fallback="variant-41", products=CATALOG) == Resolution(
        "TENT-4P", TENT.tags, 5400, TENT)


def test_else_a_product_id_with_one_sku() -> None:
    assert resolve(None, "99", "80", fallback="variant-99", products=CATALOG).sku == "LANTERN"


def test_a_product_id_with_several_skus_keeps_the_fallback_and_their_shared_tags() -> None:
    assert resolve(None, "99", "70", fallback="variant-99", products=CATALOG) == Resolution(
        "variant-99", frozenset({"oversize"}))


def test_nothing_found_is_the_fallback_untagged() -> None:
    assert resolve("X", "1", "2", fallback="X", products=CATALOG) == Resolution("X")
    assert resolve(None, None, None, fallback="variant-1", products=()) == Resolution(
        "variant-1")
