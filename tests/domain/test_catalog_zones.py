"""Destination patterns and zones: first match in file order (DESIGN section 5)."""

from __future__ import annotations

from rates.domain.cart import Destination
from rates.domain.catalog import Carrier, DestinationPattern, Zone, first_zone
from tests.support.domain import MON_FRI

VANCOUVER = Destination("CA", "BC", "v6b 1a1")
RENO = Destination("US", "NV", "89501")


def test_a_country_pattern_matches_every_region_and_postcode():
    assert DestinationPattern("US").matches(RENO)
    assert not DestinationPattern("CA").matches(RENO)


def test_regions_restrict_the_match():
    assert DestinationPattern("US", frozenset({"NV", "CA"})).matches(RENO)
    assert not DestinationPattern("US", frozenset({"OR"})).matches(RENO)
    assert not DestinationPattern("US", frozenset({"NV"})).matches(Destination("US"))


def test_postcode_prefixes_ignore_case_and_spaces():
    assert DestinationPattern("CA", postcodes=("V6B1",)).matches(VANCOUVER)
    assert not DestinationPattern("CA", postcodes=("V5",)).matches(VANCOUVER)
    assert not DestinationPattern("CA", postcodes=("V6B",)).matches(Destination("CA", "BC"))


def test_first_matching_zone_wins_in_file_order():
    zones = (Zone("reno-local", (DestinationPattern("US", postcodes=("895",)),)),
             Zone("us", (DestinationPattern("US"),)))
    assert first_zone(zones, RENO) == "reno-local"
    assert first_zone(zones, Destination("US", "NY", "10001")) == "us"
    assert first_zone(zones, VANCOUVER) is None


def test_a_zone_with_origins_applies_only_to_shipments_from_them():
    zones = (Zone("cross-border", (DestinationPattern("US"),), frozenset({"toronto"})),
             Zone("domestic", (DestinationPattern("US"),)))
    assert first_zone(zones, RENO, origin="toronto") == "cross-border"
    assert first_zone(zones, RENO, origin="reno") == "domestic"
    assert first_zone(zones, RENO) == "domestic"


def test_a_carrier_zone_is_kept_per_origin_and_destination():
    carrier = Carrier("ups", "UPS", (
        Zone("cross-border", (DestinationPattern("US"),), frozenset({"toronto"})),
        Zone("reno-local", (DestinationPattern("US", postcodes=("895",)),)),
        Zone("domestic", (DestinationPattern("US"),))), {}, MON_FRI, MON_FRI)
    assert carrier.zone("reno", RENO) == "reno-local"
    assert carrier.zone("toronto", RENO) == "cross-border"
    assert carrier.zone("reno", Destination("US", "NV", "10001")) == "domestic"
    assert carrier.zone("reno", VANCOUVER) is None
    assert carrier.zone("reno", VANCOUVER) is None  # kept, None included
    assert carrier.zone("reno", RENO) == "reno-local"
