"""Promises and their current estimates.

A promise is the option a customer accepted: per shipment, the units, where they were to
come from, and the windows quoted. Its current estimate recomputes each shipment's window
with the same location, carrier, transit and order instant, moving only what the backorder
queue says about the units today. So a later estimate differs from the promise for one
reason alone, the stock, and each difference can be pinned on a SKU and a lot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rates.domain.backorders import Claim, Placement, ready_of
from rates.domain.cart import Destination
from rates.domain.catalog import Catalog
from rates.domain.plans import ShipmentPlan
from rates.domain.stock import Allocation, DateRange, InboundLot, SkuStock, Source
from rates.domain.window import ShipmentWindow, WindowBook, start_on_hand


@dataclass(frozen=True, slots=True)
class PromisedUnit:
    """Units of one allocation of the accepted option, as quoted."""

    sku: str
    quantity: int
    source: Source
    location: str
    ready: DateRange
    lot: str | None = None

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


@dataclass(frozen=True, slots=True)
class Cause:
    """Why some units of a shipment are later than promised (or have no date at all)."""

    sku: str
    lot: str | None
    quantity: int
    reason: str


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
            causes.append(Cause(unit.sku, unit.lot, unit.quantity,
                                _why_later(unit, where, stock.get(unit.sku))))
        if ready is not None:
            items.append(Allocation(index, unit.sku, unit.quantity, unit.location,
                                    unit.source, ready, unit.lot))
    if len(items) < len(shipment.units):
        return ShipmentEstimate(shipment, None, None, tuple(causes))
    location = catalog.locations[shipment.location]
    carrier = catalog.carriers[shipment.carrier]
    plan = ShipmentPlan(shipment.location, tuple(items))
    window = windows.window(
        plan, location,
        None if plan.backordered else start_on_hand(location, promise.ordered_at),
        catalog.calendars.pickup(carrier, location),
        catalog.calendars.delivery(carrier, promise.destination), shipment.transit)
    late = max(0, (window.delivery.latest - shipment.delivery.latest).days)
    return ShipmentEstimate(shipment, window, late, tuple(causes))


def _why_later(unit: PromisedUnit, placed: Sequence[Placement], stock: SkuStock | None) -> str:
    """One sentence for support: what happened to the lot, and where the units wait now."""
    now = "; ".join(_where(p) for p in placed) or "no restock is expected"
    if unit.source is Source.LEAD_TIME:
        return f"{unit.sku}: the supplier's lead time now gives {now}, promised {unit.ready}"
    if unit.lot is None:
        return (f"{unit.sku}: the restock at {unit.location} promised for {unit.ready} no "
                f"longer covers these units; they now wait for {now}")
    lot = _find_lot(stock, unit.location, unit.lot)
    if lot is None:
        return f"lot {unit.lot} was cancelled; the units now wait for {now}"
    if all(p.lot == unit.lot for p in placed):
        if lot.eta.latest <= unit.ready.latest:
            return (f"lot {unit.lot} is late: due {lot.eta}, still not received; "
                    f"promised {unit.ready}")
        return f"lot {unit.lot} slipped: now due {lot.eta}, promised {unit.ready}"
    return (f"lot {unit.lot} shrank to {lot.quantity} unit(s), too few for the orders "
            f"before this one; the units now wait for {now}")


def _where(placement: Placement) -> str:
    if placement.ready is None:
        return f"{placement.quantity} with no restock expected"
    if placement.lot is not None:
        return f"{placement.quantity} from lot {placement.lot} due {placement.ready}"
    return f"{placement.quantity} from the supplier's lead time, ready {placement.ready}"


def _find_lot(stock: SkuStock | None, location: str, lot_id: str) -> InboundLot | None:
    for position in stock.locations if stock else ():
        if position.location == location:
            for lot in position.inbound:
                if lot.id == lot_id:
                    return lot
    return None
