"""Stock positions and the allocation of ordered units to on-hand stock and restocks.

Allocation order for each line (DESIGN section 3), so that a cart ships from as few places
and as early as it can:
1. on hand at the cart's preferred location: the one that can fill the most lines
   entirely from its shelves (ties go to the higher-priority location);
2. on hand at other locations, those the cart already ships from first, then by priority;
3. inbound lots, earliest ETA first, after the units already promised to earlier
   backorders (`InboundLot.committed`);
4. the supplier's lead time, a range of calendar days from today.
Steps 3 and 4 together may cover at most `SkuStock.backorder_limit` units (None: no cap).
Whatever is left is *unavailable*: reported on the line, never put in a shipment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from rates.domain.errors import InvalidRequest


@dataclass(frozen=True, slots=True, order=True)
class DateRange:
    """Both ends inclusive: the thing happens on one day from `earliest` to `latest`."""

    earliest: date
    latest: date

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise InvalidRequest(f"date range {self.earliest}..{self.latest} ends before it starts")

    @classmethod
    def on(cls, day: date) -> DateRange:
        return cls(day, day)

    def not_before(self, day: date) -> DateRange:
        """This range with both ends moved up to `day` where they lie before it."""
        return DateRange(max(self.earliest, day), max(self.latest, day))

    def __str__(self) -> str:
        if self.earliest == self.latest:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"


class Source(StrEnum):
    ON_HAND = "on_hand"
    INBOUND = "inbound"
    LEAD_TIME = "lead_time"


class StockClass(StrEnum):
    """How a cart (or a shipment) stands: every unit on hand, none, or some."""

    IN_STOCK = "in_stock"
    BACKORDERED = "backordered"
    MIXED = "mixed"


@dataclass(frozen=True, slots=True)
class InboundLot:
    """A restock on its way to a location. `committed` units are already promised to
    earlier backorders and cannot be allocated again."""

    quantity: int
    eta: DateRange
    id: str | None = None
    committed: int = 0

    @property
    def free(self) -> int:
        return max(0, self.quantity - self.committed)


@dataclass(frozen=True, slots=True)
class LocationStock:
    location: str
    on_hand: int = 0
    inbound: tuple[InboundLot, ...] = ()


@dataclass(frozen=True, slots=True)
class SkuStock:
    """Everything known about one SKU's availability.

    `lead_time_days` is the supplier's restock time in calendar days, (min, max), for units
    beyond on hand and inbound; None means the supplier cannot be asked for more.
    `lead_time_location` receives those units (default: the cart's preferred location).
    `backorder_limit` caps the units a cart may take beyond on-hand stock; None: no cap.
    """

    sku: str
    locations: tuple[LocationStock, ...] = ()
    lead_time_days: tuple[int, int] | None = None
    lead_time_location: str | None = None
    backorder_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Allocation:
    """`quantity` units of `sku` (cart line number `line`) from `source` at `location`,
    ready there within `ready` (the ETA for restocks; receiving and handling come later,
    in the window)."""

    line: int
    sku: str
    quantity: int
    location: str
    source: Source
    ready: DateRange
    lot: str | None = None

    @property
    def on_hand(self) -> bool:
        return self.source is Source.ON_HAND


@dataclass(frozen=True, slots=True)
class LineAllocation:
    sku: str
    quantity: int
    allocations: tuple[Allocation, ...]
    unavailable: int
    reason: str | None = None


@dataclass(slots=True)
class _Pool:
    """Stock still free while one cart is allocated; lines of the same SKU share it."""

    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)
    lots: dict[tuple[str, str, int], int] = field(default_factory=dict)
    backordered: dict[str, int] = field(default_factory=dict)


def stock_class(allocations: Sequence[Allocation]) -> StockClass:
    on_hand = sum(a.quantity for a in allocations if a.on_hand)
    if on_hand == sum(a.quantity for a in allocations):
        return StockClass.IN_STOCK
    return StockClass.BACKORDERED if on_hand == 0 else StockClass.MIXED


def allocate(
    lines: Sequence[tuple[str, int, SkuStock]],
    priority: Sequence[str],
    today: Mapping[str, date],
) -> tuple[LineAllocation, ...]:
    """Allocate each (sku, quantity, stock) line; see the module docstring for the order.

    `priority` lists location ids, most preferred first; `today` is the order's local date
    at each location (they differ near midnight across time zones).
    """
    rank = {loc: i for i, loc in enumerate(priority)}
    for _, _, stock in lines:
        for position in stock.locations:
            if position.location not in rank:
                raise InvalidRequest(
                    f"{stock.sku}: stock at unknown location {position.location!r}",
                    {"stock": [f"unknown location {position.location!r}"]})
    preferred = _preferred_location(lines, priority)
    pool = _Pool()
    used: set[str] = set()
    result = []
    for index, (sku, quantity, stock) in enumerate(lines):
        result.append(
            _allocate_line(index, sku, quantity, stock, preferred, rank, today, pool, used))
    return tuple(result)


def _preferred_location(lines: Sequence[tuple[str, int, SkuStock]], priority: Sequence[str]) -> str:
    def full_lines(location: str) -> int:
        return sum(
            1 for _, quantity, stock in lines
            if any(p.location == location and p.on_hand >= quantity for p in stock.locations)
        )
    # max() keeps the first of equals, and `priority` is in preference order.
    return max(priority, key=full_lines)


def _allocate_line(
    index: int,
    sku: str,
    quantity: int,
    stock: SkuStock,
    preferred: str,
    rank: Mapping[str, int],
    today: Mapping[str, date],
    pool: _Pool,
    used: set[str],
) -> LineAllocation:
    allocations: list[Allocation] = []
    wanted = quantity

    def take(amount: int, location: str, source: Source, ready: DateRange, lot: str | None) -> None:
        nonlocal wanted
        allocations.append(Allocation(index, sku, amount, location, source, ready, lot))
        wanted -= amount
        used.add(location)

    shelves = sorted(
        stock.locations,
        key=lambda p: (p.location != preferred, p.location not in used, rank[p.location]),
    )
    for position in shelves:
        key = (sku, position.location)
        free = pool.on_hand.setdefault(key, max(0, position.on_hand))
        amount = min(free, wanted)
        if amount:
            pool.on_hand[key] = free - amount
            local_today = today[position.location]
            take(amount, position.location, Source.ON_HAND, DateRange.on(local_today), None)
        if not wanted:
            return LineAllocation(sku, quantity, tuple(allocations), 0)

    # Units this SKU may still backorder in this cart; None: no cap.
    allowance = (None if stock.backorder_limit is None
                 else max(0, stock.backorder_limit - pool.backordered.get(sku, 0)))

    def backorder(amount: int, location: str, source: Source, ready: DateRange,
                  lot: str | None) -> None:
        nonlocal allowance
        if allowance is not None:
            allowance -= amount
        pool.backordered[sku] = pool.backordered.get(sku, 0) + amount
        take(amount, location, source, ready, lot)

    lots = sorted(
        ((position.location, lot_index, lot)
         for position in stock.locations for lot_index, lot in enumerate(position.inbound)),
        key=lambda item: (item[2].eta.earliest, item[2].eta.latest,
                          item[0] not in used, rank[item[0]]),
    )
    for location, lot_index, lot in lots:
        lot_key = (sku, location, lot_index)
        free = pool.lots.setdefault(lot_key, lot.free)
        amount = min(free, wanted, wanted if allowance is None else allowance)
        if amount:
            pool.lots[lot_key] = free - amount
            backorder(amount, location, Source.INBOUND, lot.eta.not_before(today[location]),
                      lot.id)

    if wanted and allowance != 0 and stock.lead_time_days is not None:
        location = stock.lead_time_location or preferred
        if location not in rank:
            raise InvalidRequest(f"{sku}: lead time at unknown location {location!r}",
                                 {"stock": [f"unknown location {location!r}"]})
        low, high = stock.lead_time_days
        start = today[location]
        ready = DateRange(start + timedelta(days=low), start + timedelta(days=high))
        backorder(min(wanted, wanted if allowance is None else allowance), location,
                  Source.LEAD_TIME, ready, None)

    reason = None
    if wanted:
        # With a lead time and allowance left, every unit would have been covered.
        why = (f"at most {stock.backorder_limit} can be backordered" if allowance == 0
               else "no restock is expected")
        reason = (f"{wanted} of {quantity} {sku} cannot be supplied: "
                  f"{quantity - wanted} available, {why}")
    return LineAllocation(sku, quantity, tuple(allocations), wanted, reason)
