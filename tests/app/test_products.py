"""A checkout's cart resolved through the product catalog, then the shop's unknown_items
policy on what is still unknown (rates.app.products, ShippingService.checkout_quote)."""

from __future__ import annotations

from typing import Any

import pytest

from rates.app.checkout import Refusal
from rates.app.platform_events import CheckoutCart
from rates.app.products import catalog_ids, with_products
from rates.app.quoting import ShippingService
from rates.domain.products import Product
from rates.settings import Shop, UnknownItems
from tests.support.web import NOW, SHOP

TENT = Product("TENT-4P", frozenset({"oversize"}), "41", "70", 5400)
LAMP = Product("LANTERN", frozenset({"electronics"}), "51", "80", 450)


def line(sku: str, **ids: str) -> dict[str, Any]:
    return {"sku": sku, "quantity": 1, "unit_price": "19.99", "grams": 0, **ids}


def cart(*lines: dict[str, Any]) -> dict[str, Any]:
    return {"currency": "USD",
            "destination": {"country": "US", "region": "NJ", "postcode": "07030"},
            "lines": list(lines)}


def test_the_ids_of_a_cart_by_kind() -> None:
    assert catalog_ids(cart(line("A", variant_id="1", product_id="2"), line("B"))) == {
        "skus": ["A", "B"], "variant_ids": ["1"], "product_ids": ["2"]}


def test_a_resolved_line_takes_the_catalogs_sku_tags_and_weight_and_drops_the_ids() -> None:
    payload = cart({**line("variant-41", variant_id="41", product_id="70"), "tags": ["gift"]},
                   {**line("LANTERN"), "grams": 300})
    assert with_products(payload, [TENT, LAMP])["lines"] == [
        {"sku": "TENT-4P", "quantity": 1, "unit_price": "19.99", "grams": 5400,
         "tags": ["gift", "oversize"]},
        {"sku": "LANTERN", "quantity": 1, "unit_price": "19.99", "grams": 300,
         "tags": ["electronics"]}]


@pytest.fixture
def service(app: Any) -> ShippingService:
    found: ShippingService = app.config["RATES_SERVICE"]
    found.store.put_product(TENT, NOW)
    found.store.put_product(LAMP, NOW)
    return found


def quoted(service: ShippingService, item: dict[str, Any],
           policy: UnknownItems = UnknownItems.IN_STOCK) -> Any:
    return service.checkout_quote(CheckoutCart(cart(item)),
                                  shop=Shop(SHOP, "RATES_SHOPIFY_SECRET", unknown_items=policy))


@pytest.mark.parametrize("item", [
    line("TENT-4P"),                                          # by SKU
    line("variant-41", variant_id="41"),                      # by variant id
    line("OLD-SKU", variant_id="41"),                         # a SKU the catalog lacks
    line("variant-99", variant_id="99", product_id="70"),     # by product id
])
def test_an_item_found_any_way_is_quoted_as_the_catalogs_tagged_sku(service, item) -> None:
    served = quoted(service, item, UnknownItems.REFUSE)
    assert not isinstance(served, Refusal)
    assert [line.sku for line in served.quote.lines] == ["TENT-4P"]
    # The withheld options are the USPS ones, hidden by the oversize tag's rule.
    assert {option.id.split("/")[1] for option in served.quote.withheld} <= {"usps"}
    assert not any("usps" in option.id for option in served.quote.options)


def test_an_item_the_catalog_does_not_know_follows_in_stock(service) -> None:
    served = quoted(service, line("variant-99", variant_id="99", product_id="71"))
    assert not isinstance(served, Refusal)
    assert [line.sku for line in served.quote.lines] == ["variant-99"]
    assert any("usps" in option.id for option in served.quote.options)


def test_an_item_the_catalog_does_not_know_follows_refuse(service) -> None:
    assert quoted(service, line("variant-99", variant_id="99"), UnknownItems.REFUSE) == Refusal(
        "unknown_item", ("variant-99",))


def test_a_catalogued_sku_the_inventory_lacks_is_still_unknown_to_the_policy(service) -> None:
    service.store.put_product(Product("NEW-1", variant_id="61"), NOW)
    assert quoted(service, line("variant-61", variant_id="61"), UnknownItems.REFUSE) == Refusal(
        "unknown_item", ("NEW-1",))
