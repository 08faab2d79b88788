"""`rates calendar LOCATION|CARRIER --from DATE --days N`: which days are business days,
and why the others are not (the weekday, the holiday's name, the merchant's closure).

For a location, its own calendar. For a carrier, its pickup calendar at each location it
collects from (or only `--at` one), then its delivery calendar to `--to` (default: the
country of each of those locations). A name that is both a location and a carrier is the
location. Calendars are built around --from, as `rates quote --at` builds them around the
order day: from Jan 1 of the year before to Dec 31 three years after.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from rates.commands.common import add_config
from rates.domain.calendar import WEEKDAY_NAMES, BusinessCalendar
from rates.domain.cart import Destination
from rates.domain.catalog import Carrier, Catalog, Location
from rates.domain.errors import CalendarHorizonError, RatesError
from rates.loading import load_setup
from rates.loading.holidays import holiday_place_problem
from rates.loading.problems import did_you_mean

_PLACE = re.compile(r"([A-Z]{2})(?:-([A-Z0-9]{1,3}))?")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write YYYY-MM-DD)") from None


def _days(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}")
    return int(text)


def _place(text: str) -> Destination:
    found = _PLACE.fullmatch(text.strip().upper())
    if found is None:
        raise argparse.ArgumentTypeError(
            f"not a place: {text!r} (write a country, US, or a country and region, US-NV)")
    return Destination(found[1], found[2])


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "calendar", help="business days of a location or a carrier, and why not")
    parser.add_argument("name", metavar="LOCATION|CARRIER",
                        help="a location id (reno) or a carrier id (ups)")
    parser.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE",
                        help="the first day shown, YYYY-MM-DD")
    parser.add_argument("--days", type=_days, required=True, metavar="N",
                        help="how many days to show")
    add_config(parser)
    parser.add_argument("--at", metavar="LOCATION",
                        help="a carrier's pickup at this location only")
    parser.add_argument("--to", type=_place, metavar="COUNTRY[-REGION]",
                        help="a carrier's deliveries to this place "
                             "(default: the country of each pickup location)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup = load_setup(args.config, today=args.start)
    calendars = _calendars(setup.catalog, args)
    _within_horizon(calendars, args.start, args.days)
    days = [args.start + timedelta(days=n) for n in range(args.days)]
    print("\n\n".join("\n".join([calendar.name, *(_row(calendar, day) for day in days)])
                      for calendar in calendars))
    return 0


def _row(calendar: BusinessCalendar, day: date) -> str:
    """`Thu 2026-11-26  closed  Thanksgiving Day`, or `... open`."""
    stamp = f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.isoformat()}"
    reason = calendar.why_closed(day)
    return f"{stamp}  open" if reason is None else f"{stamp}  closed  {reason}"


def _calendars(catalog: Catalog, args: argparse.Namespace) -> list[BusinessCalendar]:
    location = catalog.locations.get(args.name)
    if location is not None:
        if args.at or args.to:
            raise RatesError("--at and --to apply to a carrier, not to a location")
        return [location.calendar]
    carrier = catalog.carriers.get(args.name)
    if carrier is None:
        raise _unknown("location or carrier", args.name,
                       [*catalog.locations, *catalog.carriers])
    origins = _origins(catalog, carrier, args.at)
    places = [_checked(args.to)] if args.to else \
        list(dict.fromkeys(Destination(origin.country) for origin in origins))
    return [*(catalog.calendars.pickup(carrier, origin) for origin in origins),
            *(catalog.calendars.delivery(carrier, place) for place in places)]


def _origins(catalog: Catalog, carrier: Carrier, at: str | None) -> list[Location]:
    """The locations `carrier` collects from, or `at` alone (which it must collect from)."""
    collected = [loc for loc in catalog.locations.values() if carrier.collects_at(loc.id)]
    if at is None:
        return collected
    if at not in catalog.locations:
        raise _unknown("location", at, catalog.locations)
    if not carrier.collects_at(at):
        raise RatesError(f"{carrier.id} does not collect at {at}; it collects at "
                         f"{', '.join(loc.id for loc in collected)}")
    return [catalog.locations[at]]


def _checked(place: Destination) -> Destination:
    """`place`, if the holidays package knows it: a typo must not pass for a place
    without holidays."""
    problem = holiday_place_problem(place.country, place.region)
    if problem:
        raise RatesError(f"--to: {problem[1]}")
    return place


def _within_horizon(calendars: list[BusinessCalendar], start: date, days: int) -> None:
    """Checked before printing, so a long request fails whole, saying how far it may go."""
    last = min(calendar.last for calendar in calendars)
    room = (last - start).days + 1
    if days > room:
        raise CalendarHorizonError(
            f"--days {days} from {start} runs past the calendars, which end on {last}; "
            f"ask for at most {room} days")


def _unknown(what: str, name: str, names: Iterable[str]) -> RatesError:
    known = list(names)
    return RatesError(f"no {what} called {name!r}{did_you_mean(name, known)} "
                      f"(known: {', '.join(known)})")
