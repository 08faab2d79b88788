"""The quote pipeline: allocate -> plan -> schedule -> price -> apply rules.

`quote()` is pure: stock, calendars, rates and policy arrive as values, the clock as `now`.
It never fails because one service cannot carry a shipment; that option is simply not
offered (and, with `explain`, listed with the reason).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import NamedTuple

from rates.domain.calendar import BusinessCalendar
from rates.domain.cart import Destination, QuoteRequest
from rates.domain.catalog import Carrier, Catalog, Location, Service, first_zone
from rates.domain.errors import InvalidRequest
from rates.domain.live_rates import LiveAnswer, RateRequest, pack
from rates.domain.money import Money, total
from rates.domain.plans import Plan, PlanKind, ShipmentPlan, build_plans
from rates.domain.policy import Ruleset
from rates.domain.rules.actions import Draft
from rates.domain.rules.evaluation import Shortlist, TraceEntry, evaluate, withheld_by
from rates.domain.rules.facts import Facts, LineFacts
from rates.domain.rules.index import CartRules
from rates.domain.stock import (
    Allocation,
    DateRange,
    LineAllocation,
    SkuStock,
    StockClass,
    allocate,
    stock_class,
)
from rates.domain.window import ShipmentWindow, WindowBook, start_on_hand


@dataclass(frozen=True, slots=True)
class Message:
    """Something the shopper or merchant should know about the quote as a whole."""

    code: str
    message: str
    sku: str | None = None


class ShipmentQuote(NamedTuple):
    """One shipment of an option. `transit` is the (min, max) delivery days the window
    used: an accepted order keeps it, so its re-estimates move only with the stock.
    A NamedTuple: a quote builds dozens, and a tuple is built three times faster than a
    frozen dataclass."""

    plan: ShipmentPlan
    window: ShipmentWindow
    base_price: Money
    price: Money
    rate_detail: str
    source: str = "table"
    transit: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class Option:
    """One way to ship the cart: a plan by one carrier service, priced and dated.

    `hidden_by` / `blocked` are set only on options withheld by a rule, which a quote lists
    only when asked to explain itself.
    """

    plan: PlanKind
    service: Service
    label: str
    price: Money
    shipments: tuple[ShipmentQuote, ...]
    rules: tuple[TraceEntry, ...]
    hidden_by: str | None = None
    blocked: tuple[str, str] | None = None

    @property
    def id(self) -> str:
        return f"{self.plan}/{self.service.carrier}/{self.service.code}"

    @property
    def delivery(self) -> DateRange:
        return DateRange(min(s.window.delivery.earliest for s in self.shipments),
                         max(s.window.delivery.latest for s in self.shipments))


@dataclass(frozen=True, slots=True)
class Unoffered:
    """An option that could not be built, and why (explain mode only)."""

    option_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Withheld:
    """An option a hide or block rule withholds, known before pricing; without explain it
    is not priced at all, and only a block's message reaches the quote."""

    option_id: str
    message: str | None


@dataclass(frozen=True, slots=True)
class Quote:
    created_at: datetime
    ordered_at: datetime
    ruleset: str
    currency: str
    destination: Destination
    stock: StockClass | None
    lines: tuple[LineAllocation, ...]
    options: tuple[Option, ...]
    messages: tuple[Message, ...]
    withheld: tuple[Option, ...] = ()
    unoffered: tuple[Unoffered, ...] = ()
    reference: str | None = None


