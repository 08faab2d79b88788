"""Money: Decimal amounts in one currency, rounded half up to its minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rates.domain.errors import CurrencyMismatch, InvalidMoney, UnknownCurrency
from rates.domain.money import (
    Money,
    add_shares,
    exchange_ratio,
    exchange_units,
    minor_unit,
    percent_ratio,
    total,
)
from tests.support.domain import split


def money(text: str, currency: str = "USD") -> Money:
    return Money(Decimal(text), currency)


@pytest.mark.parametrize(("amount", "currency", "expected"), [
    ("5", "USD", "5.00"),
    ("1.005", "USD", "1.01"),     # half up
    ("1.004", "USD", "1.00"),
    ("2.675", "USD", "2.68"),     # exact in Decimal, so no float surprise
    ("2.5", "JPY", "3"),
    ("1234.4", "JPY", "1234"),
    ("1.2345", "KWD", "1.235"),
    ("1.2344", "KWD", "1.234"),
    ("2", "KWD", "2.000"),
    ("100.00", "JPY", "100"),
])
def test_amounts_are_rounded_half_up_to_the_minor_unit(amount, currency, expected):
    value = money(amount, currency)
    assert str(value.amount) == expected
    assert str(value) == f"{expected} {currency}"


def test_minor_units_per_currency():
    assert minor_unit("USD") == Decimal("0.01")
    assert minor_unit("JPY") == Decimal("1")
    assert minor_unit("KWD") == Decimal("0.001")


def test_unknown_currency_is_refused_not_guessed():
    with pytest.raises(UnknownCurrency) as raised:
        money("1.00", "XXX")
    assert raised.value.code == "unknown_currency"


@pytest.mark.parametrize("amount", [1.5, 12.95, 5, "5.00", None])
def test_money_accepts_only_a_decimal_amount(amount):
    with pytest.raises(InvalidMoney):
        Money(amount, "USD")


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_money_refuses_non_finite_amounts(amount):
    with pytest.raises(InvalidMoney):
        Money(Decimal(amount), "USD")


def test_parse_reads_a_decimal_string_and_refuses_a_float():
    assert Money.parse(" 12.95 ", "USD") == money("12.95")
    with pytest.raises(InvalidMoney, match="quoted decimal string"):
        Money.parse(12.95, "USD")
    with pytest.raises(InvalidMoney, match="not a decimal amount"):
        Money.parse("twelve", "USD")


def test_times_with_a_float_factor_fails():
    with pytest.raises(TypeError):
        money("1.00").times(1.5)


def test_arithmetic():
    assert money("19.50").times(3) == money("58.50")
    assert money("9.99").times(Decimal("1.075")) == money("10.74")   # 10.73925 -> 10.74
    prices = [995, 995, 2195, -2195, 700]
    add_shares(prices, [0], *percent_ratio(Decimal(10)))                         # 99.5 -> 100
    add_shares(prices, [1], *percent_ratio(Decimal(-20)))                        # -199
    add_shares(prices, [2], *percent_ratio(Decimal(-50)))                        # -1097.5 -> -1098
    add_shares(prices, [3], *percent_ratio(Decimal("12.5")))                     # -274.375 -> -274
    assert prices == [1095, 796, 1097, -2469, 700]                              # the last untouched
    assert money("3.00") + money("1.25") == money("4.25")
    assert money("3.00") - money("4.25") == money("-1.25")
    assert -money("3.00") == money("-3.00")
    assert money("12.34").units == 1234
    assert Money.of_units(-5, "USD") == money("-0.05")
    assert str(Money.of_units(0, "KWD").amount) == "0.000"
    assert Money.of_units(7, "JPY") == money("7", "JPY")
    assert money("0").is_zero


def test_comparisons():
    assert money("1.00") < money("1.01")
    assert money("1.00") <= money("1.00")
    assert money("2.00") > money("1.00")
    assert money("2.00") >= money("2.00")


def test_signed_shows_the_sign_as_a_trace_does():
    assert money("3.00").signed() == "+3.00"
    assert money("0.00").signed() == "+0.00"
    assert money("-1.50").signed() == "-1.50"


def test_whole_amounts_are_shown_with_the_currency_minor_digits():
    # What the wire and the traces show: "5.00", never "5" (DESIGN section 7).
    assert str(Money.parse("5", "USD")) == "5.00 USD"
    assert str(Money.zero("USD")) == "0.00 USD"
    assert Money.zero("USD").signed() == "+0.00"


def test_currencies_never_mix():
    with pytest.raises(CurrencyMismatch):
        money("1.00") + money("1.00", "CAD")
    with pytest.raises(CurrencyMismatch):
        money("1.00") - money("1.00", "CAD")
    with pytest.raises(CurrencyMismatch):
        money("1.00") < money("1.00", "CAD")  # noqa: B015 - the comparison is the test


def test_total_of_nothing_is_zero_in_the_currency():
    assert total([], "JPY") == money("0", "JPY")
    assert total([money("1.10"), money("2.20")], "USD") == money("3.30")
    with pytest.raises(CurrencyMismatch):
        total([money("1.10")], "CAD")


def test_split_gives_leftover_units_to_the_largest_remainder_earlier_on_ties():
    # 1000 cents in three equal parts: 333.33.. each, 1 left over -> the first part.
    assert split(1000, [1, 1, 1]) == [334, 333, 333]
    # 5 cents by 300 : 100 -> 3.75 and 1.25: floors 3 and 1, the leftover cent to the
    # larger remainder (0.75) -> 4 and 1.
    assert split(5, [300, 100]) == [4, 1]


def test_split_negative_amounts_keep_the_sign():
    assert split(-100, [1, 1, 1]) == [-34, -33, -33]


def test_split_with_all_weights_zero_splits_evenly():
    assert split(100, [0, 0]) == [50, 50]


def test_split_over_nothing_is_nothing():
    assert split(500, []) == []


@pytest.mark.parametrize("text", ["1e30", "123456789012345678901234567890"])
def test_an_amount_too_large_to_round_is_invalid_money_not_a_crash(text):
    # Quantizing to cents needs more than Decimal's 28 digits: the caller must get the
    # engine's InvalidMoney (a 4xx on the wire), not decimal.InvalidOperation (a 500).
    with pytest.raises(InvalidMoney):
        Money.parse(text, "USD")


def test_an_amount_too_large_to_round_is_invalid_money_not_a_decimal_crash():
    with pytest.raises(InvalidMoney, match="too large"):
        Money(Decimal("1e30"), "USD")


# -- exchange arithmetic ----------------------------------------------------------------------


@pytest.mark.parametrize(("rate", "source", "target", "ratio"), [
    ("1.3650", "USD", "CAD", (273, 200)),    # 13650/10000 in lowest terms, cents to cents
    ("156.40", "USD", "JPY", (391, 250)),    # a cent is 1.5640 yen: 15640/10000
    ("0.3070", "USD", "KWD", (307, 100)),    # a cent is 3.070 fils: 3070/1000
    ("0.0064", "JPY", "USD", (16, 25)),      # a yen is 0.64 cent
    ("2", "USD", "EUR", (2, 1)),
])
def test_a_rate_becomes_an_exact_ratio_of_minor_units(rate, source, target, ratio):
    assert exchange_ratio(Decimal(rate), source, target) == ratio


@pytest.mark.parametrize(("units", "ratio", "half_up", "down"), [
    (1866, (273, 200), 2547, 2547),     # USD 18.66 x 1.3650 = CAD 25.4709
    (1775, (273, 200), 2423, 2422),     # USD 17.75 x 1.3650 = CAD 24.22875
    (950, (273, 200), 1297, 1296),      # USD 9.50 x 1.3650 = CAD 12.9675
    (1866, (391, 250), 2918, 2918),     # USD 18.66 x 156.40 = JPY 2918.424
    (13649, (200, 273), 9999, 9999),    # CAD 136.49 / 1.3650 = USD 99.9927
    (30699, (100, 307), 10000, 9999),   # KWD 30.699 / 0.3070 = USD 99.99674
    (2, (1, 4), 1, 0),                  # exactly half: up
    (0, (273, 200), 0, 0),
    (-1775, (273, 200), -2423, -2422),  # away from zero / toward zero
])
def test_exchanged_units_round_half_up_or_down(units, ratio, half_up, down):
    assert exchange_units(units, ratio) == half_up
    assert exchange_units(units, ratio, down=True) == down


def test_an_amount_of_minor_units_is_made_once_and_shared():
    price = Money.of_units(1234, "USD")
    assert price == Money.parse("12.34", "USD")
    assert str(price.amount) == "12.34"
    assert Money.of_units(1234, "USD") is price  # immutable: every later price shares it
    assert Money.of_units(1234, "JPY") == Money.parse("1234", "JPY")
    assert Money.of_units(-5, "USD").amount == Decimal("-0.05")
