"""Saleor's shipping events: the checkout as our cart, the quote as Saleor's methods.

Fixtures, in fixtures/:
- `shipping_list_methods_for_checkout_request.json`, `..._response.json`,
  `checkout_filter_shipping_methods_request.json` and `..._response.json`: the examples of
  docs.saleor.io, "Shipping events"
  (https://docs.saleor.io/developer/extending/webhooks/synchronous-events/shipping),
  verbatim. The requests are Saleor's legacy payloads (a webhook without a subscription
  query), which this app never asks for: they are refused, by name.
- `list_methods_payload.json` and `filter_methods_payload.json`: the payloads our
  subscription queries (`rates.platforms.saleor.queries`) produce, built field for field
  from the query and Saleor's schema (`saleor/graphql/schema.graphql`): the example cart
  (examples/carts/mixed.json) with a gift card that does not ship.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rates.app.platform_events import PLATFORM_IDS
from rates.domain.errors import InvalidRequest
from rates.domain.quote.pipeline import quote
from rates.domain.quote.result import Quote
from rates.loading import Setup
from rates.platforms.saleor.checkout import (
    cart_of,
    excluded_answer,
    fallback_methods,
    method_ids,
    methods_answer,
)
from rates.settings import FallbackRate, Limits
from rates.wire.request import parse_quote_request
from rates.wire.voice import Voice, voice_for
from tests.support.project import CARTS

FIXTURES = Path(__file__).parent / "fixtures"
LIMITS = Limits()


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def problems(payload: Any, limits: Limits = LIMITS) -> dict[str, list[str]]:
    with pytest.raises(InvalidRequest) as caught:
        cart_of(payload, limits=limits)
    return caught.value.fields


# -- Saleor's checkout -> our cart ----------------------------------------------------------

def test_the_list_payload_becomes_the_example_cart() -> None:
    cart = cart_of(fixture("list_methods_payload.json"), limits=LIMITS)
    assert cart.origin == (None, None)
    assert cart.payload == {
        "currency": "USD",
        "destination": {"country": "US", "region": "CA", "postcode": "94110"},
        "locale": "en-US",
        "lines": [
            # 3.2 kg; the variant's own weight wins over its product type's 5 kg
            {"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200,
             "variant_id": "UHJvZHVjdFZhcmlhbnQ6MzQ4", "product_id": "UHJvZHVjdDo3Mg=="},
            # no variant weight: the product's 14.11 oz = 400.01 g
            {"sku": "LANTERN", "quantity": 2, "unit_price": "19.50", "grams": 400,
             "variant_id": "UHJvZHVjdFZhcmlhbnQ6MzQ5", "product_id": "UHJvZHVjdDo3Mw=="},
            # 9.039 lb = 4100.02 g
            {"sku": "STOVE-2B", "quantity": 1, "unit_price": "89.95", "grams": 4100,
             "variant_id": "UHJvZHVjdFZhcmlhbnQ6MzUw", "product_id": "UHJvZHVjdDo3NA=="},
        ],
    }


def test_the_filter_payload_reads_as_the_same_cart() -> None:
    assert (cart_of(fixture("filter_methods_payload.json"), limits=LIMITS)
            == cart_of(fixture("list_methods_payload.json"), limits=LIMITS))


def test_the_filter_payloads_method_ids_are_read_as_sent() -> None:
    assert method_ids(fixture("filter_methods_payload.json")) == [
        "U2hpcHBpbmdNZXRob2Q6MTI=",
        "YXBwOmJhY2tvcmRlci1yYXRlczppbl9zdG9ja19maXJzdC91cHMvZ3JvdW5k"]
    assert method_ids({"shippingMethods": None}) == []


def test_no_personal_data_could_reach_the_cart() -> None:
    payload = fixture("list_methods_payload.json")
    payload["checkout"]["shippingAddress"].update(
        {"firstName": "Bethany", "streetAddress1": "59179 Bruce Gardens", "phone": "+1555"})
    payload["checkout"]["email"] = "linda.thomas@example.com"
    text = json.dumps(cart_of(payload, limits=LIMITS).payload)
    assert "Bethany" not in text and "Bruce" not in text and "example.com" not in text


def test_a_variant_without_sku_or_weight_goes_by_its_id_and_weighs_nothing() -> None:
    payload = fixture("list_methods_payload.json")
    line = payload["checkout"]["lines"][0]
    line["variant"].update({"sku": None, "weight": None})
    line["variant"]["product"]["productType"]["weight"] = None
    first = cart_of(payload, limits=LIMITS).payload["lines"][0]
    assert (first["sku"], first["grams"]) == ("variant-UHJvZHVjdFZhcmlhbnQ6MzQ4", 0)


def test_a_zero_decimal_currency_and_a_float_price_are_read_exactly() -> None:
    payload = fixture("list_methods_payload.json")
    payload["checkout"]["channel"]["currencyCode"] = "JPY"
    for line, amount in zip(payload["checkout"]["lines"], (1500, 0.1 + 0.2, 12.5, 1),
                            strict=True):
        line["undiscountedUnitPrice"] = {"amount": amount, "currency": "JPY"}
    prices = [line["unit_price"] for line in cart_of(payload, limits=LIMITS).payload["lines"]]
    assert prices == ["1500", "0", "13"]  # 0.30000000000000004 -> 0; 12.5 -> 13 half up


@pytest.mark.parametrize(("area", "region"), [("CA", "CA"), ("us-ny", "NY"),
                                              ("Île-de-France", None), ("", None)])
def test_a_country_area_is_a_region_only_when_it_is_a_code(area: str,
                                                           region: str | None) -> None:
    payload = fixture("list_methods_payload.json")
    payload["checkout"]["shippingAddress"]["countryArea"] = area
    assert cart_of(payload, limits=LIMITS).payload["destination"].get("region") == region


def test_every_problem_is_named_by_its_path_in_the_payload() -> None:
    payload = fixture("list_methods_payload.json")
    checkout = payload["checkout"]
    checkout["lines"][0]["quantity"] = 0
    checkout["lines"][1]["undiscountedUnitPrice"]["currency"] = "EUR"
    checkout["lines"][2]["variant"]["weight"] = {"unit": "STONE", "value": 1}
    checkout["shippingAddress"]["postalCode"] = "9" * 21
    assert problems(payload) == {
        "checkout.lines.0.quantity": ["required: a whole number from 1 to 1000"],
        "checkout.lines.1.undiscountedUnitPrice.currency": [
            "must be the checkout's currency, USD"],
        "checkout.lines.2.variant.weight": [
            "must be a weight (unit one of G, KG, TONNE, LB, OZ) of 0 to 1000000 g"],
        "checkout.shippingAddress.postalCode": ["must be at most 20 characters"],
    }


def test_the_configured_limits_are_kept() -> None:
    assert problems(fixture("list_methods_payload.json"), Limits(max_lines=2)) == {
        "checkout.lines": ["at most 2 lines may require shipping"]}
    assert problems(fixture("list_methods_payload.json"), Limits(max_quantity=2)) == {
        "checkout.lines.0.quantity": ["required: a whole number from 1 to 2"]}


def test_a_checkout_without_an_address_or_anything_to_ship_is_refused() -> None:
    payload = fixture("list_methods_payload.json")
    payload["checkout"]["shippingAddress"] = None
    for line in payload["checkout"]["lines"]:
        line["requiresShipping"] = False
    assert problems(payload) == {
        "checkout.shippingAddress": ["required: the checkout has no shipping address yet"],
        "checkout.lines": ["no line requires shipping"]}


def test_an_unknown_currency_is_refused() -> None:
    payload = fixture("list_methods_payload.json")
    payload["checkout"]["channel"]["currencyCode"] = "XXX"
    assert problems(payload) == {
        "checkout.channel.currencyCode": ["'XXX' is not a currency this engine knows"]}


@pytest.mark.parametrize("name", ["shipping_list_methods_for_checkout_request.json",
                                  "checkout_filter_shipping_methods_request.json"])
def test_saleors_documented_legacy_payloads_are_refused_by_name(name: str) -> None:
    """A webhook installed without our subscription query sends these: not a cart."""
    found = problems(fixture(name))
    assert list(found) == ["checkout"]
    assert "subscription query" in found["checkout"][0]


def test_a_payload_with_a_subscription_error_is_refused() -> None:
    """A payload Saleor could not resolve (the app lacks a permission) has null fields and
    an `errors` list."""
    assert list(problems({"checkout": None, "errors": [{"message": "denied"}]})) == [
        "checkout"]


def test_the_fixture_is_not_changed_by_the_translation() -> None:
    payload = fixture("list_methods_payload.json")
    before = copy.deepcopy(payload)
    cart_of(payload, limits=LIMITS)
    assert payload == before


# -- the quote -> Saleor's methods ----------------------------------------------------------

def quote_cart(setup: Setup, payload: dict[str, Any], now: datetime) -> Quote:
    """What the service does with a cart, without its store (the checkout drops the
    platform's ids once the catalog has resolved the lines)."""
    lines = [{key: value for key, value in line.items() if key not in PLATFORM_IDS}
             for line in payload["lines"]]
    request = parse_quote_request({**payload, "lines": lines, "ordered_at": now.isoformat()},
                                  default_location=next(iter(setup.catalog.locations)),
                                  now=now, inventory=setup.inventory.get,
                                  limits=setup.settings.limits)
    return quote(request, setup.catalog, setup.ruleset, now)


@pytest.fixture(scope="module")
def mixed(example_setup: Setup) -> Quote:
    """examples/carts/mixed.json: ordered Mon Nov 23 2026 09:30 -08:00 in Reno, to San
    Francisco."""
    cart = json.loads((CARTS / "mixed.json").read_text())
    return quote_cart(example_setup, cart, datetime.fromisoformat(cart["ordered_at"]))


@pytest.fixture(scope="module")
def english(example_setup: Setup) -> Voice:
    return voice_for(example_setup.ruleset, "en")


def test_each_option_becomes_a_method_in_order(mixed: Quote, english: Voice) -> None:
    methods = methods_answer(mixed, voice=english)
    assert [method["id"] for method in methods] == [option.id for option in mixed.options]
    for method, option in zip(methods, mixed.options, strict=True):
        assert method["name"] == english.label(option)
        assert method["amount"] == str(option.price.amount)
        assert Decimal(method["amount"]) == option.price.amount
        assert method["currency"] == "USD"
        assert method["description"] == english.describe(option)


def test_delivery_days_count_calendar_days_from_the_order_date(mixed: Quote,
                                                               english: Voice) -> None:
    """Ordered Mon Nov 23: a window of Fri Nov 27 - Tue Dec 1 is 4 to 8 days."""
    ordered = mixed.ordered_at.date()
    for method, option in zip(methods_answer(mixed, voice=english), mixed.options,
                              strict=True):
        assert method["minimum_delivery_days"] == (option.delivery.earliest - ordered).days
        assert method["maximum_delivery_days"] == (option.delivery.latest - ordered).days
        assert 0 <= method["minimum_delivery_days"] <= method["maximum_delivery_days"]


def test_the_in_stock_first_ground_method_hand_checked(mixed: Quote, english: Voice) -> None:
    """Ordered Mon Nov 23 2026: the first parcel arrives from Nov 24 (1 day), the last by
    Jan 11 2027 (8 days to Dec 1, 30 more to Dec 31, 11 more: 49 days)."""
    methods = {m["id"]: m for m in methods_answer(mixed, voice=english)}
    option = next(o for o in mixed.options if o.id == "in_stock_first/ups/ground")
    assert methods["in_stock_first/ups/ground"] == {
        "id": "in_stock_first/ups/ground",
        "name": "UPS Ground - in-stock items now, the rest when restocked",
        "amount": str(option.price.amount),
        "currency": "USD",
        "minimum_delivery_days": 1,
        "maximum_delivery_days": 49,
        "description": "2 shipments: 4 items arrive Nov 24 - Nov 27; "
                       "2 items arrive Dec 30, 2026 - Jan 11, 2027",
    }


def test_a_guaranteed_method_names_the_day_the_carrier_guarantees(example_setup: Setup,
                                                                  english: Voice) -> None:
    """examples/carts/in_stock.json, all on hand at reno, ordered Mon Nov 23 09:30 (before
    the 14:00 cutoff); UPS Next Day Air is guaranteed (carriers/ups.yaml):

        November 2026:  Mo Tu We Th Fr
                        23 24 25 26 27      (26 Thanksgiving)

    handed over Mon 23 - Tue 24, one UPS day later: Tue 24 - Wed 25, 1 to 2 days."""
    cart = json.loads((CARTS / "in_stock.json").read_text())
    result = quote_cart(example_setup, cart, datetime.fromisoformat(cart["ordered_at"]))
    methods = {m["id"]: m for m in methods_answer(result, voice=english)}
    assert methods["together/ups/next_day_air"] == {
        "id": "together/ups/next_day_air",
        "name": "UPS Next Day Air - ship everything together",
        "amount": "51.95",
        "currency": "USD",
        "minimum_delivery_days": 1,
        "maximum_delivery_days": 2,
        "description": "Guaranteed by Wed, Nov 25",
    }
    assert methods["together/ups/ground"]["description"] == "Arrives Nov 24 - Nov 27"


def test_methods_use_only_the_documented_response_fields(mixed: Quote,
                                                         english: Voice) -> None:
    documented = set().union(*fixture("shipping_list_methods_for_checkout_response.json"))
    for method in methods_answer(mixed, voice=english):
        assert set(method) <= documented


def test_a_long_name_is_cut_to_saleors_limit(mixed: Quote, english: Voice) -> None:
    """Saleor drops a method whose name is over 100 characters: it is cut instead."""
    option = mixed.options[0]
    wordy = replace(english, services={option.service.key: "Overnight " * 15})
    name = methods_answer(mixed, voice=wordy)[0]["name"]
    assert len(name) == 100 and name.endswith("…") and name.startswith("Overnight Overnight")


def test_a_quote_without_options_offers_no_method(mixed: Quote, english: Voice) -> None:
    assert methods_answer(replace(mixed, options=()), voice=english) == []


def test_the_exclusion_answer_is_saleors_documented_shape() -> None:
    documented = fixture("checkout_filter_shipping_methods_response.json")
    ids = [each["id"] for each in documented["excluded_methods"]]
    answer = excluded_answer(ids, "Nobody can supply every unit of this cart.")
    assert answer == {"excluded_methods": [
        {"id": "U2hpcHBpbmdNZXRob2Q6MQ==", "reason": "Nobody can supply every unit of this cart."},
        {"id": "U2hpcHBpbmdNZXRob2Q6MTQ=", "reason": "Nobody can supply every unit of this cart."},
    ]}
    assert excluded_answer([], "unused") == {"excluded_methods": []}


def test_the_fallback_is_one_method_without_delivery_days() -> None:
    fallback = FallbackRate("Contact us for delivery", Decimal("15"), "We will call you.")
    assert fallback_methods(fallback, "USD") == [
        {"id": "fallback", "name": "Contact us for delivery", "amount": "15.00",
         "currency": "USD", "description": "We will call you."}]
    assert fallback_methods(FallbackRate("Call us", Decimal("1500")), "JPY") == [
        {"id": "fallback", "name": "Call us", "amount": "1500", "currency": "JPY"}]
    wordy = fallback_methods(FallbackRate("Call us", Decimal(0), "x" * 300), "USD")[0]
    assert len(wordy["description"]) == 255


def test_a_saleor_cart_is_quoted_on_the_example_setup(example_setup: Setup,
                                                      english: Voice) -> None:
    cart = cart_of(fixture("list_methods_payload.json"), limits=LIMITS)
    result = quote_cart(example_setup, cart.payload,
                        datetime.fromisoformat("2026-11-23T09:30:00-08:00"))
    methods = methods_answer(result, voice=english)
    assert methods and all(method["currency"] == "USD" for method in methods)
