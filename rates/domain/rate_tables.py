"""Table rates: a carrier service's price by carrier zone and shipment weight.

A zone's table is a list of breakpoints in ascending weight; a shipment pays the price of
the last breakpoint at or below its weight (so the first row must start at 0 g). Above the
last breakpoint, `per_extra_kg` is added for every started kilogram, when given; a shipment
heavier than `max_grams` cannot go by this service at all. The quote's pricing stage
(`rates.domain.quote.pricing`) asks them for a table carrier's shipments, and for a live
carrier's when it gave no good answer (the fallback).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from rates.domain.money import Money
from rates.domain.tables import Bounded

PRICED_LIMIT = 512
"""How many (zone, weight) answers a table keeps: carts bring weights without end."""


@dataclass(frozen=True, slots=True)
class RateBand:
    """The price for shipments from `from_grams` up to the next band's start."""

    from_grams: int
    price: Money


class Priced(NamedTuple):
    """A rate-table answer: the price, or None with the reason the service cannot carry it.
    (A NamedTuple: a quote prices a hundred shipments.)"""

    price: Money | None
    detail: str


@dataclass(frozen=True, slots=True)
class RateTable:
    zones: Mapping[str, tuple[RateBand, ...]]
    max_grams: int | None = None
    per_extra_kg: Money | None = None
    _starts: Mapping[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _priced: Bounded[tuple[str, int], Priced] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Each zone's breakpoints, searched by every price lookup of every quote.
        object.__setattr__(self, "_starts", {zone: tuple(band.from_grams for band in bands)
                                             for zone, bands in self.zones.items()})
        object.__setattr__(self, "_priced", Bounded(PRICED_LIMIT))

    def price(self, zone: str, grams: int) -> Priced:
        """The price of a shipment weighing `grams` in `zone`, or why there is none;
        worked out once per table, zone and weight (a setup's quotes ask the same
        ones again and again)."""
        found = self._priced.get((zone, grams))
        if found is None:
            found = self._priced.keep((zone, grams), self._price(zone, grams))
        return found

    def _price(self, zone: str, grams: int) -> Priced:
        bands = self.zones.get(zone)
        if not bands:
            return Priced(None, f"no rates for zone {zone}")
        if self.max_grams is not None and grams > self.max_grams:
            return Priced(None, f"{_kg(grams)} is over the {_kg(self.max_grams)} limit")
        index = bisect_right(self._starts[zone], grams) - 1
        if index < 0:
            return Priced(None, f"no rate for {_kg(grams)} in zone {zone}")
        band = bands[index]
        price = band.price
        detail = f"zone {zone} {_kg(grams)}: {price.amount}"
        if index == len(bands) - 1 and self.per_extra_kg is not None and grams > band.from_grams:
            extra_kg = -(-(grams - band.from_grams) // 1000)
            price = price + self.per_extra_kg.times(extra_kg)
            detail = (f"zone {zone} {_kg(grams)}: {band.price.amount} "
                      f"+ {extra_kg} kg x {self.per_extra_kg.amount} = {price.amount}")
        return Priced(price, detail)


def _kg(grams: int) -> str:
    return f"{grams / 1000:g} kg"
