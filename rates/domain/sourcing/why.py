"""Why each line of an option comes from where it does: the places its units come from,
when the option's service would deliver them, and the best place it did not use, for the
trace ("newark: on hand, arrives Tue Nov 24 - Wed Nov 25; reno would arrive Fri Nov 27 -
Tue Dec 1"). Facts, not sentences: the API and the support console word them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rates.domain.sourcing.candidates import Arrival, Lines, Offered
from rates.domain.sourcing.strategy import Strategy
from rates.domain.stock import DateRange, LineAllocation, Source, Supply


@dataclass(frozen=True, slots=True)
class Place:
    """`quantity` units (0: none taken) from `source` at `location`, which the option's
    service would deliver within `arrives` if they shipped alone (None: it cannot carry
    them from there); `km` from the destination when known."""

    location: str
    source: Source
    quantity: int
    arrives: DateRange | None
    km: float | None = None


@dataclass(frozen=True, slots=True)
class LineSourcing:
    """How `strategy` sourced one line (`sku`): where its units come from, and the best
    location it did not use (None when no other location has any)."""

    sku: str
    strategy: Strategy
    taken: tuple[Place, ...]
    instead: Place | None


def reasons(lines: Lines, allocated: Sequence[LineAllocation], offered: Offered,
            arrival: Arrival, km: Mapping[str, float], strategy: Strategy,
            ) -> tuple[LineSourcing, ...]:
    """One `LineSourcing` per line that had a choice: another location could supply it,
    or it is split over several. A lead time with no location of its own is not another
    location's supply: it goes wherever the cart is sourced."""
    found = []
    for (sku, _, stock), line in zip(lines, allocated, strict=True):
        used = {a.location for a in line.allocations}
        others = [(arrival(s), s) for s in offered[sku] if s.location not in used
                  and (s.source is not Source.LEAD_TIME or stock.lead_time_location)]
        if not others and len(used) < 2:
            continue
        taken = tuple(Place(a.location, a.source, a.quantity,
                            arrival(Supply(a.location, a.source, a.ready)), km.get(a.location))
                      for a in line.allocations)
        instead = None
        if others:
            arrives, supply = min(others, key=lambda o: (o[0] is None, o[0] and o[0].latest,
                                                         o[0] and o[0].earliest,
                                                         o[1].backordered))
            instead = Place(supply.location, supply.source, 0, arrives, km.get(supply.location))
        found.append(LineSourcing(sku, strategy, taken, instead))
    return tuple(found)
