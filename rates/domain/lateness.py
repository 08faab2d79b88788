"""How late restocks and parcels really run, learned from what happened.

A window is dated from the merchant's ETAs and the carriers' configured transit days. The
store knows how those held (`rates.domain.history`): each received lot's lateness against
its promised latest day, in business days of the location that received it, and each
delivered parcel's transit, in delivery days of its carrier at the destination, by lane
(carrier, service, origin location, destination region).

Little data must not make wild promises, so each supplier's and lane's evidence is
blended with what the configuration already says, as a mixture: with `n` observations
and a shrink of `k`, the empirical distribution weighs n / (n + k) and the configured
range, spread evenly, the rest (k / (n + k)). The configured range for a lot is its ETA
(on time means on or before its latest day); for a parcel, the service's transit days.
With k = 20, twenty lots count as much as the ETA does; two hundred, ten times as much.

The model is built once per setup from the store's counts (`Observations`), like the
calendars: quoting reads its tables, never the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import NamedTuple

from rates.domain.calendar import BusinessCalendar

DEFAULT_SHRINK = 20
"""Observations that weigh as much as the configured range (k of n / (n + k))."""

TOLERANCE = 1e-9
"""How far sums of float weights may fall short: 0.9 must reach a target of 0.9."""


@dataclass(frozen=True, slots=True)
class Spread:
    """A distribution over whole days: the day is `low + i` with probability `weights[i]`
    (the weights add up to 1)."""

    low: int
    weights: tuple[float, ...]

    @classmethod
    def on(cls, day: int) -> Spread:
        return cls(day, (1.0,))

    @classmethod
    def even(cls, low: int, high: int) -> Spread:
        """Every day from `low` to `high` alike."""
        size = high - low + 1
        return cls(low, (1.0 / size,) * size)

    @classmethod
    def counted(cls, counts: Mapping[int, int]) -> Spread:
        """The empirical distribution of `counts` (day -> observations)."""
        low, high, total = min(counts), max(counts), sum(counts.values())
        return cls(low, tuple(counts.get(day, 0) / total for day in range(low, high + 1)))

    @property
    def high(self) -> int:
        return self.low + len(self.weights) - 1

    def between(self, low: int, high: int) -> float:
        """The probability of a day from `low` to `high` (both included)."""
        start, end = max(low - self.low, 0), min(high - self.low, len(self.weights) - 1)
        return sum(self.weights[start:end + 1]) if start <= end else 0.0

    def mode(self) -> int:
        """The most likely day (the earliest of equals)."""
        return self.low + max(range(len(self.weights)), key=self.weights.__getitem__)

    def quantile(self, share: float) -> int:
        """The first day by which `share` of the weight has come."""
        for index, reached in enumerate(accumulate(self.weights)):
            if reached >= share - TOLERANCE:
                return self.low + index
        return self.high

    def shifted(self, days: int) -> Spread:
        return Spread(self.low + days, self.weights)

    def blended(self, prior: Spread, weight: float) -> Spread:
        """`weight` of this distribution and the rest of `prior`, as one mixture."""
        low = min(self.low, prior.low)
        high = max(self.high, prior.high)
        return Spread(low, tuple(weight * self._at(day) + (1 - weight) * prior._at(day)
                                 for day in range(low, high + 1)))

    def plus(self, other: Spread) -> Spread:
        """The distribution of the sum of two independent days."""
        weights = [0.0] * (len(self.weights) + len(other.weights) - 1)
        for i, mine in enumerate(self.weights):
            if mine:
                for j, theirs in enumerate(other.weights):
                    weights[i + j] += mine * theirs
        return Spread(self.low + other.low, tuple(weights))

    def latest_with(self, other: Spread) -> Spread:
        """The distribution of the later of two independent days."""
        low, high = max(self.low, other.low), max(self.high, other.high)
        below = [self._up_to(day) * other._up_to(day) for day in range(low - 1, high + 1)]
        return Spread(low, tuple(b - a for a, b in zip(below, below[1:], strict=False)))

    def _at(self, day: int) -> float:
        index = day - self.low
        return self.weights[index] if 0 <= index < len(self.weights) else 0.0

    def _up_to(self, day: int) -> float:
        return self.between(self.low, day)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What history says of one supplier or lane: `count` observations, their `median`
    day (the lower median), and their distribution."""

    count: int
    median: int
    spread: Spread

    @classmethod
    def of(cls, counts: Mapping[int, int]) -> Evidence:
        spread = Spread.counted(counts)
        return cls(sum(counts.values()), spread.quantile(0.5), spread)

    def after(self, day: int) -> float:
        """The share of observations after `day`: a supplier's lots late (after 0), a
        lane's parcels slower than configured (after its maximum)."""
        return self.spread.between(day + 1, self.spread.high)

    def weight(self, shrink: int) -> float:
        """n / (n + k): how much the evidence counts against the configured range."""
        return self.count / (self.count + shrink)


