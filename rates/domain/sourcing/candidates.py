"""The sourcings worth pricing for one service under `fastest` (and `cheapest`), found
with bounded work instead of trying every way to split the cart.

For one service, a unit's arrival is the delivery window of a shipment of it alone, from
its supply's location and ready date: latest delivery never moves earlier when the ready
date moves later, and an option's latest delivery is the latest of its units' arrivals
under every plan (a shipment waits for its last unit). So the allocation that takes each
SKU's supplies in order of arrival, on-hand units always, backorders up to the SKU's
limit and the supplier's lead time only beyond every lot, reaches the earliest possible
latest delivery, T: no other such sourcing of the same units arrives wholly before it.
Equal arrivals go to the location earlier in `priority`.

Splitting over many locations may cost shipments for nothing, so one more candidate
is tried: the first single location (in `priority`: the checkout's origin, then nearest
first), else the first pair, whose own supplies deliver the same units by T with no more
backorders (no shelf left for a restock, no lot left for the supplier). Cost, for L
locations, N lines and K supplies per SKU and location: one sort of each SKU's supplies,
one allocation, then at most L + L(L-1)/2 set checks of N SKUs, of which only the
locations that pass are allocated (N lines each). No enumeration of the L^N ways to
split a cart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from rates.domain.plans import Plan
from rates.domain.stock import (
    DateRange,
    LineAllocation,
    SkuStock,
    Source,
    Supply,
    SupplyOrder,
    allocate,
    check_locations,
    supplies,
)
from rates.domain.tables import Bounded, Numbers

Arrival = Callable[[Supply], DateRange | None]
"""When a supply's units would be delivered by one service; None: it cannot carry them."""

Lines = Sequence[tuple[str, int, SkuStock]]
Offered = Mapping[str, Sequence[Supply]]
"""Each SKU's supplies (`rates.domain.stock.supplies`), listed once per quote."""


def offered(lines: Lines, today: Mapping[str, date], priority: Sequence[str]) -> Offered:
    """Raises `InvalidRequest` for stock at a location `today` does not know."""
    check_locations(lines, today)
    return {sku: supplies(stock, today, priority) for sku, _, stock in lines}


def no_choice(offered: Offered) -> bool:
    """Whether every SKU's supplies are at one location, its lots in the same order by
    earliest and by latest ETA: then every service's arrival order is the merchant's
    priority order, and `fastest` is the plain allocation (most merchants ship from one
    warehouse; they pay nothing for the strategy)."""
    for found in offered.values():
        if len({supply.location for supply in found}) > 1:
            return False
        etas = sorted(s.ready for s in found if s.source is Source.INBOUND)
        if any(a.latest > b.latest for a, b in zip(etas, etas[1:], strict=False)):
            return False
    return True


Ranked = Mapping[str, list[tuple[Supply, DateRange | None]]]
"""Each SKU's supplies with their arrivals, in the order a cart takes them."""

Ranking = tuple[tuple[int, DateRange | None], ...]
"""One SKU's supplies in the order a cart takes them: each one's position in the SKU's
list of supplies, and its arrival."""

RANKINGS_LIMIT = 512
"""How many SKUs' rankings a setup keeps (carts, destinations and order days come without
end)."""


class Rankings(Bounded[tuple[int, int], Ranking]):
    """The rankings of `by_arrival` that a setup's quotes worked out, for the next ones:
    the same SKUs ship to the same places, from the same shelves and restocks, every day.

    A ranking is a function of the arrivals (what they depend on beyond the setup, as
    `Shipping.arrival_key` says: the service, the destination, when units on hand start at
    each location, and the order of locations) and of the SKU's supplies' places, sources
    and ready dates, so it is kept under the numbers of those (`Searched.arrivals`,
    `Searched.supplies`). It holds positions, not supplies: a quote's supplies carry its
    own lots.
    """

    __slots__ = ()

    def __init__(self, limit: int = RANKINGS_LIMIT) -> None:
        super().__init__(limit)


CARTS_LIMIT = 64
"""How many carts a setup keeps the candidates of (each holds its lines' stock)."""


