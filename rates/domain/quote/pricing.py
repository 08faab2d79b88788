"""The pricing stage: a plan's shipments, by one service, dated and priced (DESIGN section 2).

Each shipment gets its carrier zone, its base price (a live carrier's answer, else the
service's rate table, `rates.domain.rate_tables`) and its window. One quote weighs every
plan by every service, and these often share a zone, a leg or a window, so each is worked
out once: zones and table legs per setup (the carrier and the service keep them), windows
in the setup's book.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rates.domain.calendar import BusinessCalendar
from rates.domain.cart import Destination, QuoteRequest
from rates.domain.catalog import Carrier, Catalog, Leg, Location, Service
from rates.domain.confidence import Calibration, Restocks, restocks
from rates.domain.exchange import Conversion
from rates.domain.lateness import Lane, destination_of
from rates.domain.live_rates import LiveAnswer, RateRequest, pack
from rates.domain.money import Money
from rates.domain.plans import Plan, ShipmentPlan
from rates.domain.policy import Ruleset
from rates.domain.quote.cart_facts import CartFacts
from rates.domain.quote.result import Message, ShipmentQuote
from rates.domain.rules.actions import Draft
from rates.domain.rules.facts import Facts
from rates.domain.rules.index import CartRules
from rates.domain.stock import DateRange, Supply
from rates.domain.window import Ordered, ShipmentWindow, WindowBook


@dataclass(frozen=True, slots=True, init=False)
class _Shape:
    """What every service reads of a plan's shipments: where each leaves from (`places`,
    and their ids, `origins`) and what it weighs, and for rules, its locations, which are
    backordered, and their units, and the farthest location's distance to the destination
    (None: one is not known)."""

    places: tuple[Location, ...]
    origins: tuple[str, ...]
    grams: tuple[int, ...]
    locations: frozenset[str]
    backordered: tuple[bool, ...]
    units: tuple[int, ...]
    farthest_km: float | None
    zones: dict[str, tuple[str, ...] | str]
    """Each carrier's zones from `places`, or why it cannot carry them, as first asked
    (`Shipping.zones`)."""

    def __init__(self, places: tuple[Location, ...], origins: tuple[str, ...],
                 grams: tuple[int, ...], locations: frozenset[str],
                 backordered: tuple[bool, ...], units: tuple[int, ...],
                 farthest_km: float | None) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "places", places)
        object.__setattr__(self, "origins", origins)
        object.__setattr__(self, "grams", grams)
        object.__setattr__(self, "locations", locations)
        object.__setattr__(self, "backordered", backordered)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "farthest_km", farthest_km)
        object.__setattr__(self, "zones", {})


class Shipping:
    """Prices and dates shipments for one quote: live prices where a carrier answered
    (remembering which live carriers fell back to their tables, and why, for the quote's
    messages), table legs as their services keep them, and windows from the setup's
    book."""

    def __init__(self, request: QuoteRequest, catalog: Catalog, currency: str,
                 live: Mapping[RateRequest, LiveAnswer], windows: WindowBook,
                 calibration: Calibration | None = None) -> None:
        self.request = request
        self.calibration = calibration or None
        destination = request.destination
        self.destination = destination_of(destination.country, destination.region)
        self.catalog = catalog
        self.currency = currency
        self.unit_grams = tuple(line.grams for line in request.lines)
        self.live = live
        self.fallbacks: dict[str, str] = {}
        self.windows = windows
        self._starts: dict[str, tuple[DateRange, Ordered]] = {}
        self._carrier_calendars: dict[tuple[str, str],
                                      tuple[BusinessCalendar, BusinessCalendar]] = {}
        self._shapes: dict[int, _Shape] = {}
        self._cart_rules: dict[int, CartRules] = {}
        self._restocks: dict[int, Restocks] = {}
        self._arrival_zones: dict[str, tuple[tuple[str | None, ...],
                                             tuple[tuple[date, date], ...]]] = {}

    def shape(self, plan: Plan, km: Mapping[str, float]) -> _Shape:
        """The plan's shape, once per quote however many services carry it (the plans
        outlive this memo, so their ids are theirs); `km` is the quote's distances to
        the destination by location."""
        found = self._shapes.get(id(plan))
        if found is None:
            shipments, locations = plan.shipments, self.catalog.locations
            origins = tuple(s.location for s in shipments)
            leaving = frozenset(origins)
            found = self._shapes[id(plan)] = _Shape(
                tuple(locations[origin] for origin in origins), origins,
                tuple(self.grams_of(s) for s in shipments), leaving,
                tuple(s.backordered for s in shipments), tuple(s.units for s in shipments),
                max(km[location] for location in leaving) if leaving <= km.keys() else None)
        return found

    def grams_of(self, shipment: ShipmentPlan) -> int:
        return sum(self.unit_grams[a.line] * a.quantity for a in shipment.items)

    def rules(self, ruleset: Ruleset, cart: CartFacts, facts: Facts) -> CartRules:
        """The ruleset's rules `cart` admits (its sourcing decides its stock, restock days
        and backordered lines); `facts` of any of its options will do, since only the
        cart-wide facts are read."""
        found = self._cart_rules.get(id(cart))
        if found is None:
            found = self._cart_rules[id(cart)] = ruleset.index.for_cart(facts)
        return found

    def transit(self, service: Service, location: Location) -> tuple[int, int] | None:
        """The service's table transit days from `location` to the destination; None when
        its carrier has no zone or the service no transit for it."""
        zone = self._zone(self.catalog.carriers[service.carrier], location)
        return None if zone is None else service.transit.get(zone)

    def arrival_key(self, service: Service) -> tuple[object, ...]:
        """What the dates of `arrival_by(service)` depend on beyond the setup: the service,
        the destination's carrier zone from each location (so its transit) and its country
        and region (so its delivery calendar), and when units on hand start at each
        location (the order's day and the cutoffs). Not the postcode itself: carts to
        every postcode of a zone share their rankings."""
        zones = self._arrival_zones.get(service.carrier)
        if zones is None:  # once per carrier and quote; the starts once per quote
            locations = self.catalog.locations.values()
            carrier = self.catalog.carriers[service.carrier]
            zones = self._arrival_zones[service.carrier] = (
                tuple(self._zone(carrier, location) for location in locations),
                tuple((start.earliest, start.latest) for start, _ in
                      (self._on_hand(location) for location in locations)))
        destination = self.request.destination
        return (service.key, destination.country, destination.region, *zones)

    def arrival_by(self, service: Service) -> Callable[[Supply], DateRange | None]:
        """When `service` would deliver a shipment of a supply's units alone: how the
        `fastest` strategy compares supplies (by table transit, as a live carrier's days
        are not known before it is asked)."""
        carrier, book, locations = self.catalog.carriers[service.carrier], self.windows, \
            self.catalog.locations
        # Per location, once, when first asked (the setup's rankings may spare every
        # supply): what every supply there is dated with, None where it cannot carry.
        at: dict[str, tuple[Location, tuple[DateRange, Ordered], BusinessCalendar,
                            BusinessCalendar, tuple[int, int]] | None] = {}

        def arrival(supply: Supply) -> DateRange | None:
            place = supply.location
            found = at[place] if place in at else at.setdefault(place, self._dating(
                carrier, service, locations.get(place)))
            if found is None:
                return None
            location, on_hand, pickup, delivery, transit = found
            return book.delivery(supply.ready, location,
                                 None if supply.backordered else on_hand,
                                 pickup, delivery, transit)
        return arrival

    def _dating(self, carrier: Carrier, service: Service, location: Location | None,
                ) -> tuple[Location, tuple[DateRange, Ordered], BusinessCalendar,
                           BusinessCalendar, tuple[int, int]] | None:
        """What `service` dates a supply at `location` with; None where it has no transit."""
        transit = None if location is None else self.transit(service, location)
        if location is None or transit is None:
            return None
        return (location, self._on_hand(location), *self._calendars(carrier, location),
                transit)

    def _on_hand(self, location: Location) -> tuple[DateRange, Ordered]:
        """When on-hand units start at `location` for this order."""
        on_hand = self._starts.get(location.id)
        if on_hand is None:
            on_hand = self._starts[location.id] = self.windows.start(location,
                                                                     self.request.ordered_at)
        return on_hand

    def window(self, shipment: ShipmentPlan, location: Location, carrier: Carrier,
               service: Service, transit: tuple[int, int], *,
               guaranteed: bool = False) -> ShipmentWindow:
        """The shipment's window, from the book when an earlier quote (or option) worked
        it out: the destination and order instant are the quote's own. With a lateness
        history, weighed against it (and widened to the merchant's target); a
        `guaranteed` transit is the carrier's commitment, which its lane's history does
        not move."""
        pickup, delivery = self._calendars(carrier, location)
        window = self.windows.window(
            shipment, location, None if shipment.backordered else self._on_hand(location),
            pickup, delivery, transit)
        if self.calibration is None:
            return window
        parts = self._restocks.get(id(shipment))
        if parts is None:
            parts = self._restocks[id(shipment)] = restocks(shipment)
        return self.calibration.window(
            window, parts, location,
            Lane(carrier.id, service.code, location.id, self.destination), transit, delivery,
            guaranteed=guaranteed)

    def _calendars(self, carrier: Carrier, location: Location) -> tuple[BusinessCalendar,
                                                                         BusinessCalendar]:
        """The carrier's pickup calendar at `location` and delivery calendar at the
        destination: every service and plan of the carrier asks the same."""
        key = (carrier.id, location.id)
        found = self._carrier_calendars.get(key)
        if found is None:
            found = self._carrier_calendars[key] = self.catalog.carrier_calendars(
                carrier, location, self.request.destination)
        return found

    def zones(self, carrier: Carrier, shape: _Shape) -> tuple[str, ...] | str:
        """The carrier's zone from each of the plan's locations to the destination, or
        why it cannot carry the plan: no zone from one of them. Once per quote for each
        carrier and plan, which all of its services ask."""
        found = shape.zones.get(carrier.id)
        if found is None:
            found = shape.zones[carrier.id] = self._zones_of(carrier, shape)
        return found

    def _zones_of(self, carrier: Carrier, shape: _Shape) -> tuple[str, ...] | str:
        zones = []
        for location in shape.places:
            zone = self._zone(carrier, location)
            if zone is None:
                return (f"{carrier.name} has no zone from {location.id} to "
                        f"{_place(self.request.destination)}")
            zones.append(zone)
        return tuple(zones)

    def leg(self, shipment: ShipmentPlan, location: Location, zone: str, carrier: Carrier,
            service: Service, grams: int) -> Leg | str:
        """The leg of the shipment, weighing `grams`, in the carrier's `zone`, or why
        `service` cannot carry it. A table carrier's leg depends only on the service, the
        place, the zone and the weight: the service keeps it for every plan and quote."""
        if carrier.live:
            return self._live_leg(shipment, location, zone, carrier, service, grams)
        return service.table_leg(location.id, zone, grams)

    def _live_leg(self, shipment: ShipmentPlan, location: Location, zone: str,
                  carrier: Carrier, service: Service, grams: int) -> Leg | str:
        """A live carrier's answer for the shipment, else its table's (the quote says so).
        A live rate is guaranteed when the carrier says so of it, or its file of the
        service."""
        ask = rate_request(shipment, location, carrier, self.request, self.unit_grams,
                           self.currency)
        answer = self.live.get(ask)
        failure = "not asked" if answer is None else answer.failure
        if answer is not None and failure is None:
            rate = answer.rate_for(service.code)
            if rate is None:
                return f"{carrier.name} did not quote {service.name} for these parcels"
            if rate.price.currency == self.currency:
                live_transit = rate.transit_days or service.transit.get(zone)
                if live_transit is None:
                    return f"{service.name} has no transit time for zone {zone}"
                return Leg(live_transit, rate.price,
                           f"{service.key} from {location.id}, live: "
                           f"{len(ask.parcels)} parcel(s): {rate.price.amount}", "live",
                           rate.price.units, rate.guaranteed or service.guaranteed)
            failure = f"answered in {rate.price.currency}"
        self.fallbacks.setdefault(carrier.name, failure or "no rates")
        return service.table_leg(location.id, zone, grams, "fallback")

    def _zone(self, carrier: Carrier, location: Location) -> str | None:
        """The carrier's zone from `location` to the quote's destination (the carrier
        keeps it for every quote to the same place)."""
        return carrier.zone(location.id, self.request.destination)

    def fallback_messages(self) -> list[Message]:
        return [Message("carrier_fallback",
                        f"{name} live rates unavailable ({why}); priced from its rate table")
                for name, why in self.fallbacks.items()]


def rate_request(shipment: ShipmentPlan, location: Location, carrier: Carrier,
                 request: QuoteRequest, unit_grams: Sequence[int],
                 currency: str) -> RateRequest:
    """The question for a live carrier: its prices are wanted in the shop's `currency`,
    like its rate tables, whatever the checkout's."""
    units = [unit_grams[a.line] for a in shipment.items for _ in range(a.quantity)]
    return RateRequest(carrier.id, location.id, location.country, location.region,
                       location.postcode, request.destination,
                       pack(units, carrier.max_parcel_grams), currency)


def _place(destination: Destination) -> str:
    return "-".join(p for p in (destination.country, destination.region) if p)


def as_paid(plans: Sequence[ShipmentPlan], windows: Sequence[ShipmentWindow],
            legs: Sequence[Leg], draft: Draft, conversion: Conversion | None,
            currency: str) -> tuple[Money, tuple[ShipmentQuote, ...]]:
    """The option's price and shipments as the shopper pays them: each shipment's plan,
    window and leg, in order, at the draft's prices. Rules priced them in the shop's
    currency; in another, each shipment's price converts and the option costs what its
    converted shipments add up to (each keeps its price in the shop's currency)."""
    shop = draft.currency
    shipments: list[ShipmentQuote] = []
    converted = 0  # the option's price in `currency`, when converted
    shop_price: Money | None
    for shipment, window, leg, cents in zip(plans, windows, legs, draft.cents, strict=True):
        # A shipment whose price the rules left alone pays its leg's price: no new Money.
        price = (leg.price if leg.cents == cents and leg.price.currency == shop
                 else Money.of_units(cents, shop))
        final, shop_price = price, None
        if conversion is not None:
            units = conversion.price(cents)
            converted += units
            final, shop_price = Money.of_units(units, currency), price
        shipments.append(ShipmentQuote(shipment, window, leg.price, final, leg.detail,
                                       leg.source, leg.transit, shop_price,
                                       guaranteed=leg.guaranteed))
    price = draft.price if conversion is None else Money.of_units(converted, currency)
    return price, tuple(shipments)
