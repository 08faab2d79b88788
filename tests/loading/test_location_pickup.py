"""A location's `pickup:` block: its defaults (a label from the location's name, handling
0-1, offered in the location's own country and region), given values, rules that name a
pickup, and mistakes reported at the exact line and column."""

from __future__ import annotations

from rates.domain.cart import Destination
from rates.domain.catalog import DestinationPattern, StorePickup
from tests.support.loading import CONFIG, RULES, Write, load, problems

# CONFIG's reno ends with its cutoff on line 7; a pickup block goes after it (line 8).
CUTOFF = '    cutoff: "14:00"\n'


def with_pickup(block: str) -> str:
    return CONFIG.replace(CUTOFF, CUTOFF + block)


def test_an_empty_pickup_is_offered_at_home_named_for_the_location(write: Write) -> None:
    setup = load(write(config=with_pickup("    pickup: {}\n")))
    pickup = setup.catalog.locations["reno"].pickup
    assert pickup == StorePickup("reno", "Pick up at reno",
                                 (DestinationPattern("US", frozenset({"NV"})),), (0, 1), None)
    assert pickup.service.key == "pickup/reno"
    assert pickup.offered_to(Destination("US", "NV", "89501"), None)
    assert not pickup.offered_to(Destination("US", "CA", "94110"), None)


def test_a_pickup_takes_its_label_hours_handling_and_destinations(write: Write) -> None:
    config = with_pickup(
        "    pickup:\n"
        "      label: Collect in Reno\n"
        "      handling_days: [1, 2]\n"
        "      hours: Mon-Fri 9-5\n"
        '      to: [{country: US, regions: [NV, CA]}, {country: US, postcodes: ["97"]}]\n')
    pickup = load(write(config=config)).catalog.locations["reno"].pickup
    assert pickup is not None
    assert (pickup.label, pickup.handling_days, pickup.hours) == (
        "Collect in Reno", (1, 2), "Mon-Fri 9-5")
    assert pickup.offered_to(Destination("US", "OR", "97201"), None)
    assert pickup.offered_to(Destination("US", "CA", "94110"), None)
    assert not pickup.offered_to(Destination("US", "WA", "98101"), None)


def test_no_pickup_block_means_no_pickup(write: Write) -> None:
    assert load(write()).catalog.locations["reno"].pickup is None


def test_handling_days_in_the_wrong_order(write: Write) -> None:
    config = with_pickup("    pickup: {handling_days: [2, 1]}\n")
    assert problems(write(config=config)) == [
        "config.yaml:8:29: error: min 2 is more than max 1 [bad-value]"]


def test_a_misspelt_pickup_key(write: Write) -> None:
    config = with_pickup("    pickup: {hour: Mon-Fri 9-5}\n")
    assert problems(write(config=config)) == [
        "config.yaml:8:14: error: unknown key 'hour'; did you mean 'hours'? [unknown-key]"]


def test_a_pickup_destination_needs_a_country(write: Write) -> None:
    config = with_pickup("    pickup:\n      to: [{regions: [NV]}]\n")
    assert problems(write(config=config)) == [
        "config.yaml:9:12: error: required key 'country' is missing [missing-key]"]


def test_rules_may_name_the_pickup_plan_carrier_and_service(write: Write) -> None:
    rules = RULES + (
        "  - id: pickup-fee\n"
        "    when: {plan: pickup, carrier: pickup, service: pickup/reno}\n"
        '    set: "2.00"\n')
    setup = load(write(config=with_pickup("    pickup: {}\n"), rules=rules))
    assert [rule.id for rule in setup.ruleset.rules] == ["free-over-100", "pickup-fee"]


def test_a_rule_naming_the_pickup_of_a_location_without_one(write: Write) -> None:
    rules = RULES + (
        "  - id: pickup-fee\n"
        "    when: {service: pickup/reno}\n"
        '    set: "2.00"\n')
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:12:21: error: unknown service 'pickup/reno' (one of: ups/ground) "
        "[unknown-reference]"]


def test_within_miles_is_kept_in_km_and_limits_the_destinations(write: Write) -> None:
    """25 miles is 40.2336 km; a destination 40 km away may collect, 41 km may not, and
    one no postcode table places may not (the limit cannot be checked)."""
    config = with_pickup("    pickup: {within_miles: 25}\n")
    pickup = load(write(config=config)).catalog.locations["reno"].pickup
    assert pickup is not None and pickup.within_km == 25 * 1.609344
    home = Destination("US", "NV", "89501")
    assert pickup.offered_to(home, 40.0)
    assert not pickup.offered_to(home, 41.0)
    assert not pickup.offered_to(home, None)


def test_within_km_and_within_miles_together_are_refused(write: Write) -> None:
    config = with_pickup("    pickup: {within_km: 40, within_miles: 25}\n")
    assert problems(write(config=config)) == [
        "config.yaml:8:43: error: give within_km or within_miles, not both [bad-value]"]


def test_a_distance_of_zero_is_refused(write: Write) -> None:
    config = with_pickup("    pickup: {within_km: 0}\n")
    assert problems(write(config=config)) == [
        "config.yaml:8:25: error: must be more than 0 [bad-value]"]
