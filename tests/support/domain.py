"""Builders shared by the domain tests (the fixtures in conftest.py use them too).

Calendars get their public holidays from the real `holidays` package here, in the tests:
the domain itself never imports it. Everything else is built directly from `rates.domain`,
never through `rates.loading`.

Locations used throughout (dates in the tests are worked out by hand against these):
- reno: Reno, NV (America/Los_Angeles), Mon-Fri less US + Nevada holidays (so also
  Nevada Day and Family Day, the Friday after Thanksgiving), cutoff 14:00 Mon-Fri,
  handling 0-1 working days, receiving 1 working day.
- toronto: Toronto, ON (America/Toronto), Mon-Fri less Canadian + Ontario holidays
  (Boxing Day 2026-12-26 is a Saturday, observed Monday 2026-12-28), cutoff 15:00
  Mon-Fri, handling 1-2 working days, receiving 1 working day.
Carriers: UPS collects Mon-Fri and delivers Mon-Fri; FedEx collects Mon-Fri and delivers
Mon-Sat. A carrier's pickup calendar is the location's calendar intersected with the
carrier's weekdays less the public holidays of the location's country (DESIGN section 4);
its delivery calendar is the carrier's weekdays less the destination's country and region
holidays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from rates.domain.calendar import BusinessCalendar
from rates.domain.catalog import Carrier, DestinationPattern, Location, Service, Zone
from rates.domain.money import Money, spread
from rates.domain.plans import ShipmentPlan
from rates.domain.rate_tables import RateBand, RateTable
from rates.domain.stock import Allocation, DateRange, Source

HORIZON_FIRST = date(2025, 1, 1)
HORIZON_LAST = date(2028, 12, 31)
MON_FRI = frozenset(range(5))
MON_SAT = frozenset(range(6))


@cache
def _holiday_items(country: str, subdiv: str | None) -> tuple[tuple[date, str], ...]:
    table = holidays.country_holidays(country, subdiv=subdiv,
                                      years=range(HORIZON_FIRST.year, HORIZON_LAST.year + 1))
    return tuple(sorted(table.items()))


def holiday_table(country: str, subdiv: str | None = None) -> dict[date, str]:
    """The public holidays of a country (and subdivision) over the test horizon."""
    return dict(_holiday_items(country, subdiv))


def business_calendar(
    name: str,
    weekdays: Iterable[int] = MON_FRI,
    country: str | None = None,
    subdiv: str | None = None,
    closures: Mapping[date, str] | None = None,
) -> BusinessCalendar:
    return BusinessCalendar(
        name,
        first=HORIZON_FIRST,
        last=HORIZON_LAST,
        weekdays=weekdays,
        holidays=holiday_table(country, subdiv) if country else None,
        closures=closures,
    )


def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


def split(units: int, weights: list[int]) -> list[int]:
    """The parts of `units` that `money.spread` puts in place of `weights`, as a list:
    how the money tests state its rounding for any list of weights."""
    parts = list(weights)
    spread(parts, list(range(len(parts))), units, add=False)
    return parts


def at(text: str) -> datetime:
    """An aware instant from ISO text with an offset, e.g. "2026-11-23T09:30:00-08:00"."""
    instant = datetime.fromisoformat(text)
    assert instant.utcoffset() is not None
    return instant


def d(text: str) -> date:
    return date.fromisoformat(text)


def span(earliest: str, latest: str | None = None) -> DateRange:
    return DateRange(d(earliest), d(latest or earliest))


# -- shipments for direct window tests -----------------------------------------------------


def on_hand_shipment(location: str, today: str) -> ShipmentPlan:
    """One on-hand unit at `location`, ready on the order's local date `today`."""
    return ShipmentPlan(location, (
        Allocation(0, "TENT", 1, location, Source.ON_HAND, span(today)),))


def restock_shipment(location: str, earliest: str, latest: str | None = None) -> ShipmentPlan:
    """One unit arriving at `location` on a restock due within [earliest, latest]."""
    return ShipmentPlan(location, (
        Allocation(0, "TENT", 1, location, Source.INBOUND, span(earliest, latest), "lot-1"),))


# -- locations and carriers ----------------------------------------------------------------


def make_reno() -> Location:
    return Location(
        id="reno",
        name="Reno DC",
        country="US",
        region="NV",
        timezone=ZoneInfo("America/Los_Angeles"),
        calendar=business_calendar("reno", MON_FRI, "US", "NV"),
        cutoffs={weekday: time(14, 0) for weekday in MON_FRI},
        handling_days=(0, 1),
        receiving_days=1,
    )


def make_toronto() -> Location:
    return Location(
        id="toronto",
        name="Toronto DC",
        country="CA",
        region="ON",
        timezone=ZoneInfo("America/Toronto"),
        calendar=business_calendar("toronto", MON_FRI, "CA", "ON"),
        cutoffs={weekday: time(15, 0) for weekday in MON_FRI},
        handling_days=(1, 2),
        receiving_days=1,
    )


def pickup_calendar(location: Location, weekdays: Iterable[int], name: str) -> BusinessCalendar:
    """Days a carrier collecting on `weekdays` (less the public holidays of the location's
    country) can collect at `location` (which must be working too)."""
    collects = business_calendar(f"{name} days", weekdays, location.country)
    return location.calendar.intersect(collects, name)


US_WEST = Zone("us-west", (DestinationPattern("US", frozenset({"NV", "CA", "OR", "WA"})),))
US_REST = Zone("us-rest", (DestinationPattern("US"),))
CANADA = Zone("canada", (DestinationPattern("CA"),))


def bands(*rows: tuple[int, str]) -> tuple[RateBand, ...]:
    return tuple(RateBand(grams, usd(price)) for grams, price in rows)


def make_carriers() -> dict[str, Carrier]:
    """UPS Ground everywhere; FedEx Home (Saturday delivery) only to the US west.

    UPS Ground transit: us-west 1-3, us-rest 3-5, canada 5-8 days; rates, every zone:
    from 0 g 8.00, from 1 kg 9.50, from 5 kg 14.00, then 1.25 per started kg above 5 kg,
    at most 30 kg. FedEx Home transit us-west 1-2 days; from 0 g 10.00, from 5 kg 20.00.
    """
    ground_rates = bands((0, "8.00"), (1000, "9.50"), (5000, "14.00"))
    ground = Service(
        carrier="ups",
        code="ground",
        name="UPS Ground",
        transit={"us-west": (1, 3), "us-rest": (3, 5), "canada": (5, 8)},
        rates=RateTable({"us-west": ground_rates, "us-rest": ground_rates,
                         "canada": ground_rates},
                        max_grams=30_000, per_extra_kg=usd("1.25")),
    )
    home = Service(
        carrier="fedex",
        code="home",
        name="FedEx Home",
        transit={"us-west": (1, 2)},
        rates=RateTable({"us-west": bands((0, "10.00"), (5000, "20.00"))}),
    )
    return {
        "ups": Carrier("ups", "UPS", (US_WEST, US_REST, CANADA), {"ground": ground},
                       pickup_weekdays=MON_FRI, delivery_weekdays=MON_FRI),
        "fedex": Carrier("fedex", "FedEx", (US_WEST,), {"home": home},
                         pickup_weekdays=MON_FRI, delivery_weekdays=MON_SAT),
    }
