"""Table rates by zone and weight band, with per-extra-kg pricing and a weight cap.

The table under test (us-west): from 0 g 8.00, from 1000 g 9.50, from 5000 g 14.00; above
5000 g, 1.25 per started kg; nothing over 30 kg.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from rates.domain.rate_tables import RateTable
from tests.support.domain import bands, usd

TABLE = RateTable({"us-west": bands((0, "8.00"), (1000, "9.50"), (5000, "14.00"))},
                  max_grams=30_000, per_extra_kg=usd("1.25"))


@pytest.mark.parametrize(("grams", "price"), [
    (0, "8.00"),
    (999, "8.00"),
    (1000, "9.50"),      # a band includes its starting weight
    (4999, "9.50"),
    (5000, "14.00"),     # exactly at the last breakpoint: no extra kg yet
    (5001, "15.25"),     # 1 g over starts a kilogram: 14.00 + 1 x 1.25
    (6000, "15.25"),
    (6001, "16.50"),     # 2 started kg: 14.00 + 2 x 1.25
    (30_000, "45.25"),   # at the cap: 25 kg over 5 kg: 14.00 + 25 x 1.25 = 45.25
])
def test_price_is_the_last_band_at_or_below_the_weight(grams, price):
    assert TABLE.price("us-west", grams).price == usd(price)


def test_detail_shows_the_extra_kilograms():
    priced = TABLE.price("us-west", 6001)
    assert priced.detail == "zone us-west 6.001 kg: 14.00 + 2 kg x 1.25 = 16.50"
    assert TABLE.price("us-west", 1500).detail == "zone us-west 1.5 kg: 9.50"


def test_over_the_weight_cap_cannot_go_by_this_service():
    priced = TABLE.price("us-west", 30_001)
    assert priced.price is None
    assert priced.detail == "30.001 kg is over the 30 kg limit"


def test_a_zone_without_rates_cannot_be_priced():
    priced = TABLE.price("canada", 1000)
    assert priced.price is None
    assert priced.detail == "no rates for zone canada"


def test_a_weight_below_the_first_band_has_no_rate():
    table = RateTable({"z": bands((500, "5.00"))})
    priced = table.price("z", 499)
    assert priced.price is None
    assert priced.detail == "no rate for 0.499 kg in zone z"


def test_without_per_extra_kg_the_last_band_price_holds_for_any_weight():
    table = RateTable({"z": bands((0, "5.00"), (2000, "7.50"))})
    assert table.price("z", 250_000).price == usd("7.50")


def test_rates_keep_the_currency_minor_units():
    table = RateTable({"z": bands((0, "5"))})
    assert table.price("z", 1).price.amount == Decimal("5.00")


def test_a_table_prices_each_zone_and_weight_once_for_every_later_quote():
    table = RateTable({"us-west": bands((0, "8.00"), (1000, "9.50"))})
    first = table.price("us-west", 1500)
    assert first == (usd("9.50"), "zone us-west 1.5 kg: 9.50")
    assert table.price("us-west", 1500) is first
    assert table.price("us-west", 500).price == usd("8.00")
    assert table.price("us-east", 500) == (None, "no rates for zone us-east")