@dataclass(slots=True)
class Searched:
    """What a setup's `fastest` searches worked out, for its next quotes: the numbers of
    the arrivals, SKU supplies and carts it met (`rates.domain.tables.Numbers`), each
    SKU's supplies ranked by arrival, and each cart's candidates for each arrivals. A
    checkout asks again for the same cart as the shopper moves through it: its candidates
    are a function of the cart's lines and their stock, the order of locations, each
    location's day, and the arrivals, so they are kept under the cart's number and the
    arrivals'. So are each candidate's plans, under the candidate itself: the same
    candidate is the same allocation of the same cart, in the same order of locations."""

    arrivals: Numbers = field(default_factory=lambda: Numbers(RANKINGS_LIMIT))
    supplies: Numbers = field(default_factory=lambda: Numbers(RANKINGS_LIMIT))
    carts: Numbers = field(default_factory=lambda: Numbers(CARTS_LIMIT))
    rankings: Rankings = field(default_factory=Rankings)
    candidates: Bounded[tuple[int, int], list[tuple[LineAllocation, ...]]] = field(
        default_factory=lambda: Bounded(CARTS_LIMIT * 4))
    plans: Bounded[int, tuple[tuple[LineAllocation, ...], object, tuple[Plan, ...]]] = field(
        default_factory=lambda: Bounded(CARTS_LIMIT * 4))
    """(a candidate, the plan policy, its plans) by the candidate's id: the entry holds
    the candidate, so no other object can take its id while it is kept."""


@dataclass(slots=True)
class Search:
    """What one quote's searches (one per group of services that order supplies alike)
    share: the setup's rankings, and each SKU's supplies by their number there; the
    allocation of each order of supplies tried (most services order them alike, and then
    allocate alike); the candidates of each order and arrival days (services of
    different carriers often deliver on the same days)."""

    rankings: Rankings
    supplies: Mapping[str, int]
    allocated: dict[tuple[int, ...], tuple[LineAllocation, ...]] = field(default_factory=dict)
    found: dict[tuple[object, ...], list[tuple[LineAllocation, ...]]] = field(
        default_factory=dict)

    @classmethod
    def of(cls, offered: Offered, searched: Searched) -> Search:
        """A quote's search on the setup's tables: each SKU's supplies numbered once, by
        their places, sources and ready dates (what a ranking depends on)."""
        # Dates, not DateRanges, in the key: they hash in C.
        return cls(searched.rankings, {
            sku: searched.supplies(tuple((s.location, s.source, s.ready.earliest,
                                          s.ready.latest) for s in found))
            for sku, found in offered.items()})


def by_arrival(lines: Lines, priority: Sequence[str], offered: Offered,
               arrival: Arrival, search: Search | None = None,
               arrivals: int = 0) -> Ranked:
    """Each SKU's supplies, earliest arrival first: then on hand before backordered (a
    unit on a shelf never waits for a restock that arrives no sooner), then `priority`.
    The supplier's lead time comes after every lot, since it is for units beyond those
    already inbound; a supply the service cannot carry goes after the others of its kind,
    used only when nothing else is left. With `search`, each SKU's ranking is looked up
    in the setup's first, under `arrivals`: the number of what `arrival`'s dates and
    `priority` depend on (`Searched.arrivals`)."""
    rank = {location: i for i, location in enumerate(priority)}
    check_locations(lines, rank)
    ranked: dict[str, list[tuple[Supply, DateRange | None]]] = {}
    for sku, _, _ in lines:
        if sku not in ranked:
            found = offered[sku]
            if search is None:
                ranking = _ranking(found, arrival, rank)
            else:
                kept, key = search.rankings, (arrivals, search.supplies[sku])
                ranking = kept.get(key) or kept.keep(key, _ranking(found, arrival, rank))
            ranked[sku] = [(found[i], arrives) for i, arrives in ranking]
    return ranked


def _ranking(found: Sequence[Supply], arrival: Arrival, rank: Mapping[str, int]) -> Ranking:
    entries = [(i, supply, arrival(supply)) for i, supply in enumerate(found)]
    entries.sort(key=lambda item: (item[1].source is Source.LEAD_TIME, item[2] is None,
                                   item[2] and item[2].latest, item[2] and item[2].earliest,
                                   item[1].backordered, rank[item[1].location]))
    return tuple((i, arrives) for i, _, arrives in entries)


def fastest(lines: Lines, priority: Sequence[str], today: Mapping[str, date],
            offered: Offered, arrival: Arrival, search: Search | None = None,
            arrivals: int = 0) -> list[tuple[LineAllocation, ...]]:
    """The earliest-arriving allocation and, when one location or two can deliver the
    same units as early, that one too (see the module docstring). `search` and
    `arrivals`: as `by_arrival`'s; the search also keeps what this quote's other
    services found."""
    ranked = by_arrival(lines, priority, offered, arrival, search, arrivals)
    order = tuple(id(supply) for entries in ranked.values() for supply, _ in entries)
    if search is None:
        return _candidates(lines, priority, today, ranked, order, {})
    # The candidates depend on the order of supplies and the days they arrive, no more.
    days = tuple(arrives and arrives.latest for entries in ranked.values()
                 for _, arrives in entries)
    found = search.found.get((order, days))
    if found is None:
        found = search.found[(order, days)] = _candidates(lines, priority, today, ranked,
                                                          order, search.allocated)
    return found


