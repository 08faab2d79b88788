"""Shipment plans: together, in_stock_first, as_available (DESIGN section 3)."""

from __future__ import annotations

from rates.domain.plans import PlanKind, ShipmentPlan, build_plans
from rates.domain.stock import Allocation, Source
from tests.support.domain import span

ALL_KINDS = (PlanKind.TOGETHER, PlanKind.IN_STOCK_FIRST, PlanKind.AS_AVAILABLE)
LOCATIONS = ("reno", "toronto")
TODAY = "2026-11-23"


def on_hand(line: int, sku: str, quantity: int, location: str = "reno") -> Allocation:
    return Allocation(line, sku, quantity, location, Source.ON_HAND, span(TODAY))


def inbound(line: int, sku: str, quantity: int, earliest: str, latest: str,
            location: str = "reno") -> Allocation:
    return Allocation(line, sku, quantity, location, Source.INBOUND, span(earliest, latest),
                      f"{sku}-{latest}")


def layout(plan):
    """Each shipment as (location, [(sku, quantity, source)]) for hand comparison."""
    return [(s.location, [(a.sku, a.quantity, str(a.source)) for a in s.items])
            for s in plan.shipments]


def test_all_in_stock_cart_gets_only_together():
    allocations = [on_hand(0, "TENT", 2), on_hand(1, "LANTERN", 1, "toronto")]
    plans = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    assert [p.kind for p in plans] == [PlanKind.TOGETHER]
    assert layout(plans[0]) == [("reno", [("TENT", 2, "on_hand")]),
                                ("toronto", [("LANTERN", 1, "on_hand")])]


def test_together_ships_each_location_once_when_its_last_unit_is_ready():
    allocations = [on_hand(0, "TENT", 2),
                   inbound(0, "TENT", 1, "2026-12-10", "2026-12-14"),
                   inbound(1, "STOVE", 1, "2026-12-01", "2026-12-02")]
    (together, *_) = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    assert together.kind is PlanKind.TOGETHER
    (shipment,) = together.shipments
    assert shipment.units == 4
    assert shipment.backordered
    # ready = [max of earliest, max of latest] = [Dec 10, Dec 14].
    assert shipment.ready == span("2026-12-10", "2026-12-14")


def test_mixed_cart_with_one_restock_group_gets_together_and_in_stock_first():
    # A line split across shipments: 2 TENT on hand now, 3 TENT when restocked.
    allocations = [on_hand(0, "TENT", 2), inbound(0, "TENT", 3, "2026-12-01", "2026-12-02")]
    plans = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    assert [p.kind for p in plans] == [PlanKind.TOGETHER, PlanKind.IN_STOCK_FIRST]
    assert layout(plans[1]) == [("reno", [("TENT", 2, "on_hand")]),
                                ("reno", [("TENT", 3, "inbound")])]
    now, later = plans[1].shipments
    assert (now.backordered, later.backordered) == (False, True)
    assert later.ready == span("2026-12-01", "2026-12-02")


def test_restocks_far_apart_give_all_three_plans():
    # Latest ETAs Dec 2 and Dec 14: 12 days apart > 3, so as_available has two restock
    # shipments, the earlier first, and differs from in_stock_first.
    allocations = [on_hand(0, "TENT", 2), on_hand(1, "LANTERN", 2),
                   inbound(0, "TENT", 1, "2026-12-10", "2026-12-14"),
                   inbound(2, "STOVE", 1, "2026-12-01", "2026-12-02")]
    plans = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    assert [p.kind for p in plans] == list(ALL_KINDS)
    assert layout(plans[1]) == [
        ("reno", [("TENT", 2, "on_hand"), ("LANTERN", 2, "on_hand")]),
        ("reno", [("TENT", 1, "inbound"), ("STOVE", 1, "inbound")]),
    ]
    assert layout(plans[2]) == [
        ("reno", [("TENT", 2, "on_hand"), ("LANTERN", 2, "on_hand")]),
        ("reno", [("STOVE", 1, "inbound")]),
        ("reno", [("TENT", 1, "inbound")]),
    ]


