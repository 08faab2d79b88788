"""HolidayCalendarBook: calendars from the holidays package, filtered by what a carrier
observes, built once and shared."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from rates.domain.cart import Destination
from rates.domain.catalog import Carrier, Location
from rates.loading.holidays import HolidayCalendarBook, base_names, known_subdivision, observed

MON_FRI = frozenset(range(5))
THANKSGIVING = date(2026, 11, 26)


def carrier(observes: frozenset[str] | None = None, delivery: frozenset[int] = MON_FRI,
            ) -> Carrier:
    return Carrier("ups", "UPS", zones=(), services={}, pickup_weekdays=MON_FRI,
                   delivery_weekdays=delivery, observes=observes)


@pytest.fixture
def book() -> HolidayCalendarBook:
    return HolidayCalendarBook(date(2026, 11, 23))


def test_horizon_is_last_year_to_three_years_ahead(book: HolidayCalendarBook) -> None:
    calendar = book.delivery(carrier(), Destination("US"))
    assert (calendar.first, calendar.last) == (date(2025, 1, 1), date(2029, 12, 31))


def test_base_names_split_joined_names_and_drop_observed() -> None:
    assert base_names("Christmas Day (observed); Christmas Eve") == ["Christmas Day",
                                                                     "Christmas Eve"]
    assert base_names("Labor Day") == ["Labor Day"]


def test_observed_keeps_dates_with_any_listed_name() -> None:
    table = {date(2027, 12, 24): "Christmas Day (observed)",
             date(2027, 12, 31): "New Year's Day (observed); New Year's Eve",
             date(2027, 11, 26): "Family Day"}
    assert observed(table, frozenset({"Christmas Day", "New Year's Eve"})) == {
        date(2027, 12, 24): "Christmas Day (observed)",
        date(2027, 12, 31): "New Year's Day (observed); New Year's Eve"}
    assert observed(table, None) == table


def test_delivery_uses_the_destination_region_when_the_package_knows_it(
        book: HolidayCalendarBook) -> None:
    nevada = book.delivery(carrier(), Destination("US", "NV"))
    assert nevada.name == "ups delivery US-NV"
    assert nevada.why_closed(date(2026, 10, 30)) == "Nevada Day"
    # Nevada does not keep Columbus Day, but a carrier that observes every public holiday
    # closes on the national ones there too.
    assert nevada.why_closed(date(2026, 10, 12)) == "Columbus Day"


def test_a_carrier_observing_federal_holidays_closes_on_them_in_every_state(
        book: HolidayCalendarBook) -> None:
    federal_only = carrier(observes=frozenset({"Columbus Day", "Thanksgiving Day"}))
    nevada = book.delivery(federal_only, Destination("US", "NV"))
    assert nevada.why_closed(date(2026, 10, 12)) == "Columbus Day"
    assert nevada.is_business_day(date(2026, 10, 30))  # Nevada Day: a state holiday only
    assert nevada.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"


def test_delivery_to_an_unknown_region_uses_the_country_and_shares_its_calendar(
        book: HolidayCalendarBook) -> None:
    first = book.delivery(carrier(), Destination("US", "ZZ"))
    assert first.name == "ups delivery US"
    assert first.why_closed(date(2026, 10, 12)) == "Columbus Day"
    assert book.delivery(carrier(), Destination("US", None)) is first
    assert known_subdivision("US", "ZZ") is None
    assert known_subdivision("CA", "ON") == "ON"


def test_delivery_to_a_country_the_package_lacks_has_weekdays_only(
        book: HolidayCalendarBook) -> None:
    calendar = book.delivery(carrier(), Destination("XA"))  # a user-assigned code
    assert calendar.holidays == {}
    assert calendar.why_closed(date(2026, 11, 28)) == "Saturday"


def test_a_carrier_closes_only_on_the_holidays_it_observes(book: HolidayCalendarBook) -> None:
    picky = book.delivery(carrier(frozenset({"Thanksgiving Day"}), delivery=frozenset(range(6))),
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
    pickup = book.pickup(carrier(frozenset({"Thanksgiving Day"})), depot)
    assert pickup.name == "ups pickup at depot"
    assert pickup.why_closed(date(2026, 11, 28)) == "Saturday"
    assert pickup.why_closed(THANKSGIVING) == "Thanksgiving Day"
    assert pickup.is_business_day(date(2026, 11, 27))
    assert book.pickup(carrier(frozenset({"Thanksgiving Day"})), depot) is pickup


def test_holiday_names_cover_every_subdivision_without_observed(
        book: HolidayCalendarBook) -> None:
    names = book.holiday_names("US")
    assert {"Thanksgiving Day", "Nevada Day", "Independence Day"} <= names
    assert not any(name.endswith("(observed)") for name in names)
    assert "Victoria Day" in book.holiday_names("CA")


def test_threads_asking_at_once_share_one_calendar(book: HolidayCalendarBook) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        calendars = list(pool.map(
            lambda _: book.delivery(carrier(), Destination("CA", "QC")), range(32)))
    assert all(calendar is calendars[0] for calendar in calendars)
    assert calendars[0].name == "ups delivery CA-QC"