def _candidates(lines: Lines, priority: Sequence[str], today: Mapping[str, date],
                ranked: Ranked, order: tuple[int, ...],
                allocated: dict[tuple[int, ...], tuple[LineAllocation, ...]],
                ) -> list[tuple[LineAllocation, ...]]:
    best = allocated.get(order)
    if best is None:
        best = allocated[order] = allocate(lines, priority, today, _order(ranked))
    latest = _latest(best, ranked)
    used = {a.location for line in best for a in line.allocations}
    if latest is None or len(used) <= 1:
        return [best]
    fewer = _fewer_locations(lines, priority, today, ranked, best, latest, len(used) - 1,
                             allocated)
    return [best] if fewer is None else [best, fewer]


def _order(ranked: Ranked, within: frozenset[str] | None = None) -> SupplyOrder:
    def order(stock: SkuStock) -> list[Supply]:
        return [supply for supply, _ in ranked[stock.sku]
                if within is None or supply.location in within]
    return order


def _latest(lines: tuple[LineAllocation, ...], ranked: Ranked) -> date | None:
    """The latest arrival among the allocated units; None if a service cannot carry one."""
    # Dates, not DateRanges, in the keys: they hash in C.
    arrivals = {(supply.location, supply.source, supply.ready.earliest, supply.ready.latest):
                arrives for line in lines for supply, arrives in ranked[line.sku]}
    latest: date | None = None
    for line in lines:
        for a in line.allocations:
            arrives = arrivals[(a.location, a.source, a.ready.earliest, a.ready.latest)]
            if arrives is None:
                return None
            latest = arrives.latest if latest is None else max(latest, arrives.latest)
    return latest


def _fewer_locations(lines: Lines, priority: Sequence[str], today: Mapping[str, date],
                     ranked: Ranked, best: tuple[LineAllocation, ...], latest: date,
                     most: int, allocated: dict[tuple[int, ...], tuple[LineAllocation, ...]],
                     ) -> tuple[LineAllocation, ...] | None:
    """The first single location, else pair (at most `most` locations), in `priority`
    order, whose supplies arriving by `latest` deliver every unit `best` does."""
    wanted = {line.sku for line in best if line.allocations}
    reach: dict[str, set[str]] = {location: set() for location in priority}
    for sku, entries in ranked.items():
        for supply, arrives in entries:
            if arrives is not None and arrives.latest <= latest:
                reach[supply.location].add(sku)
    supplied = [line.quantity - line.unavailable for line in best]
    waits = _waiting(best)
    for size in range(1, min(most, 2) + 1):
        for group in combinations(priority, size):
            if not wanted <= set().union(*(reach[location] for location in group)):
                continue
            within = frozenset(group)
            order = tuple(id(supply) for entries in ranked.values() for supply, _ in entries
                          if supply.location in within)
            trial = allocated.get(order)
            if trial is None:
                trial = allocated[order] = allocate(lines, priority, today,
                                                    _order(ranked, within))
            if ([line.quantity - line.unavailable for line in trial] == supplied
                    and _waits_no_more(_waiting(trial), waits)):
                last = _latest(trial, ranked)
                if last is not None and last <= latest:
                    return trial
    return None


def _waiting(lines: tuple[LineAllocation, ...]) -> dict[tuple[str, Source], int]:
    """Units per SKU that wait for a restock or for the supplier."""
    waits: dict[tuple[str, Source], int] = {}
    for line in lines:
        for a in line.allocations:
            if a.source is not Source.ON_HAND:
                waits[(a.sku, a.source)] = waits.get((a.sku, a.source), 0) + a.quantity
    return waits


def _waits_no_more(trial: dict[tuple[str, Source], int],
                   best: dict[tuple[str, Source], int]) -> bool:
    """Whether fewer locations cost no extra backorder: a shelf left for a restock, or a
    lot left for the supplier (who is asked only beyond every lot)."""
    backordered = {sku for sku, _ in trial}
    return all(
        trial.get((sku, Source.LEAD_TIME), 0) <= best.get((sku, Source.LEAD_TIME), 0)
        and (trial.get((sku, Source.INBOUND), 0) + trial.get((sku, Source.LEAD_TIME), 0)
             <= best.get((sku, Source.INBOUND), 0) + best.get((sku, Source.LEAD_TIME), 0))
        for sku in backordered)
