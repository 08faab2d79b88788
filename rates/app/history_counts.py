"""The store's record of what happened, counted for the lateness model.

`observed` counts each received lot's lateness against its promised latest day, in
business days of the location that received it, and each delivered shipment's transit,
in delivery days of its carrier at its destination, from the day it shipped (at its
origin) to the day it was delivered (the date of the delivered instant as the carrier gave
it). The counts are written as JSON in one order whatever the order they were counted in
(`observations_document`), and kept under the content address of that text
(`calibration_id`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from rates.domain.cart import Destination
from rates.domain.catalog import Catalog
from rates.domain.errors import CalendarHorizonError
from rates.domain.history import LotReceipt, ShipmentEvent, ShipmentEventType
from rates.domain.lateness import Lane, Observations, destination_of
from rates.store import OrderRecord, Store


@dataclass(frozen=True, slots=True)
class Observed:
    """The counts, and how many records could not be counted (a location or carrier no
    longer configured, a date beyond the calendars, a delivery with no shipped event)."""

    observations: Observations
    skipped: int


def observed(store: Store, catalog: Catalog, since: date) -> Observed:
    """What the store recorded from `since` on, counted for the lateness model."""
    suppliers: dict[str, dict[int, int]] = {}
    lanes: dict[Lane, dict[int, int]] = {}
    skipped = 0
    for receipt in store.lot_receipts(since):
        if receipt.supplier is None:
            continue  # nobody to hold to it
        days = _lot_lateness(receipt, catalog)
        if days is None:
            skipped += 1
            continue
        counts = suppliers.setdefault(receipt.supplier, {})
        counts[days] = counts.get(days, 0) + 1
    events = store.shipment_events(since=datetime.combine(since, time(), UTC))
    delivered = _delivered(events)
    orders = {order.id: order for order in store.get_orders({order for order, _ in delivered})}
    for (order_id, number), (shipped, arrived) in delivered.items():
        found = _transit(orders.get(order_id), number, shipped, arrived, catalog)
        if found is None:
            skipped += 1
            continue
        lane, days = found
        counts = lanes.setdefault(lane, {})
        counts[days] = counts.get(days, 0) + 1
    return Observed(Observations(suppliers, lanes), skipped)


def _lot_lateness(receipt: LotReceipt, catalog: Catalog) -> int | None:
    """Business days of the receiving location from the lot's promised latest day to its
    arrival (negative: early); None when it cannot be counted."""
    location = catalog.locations.get(receipt.location)
    if location is None:
        return None
    try:
        return location.calendar.count(receipt.promised.latest, receipt.received_on)
    except CalendarHorizonError:
        return None


def _delivered(events: Iterable[ShipmentEvent],
               ) -> dict[tuple[str, int], tuple[ShipmentEvent | None, ShipmentEvent]]:
    """Each delivered shipment's (shipped event or None, delivered event)."""
    shipped: dict[tuple[str, int], ShipmentEvent] = {}
    arrived: dict[tuple[str, int], ShipmentEvent] = {}
    for event in events:
        kept = shipped if event.type is ShipmentEventType.SHIPPED else arrived
        kept[event.order, event.shipment] = event
    return {key: (shipped.get(key), event) for key, event in arrived.items()}


def _transit(order: OrderRecord | None, number: int, shipped: ShipmentEvent | None,
             arrived: ShipmentEvent, catalog: Catalog) -> tuple[Lane, int] | None:
    """The lane a delivered shipment went by and its transit in delivery days; None when
    it cannot be counted."""
    if order is None or shipped is None:
        return None
    shipments = order.promise["shipments"]
    carrier = catalog.carriers.get(arrived.carrier)
    if carrier is None or not 1 <= number <= len(shipments):
        return None
    origin = catalog.locations.get(shipments[number - 1]["location"])
    if origin is None:
        return None
    where = order.promise["destination"]
    destination = Destination(where["country"], where.get("region"), where.get("postcode"))
    calendar = catalog.calendars.delivery(carrier, destination)
    handed = shipped.at.astimezone(origin.timezone).date()
    try:
        days = calendar.count(handed, arrived.at.date())
    except CalendarHorizonError:
        return None
    if days < 0:
        return None
    return Lane(arrived.carrier, arrived.service, origin.id,
                destination_of(destination.country, destination.region)), days


def observations_document(observations: Observations) -> dict[str, Any]:
    """The counts as JSON, in one order whatever the order they were counted in: what is
    stored, and what its content address is taken of."""
    return {
        "suppliers": {name: {str(day): n for day, n in sorted(counts.items())}
                      for name, counts in sorted(observations.suppliers.items())},
        "lanes": [{**lane._asdict(), "days": {str(day): n for day, n in sorted(counts.items())}}
                  for lane, counts in sorted(observations.lanes.items())],
    }


def observations_of(document: dict[str, Any]) -> Observations:
    """What `observations_document` wrote."""
    return Observations(
        {name: {int(day): n for day, n in counts.items()}
         for name, counts in document["suppliers"].items()},
        {Lane(lane["carrier"], lane["service"], lane["origin"], lane["destination"]):
         {int(day): n for day, n in lane["days"].items()} for lane in document["lanes"]})


def calibration_id(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
