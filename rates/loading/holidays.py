"""Business calendars filled from the `holidays` package: the shell side of `CalendarBook`.

The domain's `BusinessCalendar` is pure and knows no holiday rules; this module asks the
`holidays` package for public holidays over a fixed horizon, from Jan 1 of last year to
Dec 31 three years ahead, and builds each calendar once. A quote only looks calendars up.

Holiday names are the package's own ("Thanksgiving Day"), always in one language
(`NAMES_LANGUAGE`): left to itself the package names holidays in the language of the
process's locale, so `LANG=fr_CA` would rename every holiday and a carrier's list of
names would match nothing. A place's holidays are its country's plus its region's when
the package knows that subdivision; elsewhere the country's alone, and none at all in a
country the package does not cover.

A carrier observes holidays per country (`Observance`): the national calendar's, picked by
that same calendar's names (a date named "A; B (observed)" stands for A and B), plus the
region's own days when it says `regional`. Names are never matched across calendars: a
state's calendar may rename a federal holiday, and the federal one must not vanish there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cache, lru_cache
from types import MappingProxyType
from typing import TypeVar

import holidays
from holidays.registry import EntityLoader

from rates.domain.calendar import BusinessCalendar
from rates.domain.cart import Destination
from rates.domain.catalog import Carrier, Location, Observance
from rates.domain.tables import Bounded
from rates.loading.checks import Check, Finding
from rates.loading.problems import did_you_mean

_T = TypeVar("_T")
_OBSERVED = " (observed)"
NAMES_LANGUAGE = "en_US"
"""The language holiday names are read in, where the package has it for a country (it
does for most), else the country's own default; never the process's locale."""


@cache
def supported_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes the package covers, from its registry: no country's module
    is imported (importing all of them costs about 90 ms at start-up)."""
    return frozenset(code for code in EntityLoader.get_country_codes() if len(code) == 2)


@cache
def subdivisions(country: str) -> frozenset[str]:
    """The subdivision codes of `country` the package has holidays for (none for a country
    it does not cover); imports that country's module only."""
    if country not in supported_countries():
        return frozenset()
    return frozenset(getattr(holidays, country).subdivisions)


@lru_cache(maxsize=4096)
def _holiday_table(country: str, subdiv: str | None, first: int, last: int) -> Mapping[date, str]:
    """The package's holidays of a place in years `first`..`last`, read-only. Shared by
    every setup of the process: the package's tables do not change while it runs, and a
    reload would otherwise build each again (about a millisecond apiece)."""
    return MappingProxyType(dict(holidays.country_holidays(
        country, subdiv=subdiv, years=range(first, last + 1),
        language=_names_language(country)).items()))


@cache
def _names_language(country: str) -> str | None:
    entity = getattr(holidays, country)
    return NAMES_LANGUAGE if NAMES_LANGUAGE in entity.supported_languages \
        else entity.default_language


def known_subdivision(country: str, region: str | None) -> str | None:
    """`region` when the package has holidays for it as a subdivision of `country`."""
    return region if region in subdivisions(country) else None


def base_names(name: str) -> list[str]:
    """The holidays a date's name stands for: "A; B (observed)" -> ["A", "B"]."""
    return [part.removesuffix(_OBSERVED) for part in name.split("; ")]


def named(table: Mapping[date, str], names: frozenset[str] | None) -> dict[date, str]:
    """The dates of one calendar's `table` that stand for any of `names`, that calendar's
    own names (None: every date)."""
    if names is None:
        return dict(table)
    return {day: name for day, name in table.items() if not names.isdisjoint(base_names(name))}


def holiday_place_problem(country: str, subdiv: str | None) -> tuple[str, Finding] | None:
    """(key, message) when the holidays package cannot give holidays for this place."""
    countries = supported_countries()
    if country not in countries:
        return "country", Finding(Check.UNKNOWN_REFERENCE,
                                  f"the holidays package has no calendar for {country!r}"
                                  f"{did_you_mean(country, countries)}")
    if subdiv is not None and known_subdivision(country, subdiv) is None:
        return "subdiv", Finding(Check.UNKNOWN_REFERENCE,
                                 f"the holidays package knows no subdivision {subdiv!r} of "
                                 f"{country}{did_you_mean(subdiv, subdivisions(country))}")
    return None


ASKED_LIMIT = 1024
"""How many (carrier, location) and (carrier, destination region) calendars a book finds
by identity before it starts over (a reload brings new carriers)."""


