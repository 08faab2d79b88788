"""Allocation of ordered units to on-hand stock, restocks and lead time (DESIGN section 3)."""

from __future__ import annotations

from datetime import date

import pytest

from rates.domain.errors import InvalidRequest
from rates.domain.stock import (
    Allocation,
    DateRange,
    InboundLot,
    LocationStock,
    SkuStock,
    Source,
    StockClass,
    allocate,
    stock_class,
)
from tests.support.domain import d, span

PRIORITY = ("reno", "toronto", "dallas")
TODAY = {"reno": date(2026, 11, 23), "toronto": date(2026, 11, 23), "dallas": date(2026, 11, 23)}


def summary(line):
    """(quantity, location, source, lot) per allocation: easy to compare by hand."""
    return [(a.quantity, a.location, str(a.source), a.lot) for a in line.allocations]


def test_on_hand_at_the_preferred_location_fills_the_line():
    stock = SkuStock("TENT", (LocationStock("reno", on_hand=5),))
    (line,) = allocate([("TENT", 3, stock)], PRIORITY, TODAY)
    assert summary(line) == [(3, "reno", "on_hand", None)]
    assert line.unavailable == 0 and line.reason is None
    assert line.allocations[0].ready == span("2026-11-23")
    assert line.allocations[0].line == 0


def test_preferred_location_is_the_one_filling_the_most_lines_on_hand():
    # reno (first in priority) can fill TENT only; toronto can fill TENT and LANTERN:
    # toronto is preferred, and both lines ship from there.
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=9), LocationStock("toronto", 9)))
    lantern = SkuStock("LANTERN", (LocationStock("reno", on_hand=1),
                                   LocationStock("toronto", on_hand=4)))
    lines = allocate([("TENT", 2, tent), ("LANTERN", 2, lantern)], PRIORITY, TODAY)
    assert [summary(line) for line in lines] == [
        [(2, "toronto", "on_hand", None)],
        [(2, "toronto", "on_hand", None)],
    ]


def test_preferred_location_ties_go_to_the_higher_priority():
    tent = SkuStock("TENT", (LocationStock("toronto", on_hand=9), LocationStock("reno", 9)))
    (line,) = allocate([("TENT", 2, tent)], PRIORITY, TODAY)
    assert summary(line) == [(2, "reno", "on_hand", None)]


def test_on_hand_elsewhere_comes_before_a_restock_at_the_preferred_location():
    # reno has 2 on hand and a restock; toronto 3 on hand: 2 reno + 3 toronto, no restock.
    lot = InboundLot(10, span("2026-12-01"), id="reno-lot")
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=2, inbound=(lot,)),
                             LocationStock("toronto", on_hand=3)))
    (line,) = allocate([("TENT", 5, tent)], PRIORITY, TODAY)
    assert summary(line) == [(2, "reno", "on_hand", None), (3, "toronto", "on_hand", None)]


def test_on_hand_elsewhere_prefers_a_location_the_cart_already_ships_from():
    # Preferred: reno, toronto and dallas each fill one line entirely -> reno (priority).
    # TENT x2: 1 at reno, then 1 at dallas (the only other place with TENT): used = reno,
    # dallas. STOVE x1 at toronto or dallas: dallas, which the cart already ships from,
    # beats toronto's higher priority.
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=1), LocationStock("dallas", 1)))
    stove = SkuStock("STOVE", (LocationStock("toronto", on_hand=1),
                               LocationStock("dallas", on_hand=1)))
    mug = SkuStock("MUG", (LocationStock("reno", on_hand=1),))
    lines = allocate([("TENT", 2, tent), ("STOVE", 1, stove), ("MUG", 1, mug)],
                     PRIORITY, TODAY)
    assert summary(lines[0]) == [(1, "reno", "on_hand", None), (1, "dallas", "on_hand", None)]
    assert summary(lines[1]) == [(1, "dallas", "on_hand", None)]
    assert summary(lines[2]) == [(1, "reno", "on_hand", None)]


