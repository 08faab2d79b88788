"""A carrier's `observes`: holidays named per country, each name checked against that
country's own national calendar, and every country the carrier serves covered, since a
misspelt name or a forgotten country would silently open a carrier on a holiday.

The minimal carrier (tests/support/loading.py) collects at reno and delivers to NV and CA;
its line 5 is `currency: USD`, after which the tests write `observes:` (line 6).
"""

from __future__ import annotations

import pytest

from rates.domain.catalog import Observance
from tests.support.loading import CARRIER, Write, load, problems


def carrier_with(observes: str, *, to_canada: bool = False) -> str:
    text = CARRIER.replace("currency: USD", "currency: USD\n" + observes)
    if to_canada:
        text = text.replace("    to: [{country: US, regions: [NV, CA]}]",
                            "    to: [{country: US, regions: [NV, CA]}, {country: CA}]")
    return text


def test_names_are_read_in_the_countrys_own_calendar(write: Write) -> None:
    setup = load(write(carrier=carrier_with(
        'observes:\n  - calendar: US\n    holidays: ["Thanksgiving Day", "Columbus Day"]')))
    assert setup.catalog.carriers["ups"].observes == {
        "US": Observance("US", frozenset({"Thanksgiving Day", "Columbus Day"}))}


def test_a_misspelt_name_is_an_error_with_the_name_meant(write: Write) -> None:
    assert problems(write(carrier=carrier_with(
        'observes:\n  - calendar: US\n    holidays: [Thanksgiving, "Christmas Day"]'))) == [
        "carriers/ups.yaml:8:16: error: US's national calendar has no holiday 'Thanksgiving' "
        "in 2025-2029; did you mean 'Thanksgiving Day'? [unknown-reference]"]


@pytest.mark.parametrize("name", [
    "Nevada Day",   # a state's holiday: `regional: true` is how to keep it
    "Indigenous Peoples' Day / Columbus Day",  # Rhode Island's name for Columbus Day
])
def test_a_states_name_is_not_a_national_holiday(write: Write, name: str) -> None:
    found = problems(write(carrier=carrier_with(
        f'observes:\n  - calendar: US\n    holidays: ["{name}"]')))
    assert len(found) == 1
    assert f"US's national calendar has no holiday {name!r}" in found[0]


def test_the_calendar_is_a_country_the_holidays_package_knows(write: Write) -> None:
    assert problems(write(carrier=carrier_with("observes:\n  - calendar: USA"))) == [
        "carriers/ups.yaml:7:15: error: the holidays package has no calendar for 'USA'; "
        "did you mean 'US'? [unknown-reference]"]


def test_a_bare_list_of_names_says_how_to_write_it_now(write: Write) -> None:
    found = problems(write(carrier=carrier_with('observes: ["Thanksgiving Day"]')))
    assert found == [
        "carriers/ups.yaml:6:11: error: name holidays per country's calendar: - {calendar: "
        "US, holidays: [\"New Year's Day\", ...]} (a bare list of names is no longer read) "
        "[bad-value]"]


def test_every_country_served_needs_an_entry(write: Write) -> None:
    found = problems(write(carrier=carrier_with(
        'observes:\n  - {calendar: US, holidays: ["Thanksgiving Day"]}', to_canada=True)))
    assert found == [
        "carriers/ups.yaml:6:1: error: ups serves CA but observes no calendar there; add an "
        "entry for each, e.g. - {calendar: CA} (every national holiday) or - {calendar: CA, "
        "holidays: []} (none) [missing-key]"]


def test_an_empty_list_means_no_holiday_there(write: Write) -> None:
    setup = load(write(carrier=carrier_with(
        "observes:\n  - {calendar: US}\n  - {calendar: CA, holidays: []}", to_canada=True)))
    assert setup.catalog.carriers["ups"].observes == {
        "US": Observance("US", None), "CA": Observance("CA", frozenset())}


def test_a_country_listed_twice_is_an_error(write: Write) -> None:
    assert problems(write(carrier=carrier_with(
        "observes:\n  - {calendar: US}\n  - {calendar: US, regional: true}"))) == [
        "carriers/ups.yaml:8:16: error: US has an entry already [duplicate-id]"]


def test_a_name_listed_twice_is_an_error(write: Write) -> None:
    assert problems(write(carrier=carrier_with(
        'observes:\n  - {calendar: US, holidays: ["Labor Day", "Labor Day"]}'))) == [
        "carriers/ups.yaml:7:44: error: 'Labor Day' is listed twice [duplicate-id]"]


def test_regional_is_true_or_false(write: Write) -> None:
    assert problems(write(carrier=carrier_with(
        "observes:\n  - {calendar: US, regional: yes please}"))) == [
        "carriers/ups.yaml:7:30: error: write true or false, not 'yes please' [bad-value]"]
