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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import partial

from rates.domain.errors import InvalidRequest


@dataclass(frozen=True, slots=True, order=True, init=False)
class DateRange:
    """Both ends inclusive: the thing happens on one day from `earliest` to `latest`."""

    earliest: date
    latest: date

    def __init__(self, earliest: date, latest: date) -> None:
        # Written out, as in the other records a quote makes by the hundred: compiled,
        # a dataclass's own __init__ runs as Python, ten times slower than this.
        if earliest > latest:
            raise InvalidRequest(f"date range {earliest}..{latest} ends before it starts")
        object.__setattr__(self, "earliest", earliest)
        object.__setattr__(self, "latest", latest)

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


# The stock records write out their methods: a quote request holds its lines' stock, and
# is hashed and compared whole when a checkout asks again (`rates.app.recent_answers`);
# the methods the dataclass would write run as Python even when the domain is compiled.


@dataclass(frozen=True, slots=True, init=False)
class InboundLot:
    """A restock on its way to a location. `committed` units are already promised to
    earlier backorders and cannot be allocated again. `supplier` names who sends it (None:
    the SKU's default supplier), whose past lateness calibrates its promises."""

    quantity: int
    eta: DateRange
    id: str | None
    committed: int
    supplier: str | None

    def __init__(self, quantity: int, eta: DateRange, id: str | None = None,
                 committed: int = 0, supplier: str | None = None) -> None:
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "eta", eta)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "committed", committed)
        object.__setattr__(self, "supplier", supplier)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InboundLot):
            return NotImplemented
        return (self.quantity == other.quantity and self.eta.earliest == other.eta.earliest
                and self.eta.latest == other.eta.latest and self.id == other.id
                and self.committed == other.committed and self.supplier == other.supplier)

    def __hash__(self) -> int:
        return hash((self.quantity, self.eta.earliest, self.eta.latest, self.id,
                     self.committed, self.supplier))

    @property
    def free(self) -> int:
        return max(0, self.quantity - self.committed)


@dataclass(frozen=True, slots=True, init=False)
class LocationStock:
    location: str
    on_hand: int
    inbound: tuple[InboundLot, ...]

    def __init__(self, location: str, on_hand: int = 0,
                 inbound: tuple[InboundLot, ...] = ()) -> None:
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "on_hand", on_hand)
        object.__setattr__(self, "inbound", inbound)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LocationStock):
            return NotImplemented
        return (self.location == other.location and self.on_hand == other.on_hand
                and self.inbound == other.inbound)

    def __hash__(self) -> int:
        return hash((self.location, self.on_hand, self.inbound))


@dataclass(frozen=True, slots=True, init=False)
class SkuStock:
    """Everything known about one SKU's availability.

    `lead_time_days` is the supplier's restock time in calendar days, (min, max), for units
    beyond on hand and inbound; None means the supplier cannot be asked for more.
    `lead_time_location` receives those units (default: the cart's preferred location).
    `backorder_limit` caps the units a cart may take beyond on-hand stock; None: no cap.
    `supplier` is who restocks the SKU: its lead time's units, and its lots that name no
    supplier of their own.
    """

    sku: str
    locations: tuple[LocationStock, ...]
    lead_time_days: tuple[int, int] | None
    lead_time_location: str | None
    backorder_limit: int | None
    supplier: str | None

    def __init__(self, sku: str, locations: tuple[LocationStock, ...] = (),
                 lead_time_days: tuple[int, int] | None = None,
                 lead_time_location: str | None = None, backorder_limit: int | None = None,
                 supplier: str | None = None) -> None:
        object.__setattr__(self, "sku", sku)
        object.__setattr__(self, "locations", locations)
        object.__setattr__(self, "lead_time_days", lead_time_days)
        object.__setattr__(self, "lead_time_location", lead_time_location)
        object.__setattr__(self, "backorder_limit", backorder_limit)
        object.__setattr__(self, "supplier", supplier)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SkuStock):
            return NotImplemented
        return (self.sku == other.sku and self.locations == other.locations
                and self.lead_time_days == other.lead_time_days
                and self.lead_time_location == other.lead_time_location
                and self.backorder_limit == other.backorder_limit
                and self.supplier == other.supplier)

    def __hash__(self) -> int:
        return hash((self.sku, self.locations, self.lead_time_days, self.lead_time_location,
                     self.backorder_limit, self.supplier))


