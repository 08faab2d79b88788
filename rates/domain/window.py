"""Ship dates and delivery windows for one shipment by one carrier service (DESIGN section 4).

For a shipment from location L by service S, ordered at instant t:
1. start: for on-hand units, L's local date of t if it is a working day of L and t is
   before that day's cutoff (local time in L's zone), else L's next working day. For
   restocked units, `receiving_days` working days after the ETA (default 1: the day after
   the truck arrives), since a unit must be received before it can be picked.
2. handed to the carrier: `handling_days` working days of L after start, then moved to the
   first day both L works and S collects at L.
3. delivered: `transit` delivery days of S at the destination strictly after hand-over
   (a same-day service, transit 0, delivers on the hand-over day if S delivers then).
The earliest date uses (earliest ready, min handling, min transit), the latest uses (latest
ready, max handling, max transit). Every range here is inclusive at both ends.

Units collected at a store (`collect`) take step 1, then the pickup's own handling days of
the store, and are then ready for collection: no carrier, no transit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from typing import TypeVar, cast

from rates.domain.calendar import ONE_DAY, BusinessCalendar
from rates.domain.catalog import Location
from rates.domain.lateness import Calibrated, Confidence
from rates.domain.plans import ShipmentPlan
from rates.domain.stock import Allocation, DateRange, Source
from rates.domain.tables import Bounded

# Each step's `kind` is a property rather than a ClassVar: compiled by mypyc
# (tools/compile_domain.py), a dataclass's ClassVar would become one of its fields.


@dataclass(frozen=True, slots=True)
class Restock:
    """Restocked units wait for their lot's ETA at `location`."""

    location: str

    @property
    def kind(self) -> str:
        return "ready"


@dataclass(frozen=True, slots=True)
class Receiving:
    """A restock is received over `days` working days at `location` before it is picked."""

    location: str
    days: int

    @property
    def kind(self) -> str:
        return "received"


class Start(Enum):
    """What the order's local time at a location decided for units on hand."""

    SAME_DAY = "same_day"            # a working day, before its cutoff (or it has none)
    NEXT_DAY = "next_working_day"    # a working day, at or after its cutoff
    CLOSED = "closed"                # the location does not work that day