def test_inbound_lots_are_first_in_first_out_after_committed_units():
    # Lots at reno, by ETA: B Dec 1-3 (4, 3 committed: 1 free), C Dec 5-7 (10 free),
    # A Dec 10-12 (5, all committed). Order 4 with none on hand: 1 from B, 3 from C.
    lots = (InboundLot(5, span("2026-12-10", "2026-12-12"), id="A", committed=5),
            InboundLot(4, span("2026-12-01", "2026-12-03"), id="B", committed=3),
            InboundLot(10, span("2026-12-05", "2026-12-07"), id="C"))
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=0, inbound=lots),))
    (line,) = allocate([("TENT", 4, tent)], PRIORITY, TODAY)
    assert summary(line) == [(1, "reno", "inbound", "B"), (3, "reno", "inbound", "C")]
    assert [a.ready for a in line.allocations] == [span("2026-12-01", "2026-12-03"),
                                                    span("2026-12-05", "2026-12-07")]


def test_inbound_lot_already_overdue_is_ready_today_not_in_the_past():
    lot = InboundLot(5, span("2026-11-20", "2026-11-24"), id="late")
    tent = SkuStock("TENT", (LocationStock("reno", inbound=(lot,)),))
    (line,) = allocate([("TENT", 1, tent)], PRIORITY, TODAY)
    assert line.allocations[0].ready == span("2026-11-23", "2026-11-24")


def test_units_beyond_stock_and_restocks_come_from_supplier_lead_time():
    # 1 on hand, lead time 10-14 calendar days from Nov 23: ready Dec 3 .. Dec 7.
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=1),), lead_time_days=(10, 14))
    (line,) = allocate([("TENT", 3, tent)], PRIORITY, TODAY)
    assert summary(line) == [(1, "reno", "on_hand", None), (2, "reno", "lead_time", None)]
    assert line.allocations[1].ready == span("2026-12-03", "2026-12-07")
    assert line.unavailable == 0


def test_lead_time_units_arrive_at_the_named_location():
    tent = SkuStock("TENT", (), lead_time_days=(2, 3), lead_time_location="toronto")
    today = {**TODAY, "toronto": date(2026, 11, 24)}
    (line,) = allocate([("TENT", 1, tent)], PRIORITY, today)
    assert summary(line) == [(1, "toronto", "lead_time", None)]
    assert line.allocations[0].ready == span("2026-11-26", "2026-11-27")


def test_lead_time_at_an_unknown_location_is_refused():
    tent = SkuStock("TENT", (), lead_time_days=(2, 3), lead_time_location="paris")
    with pytest.raises(InvalidRequest, match="paris"):
        allocate([("TENT", 1, tent)], PRIORITY, TODAY)


def test_stock_at_an_unknown_location_is_refused():
    tent = SkuStock("TENT", (LocationStock("paris", on_hand=3),))
    with pytest.raises(InvalidRequest, match="unknown location 'paris'"):
        allocate([("TENT", 1, tent)], PRIORITY, TODAY)


def test_backorder_limit_caps_restock_units_and_reports_the_rest():
    # 1 on hand, a lot of 10, at most 2 backordered: 1 + 2, 2 of 5 unavailable.
    lot = InboundLot(10, span("2026-12-01"), id="L")
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=1, inbound=(lot,)),),
                    lead_time_days=(10, 14), backorder_limit=2)
    (line,) = allocate([("TENT", 5, tent)], PRIORITY, TODAY)
    assert summary(line) == [(1, "reno", "on_hand", None), (2, "reno", "inbound", "L")]
    assert line.unavailable == 2
    assert line.reason == ("2 of 5 TENT cannot be supplied: 3 available, "
                           "at most 2 can be backordered")


def test_backorder_limit_is_shared_by_lines_of_the_same_sku():
    # Limit 3, nothing on hand: line 1 backorders 2, line 2 gets 1 and misses 1.
    lot = InboundLot(10, span("2026-12-01"), id="L")
    tent = SkuStock("TENT", (LocationStock("reno", inbound=(lot,)),), backorder_limit=3)
    first, second = allocate([("TENT", 2, tent), ("TENT", 2, tent)], PRIORITY, TODAY)
    assert summary(first) == [(2, "reno", "inbound", "L")]
    assert summary(second) == [(1, "reno", "inbound", "L")]
    assert (first.unavailable, second.unavailable) == (0, 1)


