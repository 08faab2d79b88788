"""quote() in a checkout currency other than the shop's (USD), at configured rates.

The catalog, ruleset and mixed cart are test_pipeline's; its USD prices, worked out there:
  together:       UPS 22.75 (one shipment)         FedEx 20.00
  in_stock_first: UPS 17.75 + 9.50                 FedEx 20.00 + 10.00
  as_available:   UPS 17.75 + 9.50 + 9.50          FedEx 20.00 + 10.00 + 10.00
Each shipment converts at CAD 1.3650 per USD, rounded half up to the cent:
  22.75 -> 31.05375 -> 31.05     20.00 -> 27.30     17.75 -> 24.22875 -> 24.23
   9.50 -> 12.9675 -> 12.97      10.00 -> 13.65
and each option costs the sum of its converted shipments.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from rates.domain.cart import Line
from rates.domain.errors import InvalidRequest
from rates.domain.exchange import Conversion
from rates.domain.live_rates import LiveAnswer, LiveEndpoint, LiveRate, Parcel, RateRequest
from rates.domain.money import Money
from rates.domain.quote.pipeline import quote, rate_requests
from rates.domain.rules.actions import SetPrice
from rates.domain.rules.conditions import Between
from rates.domain.rules.evaluation import Rule
from tests.domain.quote.test_pipeline import (
    LANTERN,
    MIXED,
    NOW,
    RENO_NV,
    STOVE,
    TENT,
    option,
    request,
)
from tests.support.domain import usd

CAD_RATE = Decimal("1.3650")
RATES = {"CAD": CAD_RATE, "JPY": Decimal("156.40"), "KWD": Decimal("0.3070")}


def cad(text: str) -> Money:
    return Money(Decimal(text), "CAD")


def priced_in(currency: str, line: Line, price: str) -> Line:
    return dataclasses.replace(line, unit_price=Money(Decimal(price), currency))


# The mixed cart at the checkout's prices: TENT 149.00 USD is CAD 203.39, and so on.
MIXED_CAD = dataclasses.replace(MIXED, currency="CAD", lines=(
    priced_in("CAD", TENT, "203.39"), priced_in("CAD", LANTERN, "26.62"),
    priced_in("CAD", STOVE, "81.90")))


@pytest.fixture(scope="module")
def shop(ruleset):
    """The test ruleset, priced in USD, also quoting in CAD, JPY and KWD."""
    return dataclasses.replace(ruleset, exchange_rates=RATES)


def prices(result):
    return [(o.id, str(o.price.amount), [str(s.price.amount) for s in o.shipments])
            for o in result.options]


def test_every_shipment_converts_and_the_option_is_their_sum(catalog, shop):
    result = quote(MIXED_CAD, catalog, shop, NOW)
    assert result.currency == "CAD"
    assert prices(result) == [
        ("together/fedex/home", "27.30", ["27.30"]),
        ("together/ups/ground", "31.05", ["31.05"]),
        ("in_stock_first/ups/ground", "37.20", ["24.23", "12.97"]),
        ("in_stock_first/fedex/home", "40.95", ["27.30", "13.65"]),
        # 24.23 + 12.97 + 12.97 = 50.17, where the option's USD 36.75 alone would
        # convert to 50.16375 -> 50.16: the shipments are what the shopper sees add up.
        ("as_available/ups/ground", "50.17", ["24.23", "12.97", "12.97"]),
        ("as_available/fedex/home", "54.60", ["27.30", "13.65", "13.65"]),
    ]


def test_rates_and_rules_stay_in_the_shops_currency_until_the_conversion(catalog, shop):
    ground = option(quote(MIXED_CAD, catalog, shop, NOW), "in_stock_first/ups/ground")
    assert ground.conversion == Conversion("USD", "CAD", CAD_RATE)
    assert [s.base_price for s in ground.shipments] == [usd("17.75"), usd("9.50")]
    assert [s.shop_price for s in ground.shipments] == [usd("17.75"), usd("9.50")]
    assert [s.price for s in ground.shipments] == [cad("24.23"), cad("12.97")]


def test_a_quote_in_the_shops_currency_converts_nothing(catalog, shop):
    ground = option(quote(MIXED, catalog, shop, NOW), "in_stock_first/ups/ground")
    assert ground.conversion is None
    assert [s.shop_price for s in ground.shipments] == [None, None]
    assert ground.price == usd("27.25")


def test_yen_have_no_minor_unit(catalog, shop):
    # 17.75 x 156.40 = 2776.1 -> 2776; 9.50 x 156.40 = 1485.8 -> 1486; sum 4262.
    lantern = priced_in("JPY", LANTERN, "3050")
    tent = priced_in("JPY", TENT, "23304")
    stove = priced_in("JPY", STOVE, "9384")
    result = quote(dataclasses.replace(MIXED, currency="JPY", lines=(tent, lantern, stove)),
                   catalog, shop, NOW)
    ground = option(result, "in_stock_first/ups/ground")
    assert [s.price for s in ground.shipments] == [Money(Decimal(2776), "JPY"),
                                                   Money(Decimal(1486), "JPY")]
    assert ground.price == Money(Decimal(4262), "JPY")
    assert str(ground.price.amount) == "4262"


# -- rules on the subtotal compare in the shop's currency ---------------------------------


def free_over_100(shop):
    return dataclasses.replace(shop, rules=(
        Rule("free-over-100", (Between("subtotal", at_least=usd("100.00")),),
             SetPrice(usd("0.00"))),))


def one_lamp(currency: str, price: str):
    """One lamp on hand at reno, 500 g: UPS Ground together is USD 8.00 (CAD 10.92)."""
    lamp = priced_in(currency, dataclasses.replace(LANTERN, sku="LAMP", quantity=1,
                                                   grams=500), price)
    return request(lamp, currency=currency)


@pytest.mark.parametrize(("currency", "price", "ground"), [
    ("USD", "100.00", "0.00"),
    ("USD", "99.99", "8.00"),
    ("CAD", "136.50", "0.00"),    # 136.50 / 1.3650 = USD 100.00: free
    ("CAD", "136.49", "10.92"),   # 136.49 / 1.3650 = USD 99.9927 -> 99.99; 8.00 x 1.365
    ("JPY", "15640", "0"),        # 15640 / 156.40 = USD 100.00: free
    ("JPY", "15639", "1251"),     # 15639 / 156.40 = USD 99.9936; 8.00 x 156.40 = 1251.2
    ("KWD", "30.699", "2.456"),   # 30.699 / 0.3070 = USD 99.99674 -> 99.99 (down);
                                  # 8.00 x 0.3070 = 2.456
    ("KWD", "30.700", "0.000"),   # 30.700 / 0.3070 = USD 100.00: free
])
def test_free_over_usd_100_means_the_same_cart_value_in_every_currency(
        catalog, shop, currency, price, ground):
    result = quote(one_lamp(currency, price), catalog, free_over_100(shop), NOW)
    assert str(option(result, "together/ups/ground").price.amount) == ground


# -- what is refused, and what live carriers are asked ------------------------------------


def test_a_currency_without_a_rate_is_refused_naming_the_accepted_ones(catalog, shop):
    gbp = dataclasses.replace(MIXED, currency="GBP", lines=tuple(
        priced_in("GBP", line, "10.00") for line in MIXED.lines))
    with pytest.raises(InvalidRequest) as raised:
        quote(gbp, catalog, shop, NOW)
    assert raised.value.message == "this shop quotes in USD, CAD, JPY or KWD, not GBP"
    assert raised.value.fields == {"currency": [
        "must be USD or a currency with an exchange rate in the config (`currencies:`): "
        "CAD, JPY, KWD"]}


def test_live_carriers_are_asked_and_answer_in_the_shops_currency(catalog, shop):
    ups = dataclasses.replace(catalog.carriers["ups"],
                              live=LiveEndpoint("generic", "http://127.0.0.1:9/rates"))
    live = dataclasses.replace(catalog, carriers={**catalog.carriers, "ups": ups})
    cart = request(priced_in("CAD", LANTERN, "26.62"), currency="CAD")
    ask = RateRequest("ups", "reno", "US", "NV", None, RENO_NV, (Parcel(800),), "USD")
    assert rate_requests(cart, live, shop) == (ask,)
    answer = LiveAnswer((LiveRate("ground", usd("6.10"), (2, 2)),))
    result = quote(cart, live, shop, NOW, live={ask: answer})
    ground = option(result, "together/ups/ground")
    assert ground.shipments[0].source == "live"
    assert ground.price == cad("8.33")   # 6.10 x 1.3650 = 8.3265 -> 8.33
