"""The bundled example (config.example.yaml and what it points to) loads into the facts its
comments promise. Dates are November 2026, the week of US Thanksgiving.

    November 2026            December 2026
    Mo Tu We Th Fr Sa Su     Mo Tu We Th Fr Sa Su
                       1         1  2  3  4  5  6
     2  3  4  5  6  7  8      7  8  9 10 11 12 13
     9 10 11 12 13 14 15     14 15 16 17 18 19 20
    16 17 18 19 20 21 22     21 22 23 24 25 26 27
    23 24 25 26 27 28 29     28 29 30 31
    30
"""

from __future__ import annotations

import gc
import json
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from rates.domain.cart import Destination
from rates.domain.catalog import Observance, first_zone
from rates.domain.money import Money
from rates.domain.plans import PlanKind
from rates.domain.rules.actions import Adjust, Block, Clamp, Per, Scope, SetPrice
from rates.domain.rules.conditions import Between, OneOf
from rates.domain.stock import DateRange, InboundLot
from rates.loading import Setup, load_setup
from tests.support.project import CARTS, EXAMPLE_CONFIG, EXAMPLE_TODAY, ROOT

NEVADA = Destination("US", "NV", "89501")


def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


# -- locations and their calendars ---------------------------------------------------------


def test_locations_keep_file_order_as_priority(example_setup: Setup) -> None:
    assert list(example_setup.catalog.locations) == ["reno", "newark", "toronto"]


def test_reno_is_closed_on_thanksgiving_and_nevada_family_day(example_setup: Setup) -> None:
    reno = example_setup.catalog.locations["reno"].calendar
    assert reno.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"
    assert reno.why_closed(date(2026, 11, 27)) == "Family Day"
    assert reno.is_business_day(date(2026, 11, 25))
    assert reno.add(date(2026, 11, 25), 1) == date(2026, 11, 30)


def test_closures_are_closed_days_with_their_names_and_spans_are_inclusive(
        example_setup: Setup) -> None:
    reno = example_setup.catalog.locations["reno"].calendar
    assert reno.why_closed(date(2026, 12, 24)) == "closed: Christmas Eve"
    assert reno.why_closed(date(2026, 12, 31)) == "closed: Year-end inventory count"
    assert reno.why_closed(date(2027, 1, 1)) == "closed: Year-end inventory count"
    assert reno.is_business_day(date(2026, 12, 30))
    newark = example_setup.catalog.locations["newark"].calendar
    assert [d.day for d, _ in newark.closed_between(date(2026, 12, 27), date(2026, 12, 30))] \
        == [28, 29, 30]