@dataclass(frozen=True, slots=True, init=False)
class Allocation:
    """`quantity` units of `sku` (cart line number `line`) from `source` at `location`,
    ready there within `ready` (the ETA for restocks; receiving and handling come later,
    in the window). `supplier`: who restocks backordered units (None: on hand, or not
    named)."""

    line: int
    sku: str
    quantity: int
    location: str
    source: Source
    ready: DateRange
    lot: str | None = None
    supplier: str | None = None

    def __init__(self, line: int, sku: str, quantity: int, location: str, source: Source,
                 ready: DateRange, lot: str | None = None, supplier: str | None = None,
                 ) -> None:  # written out: see DateRange
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "sku", sku)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "ready", ready)
        object.__setattr__(self, "lot", lot)
        object.__setattr__(self, "supplier", supplier)

    @property
    def on_hand(self) -> bool:
        return self.source is Source.ON_HAND


@dataclass(frozen=True, slots=True, init=False)
class LineAllocation:
    sku: str
    quantity: int
    allocations: tuple[Allocation, ...]
    unavailable: int
    reason: str | None = None

    def __init__(self, sku: str, quantity: int, allocations: tuple[Allocation, ...],
                 unavailable: int, reason: str | None = None) -> None:  # see DateRange
        object.__setattr__(self, "sku", sku)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "allocations", allocations)
        object.__setattr__(self, "unavailable", unavailable)
        object.__setattr__(self, "reason", reason)


@dataclass(frozen=True, slots=True, init=False)
class Supply:
    """Units of one SKU a cart may take from one place: on hand at `location`, an inbound
    lot there (`lot_index` in its position's `inbound`), or the supplier's lead time into
    `location`. `ready` is when they are at the location; the strategies rank supplies by
    it and by where they are."""

    location: str
    source: Source
    ready: DateRange
    lot_index: int = -1
    lot: InboundLot | None = None

    def __init__(self, location: str, source: Source, ready: DateRange, lot_index: int = -1,
                 lot: InboundLot | None = None) -> None:  # written out: see DateRange
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "ready", ready)
        object.__setattr__(self, "lot_index", lot_index)
        object.__setattr__(self, "lot", lot)

    @property
    def backordered(self) -> bool:
        return self.source is not Source.ON_HAND


SupplyOrder = Callable[[SkuStock], Iterable[Supply]]
"""The supplies of a SKU in the order a cart takes from them (the sourcing strategy)."""


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


def supplies(stock: SkuStock, today: Mapping[str, date],
             lead_time_at: Sequence[str]) -> list[Supply]:
    """Every supply of `stock`: on hand and inbound lots at each location (a lot never
    ready before today), and the lead time into each of `lead_time_at` (its own
    `lead_time_location` when it names one)."""
    found = [Supply(p.location, Source.ON_HAND, DateRange.on(today[p.location]))
             for p in stock.locations if p.on_hand > 0]
    found.extend(Supply(p.location, Source.INBOUND, lot.eta.not_before(today[p.location]),
                        i, lot)
                 for p in stock.locations for i, lot in enumerate(p.inbound) if lot.free)
    if stock.lead_time_days is not None:
        _check_lead_time_location(stock, today)
        found.extend(_lead_time(stock, location, today)
                     for location in ((stock.lead_time_location,) if stock.lead_time_location
                                      else lead_time_at))
    return found


def allocate(
    lines: Sequence[tuple[str, int, SkuStock]],
    priority: Sequence[str],
    today: Mapping[str, date],
    order: SupplyOrder | None = None,
) -> tuple[LineAllocation, ...]:
    """Allocate each (sku, quantity, stock) line, taking from its supplies in `order`
    (default: the priority order of the module docstring). Whatever the order, on-hand
    units are always taken, backordered ones up to the SKU's `backorder_limit`, and a
    lot's committed units never.

    `priority` lists location ids, most preferred first; `today` is the order's local date
    at each location (they differ near midnight across time zones).
    """
    rank = {loc: i for i, loc in enumerate(priority)}
    check_locations(lines, rank)
    pool = _Pool()
    used: set[str] = set()
    if order is None:
        order = partial(_priority_order, preferred=_preferred_location(lines, priority),
                        rank=rank, today=today, used=used)
    return tuple(_allocate_line(index, sku, quantity, stock, order(stock), pool, used)
                 for index, (sku, quantity, stock) in enumerate(lines))


