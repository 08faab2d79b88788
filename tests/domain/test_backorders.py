"""The backorder queue: first come, first served over a location's lots, then lead time."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rates.domain.backorders import Claim, Placement, committed_stock, queue, ready_of
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock, Source

DEC_10_14 = DateRange(date(2026, 12, 10), date(2026, 12, 14))
JAN_5_9 = DateRange(date(2027, 1, 5), date(2027, 1, 9))
DEC_1 = date(2026, 12, 1)
TODAY = {"reno": date(2026, 11, 22), "newark": date(2026, 11, 22)}


def tent(*lots: InboundLot, lead_time: tuple[int, int] | None = (21, 35)) -> SkuStock:
    return SkuStock("TENT", (LocationStock("reno", 0, lots),), lead_time_days=lead_time)


PO1 = InboundLot(10, DEC_10_14, "PO-1", committed=3)   # 7 free
PO2 = InboundLot(5, JAN_5_9, "PO-2")


def claim(order: str, quantity: int, location: str = "reno", **kw: object) -> Claim:
    return Claim(order, "TENT", location, quantity, DEC_10_14, **kw)  # type: ignore[arg-type]


def test_orders_take_the_earliest_lot_in_acceptance_order():
    # Listed late-ETA first: the queue still fills PO-1 (Dec 10-14) before PO-2 (Jan 5-9).
    queued = queue(tent(PO2, PO1), [claim("o1", 4), claim("o2", 5), claim("o3", 2)], TODAY)

    assert queued.placements == (
        (Placement(4, Source.INBOUND, DEC_10_14, "PO-1"),),
        (Placement(3, Source.INBOUND, DEC_10_14, "PO-1"),
         Placement(2, Source.INBOUND, JAN_5_9, "PO-2")),
        (Placement(2, Source.INBOUND, JAN_5_9, "PO-2"),),
    )
    # What a new quote may still take: PO-1 full (3 + 7), PO-2 has 1 left (4 of 5).
    po2, po1 = queued.stock.locations[0].inbound
    assert (po1.committed, po1.free) == (10, 0)
    assert (po2.committed, po2.free) == (4, 1)


def test_units_beyond_every_lot_wait_for_the_lead_time_from_today_or_their_anchor():
    queued = queue(tent(PO1), [claim("o1", 9), claim("o2", 3, lead_time_from=date(2026, 11, 20))],
                   TODAY)

    assert queued.placements == (
        (Placement(7, Source.INBOUND, DEC_10_14, "PO-1"),
         # Nov 22 + 21..35 days
         Placement(2, Source.LEAD_TIME, DateRange(date(2026, 12, 13), date(2026, 12, 27)))),
        # anchored on Nov 20, the day the supplier was asked: + 21..35 days
        (Placement(3, Source.LEAD_TIME, DateRange(date(2026, 12, 11), date(2026, 12, 25))),),
    )
    assert ready_of(queued.placements[0]) == DateRange(date(2026, 12, 13), date(2026, 12, 27))


def test_without_a_lead_time_overflowing_units_have_no_date():
    queued = queue(tent(PO1, lead_time=None), [claim("o1", 8)], TODAY)

    assert queued.placements[0][-1] == Placement(1, Source.LEAD_TIME, None)
    assert ready_of(queued.placements[0]) is None


def test_a_late_lot_is_read_as_arriving_today_at_the_earliest():
    queued = queue(tent(PO1), [claim("o1", 1)], {"reno": date(2026, 12, 12)})

    assert queued.placements[0][0].ready == DateRange(date(2026, 12, 12), date(2026, 12, 14))


def test_claims_wait_only_for_lots_at_their_own_location():
    stock = SkuStock("TENT", (LocationStock("reno", 0, (PO1,)),
                              LocationStock("newark", 0, (PO2,))))

    queued = queue(stock, [claim("o1", 2, location="newark")], TODAY)

    assert queued.placements == ((Placement(2, Source.INBOUND, JAN_5_9, "PO-2"),),)


def test_placements_of_one_order_come_back_in_its_own_order():
    queued = queue(tent(PO1, PO2), [claim("o1", 6), claim("o2", 1), claim("o1", 2)], TODAY)

    assert queued.of("o1") == [(Placement(6, Source.INBOUND, DEC_10_14, "PO-1"),),
                               (Placement(2, Source.INBOUND, JAN_5_9, "PO-2"),)]


lots = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 25), st.integers(0, 60),
                          st.integers(0, 10)), max_size=4)


@given(lots, st.lists(st.integers(1, 15), max_size=8), st.booleans())
def test_every_unit_is_placed_once_and_no_lot_is_overcommitted(raw_lots, quantities,
                                                              lead_time):
    inbound = tuple(
        InboundLot(quantity, DateRange(DEC_1 + timedelta(days=start),
                                       DEC_1 + timedelta(days=start + span)), f"PO-{i}", committed)
        for i, (quantity, committed, start, span) in enumerate(raw_lots))
    stock = tent(*inbound, lead_time=(5, 9) if lead_time else None)
    claims = [claim(f"o{i}", q) for i, q in enumerate(quantities)]

    queued = queue(stock, claims, TODAY)

    for wanted, placed in zip(quantities, queued.placements, strict=True):
        assert sum(p.quantity for p in placed) == wanted
    for before, after in zip(inbound, queued.stock.locations[0].inbound, strict=True):
        assert after.committed <= max(before.quantity, before.committed)
        assert after.committed - before.committed == sum(
            p.quantity for placed in queued.placements for p in placed if p.lot == before.id)


@given(st.lists(st.tuples(st.sampled_from(["reno", "newark"]), lots), min_size=1, max_size=2,
                unique_by=lambda place: place[0]),
       st.lists(st.tuples(st.sampled_from(["reno", "newark", "calgary"]),
                          st.integers(1, 15)), max_size=10))
def test_a_quote_sees_the_same_lots_from_the_totals_as_from_the_claims_one_by_one(
        places, wanted):
    stock = SkuStock("TENT", tuple(
        LocationStock(location, 0, tuple(
            InboundLot(quantity, DateRange(DEC_1 + timedelta(days=start),
                                           DEC_1 + timedelta(days=start + span)),
                       f"PO-{location}-{i}", committed)
            for i, (quantity, committed, start, span) in enumerate(raw_lots)))
        for location, raw_lots in places), lead_time_days=(5, 9))
    claims = [claim(f"o{i}", quantity, location) for i, (location, quantity) in enumerate(wanted)]
    totals: dict[str, int] = {}
    for one in claims:
        totals[one.location] = totals.get(one.location, 0) + one.quantity

    today = {**TODAY, "calgary": date(2026, 11, 22)}
    assert committed_stock(stock, totals) == queue(stock, claims, today).stock


@given(lots, st.lists(st.lists(st.integers(1, 9), min_size=1, max_size=3), min_size=1,
                      max_size=6), st.data())
def test_an_order_is_placed_the_same_behind_the_totals_of_the_orders_ahead(
        raw_lots, orders, data):
    inbound = tuple(
        InboundLot(quantity, DateRange(DEC_1 + timedelta(days=start),
                                       DEC_1 + timedelta(days=start + span)), f"PO-{i}", committed)
        for i, (quantity, committed, start, span) in enumerate(raw_lots))
    stock = tent(*inbound)
    claims = [claim(f"o{n}", quantity) for n, quantities in enumerate(orders)
              for quantity in quantities]
    chosen = data.draw(st.integers(0, len(orders) - 1))
    ahead = sum(one.quantity for one in claims if int(one.order[1:]) < chosen)

    own = [one for one in claims if one.order == f"o{chosen}"]
    behind = queue(committed_stock(stock, {"reno": ahead}), own, TODAY)

    assert behind.of(f"o{chosen}") == queue(stock, claims, TODAY).of(f"o{chosen}")
