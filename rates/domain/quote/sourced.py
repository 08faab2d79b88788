"""The sourcings one quote prices, per its strategy (`rates.domain.sourcing`).

`priority` and `nearest` each give one allocation of the cart, in an order of locations.
`fastest` gives, for each group of offered services that order supplies alike, the
earliest-arriving allocation and perhaps one from fewer locations (`candidates.fastest`),
or the plain allocation when no SKU has a choice of location; `cheapest` prices the same
candidates for every service, with the nearest allocation besides. The pipeline then keeps, for each
plan and service, the option of the candidate that the strategy ranks best. Candidates
that allocate alike are priced once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rates.domain.cart import QuoteRequest
from rates.domain.catalog import Catalog, Service
from rates.domain.exchange import Conversion
from rates.domain.plans import Plan, PlanKind, build_plans
from rates.domain.policy import Ruleset
from rates.domain.quote.cart_facts import CartFacts
from rates.domain.quote.pricing import Shipping
from rates.domain.sourcing.candidates import (
    Offered,
    Search,
    Searched,
    fastest,
    no_choice,
    offered,
)
from rates.domain.sourcing.nearest import Distance, distances
from rates.domain.sourcing.strategy import Strategy
from rates.domain.sourcing.why import LineSourcing, reasons
from rates.domain.stock import Allocation, LineAllocation, SkuStock, Source, allocate


@dataclass(frozen=True, slots=True, init=False)
class Sourcing:
    """One allocation of the cart with its plans and cart facts; `services` are the
    service keys it is a candidate for (None: every one)."""

    lines: tuple[LineAllocation, ...]
    plans: tuple[Plan, ...]
    cart: CartFacts
    services: frozenset[str] | None = None
    from_nearest: bool = True

    def __init__(self, lines: tuple[LineAllocation, ...], plans: tuple[Plan, ...], cart: CartFacts,
                 services: frozenset[str] | None = None, *, from_nearest: bool = True) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "plans", plans)
        object.__setattr__(self, "cart", cart)
        object.__setattr__(self, "services", services)
        object.__setattr__(self, "from_nearest", from_nearest)

    def plan(self, kind: PlanKind) -> Plan | None:
        return next((plan for plan in self.plans if plan.kind is kind), None)

    def serves(self, service: str) -> bool:
        return self.services is None or service in self.services


@dataclass(frozen=True, slots=True, init=False)
class Sourcings:
    """A quote's sourcings (none when nothing in the cart can be supplied), the lines as
    the first of them allocates them (what is unavailable is the same in all), the
    locations' distances to the destination, nearest first (the trace and the rules read
    them under every strategy), and each SKU's supplies."""

    lines: tuple[LineAllocation, ...]
    all: tuple[Sourcing, ...]
    distances: tuple[Distance, ...]
    offered: Offered

    def __init__(self, lines: tuple[LineAllocation, ...], all: tuple[Sourcing, ...],
                 distances: tuple[Distance, ...], offered: Offered) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "all", all)
        object.__setattr__(self, "distances", distances)
        object.__setattr__(self, "offered", offered)

    @property
    def km(self) -> dict[str, float]:
        """The distances known by coordinates, by location."""
        return {d.location: d.km for d in self.distances if d.km is not None}


class Reasons:
    """Why each line of an option comes from where it does (`why.reasons`), worked out
    once per sourcing and service, which every plan of the sourcing shares."""

    def __init__(self, request: QuoteRequest, strategy: Strategy, offered: Offered,
                 km: Mapping[str, float], shipping: Shipping) -> None:
        self._lines = _lines(request)
        self._strategy = strategy
        self._offered = offered
        self._km = km
        self._shipping = shipping
        self._found: dict[tuple[int, str], tuple[LineSourcing, ...]] = {}

    def __call__(self, sourcing: Sourcing, service: Service) -> tuple[LineSourcing, ...]:
        key = (id(sourcing), service.key)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = reasons(
                self._lines, sourcing.lines, self._offered, self._shipping.arrival_by(service),
                self._km, self._strategy)
        return found


