"""Promises and their current estimates.

A promise is the option a customer accepted: per shipment, the units, where they were to
come from, and the windows quoted. Its current estimate recomputes each shipment's window
with the same location, carrier, transit and order instant, moving only what the backorder
queue says about the units today. So a later estimate differs from the promise for one
reason alone, the stock, and each difference can be pinned on a SKU and a lot. A pickup's
shipment has no carrier (`PICKUP_CARRIER`): it is re-dated as its store collects, with the
store's pickup handling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from rates.domain.backorders import Claim, Placement, ready_of
from rates.domain.cart import Destination
from rates.domain.catalog import DEFAULT_PICKUP_HANDLING, PICKUP_CARRIER, Catalog
from rates.domain.plans import ShipmentPlan
from rates.domain.stock import Allocation, DateRange, InboundLot, SkuStock, Source
from rates.domain.window import ShipmentWindow, WindowBook, collect, start_on_hand


@dataclass(frozen=True, slots=True)
class PromisedUnit:
    """Units of one allocation of the accepted option, as quoted. `supplier`: who restocks
    backordered units (None: on hand, not named, or promised before suppliers)."""

    sku: str
    quantity: int
    source: Source
    location: str
    ready: DateRange
    lot: str | None = None
    supplier: str | None = None

    @property
    def backordered(self) -> bool:
        return self.source is not Source.ON_HAND


@dataclass(frozen=True, slots=True)
class PromisedShipment:
    location: str
    carrier: str
    transit: tuple[int, int]
    units: tuple[PromisedUnit, ...]
    ready: DateRange
    ships: DateRange
    delivery: DateRange


@dataclass(frozen=True, slots=True)
class Promise:
    order: str
    ordered_at: datetime
    destination: Destination
    shipments: tuple[PromisedShipment, ...]

    def claims(self, catalog: Catalog) -> tuple[Claim, ...]:
        """The backordered units that wait in the queue, in shipment and unit order. Units
        already on supplier lead time keep the order's local date as their start."""
        return tuple(
            Claim(self.order, unit.sku, unit.location, unit.quantity, unit.ready, unit.lot,
                  self._local_date(catalog, unit.location)
                  if unit.source is Source.LEAD_TIME else None)
            for shipment in self.shipments for unit in shipment.units if unit.backordered)

    def _local_date(self, catalog: Catalog, location: str) -> date:
        return self.ordered_at.astimezone(catalog.locations[location].timezone).date()


class Delay(Enum):
    """What happened to the restock some promised units were waiting for."""

    LEAD_TIME = "lead_time"          # the supplier's lead time gives a later date now
    RESTOCK_GONE = "restock_gone"    # the restock (no lot named) no longer covers them
    LOT_CANCELLED = "lot_cancelled"
    LOT_LATE = "lot_late"            # due by the promised date, still not received
    LOT_SLIPPED = "lot_slipped"      # its due dates moved past the promised ones
    LOT_SHRANK = "lot_shrank"        # too few units left for the orders before this one


@dataclass(frozen=True, slots=True)
class Cause:
    """Why some units of a shipment are later than promised (or have no date at all): the
    facts, for each reader to word. `promised` is the units' promised ready range at
    `location`; `due` the lot's ETA now (late or slipped lots); `lot_quantity` what a
    shrunk lot holds; `waits` where the queue puts the units now (empty: nowhere)."""

    sku: str
    lot: str | None
    quantity: int
    delay: Delay
    location: str
    promised: DateRange
    waits: tuple[Placement, ...] = ()
    due: DateRange | None = None
    lot_quantity: int | None = None


@dataclass(frozen=True, slots=True)
class ShipmentEstimate:
    """A promised shipment beside its current window (None: some units have no restock).
    `days_late` is how many calendar days the latest delivery moved past the promised
    latest (0 if not; None without a current window)."""

    promised: PromisedShipment
    window: ShipmentWindow | None
    days_late: int | None
    causes: tuple[Cause, ...]

    @property
    def at_risk(self) -> bool:
        return self.days_late is None or self.days_late > 0


