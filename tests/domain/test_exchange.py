"""Exchange rates: which currencies a shop quotes in, and how a price or a subtotal
converts. Every figure is worked out by hand in the comment beside it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rates.domain.errors import InvalidMoney, InvalidRequest, UnknownCurrency
from rates.domain.exchange import Conversion, ExchangeRates
from rates.domain.money import Money

RATES = ExchangeRates("USD", {"CAD": Decimal("1.3650"), "JPY": Decimal("156.40"),
                              "EUR": Decimal("0.9210")})


def test_the_shops_own_currency_needs_no_conversion():
    assert RATES.conversion("USD") is None


def test_a_currency_with_a_rate_converts_at_it():
    cad = RATES.conversion("CAD")
    assert cad == Conversion("USD", "CAD", Decimal("1.3650"))


def test_the_accepted_currencies_are_the_shops_then_the_others_in_order():
    assert RATES.accepted == ("USD", "CAD", "EUR", "JPY")


def test_a_currency_without_a_rate_names_the_field_and_the_accepted_ones():
    with pytest.raises(InvalidRequest) as raised:
        RATES.conversion("GBP")
    assert raised.value.status == 422
    assert raised.value.message == "this shop quotes in USD, CAD, EUR or JPY, not GBP"
    assert raised.value.fields == {"currency": [
        "must be USD or a currency with an exchange rate in the config (`currencies:`): "
        "CAD, EUR, JPY"]}


def test_without_rates_only_the_shops_currency_is_accepted():
    with pytest.raises(InvalidRequest) as raised:
        ExchangeRates("USD").conversion("CAD")
    assert raised.value.message == "this shop quotes in USD, not CAD"
    assert raised.value.fields == {"currency": ["must be USD"]}


@pytest.mark.parametrize(("currency", "shop_cents", "expected"), [
    ("CAD", 1866, 2547),   # 18.66 x 1.3650 = 25.4709 -> CAD 25.47
    ("CAD", 1775, 2423),   # 17.75 x 1.3650 = 24.22875 -> CAD 24.23 (half up)
    ("JPY", 1866, 2918),   # 18.66 x 156.40 = 2918.424 -> JPY 2918 (no minor unit)
    ("JPY", 995, 1556),    # 9.95 x 156.40 = 1556.18 -> JPY 1556
    ("EUR", 1866, 1719),   # 18.66 x 0.9210 = 17.18586 -> EUR 17.19
    ("CAD", 0, 0),         # free stays free
])
def test_a_price_converts_half_up_to_the_checkout_currencys_minor_unit(
        currency, shop_cents, expected):
    conversion = RATES.conversion(currency)
    assert conversion is not None
    assert conversion.price(shop_cents) == expected


@pytest.mark.parametrize(("currency", "checkout_units", "expected"), [
    ("CAD", 13650, 10000),   # CAD 136.50 / 1.3650 = USD 100.00 exactly
    ("CAD", 13649, 9999),    # CAD 136.49 / 1.3650 = USD 99.9927 -> 99.99
    ("JPY", 15640, 10000),   # JPY 15640 / 156.40 = USD 100.00
    ("JPY", 15639, 9999),    # JPY 15639 / 156.40 = USD 99.9936 -> 99.99
    ("EUR", 9209, 9998),     # EUR 92.09 / 0.9210 = USD 99.9891 -> 99.98
])
def test_a_subtotal_converts_to_the_shops_currency_rounded_down(
        currency, checkout_units, expected):
    conversion = RATES.conversion(currency)
    assert conversion is not None
    assert conversion.subtotal(checkout_units) == expected


def test_rounding_down_never_lifts_a_subtotal_over_a_threshold():
    # KWD has three decimals: KWD 30.699 / 0.3070 = USD 99.99674, which half up would
    # make USD 100.00 and meet "at least USD 100". Down, it is USD 99.99.
    kwd = Conversion("USD", "KWD", Decimal("0.3070"))
    assert kwd.subtotal(30699) == 9999
    assert kwd.subtotal(30700) == 10000   # KWD 30.700 / 0.3070 = USD 100.00


def test_the_conversion_reads_as_the_trace_shows_it():
    cad = Conversion("USD", "CAD", Decimal("1.3650"))
    assert cad.describe(Money(Decimal("18.66"), "USD"), Money(Decimal("25.47"), "CAD")) == (
        "USD 18.66 at 1.3650 = CAD 25.47")


@pytest.mark.parametrize(("rates", "error"), [
    ({"CAD": Decimal(0)}, InvalidMoney),
    ({"CAD": Decimal("-1.3650")}, InvalidMoney),
    ({"CAD": Decimal("NaN")}, InvalidMoney),
    ({"USD": Decimal(1)}, InvalidMoney),
    ({"XYZ": Decimal(1)}, UnknownCurrency),
])
def test_rates_the_loader_would_refuse_are_refused_here_too(rates, error):
    with pytest.raises(error):
        ExchangeRates("USD", rates)
