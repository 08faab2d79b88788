"""The product catalog file: loaded with the setup, its problems at file:line:column."""

from __future__ import annotations

from pathlib import Path

from rates.domain.products import Dimensions, Product
from rates.loading import Setup
from tests.support.loading import CONFIG, Write, load, problems

WITH_PRODUCTS = CONFIG + "products: {path: products.yaml}\n"


def catalog(write: Write, text: str) -> Path:
    path = write(config=WITH_PRODUCTS)
    (path.parent / "products.yaml").write_text(text)
    return path


def test_the_example_catalog_tags_the_tents_oversize(example_setup: Setup) -> None:
    products = example_setup.products
    assert {sku for sku, product in products.items() if "oversize" in product.tags} == {
        "TENT-2P", "TENT-4P"}
    assert products["TENT-4P"].variant_id == "40000000004"
    assert set(products) == set(example_setup.inventory)


def test_a_product_loads_with_every_field(write: Write) -> None:
    setup = load(catalog(write, """\
TENT:
  tags: [oversize, tent]
  variant_id: 40000000004
  product_id: "7000000001"
  grams: 2100
  dimensions: {length: 560, width: 180, height: 180}
LAMP: {}
"""))
    assert setup.products == {
        "TENT": Product("TENT", frozenset({"oversize", "tent"}), "40000000004", "7000000001",
                        2100, Dimensions(560, 180, 180)),
        "LAMP": Product("LAMP")}
    assert any(path.name == "products.yaml" for path in setup.files)


def test_no_catalog_configured_is_an_empty_one(write: Write) -> None:
    assert load(write()).products == {}


def test_problems_are_placed_and_a_misspelt_key_gets_a_suggestion(write: Write) -> None:
    found = problems(catalog(write, """\
TENT:
  tagz: [oversize]
  grams: -1
  variant_id: abc
  dimensions: {length: 560, width: 180}
"""))
    assert found == [
        "products.yaml:2:3: error: unknown key 'tagz'; did you mean 'tags'? [unknown-key]",
        "products.yaml:3:10: error: must be at least 0 [bad-value]",
        "products.yaml:4:15: error: 'abc' is not an id: a whole number such as 40000000004 "
        "[bad-value]",
        "products.yaml:5:3: error: required key 'height' is missing [missing-key]",
    ]


def test_a_missing_catalog_file_is_named(write: Write) -> None:
    [problem] = problems(write(config=WITH_PRODUCTS))
    assert problem.startswith("products.yaml:")
