"""The sourcing strategies on random small carts over the example's locations (reno,
newark, toronto) and carriers, with its rules left out so that every option a sourcing
can carry is offered.

`fastest` is checked against an oracle written apart from the engine's candidates: every
feasible way to source the cart from one location or from two (each unit to an on-hand
shelf, a lot's free units or the supplier's lead time, within the stock's caps), dated
with the real plans and windows, shipment by shipment. No such sourcing may be delivered
by a service (its last shipment) before the quote's option by that service is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from rates.domain.cart import Destination, Line, QuoteRequest
from rates.domain.catalog import Catalog, first_zone
from rates.domain.money import Money
from rates.domain.plans import PlanKind, build_plans
from rates.domain.policy import Ruleset
from rates.domain.quote.pipeline import NO_ANSWERS, quote
from rates.domain.quote.pricing import Shipping
from rates.domain.quote.result import Quote
from rates.domain.sourcing.strategy import Strategy
from rates.domain.stock import (
    Allocation,
    DateRange,
    InboundLot,
    LineAllocation,
    LocationStock,
    SkuStock,
    Source,
    allocate,
)
from rates.domain.window import WindowBook
from rates.loading import Setup, load_setup
from tests.support.project import EXAMPLE_CONFIG, EXAMPLE_TODAY

PROPERTY = settings(max_examples=60, deadline=None)
LOCATIONS = ("reno", "newark", "toronto")
SKUS = ("A", "B")
DESTINATIONS = (Destination("US", "NJ", "07030"), Destination("US", "NV", "89501"),
                Destination("US", "TX", "75001"), Destination("CA", "ON", "M5V 2T6"))
INSTANTS = (datetime.fromisoformat("2026-11-23T09:30:00-08:00"),   # Mon, before cutoffs
            datetime.fromisoformat("2026-11-25T13:00:00-08:00"),   # Wed before Thanksgiving
            datetime.fromisoformat("2026-12-04T11:00:00-08:00"))   # Fri, after newark's
GRAMS = 400
UNITS = 3
"""The most units of a line, of a shelf and of a lot: enough to split a line three ways,
few enough for the oracle to try every sourcing."""
LOTS = 1
"""The most lots of a SKU at one location."""


@dataclass(frozen=True)
class Cart:
    request: QuoteRequest
    stocks: Mapping[str, SkuStock]

    @property
    def lines(self) -> list[tuple[str, int, SkuStock]]:
        return [(line.sku, line.quantity, self.stocks[line.sku]) for line in self.request.lines]


@st.composite
def sku_stocks(draw: st.DrawFn, sku: str, places: Sequence[str], day: date) -> SkuStock:
    positions = []
    for place in places:
        lots = []
        for index in range(draw(st.integers(0, LOTS))):
            quantity = draw(st.integers(1, UNITS))
            earliest = day + timedelta(days=draw(st.integers(-1, 14)))
            lots.append(InboundLot(
                quantity, DateRange(earliest, earliest + timedelta(days=draw(st.integers(0, 4)))),
                f"{sku}-{place}-{index}", committed=draw(st.integers(0, quantity))))
        positions.append(LocationStock(place, draw(st.integers(0, UNITS)), tuple(lots)))
    lead_time = draw(st.none() | st.tuples(st.integers(1, 12), st.integers(0, 5)).map(
        lambda pair: (pair[0], pair[0] + pair[1])))
    return SkuStock(sku, tuple(positions), lead_time_days=lead_time,
                    lead_time_location=draw(st.none() | st.sampled_from(tuple(places))),
                    backorder_limit=draw(st.none() | st.integers(0, 3)))


@st.composite
def carts(draw: st.DrawFn) -> Cart:
    """One or two lines of one to three units (a SKU may come twice), over two or three
    of the locations, each with 0-3 on hand and perhaps a lot of 1-3 (part committed)."""
    ordered_at = draw(st.sampled_from(INSTANTS))
    places = draw(st.lists(st.sampled_from(LOCATIONS), min_size=2, max_size=3, unique=True))
    stocks = {sku: draw(sku_stocks(sku, places, ordered_at.date())) for sku in SKUS}
    lines = draw(st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, UNITS)),
                          min_size=1, max_size=2))
    request = QuoteRequest(
        "USD", draw(st.sampled_from(DESTINATIONS)),
        tuple(Line(sku, quantity, Money(Decimal("19.50"), "USD"), GRAMS, stock=stocks[sku])
              for sku, quantity in lines), ordered_at)
    return Cart(request, stocks)


class Example:
    """The bundled example without its rules, quoted under each strategy."""

    def __init__(self, setup: Setup) -> None:
        self.catalog = setup.catalog
        self.ruleset: Ruleset = replace(setup.ruleset, rules=())
        self.windows = setup.windows

    def quote(self, cart: Cart, strategy: Strategy) -> Quote:
        # Without the stores' pickups: a pickup takes from its store alone, whatever the
        # strategy (tests/domain/quote/test_pickup.py).
        locations = {ident: replace(location, pickup=None)
                     for ident, location in self.catalog.locations.items()}
        catalog = replace(self.catalog, sourcing=strategy, locations=locations)
        return quote(cart.request, catalog, self.ruleset, cart.request.ordered_at,
                     windows=self.windows)

    def today(self, cart: Cart) -> dict[str, date]:
        return {loc.id: cart.request.ordered_at.astimezone(loc.timezone).date()
                for loc in self.catalog.locations.values()}


@cache
def example() -> Example:
    return Example(load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY))


# -- the oracle: every sourcing from one location or two, dated ------------------------------


@dataclass(frozen=True)
class Supply:
    """Units one line may take from one place, and how many at most (None: any)."""

    location: str
    source: Source
    ready: DateRange
    cap: int | None
    lot: str | None = None


def line_supplies(stock: SkuStock, group: Sequence[str], today: Mapping[str, date],
                  everywhere: Sequence[str]) -> list[Supply]:
    """The SKU's supplies at the locations of `group`: each shelf, each lot's free units
    (a lot due before today is ready today), the lead time into its location (or into
    each location of the group when it names none)."""
    found = []
    for position in stock.locations:
        if position.location not in group:
            continue
        if position.on_hand > 0:
            found.append(Supply(position.location, Source.ON_HAND,
                                DateRange.on(today[position.location]), position.on_hand))
        for lot in position.inbound:
            if lot.quantity - lot.committed > 0:
                day = today[position.location]
                found.append(Supply(position.location, Source.INBOUND,
                                    DateRange(max(lot.eta.earliest, day),
                                              max(lot.eta.latest, day)),
                                    lot.quantity - lot.committed, lot.id))
    if stock.lead_time_days is not None:
        low, high = stock.lead_time_days
        into = [stock.lead_time_location] if stock.lead_time_location else everywhere
        for location in into:
            if location in group:
                found.append(Supply(location, Source.LEAD_TIME,
                                    DateRange(today[location] + timedelta(days=low),
                                              today[location] + timedelta(days=high)), None))
    return found


def splits(units: int, supplies: Sequence[Supply]) -> Iterator[tuple[int, ...]]:
    """Every way to take `units` from `supplies`, each within its cap."""
    if not supplies:
        if units == 0:
            yield ()
        return
    first, rest = supplies[0], supplies[1:]
    top = units if first.cap is None else min(units, first.cap)
    for taken in range(top + 1):
        for tail in splits(units - taken, rest):
            yield (taken, *tail)


Taken = tuple[int, str, Supply, int]
"""(line, sku, supply, units): units of a line taken from one supply."""


def feasible(cart: Cart, taken: Sequence[Taken]) -> bool:
    """Within the stock the cart's lines share: shelves and lots' free units, the
    backorder limit, and the lead time only for units beyond every shelf and lot."""
    used: Counter[tuple[str, str, Source, str | None]] = Counter()
    backordered: Counter[str] = Counter()
    lead_time: Counter[str] = Counter()
    for _, sku, supply, units in taken:
        used[sku, supply.location, supply.source, supply.lot] += units
        if supply.source is not Source.ON_HAND:
            backordered[sku] += units
        if supply.source is Source.LEAD_TIME:
            lead_time[sku] += units
    for sku, stock in cart.stocks.items():
        every_unit_taken = True
        for position in stock.locations:
            shelf = used[sku, position.location, Source.ON_HAND, None]
            if shelf > position.on_hand:
                return False
            every_unit_taken &= shelf == position.on_hand
            for lot in position.inbound:
                from_lot = used[sku, position.location, Source.INBOUND, lot.id]
                if from_lot > lot.quantity - lot.committed:
                    return False
                every_unit_taken &= from_lot == lot.quantity - lot.committed
        if stock.backorder_limit is not None and backordered[sku] > stock.backorder_limit:
            return False
        if lead_time[sku] and not every_unit_taken:
            return False
    return True


def sourcings(cart: Cart, supplied: Sequence[int],
              today: Mapping[str, date]) -> set[tuple[Allocation, ...]]:
    """Every feasible sourcing of `supplied` units of each line from one location or
    from two."""
    everywhere = list(example().catalog.locations)
    found: set[tuple[Allocation, ...]] = set()
    for group in [(place,) for place in everywhere] + list(combinations(everywhere, 2)):
        per_line = []
        for index, (sku, _, stock) in enumerate(cart.lines):
            supplies = line_supplies(stock, group, today, everywhere)
            per_line.append([[(index, sku, supply, units)
                              for supply, units in zip(supplies, split, strict=True) if units]
                             for split in splits(supplied[index], supplies)])
        for choice in product(*per_line):
            taken = [item for line in choice for item in line]
            if taken and feasible(cart, taken):
                found.add(tuple(Allocation(index, sku, units, supply.location, supply.source,
                                           supply.ready, supply.lot)
                                for index, sku, supply, units in taken))
    return found


def latest_delivery(allocations: Sequence[Allocation], service_key: str, catalog: Catalog,
                    ruleset: Ruleset, shipping: Shipping) -> date | None:
    """When the last shipment of the sourcing's `together` plan is delivered by the
    service; None when the service cannot carry one of them."""
    service = catalog.service(service_key)
    assert service is not None
    carrier = catalog.carriers[service.carrier]
    (plan,) = build_plans(allocations, [PlanKind.TOGETHER], list(catalog.locations),
                          ruleset.plans.merge_within_days)
    latest = None
    for shipment in plan.shipments:
        location = catalog.locations[shipment.location]
        transit = shipping.transit(service, location)
        if transit is None:
            return None
        delivered = shipping.window(shipment, location, carrier, service,
                                    transit).delivery.latest
        latest = delivered if latest is None else max(latest, delivered)
    return latest


def earliest_possible(cart: Cart, supplied: Sequence[int]) -> dict[str, date]:
    """Per offered service, the earliest latest delivery among the oracle's sourcings."""
    catalog, ruleset = example().catalog, example().ruleset
    shipping = Shipping(cart.request, catalog, ruleset.currency, NO_ANSWERS, WindowBook())
    zone = first_zone(ruleset.zones, cart.request.destination)
    services = [offer.service for offer in ruleset.services if offer.offered_in(zone)]
    best: dict[str, date] = {}
    for allocations in sourcings(cart, supplied, example().today(cart)):
        for key in services:
            latest = latest_delivery(allocations, key, catalog, ruleset, shipping)
            if latest is not None and (key not in best or latest < best[key]):
                best[key] = latest
    return best