NO_ANSWERS: Mapping[RateRequest, LiveAnswer] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Everything before pricing: allocation, plans, offered services and cart facts."""

    lines: tuple[LineAllocation, ...]
    allocations: tuple[Allocation, ...]
    plans: tuple[Plan, ...]
    services: tuple[tuple[str, Service | None], ...]
    cart: _CartFacts | None


def _prepare(request: QuoteRequest, catalog: Catalog, ruleset: Ruleset) -> _Prepared:
    if request.currency != ruleset.currency:
        raise InvalidRequest(
            f"this shop quotes in {ruleset.currency}, not {request.currency}",
            {"currency": [f"must be {ruleset.currency}"]})
    locations = list(catalog.locations)
    today = {loc.id: request.ordered_at.astimezone(loc.timezone).date()
             for loc in catalog.locations.values()}
    lines = allocate(
        [(line.sku, line.quantity, line.stock or SkuStock(line.sku)) for line in request.lines],
        locations, today)
    allocations = tuple(a for la in lines for a in la.allocations)
    if not allocations:
        return _Prepared(lines, (), (), (), None)
    plans = build_plans(allocations, ruleset.plans.kinds, locations,
                        ruleset.plans.merge_within_days)
    zone = first_zone(ruleset.zones, request.destination)
    services = tuple((offer.service, catalog.service(offer.service))
                     for offer in ruleset.services if offer.offered_in(zone))
    return _Prepared(lines, allocations, tuple(plans), services,
                     _CartFacts.of(request, allocations, today, zone))


def rate_requests(request: QuoteRequest, catalog: Catalog,
                  ruleset: Ruleset) -> tuple[RateRequest, ...]:
    """The distinct questions `quote()` will look up for live carriers, in a stable order:
    what the shell asks the carriers before quoting."""
    prepared = _prepare(request, catalog, ruleset)
    if prepared.cart is None:
        return ()
    asked: dict[RateRequest, None] = {}
    for plan in prepared.plans:
        for _, service in prepared.services:
            carrier = catalog.carriers[service.carrier] if service else None
            if carrier is None or not carrier.live:
                continue
            for shipment in plan.shipments:
                location = catalog.locations[shipment.location]
                asked[_rate_request(shipment, location, carrier, request, prepared.cart)] = None
    return tuple(asked)


def quote(request: QuoteRequest, catalog: Catalog, ruleset: Ruleset, now: datetime,
          *, explain: bool = False,
          live: Mapping[RateRequest, LiveAnswer] = NO_ANSWERS,
          windows: WindowBook | None = None) -> Quote:
    """Every option to ship `request`'s cart, cheapest first within each plan.

    `now` is when the quote is made; dates are computed from `request.ordered_at`.
    `live` holds live carriers' answers to `rate_requests()`; a live carrier without a
    good answer is priced from its fallback table, and the quote says so.
    With `explain`, options withheld by `hide` / `block` rules and options no service could
    carry are listed too, and every skipped rule says which condition failed.
    `windows` is the book of windows `catalog`'s earlier quotes worked out (`Setup.windows`);
    without it the quote keeps its own.
    """
    prepared = _prepare(request, catalog, ruleset)
    lines = prepared.lines
    messages = [Message("unavailable", la.reason or "", la.sku) for la in lines if la.unavailable]
    cart = prepared.cart
    if cart is None:
        messages.append(Message("nothing_to_ship", "no item in the cart can be supplied"))
        return Quote(now, request.ordered_at, ruleset.version, request.currency,
                     request.destination, None, lines, (), tuple(messages),
                     reference=request.reference)

    shipping = _Shipping(request, catalog, cart, live,
                         WindowBook() if windows is None else windows)
    options: list[Option] = []
    withheld: list[Option] = []
    unoffered: list[Unoffered] = []
    for plan in prepared.plans:
        for key, service in prepared.services:
            if service is None:
                unoffered.append(Unoffered(f"{plan.kind}/{key}", "unknown service"))
                continue
            built = _option(plan, service, request, catalog, ruleset, cart, shipping,
                            explain=explain)
            if isinstance(built, Unoffered):
                unoffered.append(built)
            elif isinstance(built, Withheld):
                if built.message:
                    messages.append(Message("blocked", built.message))
            elif built.blocked or built.hidden_by:
                withheld.append(built)
                if built.blocked:
                    messages.append(Message("blocked", built.blocked[1]))
            else:
                options.append(built)
    messages.extend(shipping.fallback_messages())
    order = {kind: i for i, kind in enumerate(ruleset.plans.kinds)}
    options.sort(key=lambda o: (order[o.plan], o.price.amount, o.delivery.latest, o.id))
    if not options:
        messages.append(Message("no_options", "no shipping option is available for this cart"))
    return Quote(
        now, request.ordered_at, ruleset.version, request.currency, request.destination,
        stock=cart.stock,
        lines=lines,
        options=tuple(options),
        messages=tuple(dict.fromkeys(messages)),
        withheld=tuple(withheld) if explain else (),
        unoffered=tuple(unoffered) if explain else (),
        reference=request.reference,
    )


@dataclass(frozen=True, slots=True)
class _CartFacts:
    """The facts every option of one cart shares, computed once."""

    stock: StockClass
    zone: str | None
    subtotal: Money
    grams: int
    item_count: int
    restock_days: int
    line_facts: tuple[LineFacts, ...]
    unit_grams: tuple[int, ...]

    @classmethod
    def of(cls, request: QuoteRequest, allocations: Sequence[Allocation],
           today: dict[str, date], zone: str | None) -> _CartFacts:
        shipped = [0] * len(request.lines)
        backordered = [False] * len(request.lines)
        restock_days = 0
        for a in allocations:
            shipped[a.line] += a.quantity
            if not a.on_hand:
                backordered[a.line] = True
                restock_days = max(restock_days, (a.ready.latest - today[a.location]).days)
        lines = request.lines
        return cls(
            stock=stock_class(allocations),
            zone=zone,
            subtotal=total((line.unit_price.times(n) for line, n in zip(lines, shipped,
                                                                         strict=True)),
                           request.currency),
            grams=sum(line.grams * n for line, n in zip(lines, shipped, strict=True)),
            item_count=sum(shipped),
            restock_days=restock_days,
            line_facts=tuple(LineFacts(line.sku, line.tags, b)
                             for line, b, n in zip(lines, backordered, shipped, strict=True)
                             if n),
            unit_grams=tuple(line.grams for line in lines),
        )

    def grams_of(self, shipment: ShipmentPlan) -> int:
        return sum(self.unit_grams[a.line] * a.quantity for a in shipment.items)


def _option(plan: Plan, service: Service, request: QuoteRequest, catalog: Catalog,
            ruleset: Ruleset, cart: _CartFacts, shipping: _Shipping,
            *, explain: bool) -> Option | Unoffered | Withheld:
    option_id = f"{plan.kind}/{service.key}"
    carrier = catalog.carriers[service.carrier]
    shape = shipping.shape(plan)
    zones = shipping.zones(carrier, shape)
    if isinstance(zones, str):  # known before pricing any shipment of the option
        return Unoffered(option_id, zones)
    legs: list[tuple[ShipmentPlan, Location, _Leg]] = []
    for shipment, location, zone, grams in zip(plan.shipments, shape.places, zones,
                                               shape.grams, strict=True):
        leg = shipping.leg(shipment, location, zone, carrier, service, grams)
        if isinstance(leg, str):
            return Unoffered(option_id, leg)
        legs.append((shipment, location, leg))

    facts = Facts(
        stock=cart.stock, plan=plan.kind, service=service.key, carrier=service.carrier,
        zone=cart.zone, country=request.destination.country, region=request.destination.region,
        postcode=request.destination.postcode, subtotal=cart.subtotal, grams=cart.grams,
        item_count=cart.item_count, restock_days=cart.restock_days, shipments=len(legs),
        locations=shape.locations, customer_tags=request.customer_tags, lines=cart.line_facts,
    )
    # Explain must account for every rule; otherwise only those the facts admit can apply.
    rules = (Shortlist.of(ruleset.rules) if explain
             else shipping.rules(ruleset, facts).candidates(facts))
    if not explain:
        # A withheld option is dropped undated and unpriced: only a block's message shows.
        hidden_by, blocked = withheld_by(rules, facts)
        if hidden_by or blocked:
            return Withheld(option_id, blocked[1] if blocked else None)
    parts = [(shipment, shipping.window(shipment, location, carrier, leg.transit), leg)
             for shipment, location, leg in legs]
    draft = evaluate(rules, Draft(
        facts=facts,
        cents=[leg.price.units for _, _, leg in parts],
        backordered=shape.backordered,
        units=shape.units,
        label=f"{service.name} - {ruleset.plans.labels[plan.kind]}",
        service_name=service.name,
    ), explain=explain)
    shipments = tuple(
        ShipmentQuote(shipment, window, leg.price, final, leg.detail, leg.source, leg.transit)
        for (shipment, window, leg), final in zip(parts, draft.prices, strict=True))
    return Option(plan.kind, service, draft.label, draft.price, shipments, tuple(draft.trace),
                  draft.hidden_by, draft.blocked)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What every service reads of a plan's shipments: where each leaves from and what it
    weighs, and for rules, its locations, which are backordered, and their units."""

    places: tuple[Location, ...]
    grams: tuple[int, ...]
    locations: frozenset[str]
    backordered: tuple[bool, ...]
    units: tuple[int, ...]


