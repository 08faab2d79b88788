"""Shipment plans: the ways an allocated cart can be split into shipments.

- `together`: one shipment per location, leaving when its last unit is ready.
- `in_stock_first`: on-hand units now; every backordered unit of a location in one later
  shipment.
- `as_available`: on-hand units now, then one shipment per restock group. Restocks join a
  group while their latest ETA is at most `merge_within_days` after the group's first
  latest ETA, so near-simultaneous lots do not cost an extra parcel.
A plan is built only when it differs from the ones before it: an all-in-stock cart gets
`together` alone, and `as_available` with a single restock group equals `in_stock_first`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rates.domain.stock import Allocation, DateRange, Source


class PlanKind(StrEnum):
    TOGETHER = "together"
    IN_STOCK_FIRST = "in_stock_first"
    AS_AVAILABLE = "as_available"
    PICKUP = "pickup"
    """Collected at a store (`rates.domain.quote.pickup`): offered per location, not
    built here."""


SHIPPING_PLANS = (PlanKind.TOGETHER, PlanKind.IN_STOCK_FIRST, PlanKind.AS_AVAILABLE)
"""The plans `build_plans` builds, which a rules file offers and labels."""


@dataclass(frozen=True, slots=True, init=False)
class ShipmentPlan:
    """Units leaving `location` in one parcel set.

    Derived once, since every option of every service reads them: `ready` spans the day
    the last unit is ready (max of the earliest readies .. max of the latest);
    `backordered` is true when any unit is not on hand (the shipment waits for a restock);
    `units` counts the units.
    """

    location: str
    items: tuple[Allocation, ...]
    ready: DateRange = field(init=False)
    backordered: bool = field(init=False)
    units: int = field(init=False)

    def __init__(self, location: str, items: tuple[Allocation, ...]) -> None:
        # Written out (see DateRange), in one pass: every plan of every quote makes these.
        first = items[0].ready
        earliest, latest, backordered, units = first.earliest, first.latest, False, 0
        for item in items:
            ready = item.ready
            earliest, latest = max(earliest, ready.earliest), max(latest, ready.latest)
            backordered = backordered or item.source is not Source.ON_HAND
            units += item.quantity
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "ready", DateRange(earliest, latest))
        object.__setattr__(self, "backordered", backordered)
        object.__setattr__(self, "units", units)


@dataclass(frozen=True, slots=True, init=False)
class Plan:
    kind: PlanKind
    shipments: tuple[ShipmentPlan, ...]

    def __init__(self, kind: PlanKind, shipments: tuple[ShipmentPlan, ...]) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "shipments", shipments)


def build_plans(
    allocations: Sequence[Allocation],
    kinds: Sequence[PlanKind],
    locations: Sequence[str],
    merge_within_days: int = 0,
) -> list[Plan]:
    """The distinct plans among `kinds` (in that order) for these allocations.

    `locations` gives the order shipments from several places are listed in (priority).
    """
    if not allocations:
        return []
    order = {loc: i for i, loc in enumerate(locations)}
    plans: list[Plan] = []
    seen: set[frozenset[tuple[str, frozenset[int]]]] = set()
    for kind in kinds:
        if kind is PlanKind.TOGETHER:
            shipments = _together(allocations, order)
        elif kind is PlanKind.IN_STOCK_FIRST:
            shipments = _in_stock_first(allocations, order)
        elif kind is PlanKind.AS_AVAILABLE:
            shipments = _as_available(allocations, order, merge_within_days)
        else:
            raise ValueError(f"{kind} is not a plan of shipments")
        # Every builder files the same allocation objects, each in one shipment: identity
        # tells plans apart as well as equality, without hashing every field of each.
        shape = frozenset((s.location, frozenset(map(id, s.items))) for s in shipments)
        if shape not in seen:
            seen.add(shape)
            plans.append(Plan(kind, shipments))
    return plans


def _by_location(items: Sequence[Allocation],
                 order: dict[str, int]) -> list[tuple[str, list[Allocation]]]:
    groups: dict[str, list[Allocation]] = {}
    for item in items:
        groups.setdefault(item.location, []).append(item)
    return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))


def _together(items: Sequence[Allocation], order: dict[str, int]) -> tuple[ShipmentPlan, ...]:
    return tuple(ShipmentPlan(loc, tuple(group)) for loc, group in _by_location(items, order))


def _on_hand_now(items: Sequence[Allocation], order: dict[str, int]) -> list[ShipmentPlan]:
    return [ShipmentPlan(loc, tuple(group))
            for loc, group in _by_location([a for a in items if a.on_hand], order)]


def _in_stock_first(items: Sequence[Allocation], order: dict[str, int]) -> tuple[ShipmentPlan, ...]:
    later = [ShipmentPlan(loc, tuple(group))
             for loc, group in _by_location([a for a in items if not a.on_hand], order)]
    return tuple(_on_hand_now(items, order) + later)


def _as_available(items: Sequence[Allocation], order: dict[str, int],
                  merge_within_days: int) -> tuple[ShipmentPlan, ...]:
    later: list[ShipmentPlan] = []
    for loc, group in _by_location([a for a in items if not a.on_hand], order):
        group.sort(key=lambda a: (a.ready.latest, a.ready.earliest))
        batch: list[Allocation] = []
        for item in group:
            if batch and (item.ready.latest - batch[0].ready.latest).days > merge_within_days:
                later.append(ShipmentPlan(loc, tuple(batch)))
                batch = []
            batch.append(item)
        later.append(ShipmentPlan(loc, tuple(batch)))
    later.sort(key=lambda s: (s.ready.latest, s.ready.earliest, order.get(s.location, 0)))
    return tuple(_on_hand_now(items, order) + later)