class Lane(NamedTuple):
    """Where a parcel went: `destination` is "US-CA" (country and region) or "US"."""

    carrier: str
    service: str
    origin: str
    destination: str


def destination_of(country: str, region: str | None) -> str:
    """A lane's destination: the country and region a delivery calendar is kept for."""
    return f"{country}-{region}" if region else country


@dataclass(frozen=True, slots=True)
class Observations:
    """What the store recorded, counted: per supplier, lots by their lateness (business
    days of the receiving location after the promised latest day; negative when early);
    per lane, delivered parcels by their transit (delivery days after the day they
    shipped)."""

    suppliers: Mapping[str, Mapping[int, int]]
    lanes: Mapping[Lane, Mapping[int, int]]

    def __bool__(self) -> bool:
        return bool(self.suppliers or self.lanes)


NO_OBSERVATIONS = Observations({}, {})


class LatenessModel:
    """Each supplier's and lane's `Evidence`, worked out once from `observations`."""

    __slots__ = ("suppliers", "lanes", "shrink")

    def __init__(self, observations: Observations, shrink: int = DEFAULT_SHRINK) -> None:
        self.suppliers = {name: Evidence.of(counts)
                          for name, counts in observations.suppliers.items() if counts}
        self.lanes = {lane: Evidence.of(counts)
                      for lane, counts in observations.lanes.items() if counts}
        self.shrink = shrink

    def __bool__(self) -> bool:
        return bool(self.suppliers or self.lanes)

    def restock(self, supplier: str | None, promised: int) -> tuple[Spread, Evidence | None]:
        """The lateness of a restock whose ETA spans `promised` business days before its
        latest: uniform over the ETA, blended with the supplier's history."""
        prior = Spread.even(-promised, 0)
        evidence = None if supplier is None else self.suppliers.get(supplier)
        if evidence is None:
            return prior, None
        return evidence.spread.blended(prior, evidence.weight(self.shrink)), evidence

    def transit(self, lane: Lane, configured: tuple[int, int],
                ) -> tuple[Spread, Evidence | None]:
        """How many delivery days after the configured maximum a parcel of `lane` lands:
        uniform over the configured days, blended with the lane's history."""
        prior = self.committed(configured)
        evidence = self.lanes.get(lane)
        if evidence is None:
            return prior, None
        return (evidence.spread.shifted(-configured[1]).blended(
            prior, evidence.weight(self.shrink)), evidence)

    @staticmethod
    def committed(configured: tuple[int, int]) -> Spread:
        """A guaranteed service's transit: its configured days, evenly, whatever its
        lane's history says."""
        low, high = configured
        return Spread.even(low - high, 0)


@dataclass(frozen=True, slots=True)
class Confidence:
    """How likely a window is to hold: `probability` that delivery falls inside it, and
    the `likely` day. `offsets` spreads the delivery day in business days of `calendar`
    after `anchor` (the window's latest day before any widening), which is what an option
    of several shipments reads to ask the same of its own window (`inside`)."""

    probability: float
    likely: date
    offsets: Spread
    anchor: date
    calendar: BusinessCalendar

    def inside(self, earliest: date, latest: date) -> float:
        """The probability of delivery from `earliest` to `latest`."""
        return self.offsets.between(self.calendar.count(self.anchor, earliest),
                                    self.calendar.count(self.anchor, latest))


@dataclass(frozen=True, slots=True)
class Calibrated:
    """The step that weighed a window against history: `before` is the probability of
    the window as dated, `probability` after its latest day moved `widened` delivery days
    later to reach `target` (None: no target). `suppliers` and `lane` are the evidence
    that counted (a supplier or lane with none is not named)."""

    probability: float
    before: float
    target: float | None
    widened: int
    likely: date
    suppliers: tuple[tuple[str, Evidence], ...]
    lane: tuple[Lane, Evidence] | None
    transit: tuple[int, int]

    @property
    def kind(self) -> str:
        return "confidence"


def option_confidence(confidences: Iterable[Confidence | None], earliest: date,
                      latest: date) -> tuple[float, date] | None:
    """(probability, likely day) of an option whose shipments have these confidences, for
    its window from `earliest` to `latest`: every shipment inside it, taken as
    independent. A shipment with none (no history for its suppliers or lane) is held to
    its configured window, which lies inside the option's. The likely day is the last
    weighed shipment's. None when no shipment was weighed."""
    probability, likely = 1.0, None
    for confidence in confidences:
        if confidence is not None:
            probability *= confidence.inside(earliest, latest)
            likely = confidence.likely if likely is None else max(likely, confidence.likely)
    return None if likely is None else (probability, likely)
