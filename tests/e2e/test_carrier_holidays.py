"""Carriers close on the holidays they observe, in every state and province.

A carrier's `observes` names holidays of one country's national calendar. States rename
federal holidays in their own calendars (Rhode Island: "Indigenous Peoples' Day / Columbus
Day"; Alabama: "Robert E. Lee/Martin Luther King Birthday"), and matching names across
calendars once made USPS deliver on Columbus Day in Rhode Island. These tests hold the
example's carriers to the holidays package's own national and regional calendars: for
quotes (hand-checked windows), for every state, DC, PR and province (a sweep), for random
carts (a property), and for `rates calendar`.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rates.app.cart_quotes import quote_cart
from rates.domain.calendar import BusinessCalendar
from rates.domain.cart import Destination
from rates.domain.catalog import Carrier, Location, Observance
from rates.loading import Setup
from rates.loading.holidays import NAMES_LANGUAGE, base_names
from tests.support.project import EXAMPLE_CONFIG, ROOT

PACIFIC = ZoneInfo("America/Los_Angeles")
YEARS = range(2026, 2029)
US_PLACES = sorted({*(s for s in holidays.US.subdivisions if len(s) == 2 and s.isalpha()
                      and s not in {"AS", "GU", "MP", "UM", "VI"})})
"""The 50 states, DC and PR."""
PROVINCES = sorted(holidays.CA.subdivisions)


def lantern_to(region: str, postcode: str, ordered_at: datetime) -> dict[str, object]:
    return {"currency": "USD", "ordered_at": ordered_at.isoformat(),
            "destination": {"country": "US", "region": region, "postcode": postcode},
            "lines": [{"sku": "LANTERN", "quantity": 1, "unit_price": "19.50", "grams": 400}]}


def express_delivery(setup: Setup, cart: dict[str, object]) -> tuple[date, date]:
    at = datetime.fromisoformat(str(cart["ordered_at"]))
    quote = quote_cart(setup, cart, now=at)
    option = next(o for o in quote.options if o.id == "together/usps/priority_express")
    delivery = option.shipments[0].window.delivery
    return delivery.earliest, delivery.latest


def test_columbus_day_closes_usps_in_rhode_island(example_setup: Setup) -> None:
    """A lantern ordered Thu 2026-10-08 12:30 at Reno for Providence, RI, by USPS Priority
    Mail Express (national zone, 1-2 delivery days, Mon-Sat less federal holidays):

        October 2026    Th  Fr  Sa  Su  Mo  Tu
                         8   9  10  11  12  13
        handling (0-1)   [---]                      before the 14:00 cutoff: starts Thu
        ships            8 .. 9
        transit 1 day        9                      from Thu 8: Fri 9
        transit 2 days           10  --  xx  13     from Fri 9: Sat 10, (Sun), (Columbus
                                                    Day), Tue 13
    Delivery Fri Oct 9 - Tue Oct 13; before the fix it ended on Columbus Day itself.
    """
    cart = lantern_to("RI", "02903", datetime(2026, 10, 8, 12, 30, tzinfo=PACIFIC))
    assert express_delivery(example_setup, cart) == (date(2026, 10, 9), date(2026, 10, 13))


def test_martin_luther_king_day_closes_usps_in_alabama(example_setup: Setup) -> None:
    """The same lantern ordered Thu 2027-01-14 12:30 at Reno for Montgomery, AL:

        January 2027    Th  Fr  Sa  Su  Mo  Tu
                        14  15  16  17  18  19
        ships           14 .. 15
        transit 1 day       15                      from Thu 14: Fri 15
        transit 2 days          16  --  xx  19      from Fri 15: Sat 16, (Sun), (MLK Day),
                                                    Tue 19
    Alabama's calendar names Jan 18 "Robert E. Lee/Martin Luther King Birthday".
    """
    cart = lantern_to("AL", "36104", datetime(2027, 1, 14, 12, 30, tzinfo=PACIFIC))
    assert express_delivery(example_setup, cart) == (date(2027, 1, 15), date(2027, 1, 19))


def expected_closures(observance: Observance, subdiv: str | None) -> dict[date, str]:
    """The oracle, read straight from the holidays package: the national calendar's days
    with an observed name (all of them without a list), and with `regional` the region's
    days the national calendar lacks."""
    national = holidays.country_holidays(observance.country, years=YEARS,
                                         language=NAMES_LANGUAGE)
    closed = {day: name for day, name in national.items()
              if observance.holidays is None
              or any(base in observance.holidays for base in base_names(name))}
    if observance.regional and subdiv:
        regional = holidays.country_holidays(observance.country, subdiv=subdiv, years=YEARS,
                                             language=NAMES_LANGUAGE)
        closed |= {day: name for day, name in regional.items() if day not in national}
    return closed


def holiday_days(calendar: BusinessCalendar) -> dict[date, str]:
    return {day: name for day, name in calendar.holidays.items() if day.year in YEARS}


def open_everywhere(country: str, region: str) -> Location:
    """A location in `region` open every day: its pickup calendar is the carrier's alone."""
    calendar = BusinessCalendar("open", first=date(2025, 1, 1), last=date(2029, 12, 31),
                                weekdays=range(7))
    return Location(f"at-{region}", region, country, region, PACIFIC, calendar, cutoffs={})