class HolidayCalendarBook:
    """Every calendar a setup needs, built on first use and cached for the book's life.

    The cache is a dict guarded by a lock. A calendar is built outside the lock (building
    may need other cached calendars), so two threads may both build one on a cold cache;
    the first stored wins and both get that one, so callers always share one instance.
    """

    def __init__(self, today: date) -> None:
        self.first = date(today.year - 1, 1, 1)
        self.last = date(today.year + 3, 12, 31)
        self._cache: dict[tuple[object, ...], object] = {}
        self._lock = threading.Lock()
        # What each quote asks, by the carrier's and the location's identity: one dict
        # lookup, where the general key takes a subdivision lookup, a hash of the
        # carrier's observance and the lock (a quote asks a dozen times). The objects are
        # held beside their calendar, so an id is never another object's.
        self._pickups: Bounded[tuple[int, int], tuple[Carrier, Location, BusinessCalendar]] = \
            Bounded(ASKED_LIMIT)
        self._deliveries: Bounded[tuple[int, str, str | None],
                                  tuple[Carrier, BusinessCalendar]] = Bounded(ASKED_LIMIT)

    def _cached(self, key: tuple[object, ...], build: Callable[[], _T]) -> _T:
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[return-value]
        built = build()
        with self._lock:
            return self._cache.setdefault(key, built)  # type: ignore[return-value]

    def public_holidays(self, country: str | None, subdiv: str | None) -> Mapping[date, str]:
        """Public holidays of a place over the horizon; empty where the package has none."""
        if country is None or country not in supported_countries():
            return {}
        return _holiday_table(country, subdiv, self.first.year, self.last.year)

    def national_names(self, country: str) -> frozenset[str]:
        """Every holiday name `country`'s national calendar uses over the horizon, without
        " (observed)": what a carrier's `observes` entry for it may name."""
        return self._cached(("names", country), lambda: frozenset(
            base for name in self.public_holidays(country, None).values()
            for base in base_names(name)))

    def location_calendar(self, name: str, weekdays: Iterable[int], country: str | None,
                          subdiv: str | None, closures: Mapping[date, str]) -> BusinessCalendar:
        """A location's working days: `weekdays` (0 = Monday), every public holiday of
        `country` / `subdiv` (None: no holidays at all), and the merchant's `closures`."""
        days = frozenset(weekdays)
        shut = tuple(sorted(closures.items()))
        return self._cached(("location", name, days, country, subdiv, shut), lambda: (
            BusinessCalendar(name, first=self.first, last=self.last, weekdays=days,
                             holidays=self.public_holidays(country, subdiv),
                             closures=dict(shut))))

    def pickup(self, carrier: Carrier, location: Location) -> BusinessCalendar:
        """Days `carrier` collects at `location`: the location works, the carrier's pickup
        weekdays, and no holiday of the location's place that the carrier observes."""
        asked = (id(carrier), id(location))
        known = self._pickups.get(asked)
        if known is not None and known[0] is carrier and known[1] is location:
            return known[2]
        collects = self._carrier_days(carrier, "pickup", carrier.pickup_weekdays,
                                      location.country, location.region)
        calendar = self._cached(
            ("pickup", location.id, location.calendar, collects),
            lambda: location.calendar.intersect(
                collects, f"{carrier.id} pickup at {location.id}"))
        self._pickups.keep(asked, (carrier, location, calendar))
        return calendar

    def delivery(self, carrier: Carrier, destination: Destination) -> BusinessCalendar:
        """Days `carrier` delivers at `destination`: its delivery weekdays less the public
        holidays there (national and regional) that it observes."""
        asked = (id(carrier), destination.country, destination.region)
        known = self._deliveries.get(asked)
        if known is not None and known[0] is carrier:
            return known[1]
        calendar = self._carrier_days(carrier, "delivery", carrier.delivery_weekdays,
                                      destination.country, destination.region)
        self._deliveries.keep(asked, (carrier, calendar))
        return calendar

    def _carrier_days(self, carrier: Carrier, kind: str, weekdays: frozenset[int],
                      country: str, region: str | None) -> BusinessCalendar:
        subdiv = known_subdivision(country, region)
        place = f"{country}-{subdiv}" if subdiv else country
        # Without `observes`, a carrier keeps every public holiday of the place.
        observance = Observance(country, regional=True) if carrier.observes is None \
            else carrier.observes.get(country)
        return self._cached(
            (kind, carrier.id, weekdays, observance, country, subdiv),
            lambda: BusinessCalendar(
                f"{carrier.id} {kind} {place}", first=self.first, last=self.last,
                weekdays=weekdays, holidays=self.carrier_holidays(observance, subdiv)))

    def carrier_holidays(self, observance: Observance | None,
                         subdiv: str | None) -> dict[date, str]:
        """The days a carrier with `observance` closes on in its country, in region
        `subdiv` (None: none known): the national calendar's days it names, then, if
        `regional`, the days the region's calendar adds to the national one. A federal
        holiday that a state renames (Rhode Island) or does not keep (Columbus Day in
        Nevada) closes a carrier that observes it all the same."""
        if observance is None:
            return {}
        national = self.public_holidays(observance.country, None)
        closed = named(national, observance.holidays)
        if observance.regional and subdiv is not None:
            closed.update((day, name) for day, name
                          in self.public_holidays(observance.country, subdiv).items()
                          if day not in national)
        return closed
