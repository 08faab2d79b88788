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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rates.domain.calendar import BusinessCalendar
from rates.domain.catalog import Location
from rates.domain.plans import ShipmentPlan
from rates.domain.stock import DateRange

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Step:
    """One calendar step of a window. `calendar` and `since` let `skipped()` name the
    weekends, holidays and closures the step passed over, computed only when asked for."""

    kind: str
    dates: DateRange
    note: str
    calendar: BusinessCalendar | None = None
    since: DateRange | None = None

    def skipped(self) -> list[tuple[date, str]]:
        if self.calendar is None or self.since is None:
            return []
        days = dict(self.calendar.closed_between(self.since.earliest, self.dates.earliest))
        days.update(self.calendar.closed_between(self.since.latest, self.dates.latest))
        return sorted(days.items())

    def describe(self) -> str:
        text = f"{self.kind} {self.dates}: {self.note}"
        skipped = self.skipped()
        if skipped:
            text += "; skipped " + ", ".join(f"{d:%a %b %d} ({why})" for d, why in skipped)
        return text


@dataclass(frozen=True, slots=True)
class ShipmentWindow:
    ready: DateRange
    ships: DateRange
    delivery: DateRange
    steps: tuple[Step, ...]


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
    return carry(handle(shipment, location, ordered_at), pickup, delivery, transit)


@dataclass(frozen=True, slots=True)
class Handled:
    """Steps 1 and 2 up to the end of handling: the same for every carrier, so a quote
    computes them once per shipment and location."""

    ready: DateRange
    handled: DateRange
    steps: tuple[Step, ...]


def handle(shipment: ShipmentPlan, location: Location, ordered_at: datetime) -> Handled:
    """When handling of `shipment` at `location` starts and ends (steps 1 and 2)."""
    cal = location.calendar
    ready = shipment.ready
    steps: list[Step] = []
    if shipment.backordered:
        start = _received(cal, ready, location.receiving_days)
        steps.append(Step("ready", ready, f"restock due at {location.id}"))
        steps.append(Step("received", start,
                          f"{location.receiving_days} working day(s) to receive at {location.id}",
                          cal, ready))
    else:
        start, note = _start_on_hand(location, ordered_at)
        steps.append(Step("start", start, note, cal, ready if start != ready else None))
    low, high = location.handling_days
    handled = DateRange(cal.add(start.earliest, low), cal.add(start.latest, high))
    steps.append(Step("handling", handled,
                      f"{low}-{high} working day(s) at {location.id}", cal, start))
    return Handled(ready, handled, tuple(steps))


def carry(handled: Handled, pickup: BusinessCalendar, delivery: BusinessCalendar,
          transit: tuple[int, int]) -> ShipmentWindow:
    """From handled to delivered by one carrier service (the end of step 2, and step 3)."""
    done = handled.handled
    steps = list(handled.steps)
    ships = DateRange(pickup.on_or_after(done.earliest), pickup.on_or_after(done.latest))
    if ships != done:
        # The hand-over day itself is what was closed, so the days examined start on it.
        day_before = DateRange(done.earliest - ONE_DAY, done.latest - ONE_DAY)
        steps.append(Step("pickup", ships, f"first day of {pickup.name}", pickup, day_before))
    tmin, tmax = transit
    delivered = DateRange(_deliver(delivery, ships.earliest, tmin),
                          _deliver(delivery, ships.latest, tmax))
    steps.append(Step("transit", delivered, f"{tmin}-{tmax} {delivery.name} day(s)",
                      delivery, ships))
    return ShipmentWindow(handled.ready, ships, delivered, tuple(steps))


def _deliver(delivery: BusinessCalendar, handed: date, days: int) -> date:
    """`days` delivery days after hand-over; same-day (0) still lands on a delivery day."""
    return delivery.add(handed, days) if days else delivery.on_or_after(handed)


def _received(cal: BusinessCalendar, ready: DateRange, receiving_days: int) -> DateRange:
    if receiving_days == 0:
        return DateRange(cal.on_or_after(ready.earliest), cal.on_or_after(ready.latest))
    return DateRange(cal.add(ready.earliest, receiving_days), cal.add(ready.latest, receiving_days))


def _start_on_hand(location: Location, ordered_at: datetime) -> tuple[DateRange, str]:
    """The day handling starts for on-hand units, applying the local cutoff."""
    local = ordered_at.astimezone(location.timezone)
    today = local.date()
    ordered = f"ordered {local:%a %H:%M %Z} at {location.id}"
    if not location.calendar.is_business_day(today):
        why = location.calendar.why_closed(today)
        return DateRange.on(location.calendar.add(today, 1)), f"{ordered}, closed ({why})"
    cutoff = location.cutoffs.get(today.weekday())
    if cutoff is None or local.time() < cutoff:
        before = f", before the {cutoff:%H:%M} cutoff" if cutoff else ""
        return DateRange.on(today), f"{ordered}{before}: starts the same day"
    return (DateRange.on(location.calendar.add(today, 1)),
            f"{ordered}, after the {cutoff:%H:%M} cutoff: starts the next working day")