def test_backorder_limit_of_zero_allows_on_hand_only():
    lot = InboundLot(10, span("2026-12-01"), id="L")
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=2, inbound=(lot,)),),
                    lead_time_days=(5, 6), backorder_limit=0)
    (line,) = allocate([("TENT", 3, tent)], PRIORITY, TODAY)
    assert summary(line) == [(2, "reno", "on_hand", None)]
    assert line.unavailable == 1


def test_lead_time_covers_what_the_lots_leave_within_the_limit():
    # 0 on hand, lot of 2, lead time, limit 3, order 5: 2 from the lot, 1 by lead time, 2
    # unavailable.
    lot = InboundLot(2, span("2026-12-01"), id="L")
    tent = SkuStock("TENT", (LocationStock("reno", inbound=(lot,)),),
                    lead_time_days=(10, 10), backorder_limit=3)
    (line,) = allocate([("TENT", 5, tent)], PRIORITY, TODAY)
    assert summary(line) == [(2, "reno", "inbound", "L"), (1, "reno", "lead_time", None)]
    assert line.unavailable == 2


def test_on_hand_is_shared_by_lines_of_the_same_sku():
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=3),))
    first, second = allocate([("TENT", 2, tent), ("TENT", 2, tent)], PRIORITY, TODAY)
    assert summary(first) == [(2, "reno", "on_hand", None)]
    assert summary(second) == [(1, "reno", "on_hand", None)]
    assert second.unavailable == 1
    assert second.allocations[0].line == 1


def test_unavailable_without_any_restock_says_none_is_expected():
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=1),))
    (line,) = allocate([("TENT", 3, tent)], PRIORITY, TODAY)
    assert line.unavailable == 2
    assert line.reason == "2 of 3 TENT cannot be supplied: 1 available, no restock is expected"


def test_unavailable_reason_does_not_blame_a_limit_that_was_not_reached():
    # Limit 10, but the only restock is a lot of 2 and there is no lead time: 2 of 5 are
    # covered and the limit never bound. "at most 10 can be backordered" would be false.
    lot = InboundLot(2, span("2026-12-01"), id="L")
    tent = SkuStock("TENT", (LocationStock("reno", inbound=(lot,)),), backorder_limit=10)
    (line,) = allocate([("TENT", 5, tent)], PRIORITY, TODAY)
    assert line.unavailable == 3
    assert line.reason is not None
    assert line.reason.startswith("3 of 5 TENT cannot be supplied: 2 available")
    assert "at most 10" not in line.reason


def test_negative_on_hand_counts_as_none():
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=-2),), lead_time_days=(3, 4))
    (line,) = allocate([("TENT", 1, tent)], PRIORITY, TODAY)
    assert summary(line) == [(1, "reno", "lead_time", None)]


def test_on_hand_is_ready_on_each_locations_own_local_date():
    tent = SkuStock("TENT", (LocationStock("reno", on_hand=1), LocationStock("toronto", 1)))
    today = {**TODAY, "toronto": date(2026, 11, 24)}
    (line,) = allocate([("TENT", 2, tent)], PRIORITY, today)
    assert [a.ready for a in line.allocations] == [span("2026-11-23"), span("2026-11-24")]


def test_stock_class_of_allocations():
    def unit(source: Source) -> Allocation:
        return Allocation(0, "TENT", 1, "reno", source, DateRange.on(d("2026-11-23")))

    assert stock_class([unit(Source.ON_HAND)]) is StockClass.IN_STOCK
    assert stock_class([unit(Source.INBOUND), unit(Source.LEAD_TIME)]) is StockClass.BACKORDERED
    assert stock_class([unit(Source.ON_HAND), unit(Source.INBOUND)]) is StockClass.MIXED


def test_date_range_refuses_an_end_before_its_start():
    with pytest.raises(InvalidRequest):
        DateRange(d("2026-12-02"), d("2026-12-01"))


def test_date_range_not_before_moves_only_the_ends_before_the_day():
    assert span("2026-11-20", "2026-11-30").not_before(d("2026-11-23")) == span(
        "2026-11-23", "2026-11-30")
    assert span("2026-11-20", "2026-11-21").not_before(d("2026-11-23")) == span("2026-11-23")
    assert str(span("2026-11-20", "2026-11-21")) == "2026-11-20..2026-11-21"
    assert str(span("2026-11-20")) == "2026-11-20"
