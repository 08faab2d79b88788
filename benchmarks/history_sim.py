"""A world whose lateness is known: orders, lot receipts and deliveries drawn from it.

The calibration benchmark (`calibration.py`) needs history whose truth it knows, so that
it can tell whether the windows the engine widens hold as often as they claim. This
module is that world, on the benchmark scenario's setup (`scenario.py`: Reno, Newark and
Calgary, UPS, USPS, Canada Post and Ridgeline, their calendars and transit tables):

- each supplier's lots arrive `SUPPLIERS[name]` business days (of the receiving location)
  after their promised latest day: a known distribution per supplier;
- each parcel's transit runs `CARRIERS[carrier]` delivery days past its service's
  configured maximum for the zone, one day more on the `SLOW` lanes, never under 1 day;
  a guaranteed service (UPS's air services) keeps its word: its transit is drawn evenly
  from its configured days;
- the warehouse hands a parcel over after a number of working days drawn evenly from its
  configured `handling_days` (the merchant's own process, not a supplier's or carrier's).

Orders are carts of 1 to 3 lines to five US regions, each line's stock given inline: on
hand at one location, or waiting for one lot at one location from one supplier. The
shopper takes one offered option at random. What happens to it is worked out by the
engine's own calendar steps (`rates.domain.window`) on the realized days: the lot's
receipt, the handling and the transit.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rates.domain.cart import Destination
from rates.domain.catalog import Catalog
from rates.domain.history import LotReceipt, ShipmentEvent, ShipmentEventType
from rates.domain.plans import PlanKind, ShipmentPlan
from rates.domain.quote.result import Option, Quote, ShipmentQuote
from rates.domain.stock import DateRange
from rates.domain.window import carry, handle, start_on_hand
from rates.store import OrderRecord, Store

Pmf = Mapping[int, float]

SUPPLIERS: dict[str, Pmf] = {
    # 0 to 6 business days late, a median of 2
    "Acme Outdoor": {0: 0.15, 1: 0.15, 2: 0.25, 3: 0.2, 4: 0.12, 5: 0.08, 6: 0.05},
    # on time, now and then a day or two late
    "Birch & Co": {-1: 0.1, 0: 0.5, 1: 0.25, 2: 0.15},
    # a long tail: 1 to 10 business days late
    "Cedar Supply": {1: 0.15, 2: 0.2, 3: 0.25, 5: 0.2, 8: 0.1, 10: 0.1},
    # mostly early, some before the promised earliest day
    "Zenith Goods": {-4: 0.15, -3: 0.25, -2: 0.25, -1: 0.2, 0: 0.1, 1: 0.05},
}
SUPPLIER_SHARES = {"Acme Outdoor": 4, "Birch & Co": 3, "Cedar Supply": 2, "Zenith Goods": 2}

CARRIERS: dict[str, Pmf] = {
    "ups": {-1: 0.3, 0: 0.55, 1: 0.1, 2: 0.05},
    "ridgeline": {-1: 0.2, 0: 0.3, 1: 0.3, 2: 0.2},
    "usps": {-1: 0.15, 0: 0.4, 1: 0.25, 2: 0.15, 3: 0.05},
    "canada_post": {0: 0.25, 1: 0.35, 2: 0.25, 3: 0.15},
}
SLOW = {("usps", "CA"), ("ups", "WA"), ("ridgeline", "TX"), ("canada_post", "NY")}
"""(carrier, region): one delivery day slower than the carrier elsewhere."""

REGIONS = {"IL": ("60614", 4), "CA": ("94103", 3), "NY": ("10001", 3), "TX": ("75201", 2),
           "WA": ("98101", 1)}
"""Where orders go: region -> (postcode, share of orders)."""

LOCATIONS = ("reno", "newark", "calgary")
ORDER_ZONE = ZoneInfo("America/Chicago")


def draw(rng: random.Random, pmf: Pmf) -> int:
    return rng.choices(list(pmf), weights=list(pmf.values()))[0]


@dataclass(frozen=True, slots=True)
class Lot:
    sku: str
    id: str
    location: str
    supplier: str
    promised: DateRange


@dataclass(frozen=True, slots=True)
class SimOrder:
    """An order placed at `at`: its cart (wire JSON, stock inline) and the lots it names."""

    id: str
    at: datetime
    cart: dict[str, object]
    lots: dict[str, Lot]

    @property
    def destination(self) -> Destination:
        where = self.cart["destination"]
        assert isinstance(where, dict)
        return Destination(where["country"], where["region"], where["postcode"])


def orders(catalog: Catalog, rng: random.Random, first: date, days: int, per_day: int,
           prefix: str) -> Iterator[SimOrder]:
    """`per_day` orders on each of `days` days from `first`, between 8:00 and 18:00
    Chicago time."""
    number = 0
    for offset in range(days):
        day = first + timedelta(days=offset)
        for _ in range(per_day):
            number += 1
            at = datetime.combine(day, time(8), ORDER_ZONE) + timedelta(
                minutes=rng.randrange(600))
            yield _order(catalog, rng, f"{prefix}{number}", at)


def _order(catalog: Catalog, rng: random.Random, order_id: str, at: datetime) -> SimOrder:
    region = rng.choices(list(REGIONS), weights=[share for _, share in REGIONS.values()])[0]
    lines, lots = [], {}
    for n in range(rng.choice((1, 1, 2, 2, 3))):
        sku, quantity, location = f"SIM-{order_id}-{n}", rng.randint(1, 2), rng.choice(LOCATIONS)
        stock: dict[str, object] = {"location": location, "on_hand": quantity + 3}
        if rng.random() < 0.6:
            lot = _lot(catalog, rng, sku, location, at.date())
            lots[lot.id] = lot
            stock = {"location": location, "on_hand": 0, "inbound": [{
                "id": lot.id, "quantity": quantity + 10, "supplier": lot.supplier,
                "earliest": lot.promised.earliest.isoformat(),
                "latest": lot.promised.latest.isoformat()}]}
        lines.append({"sku": sku, "quantity": quantity, "unit_price": f"{rng.randint(9, 200)}.00",
                      "grams": rng.randint(300, 3000), "stock": stock})
    cart = {"currency": "USD", "ordered_at": at.isoformat(),
            "destination": {"country": "US", "region": region,
                            "postcode": REGIONS[region][0]},
            "lines": lines}
    return SimOrder(order_id, at, cart, lots)


def _lot(catalog: Catalog, rng: random.Random, sku: str, location: str, day: date) -> Lot:
    """A lot promised 3 to 30 days out over 0 to 7 days; its latest day a working day of
    `location`, so that its lateness counts back to exactly the business days drawn."""
    supplier = rng.choices(list(SUPPLIER_SHARES), weights=list(SUPPLIER_SHARES.values()))[0]
    earliest = day + timedelta(days=rng.randint(3, 30))
    latest = catalog.locations[location].calendar.on_or_after(
        earliest + timedelta(days=rng.randint(0, 7)))
    return Lot(sku, f"LOT-{sku}", location, supplier, DateRange(earliest, latest))


@dataclass(frozen=True, slots=True)
class Delivered:
    """What became of one shipment: the day it was handed over and the day it arrived."""

    shipment: ShipmentQuote
    handed: date
    arrived: date


class Fate:
    """What happens to one order: each lot's receipt, and each shipment's handling and
    transit, drawn once, so every window quoted for the order meets the same fate."""

    def __init__(self, order: SimOrder, catalog: Catalog, rng: random.Random) -> None:
        self.order = order
        self.catalog = catalog
        self.rng = rng
        self.received = {lot_id: received(lot, catalog, rng) for lot_id, lot in order.lots.items()}
        self._drawn: dict[tuple[object, ...], tuple[int, int]] = {}

    def delivered(self, option: Option) -> list[Delivered]:
        """Each shipment of `option`, handed over and delivered as this order's fate says."""
        return [self._shipment(shipment, option, number)
                for number, shipment in enumerate(option.shipments)]

    def _shipment(self, shipment: ShipmentQuote, option: Option, number: int) -> Delivered:
        catalog, plan = self.catalog, shipment.plan
        location = catalog.locations[plan.location]
        carrier = catalog.carriers[option.service.carrier]
        destination = self.order.destination
        key = (plan.location, option.service.key, number)
        if key not in self._drawn:
            low, high = location.handling_days
            if shipment.guaranteed:
                days = self.rng.randint(*shipment.transit)
            else:
                days = max(1, shipment.transit[1] + draw(self.rng, CARRIERS[carrier.id])
                           + ((carrier.id, destination.region) in SLOW))
            self._drawn[key] = (self.rng.randint(low, high), days)
        handling, transit = self._drawn[key]
        real = ShipmentPlan(plan.location, tuple(
            item if item.on_hand or item.lot is None
            else replace(item, ready=DateRange.on(self.received[item.lot]))
            for item in plan.items))
        on_hand = None if real.backordered else start_on_hand(location, self.order.at)
        handled = handle(real, location, on_hand, (handling, handling))
        window = carry(handled, catalog.calendars.pickup(carrier, location),
                       catalog.calendars.delivery(carrier, destination), (transit, transit))
        return Delivered(shipment, window.ships.latest, window.delivery.latest)