@dataclass(frozen=True, slots=True)
class Estimate:
    shipments: tuple[ShipmentEstimate, ...]

    @property
    def at_risk(self) -> bool:
        return any(s.at_risk for s in self.shipments)

    @property
    def days_late(self) -> int | None:
        late = [s.days_late for s in self.shipments]
        return None if None in late else max(d for d in late if d is not None)

    @property
    def delivery(self) -> DateRange | None:
        windows = [s.window for s in self.shipments]
        if any(w is None for w in windows):
            return None
        return DateRange(min(w.delivery.earliest for w in windows if w),
                         max(w.delivery.latest for w in windows if w))


def estimate(promise: Promise, placements: Sequence[tuple[Placement, ...]],
             stock: Mapping[str, SkuStock], catalog: Catalog,
             windows: WindowBook | None = None) -> Estimate:
    """The promise's current estimate. `placements` are the queue's, one per claim in
    `promise.claims()` order; `stock` is each backordered SKU's current stock (to tell a
    slipped lot from a shrunk or cancelled one). `windows`: the setup's book, which the
    orders waiting for one lot share (the at-risk sweep estimates them all)."""
    remaining = iter(placements)
    book = WindowBook() if windows is None else windows
    return Estimate(tuple(
        _shipment(shipment, [next(remaining) if unit.backordered else () for unit in
                             shipment.units], stock, catalog, promise, book)
        for shipment in promise.shipments))


def _shipment(shipment: PromisedShipment, placed: Sequence[tuple[Placement, ...]],
              stock: Mapping[str, SkuStock], catalog: Catalog,
              promise: Promise, windows: WindowBook) -> ShipmentEstimate:
    items, causes = [], []
    for index, (unit, where) in enumerate(zip(shipment.units, placed, strict=True)):
        ready = ready_of(where) if unit.backordered else unit.ready
        if ready is None or ready.latest > unit.ready.latest:
            causes.append(_why_later(unit, where, stock.get(unit.sku)))
        if ready is not None:
            items.append(Allocation(index, unit.sku, unit.quantity, unit.location,
                                    unit.source, ready, unit.lot))
    if len(items) < len(shipment.units):
        return ShipmentEstimate(shipment, None, None, tuple(causes))
    location = catalog.locations[shipment.location]
    plan = ShipmentPlan(shipment.location, tuple(items))
    on_hand = None if plan.backordered else start_on_hand(location, promise.ordered_at)
    if shipment.carrier == PICKUP_CARRIER:
        # The store's pickup as configured now; one no longer offered keeps the default.
        pickup = location.pickup
        window = collect(plan, location, on_hand,
                         pickup.handling_days if pickup else DEFAULT_PICKUP_HANDLING,
                         pickup.hours if pickup else None)
    else:
        carrier = catalog.carriers[shipment.carrier]
        window = windows.window(plan, location, on_hand,
                                catalog.calendars.pickup(carrier, location),
                                catalog.calendars.delivery(carrier, promise.destination),
                                shipment.transit)
    late = max(0, (window.delivery.latest - shipment.delivery.latest).days)
    return ShipmentEstimate(shipment, window, late, tuple(causes))


def _why_later(unit: PromisedUnit, placed: Sequence[Placement],
               stock: SkuStock | None) -> Cause:
    """What happened to the units' restock, and where they wait now."""
    facts = (unit.sku, unit.lot, unit.quantity)
    waits = tuple(placed)
    if unit.source is Source.LEAD_TIME:
        return Cause(*facts, Delay.LEAD_TIME, unit.location, unit.ready, waits)
    if unit.lot is None:
        return Cause(*facts, Delay.RESTOCK_GONE, unit.location, unit.ready, waits)
    lot = _find_lot(stock, unit.location, unit.lot)
    if lot is None:
        return Cause(*facts, Delay.LOT_CANCELLED, unit.location, unit.ready, waits)
    if all(p.lot == unit.lot for p in placed):
        delay = Delay.LOT_LATE if lot.eta.latest <= unit.ready.latest else Delay.LOT_SLIPPED
        return Cause(*facts, delay, unit.location, unit.ready, waits, due=lot.eta)
    return Cause(*facts, Delay.LOT_SHRANK, unit.location, unit.ready, waits,
                 lot_quantity=lot.quantity)


def _find_lot(stock: SkuStock | None, location: str, lot_id: str) -> InboundLot | None:
    for position in stock.locations if stock else ():
        if position.location == location:
            for lot in position.inbound:
                if lot.id == lot_id:
                    return lot
    return None