def source(request: QuoteRequest, catalog: Catalog, ruleset: Ruleset, strategy: Strategy,
           priority: Sequence[str], today: Mapping[str, date], zone: str | None,
           services: Sequence[tuple[str, Service | None]], shipping: Shipping,
           conversion: Conversion | None) -> Sourcings:
    """The sourcings to price."""
    lines = _lines(request)
    near = tuple(distances([(i, catalog.locations[i].point) for i in priority],
                           request.destination, catalog.places,
                           _transit_days(catalog, services, shipping)))
    nearest_first = [d.location for d in near]
    # The checkout's origin stays first (`priority` starts with it); then by distance,
    # which breaks ties between equal arrivals where prices usually differ.
    origin = [request.origin] if request.origin else []
    order = origin + [location for location in nearest_first if location not in origin]
    found: dict[tuple[object, ...], tuple[tuple[LineAllocation, ...], set[str] | None]] = {}
    # Services of one group, and groups alike, keep the same allocation object: its
    # signature is worked out once (and the object held, so that its id stays its own).
    signatures: dict[int, tuple[tuple[LineAllocation, ...], tuple[object, ...]]] = {}

    def keep(allocated: tuple[LineAllocation, ...], service: str | None) -> None:
        known = signatures.get(id(allocated))
        if known is None:
            known = signatures[id(allocated)] = (allocated, _signature(allocated))
        key = known[1]
        _, serves = found.setdefault(key, (allocated, set()))
        if serves is not None:
            if service is None:
                found[key] = (allocated, None)
            else:
                serves.add(service)

    kept: set[int] = set()  # the ids of the candidates the setup keeps, and their plans
    supply = offered(lines, today, priority)
    if strategy.compares and no_choice(supply):
        keep(allocate(lines, priority, today), None)
    elif strategy.compares:
        searched = catalog.searched
        search: Search | None = None  # made when a group's candidates are not kept
        cart = searched.carts(sourcing_key(lines, priority, today))
        for group in _alike(services, supply, catalog, shipping):
            first = group[0][1]
            arrivals = searched.arrivals((shipping.arrival_key(first), tuple(order)))
            candidates = searched.candidates.get((arrivals, cart))
            if candidates is None:
                search = search or Search.of(supply, searched)
                candidates = searched.candidates.keep((arrivals, cart), fastest(
                    lines, order, today, supply, shipping.arrival_by(first), search,
                    arrivals))
            for allocated in candidates:
                kept.add(id(allocated))
                for key, _ in group:
                    keep(allocated, None if strategy is Strategy.CHEAPEST else key)
        if strategy is Strategy.CHEAPEST:
            keep(allocate(lines, nearest_first, today), None)
    else:
        keep(allocate(lines, order if strategy is Strategy.NEAREST else priority, today),
             None)
    if not found:  # no service to ask: the allocation in the merchant's order
        keep(allocate(lines, priority, today), None)

    sourcings = []
    for allocated, serves in found.values():
        allocations = tuple(a for line in allocated for a in line.allocations)
        if not allocations:  # nothing can be supplied, however it is sourced
            return Sourcings(allocated, (), near, supply)
        plans = _plans(allocated, allocations, ruleset, priority,
                       catalog.searched if id(allocated) in kept else None)
        sourcings.append(Sourcing(
            allocated, plans,
            CartFacts.of(request, allocations, dict(today), zone, conversion),
            None if serves is None else frozenset(serves),
            from_nearest=_from_nearest(lines, allocated, supply, nearest_first)))
    return Sourcings(sourcings[0].lines, tuple(sourcings), near, supply)