def supplied_units(lines: Sequence[LineAllocation]) -> list[int]:
    return [line.quantity - line.unavailable for line in lines]


# -- properties -----------------------------------------------------------------------------


@PROPERTY
@given(carts())
def test_fastest_no_one_or_two_location_sourcing_arrives_sooner(cart: Cart) -> None:
    result = example().quote(cart, Strategy.FASTEST)
    best = earliest_possible(cart, supplied_units(result.lines))
    offered = {option.service.key for option in result.options}
    for option in result.options:
        key = option.service.key
        if key in best:
            assert option.delivery.latest <= best[key], (option.id, option.lines)
    # A service some sourcing can carry is offered.
    assert set(best) <= offered


@PROPERTY
@given(carts())
def test_every_strategy_supplies_the_same_units_of_each_line(cart: Cart) -> None:
    supplied = {strategy: supplied_units(example().quote(cart, strategy).lines)
                for strategy in Strategy}
    assert len(set(map(tuple, supplied.values()))) == 1, supplied
    for strategy in Strategy:
        for option in example().quote(cart, strategy).options:
            assert supplied_units(option.lines) == supplied[strategy], (strategy, option.id)


def taken(lines: Sequence[LineAllocation], sku: str) -> list[Allocation]:
    return [a for line in lines if line.sku == sku for a in line.allocations]


