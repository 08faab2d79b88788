"""Fixtures for the pure domain tests: locations, carrier calendars, a catalog whose
CalendarBook hands out prebuilt calendars, and a ruleset. The builders behind them (and the
holiday tables from the `holidays` package) are in domain_support.py."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from rates.domain.calendar import BusinessCalendar
from rates.domain.cart import Destination
from rates.domain.catalog import Carrier, Catalog, DestinationPattern, Location, Zone
from rates.domain.policy import OfferedService, PlanPolicy, Ruleset
from tests.support.domain import (
    MON_FRI,
    MON_SAT,
    business_calendar,
    make_carriers,
    make_reno,
    make_toronto,
    pickup_calendar,
)


class PrebuiltCalendarBook:
    """A `CalendarBook` over calendars built once, as the shell's cached book would be:
    pickup = the location's calendar intersected with the carrier's pickup days; delivery =
    the carrier's delivery weekdays less the destination's (country, region) holidays."""

    def __init__(self, locations: Iterable[Location], carriers: Iterable[Carrier]) -> None:
        self._pickup: dict[tuple[str, str], BusinessCalendar] = {}
        self._delivery: dict[tuple[str, str, str | None], BusinessCalendar] = {}
        carriers = tuple(carriers)
        for location in locations:
            for carrier in carriers:
                self._pickup[carrier.id, location.id] = pickup_calendar(
                    location, carrier.pickup_weekdays, f"{carrier.name} pickup at {location.id}")

    def pickup(self, carrier: Carrier, location: Location) -> BusinessCalendar:
        return self._pickup[carrier.id, location.id]

    def delivery(self, carrier: Carrier, destination: Destination) -> BusinessCalendar:
        key = (carrier.id, destination.country, destination.region)
        if key not in self._delivery:
            self._delivery[key] = business_calendar(
                f"{carrier.name} delivery", carrier.delivery_weekdays,
                destination.country, destination.region)
        return self._delivery[key]


@pytest.fixture(scope="session")
def reno() -> Location:
    return make_reno()


@pytest.fixture(scope="session")
def toronto() -> Location:
    return make_toronto()


@pytest.fixture(scope="session")
def ups_pickup_reno(reno: Location) -> BusinessCalendar:
    """Reno's working days that are also UPS pickup days: Mon-Fri less US federal holidays,
    so also closed on Columbus Day, which Nevada does not observe."""
    return pickup_calendar(reno, MON_FRI, "UPS pickup at reno")


@pytest.fixture(scope="session")
def ups_pickup_toronto(toronto: Location) -> BusinessCalendar:
    return pickup_calendar(toronto, MON_FRI, "UPS pickup at toronto")


@pytest.fixture(scope="session")
def ups_delivery_nv() -> BusinessCalendar:
    """UPS delivery days in Nevada: Mon-Fri less US and Nevada holidays."""
    return business_calendar("UPS delivery", MON_FRI, "US", "NV")


@pytest.fixture(scope="session")
def fedex_delivery_nv() -> BusinessCalendar:
    """FedEx delivery days in Nevada: Mon-Sat less US and Nevada holidays."""
    return business_calendar("FedEx delivery", MON_SAT, "US", "NV")


@pytest.fixture(scope="session")
def ups_delivery_on() -> BusinessCalendar:
    """UPS delivery days in Ontario: Mon-Fri less Canadian and Ontario holidays."""
    return business_calendar("UPS delivery", MON_FRI, "CA", "ON")


@pytest.fixture(scope="session")
def catalog(reno: Location, toronto: Location) -> Catalog:
    """reno before toronto in priority; UPS Ground and FedEx Home (see make_carriers)."""
    carriers = make_carriers()
    locations = {"reno": reno, "toronto": toronto}
    return Catalog(locations, carriers,
                   PrebuiltCalendarBook(locations.values(), carriers.values()))


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    """USD; UPS Ground and FedEx Home offered everywhere; all three plans in the default
    order (together, in_stock_first, as_available), merging restocks whose latest ETAs are
    within 3 days; no rules."""
    return Ruleset(
        version="sha256:test",
        currency="USD",
        zones=(Zone("domestic", (DestinationPattern("US"),)),
               Zone("international", (DestinationPattern("CA"),))),
        services=(OfferedService("ups/ground"), OfferedService("fedex/home")),
        plans=PlanPolicy(merge_within_days=3),
        rules=(),
    )