def _plans(allocated: tuple[LineAllocation, ...], allocations: Sequence[Allocation],
           ruleset: Ruleset, priority: Sequence[str],
           searched: Searched | None) -> tuple[Plan, ...]:
    """The plans of one allocation. A candidate the setup keeps (`searched`) keeps its
    plans too: a cart asked again is sourced from the same candidate objects, whose plans
    depend only on them, on the order of locations (part of the key they were found
    under) and on the ruleset's plan policy (checked)."""
    policy = ruleset.plans
    if searched is not None:
        found = searched.plans.get(id(allocated))
        if found is not None and found[0] is allocated and found[1] is policy:
            return found[2]
    plans = tuple(build_plans(allocations, policy.kinds, priority, policy.merge_within_days))
    if searched is not None:
        searched.plans.keep(id(allocated), (allocated, policy, plans))
    return plans


def _alike(services: Sequence[tuple[str, Service | None]], supply: Offered,
           catalog: Catalog, shipping: Shipping) -> list[list[tuple[str, Service]]]:
    """The services in groups that order every supply alike (one carrier, the same
    transit days from each location that has any): each group's candidates are found
    once. A service that can carry from none of those locations has no candidates: its
    options take the others'."""
    places = sorted({s.location for found in supply.values() for s in found})
    groups: dict[tuple[object, ...], list[tuple[str, Service]]] = {}
    for key, service in services:
        if service is None:
            continue
        transits = tuple(shipping.transit(service, catalog.locations[place])
                         for place in places)
        if any(transits):
            groups.setdefault((service.carrier, transits), []).append((key, service))
    return list(groups.values())


def _from_nearest(lines: Sequence[tuple[str, int, SkuStock]],
                  allocated: Sequence[LineAllocation], supply: Offered,
                  nearest_first: Sequence[str]) -> bool:
    """Whether every line takes from the nearest location that holds any of it (a lead
    time with no location of its own is held nowhere)."""
    rank = {location: i for i, location in enumerate(nearest_first)}
    for (sku, _, stock), line in zip(lines, allocated, strict=True):
        holders = {s.location for s in supply[sku]
                   if s.source is not Source.LEAD_TIME or stock.lead_time_location}
        if holders and min(holders, key=rank.__getitem__) not in {
                a.location for a in line.allocations}:
            return False
    return True


def _lines(request: QuoteRequest) -> list[tuple[str, int, SkuStock]]:
    return [(line.sku, line.quantity, line.stock or SkuStock(line.sku))
            for line in request.lines]


def sourcing_key(lines: Sequence[tuple[str, int, SkuStock]], priority: Sequence[str],
             today: Mapping[str, date]) -> tuple[object, ...]:
    """What a cart's candidates depend on beyond the arrivals (which hold the order of
    locations the search prefers): its lines and every field of their stock, the
    merchant's order of locations and each one's day. In values that hash and compare in
    C: a dataclass's own hash and equality run as Python, even compiled."""
    return (tuple((sku, quantity, _stock_key(stock)) for sku, quantity, stock in lines),
            tuple(priority), tuple(today.items()))


def _stock_key(stock: SkuStock) -> tuple[object, ...]:
    return (stock.sku, tuple((p.location, p.on_hand, tuple(
                (lot.quantity, lot.eta.earliest, lot.eta.latest, lot.id, lot.committed,
                 lot.supplier) for lot in p.inbound)) for p in stock.locations),
            stock.lead_time_days, stock.lead_time_location, stock.backorder_limit,
            stock.supplier)


def _signature(lines: tuple[LineAllocation, ...]) -> tuple[object, ...]:
    # Dates, not DateRanges: a dataclass hashes in Python, a date in C.
    return tuple((a.line, a.location, a.source, a.lot, a.ready.earliest, a.ready.latest,
                  a.quantity) for line in lines for a in line.allocations)


def _transit_days(catalog: Catalog, services: Sequence[tuple[str, Service | None]],
                  shipping: Shipping) -> Callable[[str], int | None]:
    """The fewest latest transit days of the offered services from a location: how
    `nearest` ranks a location it cannot place on the map."""
    def days(location: str) -> int | None:
        found = [transit[1] for _, service in services if service is not None
                 and (transit := shipping.transit(service, catalog.locations[location]))]
        return min(found, default=None)
    return days
