"""Shopify's CarrierService callback, translated both ways, and its signature.

`fixtures/rate_request.json` (here, in tests/platforms/shopify) is the rate request Shopify
documents for carrier services (shopify.dev, DeliveryCarrierService, "Example shipping rate
request sent to a carrier service"), including the `order_totals` and `customer` fields
added in November 2025. Its one item has an empty `sku`, as Shopify sends for a variant
without one.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from rates.app.platform_events import PLATFORM_IDS
from rates.domain.errors import InvalidRequest
from rates.domain.money import Money
from rates.domain.quote.pipeline import quote
from rates.domain.quote.result import Quote
from rates.loading import Setup
from rates.platforms.shopify.rates import cart_of, rates_response, shopify_amount
from rates.platforms.shopify.signature import verify_hmac
from rates.settings import Limits
from rates.wire.request import parse_quote_request
from rates.wire.voice import Voice, voice_for
from rates.wire.wording import describe_option
from tests.support.project import CARTS, SHOPIFY_RATE_REQUEST

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
LIMITS = Limits()  # 100 lines per cart, 1000 units per line, as the example configures
SHOPIFY_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$")


def documented() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    return body


def items(*extra: dict[str, Any]) -> dict[str, Any]:
    """The documented request with its items replaced by `extra`."""
    body = documented()
    body["rate"]["items"] = list(extra)
    return body


IDS = {"variant_id": "2", "product_id": "1"}
"""The platform ids of `item()`, as a quote payload's line carries them."""


def item(**fields: Any) -> dict[str, Any]:
    base = {"name": "Lantern", "sku": "LANTERN", "quantity": 1, "grams": 400, "price": 1950,
            "vendor": "Trailhead", "requires_shipping": True, "taxable": True,
            "fulfillment_service": "manual", "properties": None, "product_id": 1,
            "variant_id": 2}
    base.update(fields)
    return base


def request_of(body: Any) -> dict[str, Any]:
    """The quote request the service makes of Shopify's `body` at NOW: the cart's, with
    `ordered_at` stamped (`ShippingService.checkout_quote`)."""
    return {**cart_of(body, limits=LIMITS).payload, "ordered_at": NOW.isoformat()}


def problems(body: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidRequest) as caught:
        cart_of(body, limits=LIMITS)
    return caught.value.fields


# -- Shopify's request -> our quote request ------------------------------------------------


def test_the_documented_request_becomes_a_cart() -> None:
    cart = cart_of(documented(), limits=LIMITS)
    assert cart.origin == ("CA", "K2P1L4")  # the shop's address, for sourcing only
    assert cart.payload == {
        "currency": "USD",
        "destination": {"country": "CA", "region": "ON", "postcode": "K1M1M4"},
        "lines": [{"sku": "variant-258644705304", "quantity": 1, "unit_price": "19.99",
                   "grams": 1000, "variant_id": "258644705304", "product_id": "48447225880"}],
        "locale": "en",
    }


def test_no_personal_data_reaches_the_quote_request() -> None:
    text = json.dumps(request_of(documented()))
    for personal in ("Bob Norman", "24 Sussex", "Ottawa", "Jamie D", "Elgin", "K2P1L4",
                     "207119551", "VIP", "wholesale", "Short Sleeve"):
        assert personal not in text
    assert "reference" not in text and "customer" not in text and "stock" not in text


def test_a_request_with_phone_email_and_company_keeps_none_of_them() -> None:
    body = documented()
    body["rate"]["destination"].update(
        {"phone": "(555)555-5555", "email": "bob@example.com", "company_name": "Acme Ltd",
         "address2": "Suite 9", "name": "Bob Norman"})
    text = json.dumps(request_of(body))
    for personal in ("555", "bob@example.com", "Acme", "Suite 9", "Bob"):
        assert personal not in text