@dataclass(frozen=True, slots=True, init=False)
class Ordered:
    """Units on hand start by the local `cutoff` at `location`: `at` is the order's
    minute in the location's own zone (the cutoff is local, so is the time that met it);
    `closed` says why a closed day was closed."""

    location: str
    at: datetime
    cutoff: time | None
    start: Start
    closed: str | None = None
    _hash: int = field(init=False, repr=False, compare=False)

    # Written out: the window book compares and hashes a start on every lookup (so its
    # hash is worked out once), and the dataclass's own methods (and an enum's hash) run
    # as Python even when compiled.
    def __init__(self, location: str, at: datetime, cutoff: time | None, start: Start,
                 closed: str | None = None) -> None:
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "cutoff", cutoff)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "closed", closed)
        object.__setattr__(self, "_hash", hash((location, at, cutoff, start._value_, closed)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ordered):
            return NotImplemented
        return (self.location == other.location and self.at == other.at
                and self.cutoff == other.cutoff and self.start is other.start
                and self.closed == other.closed)

    def __hash__(self) -> int:
        return self._hash

    @property
    def kind(self) -> str:
        return "start"


@dataclass(frozen=True, slots=True)
class Handling:
    """`low` to `high` working days of handling at `location`."""

    location: str
    low: int
    high: int

    @property
    def kind(self) -> str:
        return "handling"


@dataclass(frozen=True, slots=True)
class Pickup:
    """Handed over on the first day of the carrier's pickup `calendar` at `location`."""

    location: str
    calendar: str

    @property
    def kind(self) -> str:
        return "pickup"


@dataclass(frozen=True, slots=True)
class Transit:
    """`low` to `high` delivery days of the carrier's delivery `calendar`."""

    low: int
    high: int
    calendar: str

    @property
    def kind(self) -> str:
        return "transit"


@dataclass(frozen=True, slots=True)
class Collect:
    """Ready for collection at `location`, open `hours` (free text, None: not given)."""

    location: str
    hours: str | None

    @property
    def kind(self) -> str:
        return "collect"


T = TypeVar("T")
Facts = Restock | Receiving | Ordered | Handling | Pickup | Transit | Collect | Calibrated


@dataclass(frozen=True, slots=True)
class Step:
    """One calendar step of a window: its facts, not sentences, since the API and the
    support console word them differently. `calendar` and `since` let `skipped()` name the
    weekends, holidays and closures the step passed over, computed only when asked for."""

    facts: Facts
    dates: DateRange
    calendar: BusinessCalendar | None = None
    since: DateRange | None = None
    _kept: tuple[object, object] | None = field(default=None, init=False, repr=False,
                                               compare=False)

    @property
    def kind(self) -> str:
        return self.facts.kind

    def skipped(self) -> list[tuple[date, str]]:
        if self.calendar is None or self.since is None:
            return []
        days = self.calendar.closed_between(self.since.earliest, self.dates.earliest)
        if (self.since.latest, self.dates.latest) != (self.since.earliest, self.dates.earliest):
            days = sorted(dict([*days, *self.calendar.closed_between(
                self.since.latest, self.dates.latest)]).items())
        return days

    def kept(self, make: Callable[[Step], T]) -> T:
        """`make(self)`, kept for the next call with the same `make`: the steps of a
        `WindowBook` reach many quotes, and each quote document writes every one."""
        kept = self._kept
        if kept is None or kept[0] is not make:
            kept = (make, make(self))
            object.__setattr__(self, "_kept", kept)
        return cast(T, kept[1])


@dataclass(frozen=True, slots=True)
class ShipmentWindow:
    """`confidence`: how likely `delivery` is to hold, by the setup's lateness history
    (`rates.domain.confidence`); None without history to weigh it by."""

    ready: DateRange
    ships: DateRange
    delivery: DateRange
    steps: tuple[Step, ...]
    confidence: Confidence | None = None


def shipment_window(
    shipment: ShipmentPlan,
    location: Location,
    pickup: BusinessCalendar,
    delivery: BusinessCalendar,
    transit: tuple[int, int],
    ordered_at: datetime,
) -> ShipmentWindow:
    """The ship and delivery ranges of `shipment` from `location`, with the steps taken.

    `pickup` is the calendar of days the carrier collects at `location` (already combined
    with the location's own working days); `delivery` the days it delivers at the
    destination; `transit` the (min, max) delivery days for the carrier zone.
    """
    on_hand = None if shipment.backordered else start_on_hand(location, ordered_at)
    return carry(handle(shipment, location, on_hand), pickup, delivery, transit)


@dataclass(frozen=True, slots=True)
class Handled:
    """Steps 1 and 2 up to the end of handling: the same for every carrier, so a quote
    computes them once per shipment and location."""

    location: str
    ready: DateRange
    handled: DateRange
    steps: tuple[Step, ...]


def handle(shipment: ShipmentPlan, location: Location,
           on_hand: tuple[DateRange, Ordered] | None,
           handling_days: tuple[int, int] | None = None) -> Handled:
    """When handling of `shipment` at `location` starts and ends (steps 1 and 2).
    `on_hand` is `start_on_hand(location, ordered_at)` for units on hand, None for a
    restock. `handling_days`: (min, max) working days, default the location's (a pickup
    has its own)."""
    cal = location.calendar
    ready = shipment.ready
    steps: list[Step] = []
    if on_hand is None:
        start = _received(cal, ready, location.receiving_days)
        steps.append(Step(Restock(location.id), ready))
        steps.append(Step(Receiving(location.id, location.receiving_days), start, cal, ready))
    else:
        start, ordered = on_hand
        steps.append(Step(ordered, start, cal, ready if start != ready else None))
    low, high = handling_days or location.handling_days
    handled = DateRange(cal.add(start.earliest, low), cal.add(start.latest, high))
    steps.append(Step(Handling(location.id, low, high), handled, cal, start))
    return Handled(location.id, ready, handled, tuple(steps))


def collect(shipment: ShipmentPlan, location: Location,
            on_hand: tuple[DateRange, Ordered] | None, handling_days: tuple[int, int],
            hours: str | None) -> ShipmentWindow:
    """When `shipment`'s units are ready for collection at `location`: handled with the
    pickup's `handling_days`, on the location's working days. The window's `ships` and
    `delivery` are both that range, since the shopper takes the units there."""
    handled = handle(shipment, location, on_hand, handling_days)
    ready = handled.handled
    return ShipmentWindow(handled.ready, ready, ready,
                          (*handled.steps, Step(Collect(location.id, hours), ready)))


def carry(handled: Handled, pickup: BusinessCalendar, delivery: BusinessCalendar,
          transit: tuple[int, int]) -> ShipmentWindow:
    """From handled to delivered by one carrier service (the end of step 2, and step 3)."""
    return _joined(handled, _carried(handled, pickup, delivery, transit))


@dataclass(frozen=True, slots=True)
class Carried:
    """Hand-over and delivery after handling ends on `done`: the same for every shipment
    whose handling ends then, whatever its units or the minute it was ordered."""

    ships: DateRange
    delivered: DateRange
    steps: tuple[Step, ...]


def _carried(handled: Handled, pickup: BusinessCalendar, delivery: BusinessCalendar,
             transit: tuple[int, int]) -> Carried:
    done = handled.handled
    steps: list[Step] = []
    ships = DateRange(pickup.on_or_after(done.earliest), pickup.on_or_after(done.latest))
    if ships != done:
        # The hand-over day itself is what was closed, so the days examined start on it.
        day_before = DateRange(done.earliest - ONE_DAY, done.latest - ONE_DAY)
        steps.append(Step(Pickup(handled.location, pickup.name), ships, pickup, day_before))
    tmin, tmax = transit
    delivered = DateRange(_deliver(delivery, ships.earliest, tmin),
                          _deliver(delivery, ships.latest, tmax))
    steps.append(Step(Transit(tmin, tmax, delivery.name), delivered, delivery, ships))
    return Carried(ships, delivered, tuple(steps))


def _joined(handled: Handled, carried: Carried) -> ShipmentWindow:
    return ShipmentWindow(handled.ready, carried.ships, carried.delivered,
                          handled.steps + carried.steps)


def _deliver(delivery: BusinessCalendar, handed: date, days: int) -> date:
    """`days` delivery days after hand-over; same-day (0) still lands on a delivery day."""
    return delivery.add(handed, days) if days else delivery.on_or_after(handed)


def _received(cal: BusinessCalendar, ready: DateRange, receiving_days: int) -> DateRange:
    if receiving_days == 0:
        return DateRange(cal.on_or_after(ready.earliest), cal.on_or_after(ready.latest))
    return DateRange(cal.add(ready.earliest, receiving_days), cal.add(ready.latest, receiving_days))


def start_on_hand(location: Location, ordered_at: datetime) -> tuple[DateRange, Ordered]:
    """The day handling starts for on-hand units, applying the local cutoff, and why. The
    order's time is kept to the minute: orders of one minute share their windows."""
    local = ordered_at.astimezone(location.timezone).replace(second=0, microsecond=0)
    today = local.date()
    calendar = location.calendar
    if not calendar.is_business_day(today):
        return (DateRange.on(calendar.add(today, 1)),
                Ordered(location.id, local, None, Start.CLOSED, calendar.why_closed(today)))
    cutoff = location.cutoffs.get(today.weekday())
    if cutoff is None or local.time() < cutoff:
        return DateRange.on(today), Ordered(location.id, local, cutoff, Start.SAME_DAY)
    return (DateRange.on(calendar.add(today, 1)),
            Ordered(location.id, local, cutoff, Start.NEXT_DAY))


STARTS_LIMIT = 256
"""How many (location, minute) starts a window book keeps: a few minutes of every
location's, as the clock only moves on (`rates.domain.tables` says why a table stays
small)."""


class WindowBook:
    """Windows already worked out for one setup, kept for its next quotes.

    The carts of a day ship from the same locations, wait for the same restocks and go
    by the same carriers, so most of a quote's windows (and the words of their steps) were
    worked out by an earlier quote. A window is a function of its key: the location and its
    calendar (fixed for the setup that owns the book), the units' ready dates, the start
    of on-hand units (the cutoff's verdict, and the order's minute, which its first step
    names), the carrier's calendars and the transit days. What follows handling depends
    only on the day handling ends, so a new minute reuses it and builds only the window.
    The book starts over when it holds `limit` windows; threads may race to fill one key,
    and both get a correct window.
    """

    __slots__ = ("limit", "_starts", "_handled", "_carried", "_windows", "_deliveries")

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._starts: Bounded[tuple[str, int], tuple[DateRange, Ordered]] = Bounded(
            min(limit, STARTS_LIMIT))
        self._handled: dict[tuple[object, ...], Handled] = {}
        self._carried: dict[tuple[object, ...], Carried] = {}
        self._windows: dict[tuple[object, ...], ShipmentWindow] = {}
        self._deliveries: dict[tuple[object, ...], DateRange] = {}

    def __len__(self) -> int:
        return len(self._windows)

    def start(self, location: Location, ordered_at: datetime) -> tuple[DateRange, Ordered]:
        """`start_on_hand(location, ordered_at)`, kept for the quotes of the same minute:
        the start keeps the order's time to the minute, as the windows it begins do, and
        every quote asks it for every location. Kept under the instant's minute, which is
        the location's local minute too (zones are whole minutes off UTC)."""
        key = (location.id, int(ordered_at.timestamp()) // 60)
        found = self._starts.get(key)
        if found is None:
            found = self._starts.keep(key, start_on_hand(location, ordered_at))
        return found

    def delivery(self, ready: DateRange, location: Location,
                 on_hand: tuple[DateRange, Ordered] | None, pickup: BusinessCalendar,
                 delivery: BusinessCalendar, transit: tuple[int, int]) -> DateRange:
        """The delivery dates of units ready within `ready` at `location`, shipped alone:
        what the `fastest` strategy compares, for every supply by every service, so it is
        kept apart from the windows, with no shipment to build when it is known."""
        # Dates, not DateRanges, so that the key hashes in C (as `window`'s).
        start = on_hand and on_hand[0]
        key = (location.id, ready.earliest, ready.latest, start and start.earliest,
               start and start.latest, on_hand and on_hand[1], pickup, delivery, transit)
        found = self._deliveries.get(key)
        if found is None:
            if len(self._deliveries) >= self.limit:
                self._deliveries.clear()
            source = Source.INBOUND if on_hand is None else Source.ON_HAND
            alone = ShipmentPlan(location.id, (Allocation(0, "", 1, location.id, source, ready),))
            found = self._deliveries[key] = self.window(alone, location, on_hand, pickup,
                                                        delivery, transit).delivery
        return found

    def window(self, shipment: ShipmentPlan, location: Location,
               on_hand: tuple[DateRange, Ordered] | None, pickup: BusinessCalendar,
               delivery: BusinessCalendar, transit: tuple[int, int]) -> ShipmentWindow:
        """`shipment_window` of `shipment` from `location`; `on_hand` is
        `start_on_hand(location, ordered_at)` for units on hand, None for a restock."""
        # Dates, not DateRanges, so that the key hashes and compares in C: a quote looks
        # up dozens of windows.
        ready, start = shipment.ready, on_hand and on_hand[0]
        handled_key = (location.id, ready.earliest, ready.latest,
                       start and start.earliest, start and start.latest, on_hand and on_hand[1])
        key = (handled_key, pickup, delivery, transit)
        window = self._windows.get(key)
        if window is None:
            if len(self._windows) >= self.limit:
                self._handled.clear()
                self._carried.clear()
                self._windows.clear()
            handled = self._handled.get(handled_key)
            if handled is None:
                handled = self._handled[handled_key] = handle(shipment, location, on_hand)
            carried_key = (handled.location, handled.handled, pickup, delivery, transit)
            carried = self._carried.get(carried_key)
            if carried is None:
                carried = self._carried[carried_key] = _carried(handled, pickup, delivery,
                                                                transit)
            window = self._windows[key] = _joined(handled, carried)
        return window