def test_toronto_keeps_ontario_holidays(example_setup: Setup) -> None:
    toronto = example_setup.catalog.locations["toronto"]
    assert toronto.country == "CA"
    assert toronto.region == "ON"
    assert toronto.calendar.why_closed(date(2026, 5, 18)) == "Victoria Day"
    assert toronto.calendar.why_closed(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert toronto.calendar.is_business_day(date(2026, 11, 26))  # US Thanksgiving


def test_calendars_span_last_year_to_three_years_ahead(example_setup: Setup) -> None:
    reno = example_setup.catalog.locations["reno"].calendar
    assert (reno.first, reno.last) == (date(2025, 1, 1), date(2029, 12, 31))


def test_cutoffs_handling_and_receiving(example_setup: Setup) -> None:
    reno = example_setup.catalog.locations["reno"]
    assert reno.cutoffs == {day: time(14) for day in range(5)}
    assert (reno.handling_days, reno.receiving_days) == ((0, 1), 1)
    newark = example_setup.catalog.locations["newark"]
    assert newark.cutoffs == {0: time(15), 1: time(15), 2: time(15), 3: time(15), 4: time(12)}
    assert str(newark.timezone) == "America/New_York"
    toronto = example_setup.catalog.locations["toronto"]
    assert (toronto.handling_days, toronto.receiving_days) == ((1, 2), 2)


# -- carriers --------------------------------------------------------------------------------


def test_carriers_and_their_services(example_setup: Setup) -> None:
    carriers = example_setup.catalog.carriers
    assert sorted(carriers) == ["canada_post", "ups", "usps"]
    assert list(carriers["ups"].services) == ["ground", "2nd_day_air", "next_day_air"]
    assert list(carriers["usps"].services) == ["ground_advantage", "priority",
                                               "priority_express"]
    assert list(carriers["canada_post"].services) == ["regular_parcel", "expedited",
                                                      "xpresspost"]
    assert example_setup.catalog.service("usps/priority").name == "USPS Priority Mail"
    canada_post, usps, ups = (carriers[c].observes or {} for c in ("canada_post", "usps", "ups"))
    assert canada_post == {"CA": Observance("CA", None, regional=True),
                           "US": Observance("US", None)}
    assert set(usps) == {"US"} and len(usps["US"].holidays or ()) == 11
    assert "Columbus Day" in (usps["US"].holidays or ())
    assert "Columbus Day" not in (ups["US"].holidays or ())
    assert ups["CA"] == Observance("CA", None)


def test_usps_delivers_on_saturday_but_not_on_thanksgiving(example_setup: Setup) -> None:
    usps = example_setup.catalog.calendars.delivery(example_setup.catalog.carriers["usps"], NEVADA)
    assert usps.name == "usps delivery US-NV"
    assert usps.is_business_day(date(2026, 11, 28))
    assert usps.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"
    # Nevada Day and Family Day are state holidays, not federal ones.
    assert usps.is_business_day(date(2026, 10, 30))
    assert usps.is_business_day(date(2026, 11, 27))


def test_ups_delivers_monday_to_friday_and_skips_only_its_six_holidays(
        example_setup: Setup) -> None:
    ups = example_setup.catalog.calendars.delivery(example_setup.catalog.carriers["ups"], NEVADA)
    assert ups.why_closed(date(2026, 11, 28)) == "Saturday"
    assert ups.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"
    assert ups.is_business_day(date(2026, 11, 11))  # Veterans Day
    assert ups.add(date(2026, 11, 25), 1) == date(2026, 11, 27)


def test_pickup_needs_the_location_and_the_carrier_both_at_work(example_setup: Setup) -> None:
    catalog = example_setup.catalog
    pickup = catalog.calendars.pickup(catalog.carriers["ups"], catalog.locations["reno"])
    assert pickup.name == "ups pickup at reno"
    assert pickup.why_closed(date(2026, 12, 24)) == "closed: Christmas Eve"
    assert pickup.why_closed(date(2026, 11, 27)) == "Family Day"
    assert pickup.on_or_after(date(2026, 11, 26)) == date(2026, 11, 30)


def test_carrier_zones_depend_on_the_origin(example_setup: Setup) -> None:
    ups = example_setup.catalog.carriers["ups"]
    assert first_zone(ups.zones, NEVADA, origin="reno") == "local"
    assert first_zone(ups.zones, NEVADA, origin="newark") == "national"
    assert first_zone(ups.zones, Destination("US", "NY"), origin="newark") == "local"
    assert first_zone(ups.zones, Destination("CA", "BC"), origin="reno") == "canada"
    usps = example_setup.catalog.carriers["usps"]
    assert first_zone(usps.zones, NEVADA, origin="toronto") is None


def test_rate_bands(example_setup: Setup) -> None:
    ground = example_setup.catalog.service("ups/ground").rates
    assert ground.price("local", 3600).price == usd("12.45")
    assert ground.price("local", 999).price == usd("9.45")
    assert ground.price("local", 1000).price == usd("10.95")
    # 22.5 kg: the 20 kg band plus 3 started kilograms at 0.95.
    assert ground.price("local", 22500).price == usd("35.80")
    assert ground.price("local", 68001).price is None
    advantage = example_setup.catalog.service("usps/ground_advantage").rates
    assert [band.from_grams for band in advantage.zones["local"]] == [0, 500, 1000, 2000,
                                                                     5000, 10000]
    assert advantage.max_grams == 31750
    assert advantage.price("local", 600).price == usd("7.25")
    assert example_setup.catalog.service("canada_post/xpresspost").transit["usa"] == (2, 3)


# -- rules ---------------------------------------------------------------------------------


def test_ruleset_currency_zones_services_and_plans(example_setup: Setup) -> None:
    ruleset = example_setup.ruleset
    assert ruleset.currency == "USD"
    assert [zone.id for zone in ruleset.zones] == ["us-offshore", "contiguous-us", "canada"]
    assert first_zone(ruleset.zones, Destination("US", "HI")) == "us-offshore"
    assert first_zone(ruleset.zones, NEVADA) == "contiguous-us"
    offered = {offer.service: offer.zones for offer in ruleset.services}
    assert offered["ups/ground"] == {"contiguous-us", "canada"}
    assert offered["usps/priority"] == frozenset()
    assert ruleset.plans.kinds == (PlanKind.TOGETHER, PlanKind.IN_STOCK_FIRST,
                                   PlanKind.AS_AVAILABLE)
    assert ruleset.plans.labels[PlanKind.AS_AVAILABLE] == \
        "each item as soon as it is back in stock"
    assert ruleset.plans.merge_within_days == 3


def test_rules_in_file_order_with_their_source_lines(example_setup: Setup) -> None:
    rules = example_setup.ruleset.rules
    assert [rule.id for rule in rules] == [
        "free-ground-over-150", "patience-discount", "second-shipment-free-over-100",
        "split-fee", "one-box-label", "pickup-waits-for-restock", "coast-to-coast",
        "sooner-from-farther", "ground-within-bounds", "no-express-for-backorders",
        "no-oversize-by-usps"]
    text = (ROOT / "rules" / "default.yaml").read_text().splitlines()
    for rule in rules:
        file, line = rule.source.split(":")
        assert file == "rules/default.yaml"
        assert text[int(line) - 1] == f"  - id: {rule.id}"


def test_rules_compile_to_the_domain_conditions_and_actions(example_setup: Setup) -> None:
    rules = {rule.id: rule for rule in example_setup.ruleset.rules}
    free = rules["free-ground-over-150"]
    assert free.action == SetPrice(usd("0.00"))
    assert free.stop is True
    assert Between("subtotal", at_least=usd("150.00")) in free.when
    assert OneOf("stock", frozenset({"in_stock"})) in free.when
    assert rules["patience-discount"].action == Adjust(percent=Decimal("-15"))
    second = rules["second-shipment-free-over-100"]
    assert (second.scope, second.action) == (Scope.BACKORDERED, SetPrice(usd("0.00")))
    split = rules["split-fee"]
    assert split.action == Adjust(amount=usd("2.00"), per=Per.SHIPMENT)
    assert Between("shipments", at_least=2) in split.when
    assert rules["ground-within-bounds"].action == Clamp(usd("4.95"), usd("49.95"))
    assert rules["no-express-for-backorders"].action == Block(
        "Express shipping is only available when every item is in stock")


def test_version_hashes_rules_and_carrier_files(example_setup: Setup) -> None:
    assert example_setup.ruleset.version.startswith("sha256:")
    assert len(example_setup.ruleset.version) == len("sha256:") + 64


# -- inventory, store, carts ---------------------------------------------------------------


def test_inventory_by_sku(example_setup: Setup) -> None:
    assert len(example_setup.inventory) == 9
    tent = example_setup.inventory["TENT-2P"]
    assert tent.lead_time_days == (21, 35)
    assert tent.lead_time_location == "reno"
    assert tent.backorder_limit == 40
    assert tent.supplier == "Summit Tents"
    (reno,) = tent.locations
    assert (reno.location, reno.on_hand) == ("reno", 2)
    assert reno.inbound == (
        InboundLot(10, DateRange(date(2026, 12, 10), date(2026, 12, 14)), "PO-1042"),)
    stove = example_setup.inventory["STOVE-2B"].locations[0].inbound[0]
    assert (stove.quantity, stove.committed, stove.free) == (8, 3, 5)


def test_store_url_and_config_path(example_setup: Setup) -> None:
    assert example_setup.settings.store_url == "sqlite:///rates.db"
    assert example_setup.config_path == EXAMPLE_CONFIG


CART_FILES = sorted(CARTS.glob("*.json"))


def test_the_example_carts_are_there() -> None:
    assert [cart.stem for cart in CART_FILES] == [
        "backordered", "canada", "hoboken", "in_stock", "mixed", "partly_unavailable",
        "small_split",
        "under_150"]


@pytest.mark.parametrize("path", CART_FILES, ids=lambda p: p.stem)
def test_example_carts_name_known_skus_and_the_monday_before_thanksgiving(
        path: Path, example_setup: Setup) -> None:
    cart = json.loads(path.read_text())
    assert cart["ordered_at"] == "2026-11-23T09:30:00-08:00"
    assert cart["currency"] == "USD"
    assert {line["sku"] for line in cart["lines"]} <= set(example_setup.inventory)


def test_mixed_cart_carries_its_own_stock_on_one_line() -> None:
    cart = json.loads((CARTS / "mixed.json").read_text())
    with_stock = [line["sku"] for line in cart["lines"] if "stock" in line]
    assert with_stock == ["TENT-2P"]


def test_another_rules_file_can_replace_the_configs(tmp_path: Path,
                                                     example_setup: Setup) -> None:
    other = tmp_path / "cheaper.yaml"
    other.write_text((ROOT / "rules/default.yaml").read_text().replace(
        'adjust: "-15%"', 'adjust: "-50%"'))
    usual = example_setup
    cheaper = load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY, rules=other)
    assert cheaper.ruleset.version != usual.ruleset.version
    assert [r.id for r in cheaper.ruleset.rules] == [r.id for r in usual.ruleset.rules]
    assert cheaper.catalog.carriers.keys() == usual.catalog.carriers.keys()


def test_loading_leaves_no_reference_cycles_and_restores_the_collector() -> None:
    # The loader pauses the cyclic collector while it works: safe only because a load
    # makes no cycles, which this checks: nothing is left for the collector afterwards.
    gc.collect()
    loaded = load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY)
    del loaded
    assert gc.collect() == 0
    assert gc.isenabled()
