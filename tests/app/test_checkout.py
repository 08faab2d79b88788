"""What a checkout platform's cart becomes before it is quoted (rates.app.checkout)."""

from __future__ import annotations

from rates.app.checkout import Refusal, origin_location, with_unknown_items
from rates.app.platform_events import CheckoutCart
from rates.app.quoting import ShippingService
from rates.loading import Setup
from rates.settings import Shop, UnknownItems
from tests.support.web import SHOP

CART = {"currency": "USD", "destination": {"country": "CA", "region": "ON"}, "lines": [
    {"sku": "LANTERN", "quantity": 2, "unit_price": "19.50", "grams": 400},
    {"sku": "variant-258644705304", "quantity": 1, "unit_price": "19.99", "grams": 1000}]}


def test_the_origin_matches_a_location_by_country_and_postcode(example_setup: Setup) -> None:
    locations = example_setup.catalog.locations
    assert origin_location(locations, "CA", "m5v 2t6") == "toronto"
    assert origin_location(locations, "ca", "M5V2T6") == "toronto"
    assert origin_location(locations, "US", "M5V 2T6") is None   # another country
    assert origin_location(locations, "CA", "K2P 1L4") is None   # Shopify's example shop
    assert origin_location(locations, None, None) is None


def test_unknown_items_are_on_hand_at_the_origin_under_in_stock() -> None:
    whole = with_unknown_items(CART, {"LANTERN"}, policy=UnknownItems.IN_STOCK,
                               location="toronto")
    assert isinstance(whole, dict)
    assert whole["lines"][0] == CART["lines"][0]
    assert whole["lines"][1]["stock"] == {"location": "toronto", "on_hand": 1}


def test_unknown_items_are_refused_under_refuse() -> None:
    assert with_unknown_items(CART, {"LANTERN"}, policy=UnknownItems.REFUSE,
                              location="reno") == Refusal("unknown_item",
                                                          ("variant-258644705304",))


def test_a_line_with_its_own_stock_is_known_whatever_the_inventory() -> None:
    cart = {**CART, "lines": [{**CART["lines"][1], "stock": {"on_hand": 0}}]}
    assert with_unknown_items(cart, set(), policy=UnknownItems.REFUSE, location="reno") == cart


def test_the_stored_quote_says_where_sourcing_started(app) -> None:
    service: ShippingService = app.config["RATES_SERVICE"]
    served = service.checkout_quote(
        CheckoutCart({**CART, "lines": CART["lines"][:1]}, origin=("CA", "M5V 2T6")),
        shop=Shop(SHOP, "RATES_SHOPIFY_SECRET"))
    assert not isinstance(served, Refusal)
    # The example sources `fastest`: the origin wins the ties, and the quote says so.
    assert {"code": "origin", "message": "toronto preferred where it does as well: the "
                                         "checkout's origin (fastest)"} \
        in served.document["messages"]
    assert served.quote.options[0].shipments[0].plan.location == "toronto"