def test_restocks_within_merge_days_of_the_groups_first_ship_together():
    # Latest ETAs Dec 2, Dec 5, Dec 6, merge 3: Dec 5 is 3 days after Dec 2 (joins);
    # Dec 6 is 4 days after Dec 2 (the group's first), so it starts a new group.
    allocations = [on_hand(0, "MUG", 1),
                   inbound(1, "A", 1, "2026-12-01", "2026-12-02"),
                   inbound(2, "B", 1, "2026-12-04", "2026-12-05"),
                   inbound(3, "C", 1, "2026-12-06", "2026-12-06")]
    plans = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    as_available = plans[-1]
    assert as_available.kind is PlanKind.AS_AVAILABLE
    assert layout(as_available) == [("reno", [("MUG", 1, "on_hand")]),
                                    ("reno", [("A", 1, "inbound"), ("B", 1, "inbound")]),
                                    ("reno", [("C", 1, "inbound")])]


def test_as_available_with_a_single_restock_group_is_dropped_as_a_duplicate():
    allocations = [on_hand(0, "MUG", 1),
                   inbound(1, "A", 1, "2026-12-01", "2026-12-02"),
                   inbound(2, "B", 1, "2026-12-04", "2026-12-05")]
    plans = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    assert [p.kind for p in plans] == [PlanKind.TOGETHER, PlanKind.IN_STOCK_FIRST]
    wider = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=2)
    assert [p.kind for p in wider] == list(ALL_KINDS)


def test_all_backordered_at_one_location_in_one_group_gets_only_together():
    allocations = [inbound(0, "A", 1, "2026-12-01", "2026-12-02"),
                   inbound(1, "B", 2, "2026-12-01", "2026-12-03")]
    plans = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    assert [p.kind for p in plans] == [PlanKind.TOGETHER]


def test_in_stock_first_ships_each_locations_backorders_in_one_later_shipment():
    allocations = [on_hand(0, "TENT", 1, "toronto"), on_hand(1, "MUG", 1, "reno"),
                   inbound(0, "TENT", 1, "2026-12-01", "2026-12-02", "toronto"),
                   inbound(2, "A", 1, "2026-12-20", "2026-12-22", "reno"),
                   inbound(3, "B", 1, "2026-12-01", "2026-12-01", "reno")]
    plans = build_plans(allocations, ALL_KINDS, LOCATIONS, merge_within_days=3)
    in_stock_first = next(p for p in plans if p.kind is PlanKind.IN_STOCK_FIRST)
    # On-hand shipments first, then backorders, each group in location priority order.
    assert layout(in_stock_first) == [
        ("reno", [("MUG", 1, "on_hand")]),
        ("toronto", [("TENT", 1, "on_hand")]),
        ("reno", [("A", 1, "inbound"), ("B", 1, "inbound")]),
        ("toronto", [("TENT", 1, "inbound")]),
    ]
    together = plans[0]
    assert [s.location for s in together.shipments] == ["reno", "toronto"]


def test_only_the_plans_the_merchant_allows_are_built_in_the_given_order():
    allocations = [on_hand(0, "TENT", 2), inbound(0, "TENT", 3, "2026-12-01", "2026-12-02")]
    plans = build_plans(allocations, (PlanKind.IN_STOCK_FIRST, PlanKind.TOGETHER),
                        LOCATIONS)
    assert [p.kind for p in plans] == [PlanKind.IN_STOCK_FIRST, PlanKind.TOGETHER]
    only = build_plans(allocations, (PlanKind.AS_AVAILABLE,), LOCATIONS)
    assert [p.kind for p in only] == [PlanKind.AS_AVAILABLE]


def test_nothing_allocated_gives_no_plan():
    assert build_plans([], ALL_KINDS, LOCATIONS) == []


def test_shipment_plan_ready_backordered_and_units():
    shipment = ShipmentPlan("reno", (on_hand(0, "TENT", 2),
                                     inbound(1, "A", 3, "2026-12-01", "2026-12-09"),
                                     inbound(2, "B", 1, "2026-12-05", "2026-12-06")))
    assert shipment.ready == span("2026-12-05", "2026-12-09")
    assert shipment.backordered
    assert shipment.units == 6
    assert not ShipmentPlan("reno", (on_hand(0, "TENT", 2),)).backordered