def test_cents_become_decimal_strings_and_unshipped_items_are_dropped() -> None:
    body = items(
        item(sku="TENT-2P", quantity=3, grams=3200, price=14900),
        item(name="Gift card", sku="GIFT-25", price=2500, grams=0, requires_shipping=False),
        item(sku="LANTERN", quantity=2, grams=400, price=1950),
        item(sku="STOVE-2B", quantity=1, grams=4100, price=8995),
        item(sku="STICKER", quantity=1, grams=5, price=5),
    )
    assert request_of(body)["lines"] == [
        {"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200, **IDS},
        {"sku": "LANTERN", "quantity": 2, "unit_price": "19.50", "grams": 400, **IDS},
        {"sku": "STOVE-2B", "quantity": 1, "unit_price": "89.95", "grams": 4100, **IDS},
        {"sku": "STICKER", "quantity": 1, "unit_price": "0.05", "grams": 5, **IDS},
    ]


def test_the_platform_ids_are_read_as_text_when_they_are_ids() -> None:
    body = items(item(variant_id=" 42 ", product_id=None), item(variant_id=True, product_id=""),
                 item(variant_id=7, product_id="9"),
                 item(variant_id="4\u0000", product_id="1" * 31),
                 item(variant_id=-3, product_id="x"))
    assert [{key: line[key] for key in PLATFORM_IDS if key in line}
            for line in request_of(body)["lines"]] == [
        {"variant_id": "42"}, {}, {"variant_id": "7", "product_id": "9"}, {}, {}]


def test_yen_prices_arrive_multiplied_by_100_like_every_currency() -> None:
    # Shopify's integer money is amount x 100 even where the currency has no subunit
    # (documented: total_price 100000 for 1000 JPY), and JPY has no decimals of its own.
    body = items(item(price=150000), item(sku="ODD", price=150050))
    body["rate"]["currency"] = "JPY"
    lines = request_of(body)["lines"]
    assert [line["unit_price"] for line in lines] == ["1500", "1501"]


def test_three_decimal_currencies_keep_their_three_decimals() -> None:
    body = items(item(price=1234))
    body["rate"]["currency"] = "KWD"
    assert request_of(body)["lines"][0]["unit_price"] == "12.340"


def test_a_province_in_iso_3166_2_form_loses_its_country_prefix() -> None:
    body = documented()
    body["rate"]["destination"].update({"country": "JP", "province": "JP-13",
                                        "postal_code": "100-0001"})
    assert request_of(body)["destination"] == {
        "country": "JP", "region": "13", "postcode": "100-0001"}


def test_an_empty_province_and_postcode_are_left_out() -> None:
    body = documented()
    body["rate"]["destination"].update({"country": "hk", "province": "", "postal_code": None})
    assert request_of(body)["destination"] == {"country": "HK"}


@pytest.mark.parametrize(("body", "fields"), [
    ([], {"_schema": ["must be a JSON object"]}),
    ({}, {"rate": ["must be an object"]}),
    ({"rate": "x"}, {"rate": ["must be an object"]}),
])
def test_a_body_without_a_rate_object_is_refused(body: Any, fields: dict[str, Any]) -> None:
    assert problems(body) == fields


def test_every_problem_is_reported_with_its_path_in_shopifys_body() -> None:
    body = items(
        item(quantity=0),
        item(quantity="2", grams=None, price=19.99),
        "not an item",
        item(sku=None, variant_id=None),
        item(requires_shipping="yes"),
        item(quantity=True),
    )
    body["rate"]["currency"] = "XYZ"
    del body["rate"]["destination"]["country"]
    found = problems(body)
    assert sorted(found) == [
        "rate.currency",
        "rate.destination.country",
        "rate.items.0.quantity",
        "rate.items.1.grams",
        "rate.items.1.price",
        "rate.items.1.quantity",
        "rate.items.2",
        "rate.items.3.sku",
        "rate.items.4.requires_shipping",
        "rate.items.5.quantity",
    ]
    assert found["rate.items.0.quantity"] == ["must be at least 1"]
    assert found["rate.items.3.sku"] == ["the item has neither a sku nor a variant_id"]


@pytest.mark.parametrize(("rate_items", "message"), [
    ([], "must be a list of at least one item"),
    (None, "must be a list of at least one item"),
    ([item(requires_shipping=False)], "no item requires shipping"),
])
def test_a_cart_with_nothing_to_ship_is_refused(rate_items: Any, message: str) -> None:
    body = documented()
    body["rate"]["items"] = rate_items
    assert problems(body) == {"rate.items": [message]}


def test_a_destination_that_is_not_an_object_is_refused() -> None:
    body = documented()
    body["rate"]["destination"] = "24 Sussex Dr."
    assert problems(body) == {"rate.destination": ["must be an object"]}


# -- the whole way: Shopify's request quoted on the bundled example setup ------------------


def quote_wire(setup: Setup, payload: dict[str, Any], now: datetime) -> Quote:
    """What the service does with a wire request, without its store or limits. The
    checkout drops the platform's ids once the catalog has resolved the lines."""
    payload = {**payload, "lines": [
        {key: value for key, value in line.items() if key not in PLATFORM_IDS}
        for line in payload["lines"]]}
    request = parse_quote_request(payload, default_location=next(iter(setup.catalog.locations)),
                                  now=now, inventory=setup.inventory.get,
                                  limits=setup.settings.limits)
    return quote(request, setup.catalog, setup.ruleset, now)


@pytest.fixture(scope="module")
def mixed(example_setup: Setup) -> Quote:
    """examples/carts/mixed.json: 2 tents on hand + 1 due Dec 10-14, 2 lanterns on hand,
    1 stove due Dec 28 - Jan 5, ordered Mon Nov 23 09:30 in Reno, to San Francisco."""
    cart = json.loads((CARTS / "mixed.json").read_text())
    ordered = datetime.fromisoformat(cart["ordered_at"])
    return quote_wire(example_setup, cart, ordered)


@pytest.fixture(scope="module")
def english(example_setup: Setup) -> Voice:
    return voice_for(example_setup.ruleset, "en")


def test_each_option_becomes_a_rate_in_order(mixed: Quote, english: Voice) -> None:
    rates = rates_response(mixed, voice=english)["rates"]
    assert [r["service_code"] for r in rates] == [o.id for o in mixed.options]
    assert [r["service_name"] for r in rates] == [o.label for o in mixed.options]
    assert len(rates) >= 3
    for rate, option in zip(rates, mixed.options, strict=True):
        assert rate["total_price"] == str(int(option.price.amount * 100))
        assert rate["currency"] == "USD"
        assert rate["description"] == describe_option(option, "en")
        assert SHOPIFY_DATE.match(rate["min_delivery_date"])
        assert SHOPIFY_DATE.match(rate["max_delivery_date"])
        assert rate["min_delivery_date"] <= rate["max_delivery_date"]
        assert set(rate) == {"service_name", "service_code", "total_price", "description",
                             "currency", "min_delivery_date", "max_delivery_date"}


def test_the_in_stock_first_ground_rate_reads_as_two_shipments(mixed: Quote,
                                                               english: Voice) -> None:
    rates = {r["service_code"]: r for r in rates_response(mixed, voice=english)["rates"]}
    option = next(o for o in mixed.options if o.id == "in_stock_first/ups/ground")
    assert rates["in_stock_first/ups/ground"] == {
        "service_name": "UPS Ground - in-stock items now, the rest when restocked",
        "service_code": "in_stock_first/ups/ground",
        "total_price": str(int(option.price.amount * 100)),
        "description": "2 shipments: 4 items arrive Nov 24 - Nov 27; "
                       "2 items arrive Dec 30, 2026 - Jan 11, 2027",
        "currency": "USD",
        # the first parcel's earliest day and the last parcel's latest, at noon UTC
        "min_delivery_date": "2026-11-24 12:00:00 +0000",
        "max_delivery_date": "2027-01-11 12:00:00 +0000",
    }


@pytest.fixture(scope="module")
def in_stock(example_setup: Setup) -> Quote:
    """examples/carts/in_stock.json: everything on hand at reno, ordered Mon Nov 23 09:30
    (before the 14:00 cutoff), to Reno, NV."""
    cart = json.loads((CARTS / "in_stock.json").read_text())
    return quote_wire(example_setup, cart, datetime.fromisoformat(cart["ordered_at"]))


def test_a_guaranteed_rate_names_the_day_the_carrier_guarantees(in_stock: Quote,
                                                                english: Voice) -> None:
    # UPS Next Day Air is guaranteed (carriers/ups.yaml); UPS observes Thanksgiving:
    #     November 2026:  Mo Tu We Th Fr
    #                     23 24 25 26 27      (26 Thanksgiving)
    # handed over Mon 23 - Tue 24 (handling 0-1), one UPS day later: Tue 24 - Wed 25.
    rates = {r["service_code"]: r for r in rates_response(in_stock, voice=english)["rates"]}
    assert rates["together/ups/next_day_air"] == {
        "service_name": "UPS Next Day Air - ship everything together",
        "service_code": "together/ups/next_day_air",
        "total_price": "5195",
        "description": "Guaranteed by Wed, Nov 25",
        "currency": "USD",
        "min_delivery_date": "2026-11-24 12:00:00 +0000",
        "max_delivery_date": "2026-11-25 12:00:00 +0000",
    }
    # UPS Ground is not: its window is a window (1-2 UPS days, Thanksgiving skipped).
    assert rates["together/ups/ground"]["description"] == "Arrives Nov 24 - Nov 27"


def test_a_locale_without_wording_reads_the_default_locale_whole(
        mixed: Quote, example_setup: Setup) -> None:
    # The example words fr only: a German shopper reads English, English dates included.
    german = voice_for(example_setup.ruleset, "de")
    rates = {r["service_code"]: r for r in rates_response(mixed, voice=german)["rates"]}
    assert rates["in_stock_first/ups/ground"]["description"] == (
        "2 shipments: 4 items arrive Nov 24 - Nov 27; "
        "2 items arrive Dec 30, 2026 - Jan 11, 2027")


def test_a_quote_without_options_gives_no_rates(mixed: Quote, english: Voice) -> None:
    assert rates_response(replace(mixed, options=()), voice=english) == {"rates": []}


def test_a_shopify_cart_is_quoted_on_the_example_setup(example_setup: Setup) -> None:
    body = items(
        item(sku="TENT-2P", quantity=3, grams=3200, price=14900),
        item(sku="LANTERN", quantity=2, grams=400, price=1950),
        item(name="E-gift card", sku="GIFT", requires_shipping=False),
        item(sku="STOVE-2B", quantity=1, grams=4100, price=8995),
    )
    body["rate"]["destination"].update({"country": "US", "province": "CA",
                                        "postal_code": "94110", "city": "San Francisco"})
    payload = request_of(body)
    result = quote_wire(example_setup, payload, NOW)
    assert [(line.sku, line.quantity) for line in result.lines] == [
        ("TENT-2P", 3), ("LANTERN", 2), ("STOVE-2B", 1)]
    rates = rates_response(result, voice=voice_for(example_setup.ruleset, "en"))["rates"]
    assert rates and all(r["currency"] == "USD" for r in rates)
    assert {r["service_code"].split("/")[0] for r in rates} == {
        "together", "in_stock_first", "as_available"}


# -- in the checkout's currency: the example shop prices in USD, quotes CAD at 1.3650 and JPY
# at 156.40 (config.example.yaml's `currencies:`) -----------------------------------------

# The demo's mixed cart to San Francisco (3 tents, 2 lanterns, 1 stove of 4100 g) costs, in
# USD per option (later shipments are free: the backorder-free-over-100 rule):
#   ground 18.66 | ground_advantage 31.62 | priority 45.56 | 2nd_day_air 57.76 together,
#   ground 15.95 | ground_advantage 17.95 | priority 24.90 | 2nd_day_air 44.95 split.
# Each converts half up, then Shopify counts hundredths (x 100, yen too):
#   CAD x 1.3650: 25.4709 -> 25.47 | 43.1613 -> 43.16 | 62.1894 -> 62.19 | 78.8424 -> 78.84
#                 21.77175 -> 21.77 | 24.50175 -> 24.50 | 33.9885 -> 33.99 | 61.35675 -> 61.36
#   JPY x 156.40: 2918.424 -> 2918 | 4945.368 -> 4945 | 7125.584 -> 7126 | 9033.664 -> 9034
#                 2494.58 -> 2495 | 2807.38 -> 2807 | 3894.36 -> 3894 | 7030.18 -> 7030
TOGETHER = ("together/ups/ground", "together/usps/ground_advantage", "together/usps/priority",
            "together/ups/2nd_day_air")
SPLIT = ("ups/ground", "usps/ground_advantage", "usps/priority", "ups/2nd_day_air")
IN_THE_CHECKOUTS_CURRENCY = {
    # currency: (the items' prices in Shopify's hundredths, the rates' total_price)
    "CAD": ((20339, 2662, 12278),   # 149.00, 19.50, 89.95 x 1.3650, to the cent
            ("2547", "4316", "6219", "7884"), ("2177", "2450", "3399", "6136")),
    "JPY": ((2330400, 305000, 1406800),  # JPY 23304, 3050, 14068, x 100 for Shopify
            ("291800", "494500", "712600", "903400"), ("249500", "280700", "389400", "703000")),
}


@pytest.mark.parametrize("currency", sorted(IN_THE_CHECKOUTS_CURRENCY))
def test_a_shopify_checkout_in_another_currency_gets_rates_in_it(
        example_setup: Setup, currency: str) -> None:
    (tent, lantern, stove), together, split = IN_THE_CHECKOUTS_CURRENCY[currency]
    body = items(item(sku="TENT-2P", quantity=3, grams=3200, price=tent),
                 item(sku="LANTERN", quantity=2, grams=400, price=lantern),
                 item(sku="STOVE-2B", quantity=1, grams=4100, price=stove))
    body["rate"]["currency"] = currency
    body["rate"]["destination"].update({"country": "US", "province": "CA",
                                        "postal_code": "94110"})
    result = quote_wire(example_setup, request_of(body), NOW)
    rates = rates_response(result, voice=voice_for(example_setup.ruleset, "en"))["rates"]
    assert {r["currency"] for r in rates} == {currency}
    assert {r["service_code"]: r["total_price"] for r in rates} == {
        **dict(zip(TOGETHER, together, strict=True)),
        **{f"{plan}/{service}": price for plan in ("in_stock_first", "as_available")
           for service, price in zip(SPLIT, split, strict=True)}}


def test_the_documented_request_in_cad_is_read_in_cad(example_setup: Setup) -> None:
    # The fixture with "currency": "CAD": its T-shirt's 1999 is CAD 19.99. Quoted here
    # without the checkout's policies, the T-shirt is in no inventory and nothing ships:
    # an empty list, not an error. (Through the callback the shop's `unknown_items`
    # decides: tests/web/test_callbacks_shopify.py.)
    body = documented()
    body["rate"]["currency"] = "CAD"
    payload = request_of(body)
    assert (payload["currency"], payload["lines"][0]["unit_price"]) == ("CAD", "19.99")
    result = quote_wire(example_setup, payload, NOW)
    assert result.currency == "CAD"
    assert rates_response(result, voice=voice_for(example_setup.ruleset, "en")) == {"rates": []}


def test_a_shopify_currency_without_a_rate_is_refused(example_setup: Setup) -> None:
    # Known to the engine but not to this shop: a 422, and Shopify falls back to its
    # backup rates.
    body = documented()
    body["rate"]["currency"] = "GBP"
    with pytest.raises(InvalidRequest) as raised:
        quote_wire(example_setup, request_of(body), NOW)
    assert raised.value.status == 422
    assert raised.value.fields == {"currency": [
        "must be USD or a currency with an exchange rate in the config (`currencies:`): "
        "CAD, EUR, JPY"]}


@pytest.mark.parametrize(("amount", "currency", "expected"), [
    ("12.95", "USD", "1295"),
    ("0.00", "USD", "0"),
    ("1295", "JPY", "129500"),    # documented: "100000 for 1000 JPY"
    ("12.345", "KWD", "1235"),    # hundredths only: the third decimal rounds half up
])
def test_prices_go_to_shopify_in_hundredths(amount: str, currency: str, expected: str) -> None:
    assert shopify_amount(Money(Decimal(amount), currency)) == expected


# -- the signature ------------------------------------------------------------------------

SECRET = "hush-shopify-app-secret"  # noqa: S105 - a test value


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def test_a_correct_signature_verifies() -> None:
    body = SHOPIFY_RATE_REQUEST.read_bytes()
    assert verify_hmac(body, sign(body), SECRET)


def test_a_signature_made_with_another_secret_fails() -> None:
    body = SHOPIFY_RATE_REQUEST.read_bytes()
    assert not verify_hmac(body, sign(body, "another-secret"), SECRET)


@pytest.mark.parametrize("header", [None, "", "not base64 at all", "é"])
def test_a_missing_or_garbled_header_fails(header: str | None) -> None:
    assert not verify_hmac(SHOPIFY_RATE_REQUEST.read_bytes(), header, SECRET)


def test_a_tampered_body_fails() -> None:
    body = SHOPIFY_RATE_REQUEST.read_bytes()
    signature = sign(body)
    tampered = body.replace(b'"price": 1999', b'"price": 1')
    assert tampered != body
    assert not verify_hmac(tampered, signature, SECRET)


def test_a_reserialised_body_fails_so_the_raw_bytes_must_be_used() -> None:
    body = SHOPIFY_RATE_REQUEST.read_bytes()
    assert not verify_hmac(json.dumps(json.loads(body)).encode(), sign(body), SECRET)


def test_an_empty_secret_never_verifies() -> None:
    body = SHOPIFY_RATE_REQUEST.read_bytes()
    assert not verify_hmac(body, sign(body, ""), "")


def test_the_fixture_is_not_changed_by_the_translation() -> None:
    body = documented()
    before = copy.deepcopy(body)
    request_of(body)
    assert body == before