def places(carrier: Carrier) -> list[tuple[str, str]]:
    assert carrier.observes is not None, f"{carrier.id} should name what it observes"
    return [(country, region) for country in sorted(carrier.observes)
            for region in (US_PLACES if country == "US" else PROVINCES)]


@pytest.mark.parametrize("carrier_id", ["ups", "usps", "canada_post"])
def test_every_observed_holiday_closes_pickup_and_delivery_in_every_place(
        example_setup: Setup, carrier_id: str) -> None:
    """For 2026-2028, in every state, DC, PR and province the carrier serves: the days its
    pickup and delivery calendars close for a holiday are exactly the observed ones, and
    each of them that falls on a working weekday is closed."""
    book = example_setup.catalog.calendars
    carrier = example_setup.catalog.carriers[carrier_id]
    wrong = []
    for country, region in places(carrier):
        expected = expected_closures(carrier.observes[country], region)
        delivery = book.delivery(carrier, Destination(country, region))
        pickup = book.pickup(carrier, open_everywhere(country, region))
        for kind, calendar, weekdays in (("delivery", delivery, carrier.delivery_weekdays),
                                         ("pickup", pickup, carrier.pickup_weekdays)):
            if set(holiday_days(calendar)) != set(expected):
                wrong.append(f"{kind} {country}-{region}: closed on "
                             f"{sorted(set(holiday_days(calendar)) ^ set(expected))}")
            for day in expected:
                if day.weekday() in weekdays and calendar.is_business_day(day):
                    wrong.append(f"{kind} {country}-{region}: open on {day} {expected[day]}")
    assert wrong == []


def test_the_sweep_would_catch_a_carrier_open_on_an_observed_holiday(
        example_setup: Setup) -> None:
    """The oracle is not the code under test: Columbus Day is in it for Rhode Island."""
    usps = example_setup.catalog.carriers["usps"].observes
    assert usps is not None
    assert expected_closures(usps["US"], "RI")[date(2027, 10, 11)] == "Columbus Day"
    assert date(2027, 10, 29) not in expected_closures(usps["US"], "NV")  # Nevada Day


CARTS = st.fixed_dictionaries({
    "region": st.sampled_from(US_PLACES),
    "lines": st.lists(st.tuples(st.sampled_from(["LANTERN", "TENT-2P", "STOVE-2B",
                                                 "SLEEPING-BAG-20", "WATER-FILTER"]),
                                st.integers(1, 3)), min_size=1, max_size=3,
                      unique_by=lambda line: line[0]),
    "ordered_at": st.datetimes(min_value=datetime(2026, 1, 1),
                               max_value=datetime(2028, 12, 20),
                               timezones=st.just(PACIFIC), allow_imaginary=False),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cart=CARTS)
def test_no_window_starts_or_ends_on_a_day_its_carrier_does_not_deliver(
        example_setup: Setup, cart: dict[str, Any]) -> None:
    region, ordered_at = cart["region"], cart["ordered_at"]
    payload = {"currency": "USD", "ordered_at": ordered_at.isoformat(),
               "destination": {"country": "US", "region": region},
               "lines": [{"sku": sku, "quantity": quantity, "unit_price": "10.00",
                          "grams": 500} for sku, quantity in cart["lines"]]}
    quote = quote_cart(example_setup, payload, now=ordered_at)
    destination = Destination("US", region)
    for option in quote.options:
        carrier = example_setup.catalog.carriers[option.service.carrier]
        delivers = example_setup.catalog.calendars.delivery(carrier, destination)
        for shipment in option.shipments:
            window = shipment.window.delivery
            for day in (window.earliest, window.latest):
                assert delivers.is_business_day(day), (
                    f"{option.id} to {region} ordered {ordered_at}: {day} is "
                    f"{delivers.why_closed(day)}")


def test_rates_calendar_agrees_with_the_windows() -> None:
    """`rates calendar usps --to US-RI` shows Columbus Day closed, as the window skips it."""
    shown = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "rates.cli", "calendar", "usps", "--to", "US-RI",
         "--from", "2027-10-08", "--days", "6", "--config", str(EXAMPLE_CONFIG)],
        cwd=ROOT, capture_output=True, text=True, check=True)
    delivery = shown.stdout.split("usps delivery US-RI")[1]
    assert "Mon 2027-10-11  closed  Columbus Day" in delivery
    assert "Sat 2027-10-09  open" in delivery
