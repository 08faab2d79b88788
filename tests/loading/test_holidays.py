"""HolidayCalendarBook: calendars from the holidays package, filtered by what a carrier
observes (per country, by that country's own calendar), built once and shared."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from rates.domain.cart import Destination
from rates.domain.catalog import Carrier, Location, Observance
from rates.loading.holidays import HolidayCalendarBook, base_names, known_subdivision, named

MON_FRI = frozenset(range(5))
THANKSGIVING = date(2026, 11, 26)


def carrier(*observances: Observance, every: bool = False,
            delivery: frozenset[int] = MON_FRI) -> Carrier:
    """A carrier observing `observances`, or every public holiday when `every`."""
    return Carrier("ups", "UPS", zones=(), services={}, pickup_weekdays=MON_FRI,
                   delivery_weekdays=delivery,
                   observes=None if every else {o.country: o for o in observances})


def us(*names: str) -> Observance:
    return Observance("US", frozenset(names))


@pytest.fixture
def book() -> HolidayCalendarBook:
    return HolidayCalendarBook(date(2026, 11, 23))


def test_horizon_is_last_year_to_three_years_ahead(book: HolidayCalendarBook) -> None:
    calendar = book.delivery(carrier(every=True), Destination("US"))
    assert (calendar.first, calendar.last) == (date(2025, 1, 1), date(2029, 12, 31))


def test_base_names_split_joined_names_and_drop_observed() -> None:
    assert base_names("Christmas Day (observed); Christmas Eve") == ["Christmas Day",
                                                                     "Christmas Eve"]
    assert base_names("Labor Day") == ["Labor Day"]


def test_named_keeps_dates_with_any_listed_name() -> None:
    table = {date(2027, 12, 24): "Christmas Day (observed)",
             date(2027, 12, 31): "New Year's Day (observed); New Year's Eve",
             date(2027, 11, 26): "Family Day"}
    assert named(table, frozenset({"Christmas Day", "New Year's Eve"})) == {
        date(2027, 12, 24): "Christmas Day (observed)",
        date(2027, 12, 31): "New Year's Day (observed); New Year's Eve"}
    assert named(table, None) == table


def test_delivery_uses_the_destination_region_when_the_package_knows_it(
        book: HolidayCalendarBook) -> None:
    nevada = book.delivery(carrier(every=True), Destination("US", "NV"))
    assert nevada.name == "ups delivery US-NV"
    assert nevada.why_closed(date(2026, 10, 30)) == "Nevada Day"
    # Nevada does not keep Columbus Day, but a carrier that observes every public holiday
    # closes on the national ones there too.
    assert nevada.why_closed(date(2026, 10, 12)) == "Columbus Day"


def test_a_carrier_observing_federal_holidays_closes_on_them_in_every_state(
        book: HolidayCalendarBook) -> None:
    federal_only = carrier(us("Columbus Day", "Thanksgiving Day"))
    nevada = book.delivery(federal_only, Destination("US", "NV"))
    assert nevada.why_closed(date(2026, 10, 12)) == "Columbus Day"
    assert nevada.is_business_day(date(2026, 10, 30))  # Nevada Day: a state holiday only
    assert nevada.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"


def test_delivery_to_an_unknown_region_uses_the_country_and_shares_its_calendar(
        book: HolidayCalendarBook) -> None:
    first = book.delivery(carrier(every=True), Destination("US", "ZZ"))
    assert first.name == "ups delivery US"
    assert first.why_closed(date(2026, 10, 12)) == "Columbus Day"
    assert book.delivery(carrier(every=True), Destination("US", None)) is first
    assert known_subdivision("US", "ZZ") is None
    assert known_subdivision("CA", "ON") == "ON"


def test_delivery_to_a_country_the_package_lacks_has_weekdays_only(
        book: HolidayCalendarBook) -> None:
    calendar = book.delivery(carrier(every=True), Destination("XA"))  # a user-assigned code
    assert calendar.holidays == {}
    assert calendar.why_closed(date(2026, 11, 28)) == "Saturday"


def test_a_carrier_closes_only_on_the_holidays_it_observes(book: HolidayCalendarBook) -> None:
    picky = book.delivery(carrier(us("Thanksgiving Day"), delivery=frozenset(range(6))),
                          Destination("US", "NV"))
    assert picky.why_closed(THANKSGIVING) == "Thanksgiving Day"
    assert picky.is_business_day(date(2026, 11, 27))  # Family Day in Nevada
    assert picky.is_business_day(date(2026, 11, 28))  # Saturday delivery
    assert picky.is_business_day(date(2026, 12, 25))  # not observed


def test_location_calendar_with_and_without_holidays(book: HolidayCalendarBook) -> None:
    closures = {date(2026, 12, 24): "Christmas Eve"}
    reno = book.location_calendar("reno", MON_FRI, "US", "NV", closures)
    assert reno.why_closed(THANKSGIVING) == "Thanksgiving Day"
    assert reno.why_closed(date(2026, 12, 24)) == "closed: Christmas Eve"
    open_all_year = book.location_calendar("reno", MON_FRI, None, None, closures)
    assert open_all_year.is_business_day(THANKSGIVING)
    assert book.location_calendar("reno", [4, 3, 2, 1, 0], "US", "NV", dict(closures)) is reno


def test_pickup_intersects_the_location_with_the_carriers_days(
        book: HolidayCalendarBook) -> None:
    works_saturdays = book.location_calendar("depot", range(6), None, None, {})
    depot = Location("depot", "Depot", "US", "NV", ZoneInfo("America/Los_Angeles"),
                     works_saturdays, cutoffs={})
    pickup = book.pickup(carrier(us("Thanksgiving Day")), depot)
    assert pickup.name == "ups pickup at depot"
    assert pickup.why_closed(date(2026, 11, 28)) == "Saturday"
    assert pickup.why_closed(THANKSGIVING) == "Thanksgiving Day"
    assert pickup.is_business_day(date(2026, 11, 27))
    assert book.pickup(carrier(us("Thanksgiving Day")), depot) is pickup


def test_national_names_are_the_country_calendars_own_without_observed(
        book: HolidayCalendarBook) -> None:
    names = book.national_names("US")
    assert {"Thanksgiving Day", "Columbus Day", "Independence Day"} <= names
    assert not names & {"Nevada Day", "Indigenous Peoples' Day / Columbus Day"}  # states'
    assert not any(name.endswith("(observed)") for name in names)
    assert "Victoria Day" not in book.national_names("CA")  # Ontario's, not the nation's


def test_a_federal_holiday_a_state_renames_still_closes_the_carrier(
        book: HolidayCalendarBook) -> None:
    """Rhode Island's calendar calls 2027-10-11 "Indigenous Peoples' Day / Columbus Day",
    Alabama's calls 2027-01-18 "Robert E. Lee/Martin Luther King Birthday": USPS, which
    observes the federal "Columbus Day" and "Martin Luther King Jr. Day", closes on both.

        October 2027            January 2027
        Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
                     8  9 10                15 16 17
        11 12 13                18 19 20
        ^^ Columbus Day         ^^ MLK Day
    """
    usps = carrier(us("Columbus Day", "Martin Luther King Jr. Day"),
                   delivery=frozenset(range(6)))
    providence = book.delivery(usps, Destination("US", "RI"))
    assert providence.why_closed(date(2027, 10, 11)) == "Columbus Day"
    assert providence.add(date(2027, 10, 8), 2) == date(2027, 10, 12)  # Sat, then Tue
    montgomery = book.delivery(usps, Destination("US", "AL"))
    assert montgomery.why_closed(date(2027, 1, 18)) == "Martin Luther King Jr. Day"
    assert montgomery.is_business_day(date(2027, 1, 16))  # Saturday delivery


def test_regional_adds_the_regions_own_days_not_its_renamings(
        book: HolidayCalendarBook) -> None:
    """Canada Post keeps Ontario's own holidays (Family Day, Mon 2027-02-15); a carrier
    observing only the national calendar works that day."""
    canada_post = carrier(Observance("CA", None, regional=True))
    national = carrier(Observance("CA"))
    toronto = Destination("CA", "ON")
    assert book.delivery(canada_post, toronto).why_closed(date(2027, 2, 15)) == "Family Day"
    assert book.delivery(national, toronto).is_business_day(date(2027, 2, 15))
    assert book.delivery(national, toronto).why_closed(date(2027, 7, 1)) == "Canada Day"


def test_a_country_without_an_observance_closes_on_no_holiday(
        book: HolidayCalendarBook) -> None:
    us_only = carrier(us("Christmas Day"))
    assert book.delivery(us_only, Destination("CA", "ON")).is_business_day(date(2027, 7, 1))


def test_holiday_names_do_not_depend_on_the_process_locale() -> None:
    """Left to itself the holidays package names holidays in the locale's language: under
    LANG=fr_CA "Labor Day" would become "Fête du Travail" and no carrier's list would match."""
    code = ("from datetime import date; from rates.loading.holidays import HolidayCalendarBook;"
            "print(HolidayCalendarBook(date(2026, 11, 23)).public_holidays('CA', None)"
            "[date(2027, 9, 6)])")
    for lang in ("C.UTF-8", "fr_CA.UTF-8", "es_US.UTF-8"):
        shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                               env={**os.environ, "LANG": lang, "LC_ALL": lang}, check=True)
        assert shown.stdout.strip() == "Labor Day", lang


def test_threads_asking_at_once_share_one_calendar(book: HolidayCalendarBook) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        calendars = list(pool.map(
            lambda _: book.delivery(carrier(every=True), Destination("CA", "QC")), range(32)))
    assert all(calendar is calendars[0] for calendar in calendars)
    assert calendars[0].name == "ups delivery CA-QC"
