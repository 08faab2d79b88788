"""A setup's lateness model applied to a quote's windows (`rates.domain.lateness`).

For one shipment, the day it arrives is its window's latest day moved by three things:
- its restocks: each lot (or supplier lead time) it waits for arrives some business days
  after its promised latest day, and the shipment waits for the last of them;
- its handling: the window's latest day counts the location's most handling days, and a
  parcel takes any of its configured days, evenly (nothing records handling: this is the
  configuration's word);
- its parcel: the lane's transit runs some delivery days past the configured maximum.
All are taken as independent, and their days are added as delivery days of the
destination's calendar (a business day of the warehouse and one of the carrier are alike
enough here). The shipment's `confidence` is the probability that the sum lands inside
the window; with a target, the latest day moves later, a delivery day at a time, until it
does. The earliest day never moves: it is what the calendars and the rules allow.

A shipment none of whose suppliers or lanes have history keeps its window exactly, with
no confidence: nothing is known to weigh it by.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import reduce

from rates.domain.calendar import BusinessCalendar
from rates.domain.catalog import Location
from rates.domain.lateness import (
    TOLERANCE,
    Calibrated,
    Confidence,
    Evidence,
    Lane,
    LatenessModel,
    Spread,
)
from rates.domain.plans import ShipmentPlan
from rates.domain.stock import DateRange
from rates.domain.tables import Bounded
from rates.domain.window import ShipmentWindow, Step

Restocks = tuple[tuple[str | None, date, date], ...]
"""A shipment's restocks: (supplier, earliest, latest) of each it waits for, once each."""


def restocks(shipment: ShipmentPlan) -> Restocks:
    """What `Calibration.window` reads of a shipment: every service carrying the plan asks
    the same, so the quote keeps it per shipment (dates, not ranges: their tuple hashes
    in C)."""
    return tuple(dict.fromkeys(
        (allocation.supplier, allocation.ready.earliest, allocation.ready.latest)
        for allocation in shipment.items if not allocation.on_hand))


class Calibration:
    """`model` and the merchant's `target` (None: say the confidence, widen nothing),
    applied to windows. Windows come from the setup's book, so the calibrated window of
    each is kept too, for the next quote that dates the same shipment the same way."""

    __slots__ = ("model", "target", "_kept")

    def __init__(self, model: LatenessModel, target: float | None = None,
                 limit: int = 2_000) -> None:
        self.model = model
        self.target = target
        self._kept: Bounded[tuple[object, ...], tuple[ShipmentWindow, ShipmentWindow]] = \
            Bounded(limit)

    def __bool__(self) -> bool:
        return bool(self.model)

    def window(self, window: ShipmentWindow, parts: Restocks, location: Location,
               lane: Lane, transit: tuple[int, int], delivery: BusinessCalendar, *,
               guaranteed: bool = False) -> ShipmentWindow:
        """`window` of a shipment waiting for `parts` (`restocks(shipment)`) from
        `location` by `lane`'s service (`transit`: its configured days), weighed against
        history, and widened to the target. A `guaranteed` transit is the carrier's
        commitment: the lane's history (still recorded, and measured by `rates
        calibrate`) does not weigh it, only its restocks' do."""
        key = (id(window), parts, lane, transit, guaranteed)
        found = self._kept.get(key)
        if found is not None and found[0] is window:
            return found[1]
        made = self._weighed(window, parts, location.calendar, location.handling_days, lane,
                             transit, delivery, guaranteed=guaranteed)
        self._kept.keep(key, (window, made))
        return made

    def _weighed(self, window: ShipmentWindow, parts: Restocks, receiving: BusinessCalendar,
                 handling: tuple[int, int], lane: Lane, transit: tuple[int, int],
                 delivery: BusinessCalendar, *, guaranteed: bool) -> ShipmentWindow:
        restock, suppliers = self._restocks(parts, receiving)
        carried, lane_evidence = self.model.transit(lane, transit)
        if guaranteed:
            carried, lane_evidence = self.model.committed(transit), None
        if not suppliers and lane_evidence is None:
            return window
        low_handling, high_handling = handling
        offsets = restock.plus(carried).plus(Spread.even(low_handling - high_handling, 0))
        earliest, latest = window.delivery.earliest, window.delivery.latest
        low = -delivery.count(earliest, latest)
        before = offsets.between(low, 0)
        widened = self._widening(offsets, low, before)
        moved = delivery.add(latest, widened)
        probability = offsets.between(low, widened)
        likely = max(earliest, _moved(delivery, latest, offsets.mode()))
        facts = Calibrated(probability, before, self.target, widened, likely, suppliers,
                           None if lane_evidence is None else (lane, lane_evidence), transit)
        dates = DateRange(earliest, moved)
        return replace(window, delivery=dates,
                       steps=(*window.steps, Step(facts, dates)),
                       confidence=Confidence(probability, likely, offsets, latest, delivery))

    def _restocks(self, parts: Restocks, receiving: BusinessCalendar,
                  ) -> tuple[Spread, tuple[tuple[str, Evidence], ...]]:
        """When the shipment's last restock lands, in business days after the latest
        of their promised days, and the suppliers whose history said so."""
        if not parts:
            return Spread.on(0), ()
        last = max(latest for _, _, latest in parts)
        named: dict[str, Evidence] = {}
        spreads = []
        for supplier, earliest, latest in parts:
            spread, evidence = self.model.restock(
                supplier, receiving.count(earliest, latest))
            if evidence is not None and supplier is not None:
                named[supplier] = evidence
            spreads.append(spread.shifted(-receiving.count(latest, last)))
        waited = reduce(Spread.latest_with, spreads)
        return waited, tuple(sorted(named.items()))

    def _widening(self, offsets: Spread, low: int, before: float) -> int:
        """The fewest delivery days the latest day moves for the window to reach the
        target (none when it already does, or when only earlier days fall short)."""
        target = self.target
        if target is None or before >= target - TOLERANCE:
            return 0
        for days in range(1, offsets.high + 1):
            if offsets.between(low, days) >= target - TOLERANCE:
                return days
        return max(offsets.high, 0)


def _moved(calendar: BusinessCalendar, day: date, days: int) -> date:
    return calendar.add(day, days) if days >= 0 else calendar.back(day, -days)
