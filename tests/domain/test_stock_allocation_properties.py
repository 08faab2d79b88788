"""Allocation and plans for random carts and stock positions (DESIGN section 3).

Every ordered unit is either allocated once or reported unavailable; no stock is promised
twice (on hand per SKU and location, free units of a lot, the backorder limit); and every
plan ships exactly the allocated units, each once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rates.domain.plans import SHIPPING_PLANS, PlanKind, build_plans
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock, Source, allocate

PROPERTY = settings(max_examples=120, deadline=None)
LOCATIONS = ("east", "west", "north")
SKUS = ("A", "B", "C", "D")
ALL_KINDS = SHIPPING_PLANS


@st.composite
def sku_stocks(draw, sku: str) -> SkuStock:
    places = draw(st.lists(st.sampled_from(LOCATIONS), unique=True, max_size=3))
    positions = []
    for place in places:
        lots = []
        for index in range(draw(st.integers(0, 3))):
            earliest = date(2026, 12, 1) + timedelta(days=draw(st.integers(-10, 40)))
            quantity = draw(st.integers(0, 8))
            lots.append(InboundLot(
                quantity=quantity,
                eta=DateRange(earliest, earliest + timedelta(days=draw(st.integers(0, 6)))),
                id=f"{sku}/{place}/{index}",
                committed=draw(st.integers(0, quantity + 2)),
            ))
        positions.append(LocationStock(place, draw(st.integers(-1, 6)), tuple(lots)))
    lead_time = draw(st.none() | st.tuples(st.integers(0, 20), st.integers(0, 10)).map(
        lambda pair: (pair[0], pair[0] + pair[1])))
    return SkuStock(
        sku,
        tuple(positions),
        lead_time_days=lead_time,
        lead_time_location=draw(st.none() | st.sampled_from(LOCATIONS)),
        backorder_limit=draw(st.none() | st.integers(0, 8)),
    )


@st.composite
def carts(draw):
    stocks = {sku: draw(sku_stocks(sku)) for sku in SKUS}
    lines = draw(st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 10)),
                          min_size=1, max_size=6))
    priority = tuple(draw(st.permutations(LOCATIONS)))
    today = {place: date(2026, 11, 23) + timedelta(days=draw(st.integers(0, 1)))
             for place in LOCATIONS}
    return [(sku, quantity, stocks[sku]) for sku, quantity in lines], priority, today


@PROPERTY
@given(carts())
def test_every_unit_is_allocated_or_reported_unavailable(cart):
    lines, priority, today = cart
    result = allocate(lines, priority, today)
    assert len(result) == len(lines)
    for index, ((sku, quantity, _), line) in enumerate(zip(lines, result, strict=True)):
        assert (line.sku, line.quantity) == (sku, quantity)
        assert all(a.quantity >= 1 for a in line.allocations)
        assert all((a.line, a.sku) == (index, sku) for a in line.allocations)
        assert sum(a.quantity for a in line.allocations) + line.unavailable == quantity
        assert line.unavailable >= 0
        assert (line.reason is not None) == (line.unavailable > 0)


@PROPERTY
@given(carts())
def test_no_stock_is_promised_twice(cart):
    lines, priority, today = cart
    result = allocate(lines, priority, today)
    stocks = {sku: stock for sku, _, stock in lines}
    allocations = [a for line in result for a in line.allocations]

    on_hand = Counter()
    from_lot = Counter()
    backordered = Counter()
    for a in allocations:
        if a.source is Source.ON_HAND:
            on_hand[a.sku, a.location] += a.quantity
        else:
            backordered[a.sku] += a.quantity
        if a.source is Source.INBOUND:
            from_lot[a.lot] += a.quantity
    for sku, stock in stocks.items():
        for position in stock.locations:
            assert on_hand[sku, position.location] <= max(0, position.on_hand)
            for lot in position.inbound:
                assert from_lot[lot.id] <= lot.free
                assert from_lot[lot.id] <= max(0, lot.quantity - lot.committed)
        if stock.backorder_limit is not None:
            assert backordered[sku] <= stock.backorder_limit
    # nothing from a place or lot the SKU does not have
    for a in allocations:
        places = {p.location for p in stocks[a.sku].locations}
        if a.source is not Source.LEAD_TIME:
            assert a.location in places


@PROPERTY
@given(carts())
def test_on_hand_comes_before_restocks_and_restocks_before_lead_time(cart):
    lines, priority, today = cart
    result = allocate(lines, priority, today)
    taken_on_hand: dict[str, int] = defaultdict(int)
    taken_from_lots: dict[str, int] = defaultdict(int)
    backordered: dict[str, int] = defaultdict(int)
    for (sku, _, stock), line in zip(lines, result, strict=True):
        backordered[sku] += sum(a.quantity for a in line.allocations if not a.on_hand)
        taken_on_hand[sku] += sum(a.quantity for a in line.allocations if a.on_hand)
        taken_from_lots[sku] += sum(a.quantity for a in line.allocations
                                    if a.source is Source.INBOUND)
        sources = [a.source for a in line.allocations]
        if any(source is not Source.ON_HAND for source in sources):
            # every unit on hand anywhere is taken by this line or earlier ones
            assert taken_on_hand[sku] == sum(max(0, p.on_hand) for p in stock.locations)
        if Source.LEAD_TIME in sources:
            assert sources.count(Source.LEAD_TIME) == 1
            assert taken_from_lots[sku] == sum(lot.free for p in stock.locations
                                               for lot in p.inbound)
        if line.unavailable:
            lots_left = sum(lot.free for p in stock.locations for lot in p.inbound) - (
                taken_from_lots[sku])
            limit_left = (None if stock.backorder_limit is None
                          else stock.backorder_limit - backordered[sku])
            # missing units: no restock left to take, or the limit is used up
            assert limit_left == 0 or (lots_left == 0 and stock.lead_time_days is None)


@PROPERTY
@given(carts())
def test_restocks_are_taken_first_in_first_out_by_eta(cart):
    # By the lot's ETA, not the allocation's ready date: an overdue lot is ready "today",
    # and "today" differs between locations near midnight.
    lines, priority, today = cart
    lots = {lot.id: lot for _, _, stock in lines for p in stock.locations for lot in p.inbound}
    taken = Counter()
    for line in allocate(lines, priority, today):
        etas = [(lots[a.lot].eta.earliest, lots[a.lot].eta.latest) for a in line.allocations
                if a.source is Source.INBOUND]
        assert etas == sorted(etas)
        for a in line.allocations:
            if a.source is Source.INBOUND:
                taken[a.lot] += a.quantity
    # a lot is touched only once every lot of that SKU due strictly earlier is used up
    for lot_id in taken:
        sku = lot_id.split("/")[0]
        due = (lots[lot_id].eta.earliest, lots[lot_id].eta.latest)
        for other in lots.values():
            if other.id.split("/")[0] == sku and (other.eta.earliest, other.eta.latest) < due:
                assert taken[other.id] == other.free


@PROPERTY
@given(carts())
def test_ready_dates_follow_the_source(cart):
    lines, priority, today = cart
    stocks = {sku: stock for sku, _, stock in lines}
    lots = {lot.id: lot for stock in stocks.values() for p in stock.locations
            for lot in p.inbound}
    for line in allocate(lines, priority, today):
        for a in line.allocations:
            local = today[a.location]
            if a.source is Source.ON_HAND:
                assert a.ready == DateRange.on(local)
            elif a.source is Source.INBOUND:
                assert a.ready == lots[a.lot].eta.not_before(local)
            else:
                low, high = stocks[a.sku].lead_time_days
                assert a.ready == DateRange(local + timedelta(days=low),
                                            local + timedelta(days=high))


@PROPERTY
@given(carts(), st.integers(0, 10))
def test_every_plan_ships_each_allocated_unit_exactly_once(cart, merge_within_days):
    lines, priority, today = cart
    result = allocate(lines, priority, today)
    allocations = [a for line in result for a in line.allocations]
    plans = build_plans(allocations, ALL_KINDS, priority, merge_within_days)
    if not allocations:
        assert plans == []
        return
    assert plans[0].kind is PlanKind.TOGETHER
    assert len({p.kind for p in plans}) == len(plans)
    per_line = Counter()
    for a in allocations:
        per_line[a.line] += a.quantity
    for plan in plans:
        shipped = [item for shipment in plan.shipments for item in shipment.items]
        assert Counter(shipped) == Counter(allocations)
        units = Counter()
        for item in shipped:
            units[item.line] += item.quantity
        assert units == per_line
        for shipment in plan.shipments:
            assert shipment.items
            assert all(item.location == shipment.location for item in shipment.items)


@PROPERTY
@given(carts(), st.integers(0, 10))
def test_plans_keep_their_shape(cart, merge_within_days):
    lines, priority, today = cart
    allocations = [a for line in allocate(lines, priority, today) for a in line.allocations]
    plans = {p.kind: p for p in build_plans(allocations, ALL_KINDS, priority,
                                            merge_within_days)}
    if not allocations:
        return
    together = plans[PlanKind.TOGETHER]
    places = [s.location for s in together.shipments]
    assert len(places) == len(set(places))
    assert places == sorted(places, key=priority.index)
    if all(a.on_hand for a in allocations):
        assert list(plans) == [PlanKind.TOGETHER]
    for kind in (PlanKind.IN_STOCK_FIRST, PlanKind.AS_AVAILABLE):
        if kind in plans:
            for shipment in plans[kind].shipments:
                assert len({item.on_hand for item in shipment.items}) == 1
    if PlanKind.AS_AVAILABLE in plans:
        for shipment in plans[PlanKind.AS_AVAILABLE].shipments:
            if shipment.backordered:
                latest = [item.ready.latest for item in shipment.items]
                assert (max(latest) - min(latest)).days <= merge_within_days
