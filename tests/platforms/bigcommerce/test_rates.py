"""BigCommerce's Shipping Provider API, translated both ways, and its connection check.

Fixtures, saved verbatim from BigCommerce's documentation (developer.bigcommerce.com,
"Shipping Providers", https://developer.bigcommerce.com/docs/integrations/shipping):
- `fixtures/rate_request.json`: "Example request: Shipping rates" (its amounts are
  strings, "10", where the reference says number; its `address_type` lower case);
- `fixtures/check_connection_options_request.json`: the body of "Example request to
  validate connection options";
- `fixtures/rate_response_no_quotes.json`: "Example response: No shipping rates".
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rates.app.platform_events import CheckoutCart
from rates.domain.errors import InvalidRequest
from rates.domain.quote.pipeline import quote
from rates.domain.quote.result import Quote
from rates.loading import Setup
from rates.platforms.bigcommerce.rates import (
    CREDENTIAL_OPTION,
    CarrierInfo,
    authorized,
    cart_of,
    connection_answer,
    credential_of,
    fallback_answer,
    no_quotes_answer,
    quote_code,
    quotes_answer,
)
from rates.settings import FallbackRate, Limits
from rates.wire.request import parse_quote_request
from rates.wire.voice import voice_for
from tests.support.project import CARTS

FIXTURES = Path(__file__).parent / "fixtures"
LIMITS = Limits()
TOKEN = "rt_0123456789abcdef"  # noqa: S105 (a test credential)


def documented(name: str = "rate_request.json") -> Any:
    return json.loads((FIXTURES / name).read_text())


def problems(body: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidRequest) as caught:
        cart_of(body, limits=LIMITS)
    return caught.value.fields


# -- BigCommerce's rate request -> our cart --------------------------------------------------


def test_the_documented_rate_request_becomes_our_cart() -> None:
    # 1 oz = 28.349523125 g, rounded half up: 28 g; "10" USD is 10.00.
    assert cart_of(documented(), limits=LIMITS) == CheckoutCart(
        {"currency": "USD",
         "destination": {"country": "US", "region": "CA", "postcode": "94103"},
         "lines": [{"sku": "SKU-100", "quantity": 1, "grams": 28, "unit_price": "10.00",
                    "variant_id": "1", "product_id": "1"}]},
        origin=("US", "94105"))


def test_nothing_personal_or_of_the_customer_reaches_the_cart() -> None:
    body = documented()
    body["base_options"]["destination"].update(
        {"street_1": "1 Hidden Lane", "street_2": "Apt 9", "city": "Secretville"})
    text = json.dumps(cart_of(body, limits=LIMITS).payload)
    for personal in ("Hidden", "Apt 9", "Secretville", "Retail", "ru7t7fv9", "cart_id",
                     "checkbox_selection_1", "userKey", "customer", "Shirt", "MARKET"):
        assert personal not in text


def test_weights_in_grams_and_numeric_amounts_and_yen() -> None:
    body = documented()
    item = body["base_options"]["items"][0]
    item.update({"weight": {"units": "g", "value": 1250.5}, "quantity": 3.0,
                 "discounted_price": {"currency": "JPY", "amount": 1500.4},
                 "declared_value": {"currency": "JPY", "amount": 1500}})
    line = cart_of(body, limits=LIMITS).payload["lines"][0]
    # 1250.5 g rounds half up to 1251; JPY has no minor unit: 1500.4 is 1500.
    assert (line["grams"], line["quantity"], line["unit_price"]) == (1251, 3, "1500")
    assert cart_of(body, limits=LIMITS).payload["currency"] == "JPY"


def test_an_item_without_a_sku_goes_by_its_variant_and_without_weight_weighs_nothing() -> None:
    body = documented()
    item = body["base_options"]["items"][0]
    item["sku"] = ""
    del item["weight"]
    line = cart_of(body, limits=LIMITS).payload["lines"][0]
    assert (line["sku"], line["grams"]) == ("variant-1", 0)


def test_an_iso_3166_2_state_loses_its_country_prefix() -> None:
    body = documented()
    body["base_options"]["destination"].update({"state_iso2": "us-ca", "zip": " "})
    assert cart_of(body, limits=LIMITS).payload["destination"] == {"country": "US",
                                                                   "region": "CA"}


def test_every_problem_is_named_by_its_path_in_bigcommerces_body() -> None:
    body = documented()
    base = body["base_options"]
    base["destination"]["country_iso2"] = ""
    second = copy.deepcopy(base["items"][0])
    second.update({"quantity": 0, "weight": {"units": "lb", "value": 1},
                   "discounted_price": {"currency": "EUR", "amount": "9"}})
    third = copy.deepcopy(base["items"][0])
    third.update({"quantity": True, "sku": None, "variant_id": None,
                  "discounted_price": {"currency": "USD", "amount": "-1"}})
    base["items"] += [second, third]
    assert problems(body) == {
        "base_options.destination.country_iso2": ["required: an ISO 3166-1 alpha-2 code"],
        "base_options.items.1.discounted_price.currency": ["must be the cart's currency, USD"],
        "base_options.items.1.quantity": ["must be from 1 to 1000"],
        "base_options.items.1.weight.units": ["required: oz or g"],
        "base_options.items.2.discounted_price.amount": [
            "required: an amount from 0 to 999999999999.99"],
        "base_options.items.2.quantity": ["required: a whole number of at least 1"],
        "base_options.items.2.sku": ["the item has neither a sku nor a variant_id"],
    }


@pytest.mark.parametrize(("body", "fields"), [
    ([], {"_schema": ["must be a JSON object"]}),
    ({"connection_options": {}}, {"base_options": ["must be an object"]}),
    ({"base_options": {"destination": "Main St", "items": []}},
     {"base_options.destination": ["must be an object"],
      "base_options.items": ["must be a list of at least one item"]}),
])
def test_a_body_that_is_no_rate_request_is_refused(body: Any, fields: dict[str, Any]) -> None:
    assert problems(body) == fields


def test_the_configured_limits_apply() -> None:
    body = documented()
    body["base_options"]["items"] *= 3
    with pytest.raises(InvalidRequest) as caught:
        cart_of(body, limits=Limits(max_lines=2))
    assert caught.value.fields == {"base_options.items": ["at most 2 items may be quoted"]}


# -- the credential ------------------------------------------------------------------------------


def with_credential(value: Any) -> dict[str, Any]:
    body: dict[str, Any] = documented()
    body["connection_options"][CREDENTIAL_OPTION] = value
    return body


def test_the_credential_is_read_from_the_connection_options() -> None:
    assert credential_of(documented()) is None  # the documented options are another carrier's
    assert credential_of(with_credential(TOKEN)) == TOKEN
    assert credential_of(with_credential(12)) is None
    assert authorized(with_credential(TOKEN), TOKEN)
    assert not authorized(with_credential(TOKEN + "x"), TOKEN)
    assert not authorized(with_credential(""), "")
    assert not authorized(documented(), TOKEN)


def test_the_documented_connection_check_is_not_valid_for_us() -> None:
    assert connection_answer(documented("check_connection_options_request.json"),
                             credential=TOKEN) == {
        "valid": False,
        "messages": [{"text": "Enter this store's rates token in the rates_token option.",
                      "type": "ERROR"}]}


def test_a_connection_with_the_stores_credential_is_valid_and_another_is_not() -> None:
    body = {"connection_options": {CREDENTIAL_OPTION: TOKEN}}
    assert connection_answer(body, credential=TOKEN)["valid"] is True
    wrong = connection_answer(body, credential="another")
    assert wrong["valid"] is False
    assert wrong["messages"][0]["type"] == "ERROR"


# -- our quote -> BigCommerce's answer -----------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(example_setup: Setup) -> Quote:
    """examples/carts/mixed.json: 2 tents on hand + 1 due Dec 10-14, 2 lanterns on hand,
    1 stove due Dec 28 - Jan 5, ordered Mon Nov 23 09:30 in Reno, to San Francisco."""
    cart = json.loads((CARTS / "mixed.json").read_text())
    now = datetime.fromisoformat(cart["ordered_at"])
    request = parse_quote_request(cart, default_location=next(iter(
        example_setup.catalog.locations)), now=now, inventory=example_setup.inventory.get,
        limits=example_setup.settings.limits)
    return quote(request, example_setup.catalog, example_setup.ruleset, now)


def test_each_option_is_one_quote_in_order(mixed: Quote, example_setup: Setup) -> None:
    answer = quotes_answer(mixed, voice=voice_for(example_setup.ruleset, "en"),
                           quote_id="q-1")
    assert (answer["quote_id"], answer["messages"]) == ("q-1", [])
    [group] = answer["carrier_quotes"]
    assert "carrier_info" not in group
    assert [q["code"] for q in group["quotes"]] == [o.id for o in mixed.options]
    assert [q["display_name"] for q in group["quotes"]] == [o.label for o in mixed.options]


def test_the_in_stock_first_ground_quote_promises_the_last_parcels_latest_day(
        mixed: Quote, example_setup: Setup) -> None:
    answer = quotes_answer(mixed, voice=voice_for(example_setup.ruleset, "en"),
                           quote_id="q-1", carrier_info=CarrierInfo("rates", "Our shipping"))
    group = answer["carrier_quotes"][0]
    assert group["carrier_info"] == {"code": "rates", "display_name": "Our shipping"}
    found = next(q for q in group["quotes"] if q["code"] == "in_stock_first/ups/ground")
    # The stove's parcel goes last: dispatched by Thu Jan 7 2027, 2 business days of UPS
    # Ground at most, delivered by Mon Jan 11:
    #     Thu 7 (dispatch)  Fri 8 (day 1)  Sat 9  Sun 10  Mon 11 (day 2)
    # so 4 calendar DAYS from the dispatch date: Jan 7 + 4 = Jan 11, the promised day.
    assert found == {
        "code": "in_stock_first/ups/ground",
        "rate_id": "in_stock_first/ups/ground",
        "display_name": "UPS Ground - in-stock items now, the rest when restocked",
        "cost": {"currency": "USD", "amount": 15.95},
        "description": "2 shipments: 4 items arrive Nov 24 - Nov 27; "
                       "2 items arrive Dec 30, 2026 - Jan 11, 2027",
        "dispatch_date": "2027-01-07",
        "transit_time": {"units": "DAYS", "duration": 4},
    }
    option = next(o for o in mixed.options if o.id == "in_stock_first/ups/ground")
    assert option.delivery.latest == date(2027, 1, 11)
    assert Decimal(str(found["cost"]["amount"])) == option.price.amount


def test_a_guaranteed_quote_names_the_day_the_carrier_guarantees(example_setup: Setup) -> None:
    # examples/carts/in_stock.json, all on hand at reno, ordered Mon Nov 23 09:30 (before
    # the 14:00 cutoff); UPS Next Day Air is guaranteed (carriers/ups.yaml):
    #     November 2026:  Mo Tu We Th Fr
    #                     23 24 25 26 27      (26 Thanksgiving)
    # dispatched by Tue 24 (handling 0-1), one UPS day later: by Wed 25, 1 calendar DAY.
    cart = json.loads((CARTS / "in_stock.json").read_text())
    now = datetime.fromisoformat(cart["ordered_at"])
    request = parse_quote_request(cart, default_location=next(iter(
        example_setup.catalog.locations)), now=now, inventory=example_setup.inventory.get,
        limits=example_setup.settings.limits)
    result = quote(request, example_setup.catalog, example_setup.ruleset, now)
    answer = quotes_answer(result, voice=voice_for(example_setup.ruleset, "en"),
                           quote_id="q-1")
    found = {q["code"]: q for q in answer["carrier_quotes"][0]["quotes"]}
    assert found["together/ups/next_day_air"] == {
        "code": "together/ups/next_day_air",
        "rate_id": "together/ups/next_day_air",
        "display_name": "UPS Next Day Air - ship everything together",
        "cost": {"currency": "USD", "amount": 51.95},
        "description": "Guaranteed by Wed, Nov 25",
        "dispatch_date": "2026-11-24",
        "transit_time": {"units": "DAYS", "duration": 1},
    }
    assert found["together/ups/ground"]["description"] == "Arrives Nov 24 - Nov 27"


def test_no_options_and_no_rate_are_the_documented_no_quotes(mixed: Quote,
                                                             example_setup: Setup) -> None:
    documented_answer = documented("rate_response_no_quotes.json")
    empty = Quote(mixed.created_at, mixed.ordered_at, mixed.ruleset, mixed.currency,
                  mixed.destination, mixed.stock, mixed.lines, (), ())
    assert quotes_answer(empty, voice=voice_for(example_setup.ruleset, "en"),
                         quote_id="example_quote") == documented_answer
    assert no_quotes_answer("example_quote") == documented_answer


def test_the_fallback_rate_has_a_price_and_no_dates() -> None:
    fallback = FallbackRate("Contact us for delivery", Decimal("0"), "We will call you")
    assert fallback_answer(fallback, "CAD", quote_id="q-2") == {
        "quote_id": "q-2", "messages": [], "carrier_quotes": [{"quotes": [{
            "code": "fallback", "rate_id": "fallback",
            "display_name": "Contact us for delivery",
            "cost": {"currency": "CAD", "amount": 0.0},
            "description": "We will call you"}]}]}


def test_an_option_id_longer_than_bigcommerce_allows_gets_a_stable_short_code() -> None:
    short = "in_stock_first/ups/ground"
    long = "as_available/regional_courier_of_the_north/overnight_before_ten"
    assert quote_code(short) == short
    assert len(quote_code(long)) == 50
    assert quote_code(long) == quote_code(long) != quote_code(long + "x")
    assert quote_code(long).startswith(long[:33] + "~")