def received(lot: Lot, catalog: Catalog, rng: random.Random) -> date:
    """The day `lot` arrives: its supplier's lateness, in business days of its location."""
    late = draw(rng, SUPPLIERS[lot.supplier])
    calendar = catalog.locations[lot.location].calendar
    latest = lot.promised.latest
    return calendar.add(latest, late) if late >= 0 else calendar.back(latest, -late)


def chosen(quote: Quote, rng: random.Random) -> Option | None:
    """The option the shopper takes: one of those shipped by a carrier, at random."""
    shipped = [option for option in quote.options if option.plan is not PlanKind.PICKUP]
    return rng.choice(shipped) if shipped else None


def record(store: Store, order: SimOrder, option: Option, fate: Fate,
           delivered: list[Delivered], known_by: date) -> tuple[int, int]:
    """Put in `store` what was known by `known_by` of `order`: its lots received before
    that day, and its shipments delivered before it, as the service records them
    (`Store.receive_lot`, `Store.place_order`, `Store.record_shipment_event`). The order's
    promise holds what the lateness count reads of it: the destination and each
    shipment's location. (receipts, deliveries) recorded."""
    receipts = deliveries = 0
    for lot_id, lot in order.lots.items():
        day = fate.received[lot_id]
        if day < known_by:
            store.receive_lot(LotReceipt(lot.sku, lot.id, lot.location, lot.supplier,
                                         lot.promised, day), _noon(day))
            receipts += 1
    arrived = [d for d in delivered if d.arrived < known_by]
    if not arrived:
        return receipts, 0
    promise = {"destination": order.cart["destination"],
               "shipments": [{"location": d.shipment.plan.location} for d in delivered]}
    store.place_order(OrderRecord(order.id, f"q-{order.id}", option.id, None, order.at,
                                  promise, ()), lambda stock, claims: None)
    service = option.service
    for number, done in enumerate(delivered, start=1):
        if done.arrived >= known_by:
            continue
        zone = fate.catalog.locations[done.shipment.plan.location].timezone
        for kind, day in ((ShipmentEventType.SHIPPED, done.handed),
                          (ShipmentEventType.DELIVERED, done.arrived)):
            at = datetime.combine(day, time(16), zone)
            store.record_shipment_event(ShipmentEvent(order.id, number, kind, at,
                                                      service.carrier, service.code), at)
        deliveries += 1
    return receipts, deliveries


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), ORDER_ZONE)