def assert_within_stock(cart: Cart, lines: Sequence[LineAllocation], where: str) -> None:
    """Shelves, lots' free units and the backorder limit hold."""
    for sku, stock in cart.stocks.items():
        mine = taken(lines, sku)
        for position in stock.locations:
            shelf = sum(a.quantity for a in mine
                        if a.location == position.location and a.source is Source.ON_HAND)
            assert shelf <= position.on_hand, (where, sku, position)
            for lot in position.inbound:
                from_lot = sum(a.quantity for a in mine if a.lot == lot.id)
                assert from_lot <= lot.quantity - lot.committed, (where, lot, from_lot)
        if stock.backorder_limit is not None:
            backordered = sum(a.quantity for a in mine if a.source is not Source.ON_HAND)
            assert backordered <= stock.backorder_limit, (where, sku, backordered)


def assert_lead_time_last(cart: Cart, lines: Sequence[LineAllocation], where: str) -> None:
    """The supplier's lead time is only for units beyond every shelf and every lot's
    free units of the SKU (SkuStock), and goes into its `lead_time_location` if named."""
    for sku, stock in cart.stocks.items():
        mine = taken(lines, sku)
        lead = {a.location for a in mine if a.source is Source.LEAD_TIME}
        if not lead:
            continue
        if stock.lead_time_location:
            assert lead == {stock.lead_time_location}, (where, sku, lead)
        for position in stock.locations:
            shelf = sum(a.quantity for a in mine
                        if a.location == position.location and a.source is Source.ON_HAND)
            assert shelf == position.on_hand, ("lead time before a shelf", where, sku,
                                               position)
            for lot in position.inbound:
                from_lot = sum(a.quantity for a in mine if a.lot == lot.id)
                assert from_lot == lot.quantity - lot.committed, (
                    "lead time before a lot", where, sku, lot)


