"""The backorder queue: accepted orders wait for restocks first come, first served.

An accepted order's backordered units are `Claim`s on a SKU at a location. The queue
walks the claims in acceptance order and gives each the earliest units still free in that
location's inbound lots (earliest ETA first, after the lot's own `committed` units). Units
no lot can cover wait for the supplier's lead time, or, with none, for nothing at all.

Everything about backorders follows from this one walk, so the answers always agree:
- a new quote sees each lot with the queue's units added to `committed`, so its units
  come from a later lot than any accepted order's;
- an order is accepted only if the queue, with it appended, still places its units by the
  dates it was promised (two orders racing for a lot's last unit: the second is refused);
- an order's current estimate is where the queue places its units now, after lots slipped,
  shrank or were cancelled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from rates.domain.stock import DateRange, InboundLot, SkuStock, Source


@dataclass(frozen=True, slots=True)
class Claim:
    """`quantity` backordered units of `sku` that order `order` waits for at `location`.

    `promised` is the ready range the promise was made with. `lead_time_from` anchors a
    supplier lead time: the order's local date when the claim was already on lead time at
    acceptance (the supplier was asked then); None when it came from a lot, so that if the
    lot fails the supplier is asked from the day that is noticed.
    """

    order: str
    sku: str
    location: str
    quantity: int
    promised: DateRange
    lot: str | None = None
    lead_time_from: date | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the queue puts `quantity` units of a claim: a lot, the supplier's lead time,
    or nowhere (`ready` None: no restock is expected for them)."""

    quantity: int
    source: Source
    ready: DateRange | None
    lot: str | None = None


@dataclass(frozen=True, slots=True)
class QueuedStock:
    """A SKU after the queue: `stock` with every lot's `committed` raised by the units the
    queue put there (what a new quote may still take), and the placements of each of
    `claims` (in the order given)."""

    stock: SkuStock
    claims: tuple[Claim, ...]
    placements: tuple[tuple[Placement, ...], ...]
    _by_order: Mapping[str, list[tuple[Placement, ...]]] = field(init=False, repr=False,
                                                                 compare=False)

    def __post_init__(self) -> None:
        # The at-risk sweep asks for every order of a queue: one pass, not one per order.
        by_order: dict[str, list[tuple[Placement, ...]]] = {}
        for claim, placed in zip(self.claims, self.placements, strict=True):
            by_order.setdefault(claim.order, []).append(placed)
        object.__setattr__(self, "_by_order", by_order)

    def of(self, order: str) -> list[tuple[Placement, ...]]:
        """The placements of `order`'s claims, in the order's own claim order."""
        return list(self._by_order.get(order, ()))


def queue(stock: SkuStock, claims: Sequence[Claim], today: Mapping[str, date]) -> QueuedStock:
    """Place `claims` (all of `stock.sku`, in acceptance order) on the SKU's lots.

    `today` is the local date at each location: an ETA already past is read as today (the
    lot is late but may still come), as in allocation.
    """
    taken: dict[tuple[str, int], int] = {}
    lots_at = _lots_at(stock)
    placements = []
    for claim in claims:
        if claim.sku != stock.sku:
            raise ValueError(f"claim of order {claim.order} is for {claim.sku}, not {stock.sku}")
        placed = [Placement(amount, Source.INBOUND,
                            lot.eta.not_before(today[claim.location]), lot.id)
                  for lot, amount in _fill(lots_at, taken, claim.location, claim.quantity)]
        wanted = claim.quantity - sum(p.quantity for p in placed)
        if wanted:
            placed.append(_beyond_lots(stock, claim, wanted, today[claim.location]))
        placements.append(tuple(placed))
    return QueuedStock(_committed(stock, taken), tuple(claims), tuple(placements))


def committed_stock(stock: SkuStock, claimed: Mapping[str, int]) -> SkuStock:
    """What `queue` leaves a new quote of `stock` (its `.stock`), from the units the open
    orders claim at each location in all. Every claim fills the same lots in the same
    order, so the lots end as full as after the claims one by one; a quote of a SKU with a
    thousand waiting orders reads one total per location, not a thousand claims."""
    taken: dict[tuple[str, int], int] = {}
    lots_at = _lots_at(stock)
    for location, units in claimed.items():
        for _ in _fill(lots_at, taken, location, units):
            pass
    return _committed(stock, taken)


_Lots = Mapping[str, list[tuple[int, InboundLot]]]


def _lots_at(stock: SkuStock) -> _Lots:
    """Each location's lots as (index, lot), earliest ETA first: the order claims fill."""
    return {p.location: sorted(enumerate(p.inbound),
                               key=lambda item: (item[1].eta.earliest, item[1].eta.latest))
            for p in stock.locations}


def _fill(lots_at: _Lots, taken: dict[tuple[str, int], int], location: str,
          wanted: int) -> Iterator[tuple[InboundLot, int]]:
    """(lot, units) for up to `wanted` units from `location`'s lots, earliest first, each
    after its own committed units and what `taken` already holds (updated as it goes)."""
    for index, lot in lots_at.get(location, ()):
        key = (location, index)
        amount = min(wanted, lot.free - taken.get(key, 0))
        if amount > 0:
            taken[key] = taken.get(key, 0) + amount
            wanted -= amount
            yield lot, amount
        if not wanted:
            return


def _beyond_lots(stock: SkuStock, claim: Claim, quantity: int, today: date) -> Placement:
    if stock.lead_time_days is None:
        return Placement(quantity, Source.LEAD_TIME, None)
    low, high = stock.lead_time_days
    start = claim.lead_time_from or today
    return Placement(quantity, Source.LEAD_TIME,
                     DateRange(start + timedelta(days=low), start + timedelta(days=high)))


def _committed(stock: SkuStock, taken: Mapping[tuple[str, int], int]) -> SkuStock:
    if not taken:
        return stock
    return replace(stock, locations=tuple(
        replace(p, inbound=tuple(
            _commit(lot, taken.get((p.location, i), 0)) for i, lot in enumerate(p.inbound)))
        for p in stock.locations))


def _commit(lot: InboundLot, units: int) -> InboundLot:
    return replace(lot, committed=lot.committed + units) if units else lot


def ready_of(placements: Sequence[Placement]) -> DateRange | None:
    """When all of a claim's units are ready: the last of its placements, or None if some
    units have no restock at all."""
    if any(p.ready is None for p in placements):
        return None
    ranges = [p.ready for p in placements if p.ready is not None]
    return DateRange(max(r.earliest for r in ranges), max(r.latest for r in ranges))


def with_stock(stock: Mapping[str, SkuStock], claims: Sequence[Claim],
               today: Mapping[str, date]) -> dict[str, QueuedStock]:
    """`queue` for every SKU of `stock`, each with its own claims (kept in order)."""
    by_sku: dict[str, list[Claim]] = {sku: [] for sku in stock}
    for claim in claims:
        if claim.sku in by_sku:
            by_sku[claim.sku].append(claim)
    return {sku: queue(item, by_sku[sku], today) for sku, item in stock.items()}


def placements_of(order: str, claims: Sequence[Claim],
                  queued: Mapping[str, QueuedStock]) -> list[tuple[Placement, ...]]:
    """The placements of `claims` (one order's, in its order) from the SKUs' queues."""
    pending = {claim.sku: iter(queued[claim.sku].of(order)) for claim in claims}
    return [next(pending[claim.sku]) for claim in claims]