class _Leg(NamedTuple):
    """One shipment by one service: transit days, base price, and where the price came
    from: "table", "live", or "fallback" (the table, because the live carrier failed).
    A NamedTuple: a quote prices a hundred legs."""

    transit: tuple[int, int]
    price: Money
    detail: str
    source: str


class _Shipping:
    """Prices and dates shipments for one quote: live prices where a carrier answered
    (remembering which live carriers fell back to their tables, and why, for the quote's
    messages), each table leg once however many plans share it, and windows from the
    setup's book."""

    def __init__(self, request: QuoteRequest, catalog: Catalog, cart: _CartFacts,
                 live: Mapping[RateRequest, LiveAnswer], windows: WindowBook) -> None:
        self.request = request
        self.catalog = catalog
        self.cart = cart
        self.live = live
        self.fallbacks: dict[str, str] = {}
        self.windows = windows
        self._starts: dict[str, tuple[DateRange, str]] = {}
        self._zones: dict[tuple[str, str], str | None] = {}
        self._carrier_calendars: dict[tuple[str, str],
                                      tuple[BusinessCalendar, BusinessCalendar]] = {}
        self._legs: dict[tuple[str, str, int], _Leg | str] = {}
        self._shapes: dict[int, _Shape] = {}
        self._cart_rules: CartRules | None = None

    def shape(self, plan: Plan) -> _Shape:
        """The plan's shape, once per quote however many services carry it (the plans
        outlive this memo, so their ids are theirs)."""
        found = self._shapes.get(id(plan))
        if found is None:
            shipments, locations = plan.shipments, self.catalog.locations
            found = self._shapes[id(plan)] = _Shape(
                tuple(locations[s.location] for s in shipments),
                tuple(self.cart.grams_of(s) for s in shipments),
                frozenset(s.location for s in shipments),
                tuple(s.backordered for s in shipments), tuple(s.units for s in shipments))
        return found

    def rules(self, ruleset: Ruleset, facts: Facts) -> CartRules:
        """The ruleset's rules this cart admits; `facts` of any option of the quote will
        do, since only the cart-wide facts are read."""
        if self._cart_rules is None:
            self._cart_rules = ruleset.index.for_cart(facts)
        return self._cart_rules

    def window(self, shipment: ShipmentPlan, location: Location, carrier: Carrier,
               transit: tuple[int, int]) -> ShipmentWindow:
        """The shipment's window, from the book when an earlier quote (or option) worked
        it out: the destination and order instant are the quote's own."""
        on_hand = None
        if not shipment.backordered:
            on_hand = self._starts.get(location.id)
            if on_hand is None:
                on_hand = self._starts[location.id] = start_on_hand(location,
                                                                    self.request.ordered_at)
        return self.windows.window(shipment, location, on_hand,
                                   *self._calendars(carrier, location), transit)

    def _calendars(self, carrier: Carrier, location: Location) -> tuple[BusinessCalendar,
                                                                         BusinessCalendar]:
        """The carrier's pickup calendar at `location` and delivery calendar at the
        destination: every service and plan of the carrier asks the same."""
        key = (carrier.id, location.id)
        found = self._carrier_calendars.get(key)
        if found is None:
            calendars = self.catalog.calendars
            found = self._carrier_calendars[key] = (
                calendars.pickup(carrier, location),
                calendars.delivery(carrier, self.request.destination))
        return found

    def zones(self, carrier: Carrier, shape: _Shape) -> tuple[str, ...] | str:
        """The carrier's zone from each of the plan's locations to the destination, or
        why it cannot carry the plan: no zone from one of them."""
        zones = []
        for location in shape.places:
            zone = self._zone(carrier, location)
            if zone is None:
                return (f"{carrier.name} has no zone from {location.id} to "
                        f"{_place(self.request.destination)}")
            zones.append(zone)
        return tuple(zones)

    def leg(self, shipment: ShipmentPlan, location: Location, zone: str, carrier: Carrier,
            service: Service, grams: int) -> _Leg | str:
        """The leg of the shipment, weighing `grams`, in the carrier's `zone`, or why
        `service` cannot carry it. A table carrier's leg depends only on the service, the
        place and the weight, which the plans of a quote often share (the units on hand
        weigh the same in every plan)."""
        if carrier.live:
            return self._leg(shipment, location, zone, carrier, service, grams)
        key = (service.key, location.id, grams)
        found = self._legs.get(key)
        if found is None:
            found = self._legs[key] = self._leg(shipment, location, zone, carrier, service,
                                                grams)
        return found

    def _leg(self, shipment: ShipmentPlan, location: Location, zone: str, carrier: Carrier,
             service: Service, grams: int) -> _Leg | str:
        transit = service.transit.get(zone)
        source = "table"
        if carrier.live:
            ask = _rate_request(shipment, location, carrier, self.request, self.cart)
            answer = self.live.get(ask)
            failure = "not asked" if answer is None else answer.failure
            if answer is not None and failure is None:
                rate = answer.rate_for(service.code)
                if rate is None:
                    return f"{carrier.name} did not quote {service.name} for these parcels"
                if rate.price.currency == self.request.currency:
                    live_transit = rate.transit_days or transit
                    if live_transit is None:
                        return f"{service.name} has no transit time for zone {zone}"
                    return _Leg(live_transit, rate.price,
                                f"{service.key} from {location.id}, live: "
                                f"{len(ask.parcels)} parcel(s): {rate.price.amount}", "live")
                failure = f"answered in {rate.price.currency}"
            self.fallbacks.setdefault(carrier.name, failure or "no rates")
            source = "fallback"
        if transit is None:
            return f"{service.name} has no transit time for zone {zone}"
        return self._table_leg(service, location, zone, transit, grams, source)

    def _zone(self, carrier: Carrier, location: Location) -> str | None:
        """The carrier's zone from `location` to the quote's destination; every service
        and plan of the carrier asks the same."""
        key = (carrier.id, location.id)
        if key not in self._zones:
            self._zones[key] = first_zone(carrier.zones, self.request.destination,
                                          origin=location.id)
        return self._zones[key]

    @staticmethod
    def _table_leg(service: Service, location: Location, zone: str,
                   transit: tuple[int, int], grams: int, source: str) -> _Leg | str:
        """The leg priced from the service's rate table."""
        priced = service.rates.price(zone, grams)
        if priced.price is None:
            return f"{service.name}: {priced.detail}"
        return _Leg(transit, priced.price, f"{service.key} from {location.id}, {priced.detail}",
                    source)

    def fallback_messages(self) -> list[Message]:
        return [Message("carrier_fallback",
                        f"{name} live rates unavailable ({why}); priced from its rate table")
                for name, why in self.fallbacks.items()]


def _rate_request(shipment: ShipmentPlan, location: Location, carrier: Carrier,
                  request: QuoteRequest, cart: _CartFacts) -> RateRequest:
    units = [cart.unit_grams[a.line] for a in shipment.items for _ in range(a.quantity)]
    return RateRequest(carrier.id, location.id, location.country, location.region,
                       location.postcode, request.destination,
                       pack(units, carrier.max_parcel_grams), request.currency)


def _place(destination: Destination) -> str:
    return "-".join(p for p in (destination.country, destination.region) if p)
