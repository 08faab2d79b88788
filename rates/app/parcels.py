"""A platform's parcel as events of the promise's shipments: shipped, then delivered.

A platform ships an order in parcels of its own making (Shopify's fulfillments), which
need not be the shipments the promise planned: the merchant may wait and send the
in-stock units with the restocked ones, or split a shipment in two. Lateness is measured
per shipment (its carrier lane, its promised transit), so a parcel is recorded only for
the shipments it carried whole:
- its lines are resolved through the product catalog, as the checkout resolved the
  order's (`rates.app.products`), to the SKUs the promise names;
- a shipment is the parcel's when the parcel holds every unit of it (SKU and quantity),
  the units it held counted once: three tents, of which one on hand (shipment 1) and two
  restocked (shipment 2), make shipment 1 when a parcel holds one tent, and both when it
  holds three;
- shipments are taken in their order, those already shipped at the parcel's instant
  first (the same parcel told again, updated, or delivered), then those not shipped yet;
  a shipment shipped at another instant was another parcel's.
A shipment split across parcels is recorded by none: its instants would be no one
parcel's. Each event goes through `ShipmentEvents.record`, so it is validated and
recorded once, and never changes the promise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rates.app.platform_events import ParcelLine, ParcelMoved
from rates.app.shipment_events import ShipmentEvents
from rates.domain.errors import Conflict, InvalidRequest
from rates.domain.history import ShipmentEvent, ShipmentEventType
from rates.domain.products import resolve
from rates.store import OrderRecord


@dataclass(frozen=True, slots=True)
class Moved:
    """What a parcel did: `outcome` is recorded (an event was new), already_recorded (every
    event was), no_shipment (the parcel holds no shipment of the promise whole), conflict
    (the shipment's event was recorded at another instant: the first stays) or
    implausible (an instant after now, or a delivery before its shipping); `reason` says
    which, for the log."""

    outcome: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Parcels:
    events: ShipmentEvents

    def record(self, order: OrderRecord, parcel: ParcelMoved) -> Moved:
        """Record what `parcel` says of `order`'s shipments. A refused event does not stop
        the others: each is its own fact."""
        store = self.events.store
        recorded = store.shipment_events(order_ids=[order.id])
        shipments = covered(order.promise["shipments"], recorded,
                            self._held(parcel.lines), parcel.shipped_at)
        if not shipments:
            return Moved("no_shipment", "the parcel holds no shipment of the promise whole")
        wanted = [(number, ShipmentEventType.SHIPPED, parcel.shipped_at)
                  for number in shipments]
        if parcel.delivered_at is not None:
            wanted += [(number, ShipmentEventType.DELIVERED, parcel.delivered_at)
                       for number in shipments]
        new, refused = False, []
        for number, kind, at in wanted:
            try:
                _, created = self.events.record(order.id, number, kind, at)
            except Conflict as error:
                refused.append(Moved("conflict", error.message))
            except InvalidRequest as error:
                refused.append(Moved("implausible", f"shipment {number}: {error.message}"))
            else:
                new = new or created
        if refused:
            return refused[0]
        return Moved("recorded" if new else "already_recorded")

    def _held(self, lines: Iterable[ParcelLine]) -> Counter[str]:
        """The parcel's units by the SKU the product catalog resolves each line to."""
        lines = list(lines)
        products = self.events.store.products_for(
            skus=[line.sku for line in lines],
            variant_ids=[line.variant_id for line in lines if line.variant_id],
            product_ids=[line.product_id for line in lines if line.product_id])
        held: Counter[str] = Counter()
        for line in lines:
            found = resolve(line.sku, line.variant_id, line.product_id, fallback=line.sku,
                            products=products)
            held[found.sku] += line.quantity
        return held


def covered(shipments: Sequence[Mapping[str, object]], recorded: Iterable[ShipmentEvent],
            held: Counter[str], shipped_at: datetime) -> list[int]:
    """The numbers (from 1) of the promise's `shipments` (their documents, with `units`)
    that a parcel shipped at `shipped_at` holding `held` carried whole, given the order's
    `recorded` events (the module's docstring has the rule)."""
    shipped = {event.shipment: event.at for event in recorded
               if event.type is ShipmentEventType.SHIPPED}
    numbers = range(1, len(shipments) + 1)
    ordered = ([number for number in numbers if shipped.get(number) == shipped_at]
               + [number for number in numbers if number not in shipped])
    left, found = Counter(held), []
    for number in ordered:
        needed = _units(shipments[number - 1])
        if needed and all(left[sku] >= quantity for sku, quantity in needed.items()):
            left.subtract(needed)
            found.append(number)
    return sorted(found)


def _units(shipment: Mapping[str, object]) -> Counter[str]:
    units = shipment["units"]
    counted: Counter[str] = Counter()
    for unit in units if isinstance(units, list) else ():
        counted[unit["sku"]] += unit["quantity"]
    return counted