def every_sourcing(cart: Cart) -> Iterator[tuple[Sequence[LineAllocation], str]]:
    """The quote's lines and each option's, under every strategy, with where they are
    from for a failure's message."""
    for strategy in Strategy:
        result = example().quote(cart, strategy)
        yield result.lines, str(strategy)
        for option in result.options:
            yield option.lines, f"{strategy}: {option.id}"


@PROPERTY
@given(carts())
def test_no_strategy_takes_committed_units_or_backorders_beyond_the_limit(cart: Cart) -> None:
    for lines, where in every_sourcing(cart):
        assert_within_stock(cart, lines, where)


@PROPERTY
@given(carts())
def test_no_strategy_asks_the_supplier_before_every_shelf_and_lot_is_taken(
        cart: Cart) -> None:
    for lines, where in every_sourcing(cart):
        assert_lead_time_last(cart, lines, where)


@PROPERTY
@given(carts())
def test_priority_allocates_as_before_strategies(cart: Cart) -> None:
    """The allocation of the default supply order: on hand at the preferred location,
    then the others by priority, lots by ETA, the lead time."""
    before = allocate(cart.lines, list(example().catalog.locations), example().today(cart))
    result = example().quote(cart, Strategy.PRIORITY)
    assert result.lines == before
    for option in result.options:
        assert option.lines == before