def check_locations(lines: Sequence[tuple[str, int, SkuStock]],
                    known: Mapping[str, object]) -> None:
    """Raises `InvalidRequest` for stock at a location not among `known`."""
    for _, _, stock in lines:
        for position in stock.locations:
            if position.location not in known:
                raise InvalidRequest(
                    f"{stock.sku}: stock at unknown location {position.location!r}",
                    {"stock": [f"unknown location {position.location!r}"]})


def _preferred_location(lines: Sequence[tuple[str, int, SkuStock]], priority: Sequence[str]) -> str:
    def full_lines(location: str) -> int:
        return sum(
            1 for _, quantity, stock in lines
            if any(p.location == location and p.on_hand >= quantity for p in stock.locations)
        )
    # max() keeps the first of equals, and `priority` is in preference order.
    return max(priority, key=full_lines)


def _priority_order(stock: SkuStock, preferred: str, rank: Mapping[str, int],
                    today: Mapping[str, date], used: set[str]) -> Iterator[Supply]:
    """On hand at the preferred location, then where the cart already ships from, then by
    priority; lots by ETA; the lead time. A generator: the lots are ranked by the
    locations used once the shelves have been taken from."""
    for position in sorted(
            stock.locations,
            key=lambda p: (p.location != preferred, p.location not in used, rank[p.location])):
        yield Supply(position.location, Source.ON_HAND, DateRange.on(today[position.location]))
    lots = sorted(
        ((position.location, lot_index, lot)
         for position in stock.locations for lot_index, lot in enumerate(position.inbound)),
        key=lambda item: (item[2].eta.earliest, item[2].eta.latest,
                          item[0] not in used, rank[item[0]]),
    )
    for location, lot_index, lot in lots:
        yield Supply(location, Source.INBOUND, lot.eta.not_before(today[location]),
                     lot_index, lot)
    if stock.lead_time_days is not None:
        _check_lead_time_location(stock, today)
        yield _lead_time(stock, stock.lead_time_location or preferred, today)


def _check_lead_time_location(stock: SkuStock, today: Mapping[str, date]) -> None:
    location = stock.lead_time_location
    if location is not None and location not in today:
        raise InvalidRequest(f"{stock.sku}: lead time at unknown location {location!r}",
                             {"stock": [f"unknown location {location!r}"]})


def _lead_time(stock: SkuStock, location: str, today: Mapping[str, date]) -> Supply:
    low, high = stock.lead_time_days or (0, 0)
    start = today[location]
    return Supply(location, Source.LEAD_TIME,
                  DateRange(start + timedelta(days=low), start + timedelta(days=high)))


def _allocate_line(
    index: int,
    sku: str,
    quantity: int,
    stock: SkuStock,
    order: Iterable[Supply],
    pool: _Pool,
    used: set[str],
) -> LineAllocation:
    allocations: list[Allocation] = []
    wanted = quantity
    # Units this SKU may still backorder in this cart; None: no cap.
    allowance = (None if stock.backorder_limit is None
                 else max(0, stock.backorder_limit - pool.backordered.get(sku, 0)))
    on_hand = {p.location: p.on_hand for p in stock.locations}
    for supply in order:
        location = supply.location
        if supply.source is Source.ON_HAND:
            key = (sku, location)
            free = pool.on_hand.setdefault(key, max(0, on_hand[location]))
            amount = min(free, wanted)
            pool.on_hand[key] = free - amount
        else:
            amount = min(wanted, wanted if allowance is None else allowance)
            if supply.lot is not None:
                lot_key = (sku, location, supply.lot_index)
                free = pool.lots.setdefault(lot_key, supply.lot.free)
                amount = min(free, amount)
                pool.lots[lot_key] = free - amount
            if allowance is not None:
                allowance -= amount
            if amount:
                pool.backordered[sku] = pool.backordered.get(sku, 0) + amount
        if amount:
            lot = supply.lot
            supplier = (None if supply.source is Source.ON_HAND
                        else (lot.supplier if lot else None) or stock.supplier)
            allocations.append(Allocation(index, sku, amount, location, supply.source,
                                          supply.ready, lot.id if lot else None, supplier))
            wanted -= amount
            used.add(location)
        if not wanted:
            return LineAllocation(sku, quantity, tuple(allocations), 0)

    # With a lead time and allowance left, every unit would have been covered.
    why = (f"at most {stock.backorder_limit} can be backordered" if allowance == 0
           else "no restock is expected")
    reason = (f"{wanted} of {quantity} {sku} cannot be supplied: "
              f"{quantity - wanted} available, {why}")
    return LineAllocation(sku, quantity, tuple(allocations), wanted, reason)
