"""How well past promises held: delivered shipments measured against the window promised.

A promise is kept when the parcel arrived inside its promised delivery window, both ends
inclusive (`earliest <= delivered <= latest`); early and late are counted apart, because
a parcel that came early still broke the window a customer planned around. Lateness is
`delivered - promised latest` in calendar days (negative: early; 0: on the last day),
since that is how a customer counts a wait.

Quantiles use the nearest-rank method: the p-quantile of n sorted values is the value of
rank ceil(p * n) (1-based). It always picks a day that really happened (never an average
of two), so a median of [-1, 0, 2, 5] is 0 and its P90 is 5, which a person can check by
counting. A median here is therefore the lower middle of an even count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import ceil
from typing import TypeVar

from rates.domain.stock import DateRange


@dataclass(frozen=True, slots=True, order=True)
class ShipmentKey:
    """Shipment `number` (from 1, as the order document numbers them) of order `order`."""

    order: str
    number: int


@dataclass(frozen=True, slots=True)
class DeliveredShipment:
    """One delivered shipment and what was promised for it.

    `delivered` is the calendar date of the delivered event's instant in that instant's own
    UTC offset, as the sender gave it (the carrier's local time, normally): converting to
    another zone could move a 23:00 delivery to the next day. `ordered` is the order's date
    read the same way. `carrier` and `service` are the ones that carried it (the promise's,
    unless the parcel went otherwise). `suppliers` are the distinct suppliers of its
    backordered units (empty: every unit was on hand, or nobody named the supplier).
    """

    key: ShipmentKey
    plan: str
    carrier: str
    service: str
    suppliers: tuple[str, ...]
    promised: DateRange
    delivered: date
    ordered: date

    @property
    def inside(self) -> bool:
        return self.promised.earliest <= self.delivered <= self.promised.latest

    @property
    def lateness(self) -> int:
        """Calendar days after the promised latest (negative: before it)."""
        return (self.delivered - self.promised.latest).days

    @property
    def carrier_service(self) -> str:
        return f"{self.carrier}/{self.service}"


def nearest_rank(values: Sequence[int], p: Fraction) -> int | None:
    """The p-quantile (0 < p <= 1) by nearest rank: the ceil(p * n)-th smallest value;
    None for no values. `p` is a Fraction so that 0.9 * 10 is exactly 9."""
    if not 0 < p <= 1:
        raise ValueError(f"a quantile's p is in (0, 1], not {p}")
    if not values:
        return None
    return sorted(values)[ceil(p * len(values)) - 1]


MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


@dataclass(frozen=True, slots=True)
class Held:
    """How a set of delivered shipments held their windows: `inside + early + late ==
    shipments`; lateness quantiles by nearest rank (None with no shipment)."""

    shipments: int
    inside: int
    early: int
    late: int
    median_lateness: int | None
    p90_lateness: int | None

    @property
    def share(self) -> float | None:
        """The share delivered inside the window (0..1); None with no shipment."""
        return self.inside / self.shipments if self.shipments else None


def held(shipments: Sequence[DeliveredShipment]) -> Held:
    lateness = [s.lateness for s in shipments]
    inside = sum(s.inside for s in shipments)
    late = sum(days > 0 for days in lateness)
    return Held(len(shipments), inside, len(shipments) - inside - late, late,
                nearest_rank(lateness, MEDIAN), nearest_rank(lateness, P90))


@dataclass(frozen=True, slots=True)
class Row:
    """One supplier's, service's or plan's figures."""

    name: str
    held: Held


@dataclass(frozen=True, slots=True)
class Week:
    """The shipments delivered in one ISO week (`year`, `week`): how many held, and the
    mean days from the order's date to the promised latest (`promised_days`) and to the
    delivery (`actual_days`): the promise's length against the wait it turned into."""

    year: int
    week: int
    shipments: int
    inside: int
    promised_days: float
    actual_days: float

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def share(self) -> float:
        return self.inside / self.shipments


@dataclass(frozen=True, slots=True)
class Widened:
    """What other latest dates would have done (`rates.app.calibration.widened_latest`:
    what a `target_confidence` would have promised): of `shipments`, `inside` would
    have been delivered inside [earliest, widened latest]; the windows would have been
    `mean_days_added` calendar days longer on average over every delivered shipment (one
    not widened adds 0)."""

    shipments: int
    inside: int
    mean_days_added: float

    @property
    def share(self) -> float | None:
        return self.inside / self.shipments if self.shipments else None


@dataclass(frozen=True, slots=True)
class AccuracyReport:
    """The figures of `accuracy_report`. Rows are sorted by name. A shipment counts in
    the row of each of its suppliers; one with no supplier (all on hand, or not named)
    counts overall, by service and by plan, but in no supplier's row. `widened` is None
    unless other latest dates were given."""

    overall: Held
    by_supplier: tuple[Row, ...]
    by_service: tuple[Row, ...]
    by_plan: tuple[Row, ...]
    weeks: tuple[Week, ...]
    widened: Widened | None = None


def accuracy_report(shipments: Sequence[DeliveredShipment],
                    widened: Iterable[tuple[ShipmentKey, date]] | None = None,
                    ) -> AccuracyReport:
    """The report of `shipments`. `widened`: (shipment, later latest date) pairs to measure
    instead of the promised latest; a key not among `shipments`, named twice, or a date
    before the promised latest is a ValueError (widening never shortens a window)."""
    by_supplier: dict[str, list[DeliveredShipment]] = defaultdict(list)
    for shipment in shipments:
        for supplier in shipment.suppliers:
            by_supplier[supplier].append(shipment)
    return AccuracyReport(
        held(shipments), _rows(by_supplier),
        _rows(_grouped(shipments, lambda s: s.carrier_service)),
        _rows(_grouped(shipments, lambda s: s.plan)), _weeks(shipments),
        None if widened is None else _widened(shipments, widened))


Key = TypeVar("Key", str, tuple[int, int])


def _grouped(shipments: Iterable[DeliveredShipment], key: Callable[[DeliveredShipment], Key],
             ) -> dict[Key, list[DeliveredShipment]]:
    groups: dict[Key, list[DeliveredShipment]] = defaultdict(list)
    for shipment in shipments:
        groups[key(shipment)].append(shipment)
    return groups


def _rows(groups: dict[str, list[DeliveredShipment]]) -> tuple[Row, ...]:
    return tuple(Row(name, held(groups[name])) for name in sorted(groups))


def _weeks(shipments: Iterable[DeliveredShipment]) -> tuple[Week, ...]:
    weeks = _grouped(shipments, lambda s: (s.delivered.isocalendar().year,
                                           s.delivered.isocalendar().week))
    return tuple(
        Week(year, week, len(group), sum(s.inside for s in group),
             _mean([(s.promised.latest - s.ordered).days for s in group]),
             _mean([(s.delivered - s.ordered).days for s in group]))
        for (year, week), group in sorted(weeks.items()))


def _widened(shipments: Sequence[DeliveredShipment],
             latest: Iterable[tuple[ShipmentKey, date]]) -> Widened:
    promised = {s.key: s for s in shipments}
    later: dict[ShipmentKey, date] = {}
    for key, day in latest:
        shipment = promised.get(key)
        if shipment is None:
            raise ValueError(f"no delivered shipment {key.number} of order {key.order}")
        if key in later:
            raise ValueError(f"shipment {key.number} of order {key.order} widened twice")
        if day < shipment.promised.latest:
            raise ValueError(f"shipment {key.number} of order {key.order}: {day} is before "
                             f"its promised latest {shipment.promised.latest}")
        later[key] = day
    inside = sum(s.promised.earliest <= s.delivered <= later.get(s.key, s.promised.latest)
                 for s in shipments)
    added = [(later[s.key] - s.promised.latest).days if s.key in later else 0
             for s in shipments]
    return Widened(len(shipments), inside, _mean(added) if shipments else 0.0)


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values)
