"""The quote pipeline: allocate -> plan -> schedule -> price -> apply rules -> convert;
then the pickups stores offer (`rates.domain.quote.pickup`).

`quote()` is pure: stock, calendars, rates and policy arrive as values, the clock as `now`.
It never fails because one service cannot carry a shipment; that option is simply not
offered (and, with `explain`, listed with the reason).

A quote in a currency other than the shop's is priced in the shop's, and only its final
prices are converted (`rates.domain.exchange`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from difflib import get_close_matches
from functools import partial
from types import MappingProxyType

from rates.domain.cart import QuoteRequest
from rates.domain.catalog import Catalog, Leg, Service, first_zone
from rates.domain.confidence import Calibration
from rates.domain.errors import InvalidRequest
from rates.domain.exchange import Conversion
from rates.domain.live_rates import LiveAnswer, RateRequest
from rates.domain.plans import Plan
from rates.domain.policy import Ruleset
from rates.domain.quote.labels import base_label
from rates.domain.quote.pickup import pickup_options
from rates.domain.quote.pricing import Shipping, as_paid, rate_request
from rates.domain.quote.result import (
    Message,
    Option,
    Quote,
    Unoffered,
    Withheld,
)
from rates.domain.quote.sourced import Reasons, Sourcing, Sourcings, source
from rates.domain.rules.actions import Draft
from rates.domain.rules.evaluation import Shortlist, evaluate, withheld_by
from rates.domain.sourcing.strategy import Strategy
from rates.domain.window import WindowBook

NO_ANSWERS: Mapping[RateRequest, LiveAnswer] = MappingProxyType({})


@dataclass(frozen=True, slots=True, init=False)
class _Prepared:
    """Everything before pricing: the sourcings to price, the offered services, how
    shipments are priced and dated, and how prices convert to the request's currency
    (None in the shop's own)."""

    sourcings: Sourcings
    services: tuple[tuple[str, Service | None], ...]
    shipping: Shipping
    reasons: Reasons
    km: Mapping[str, float]
    conversion: Conversion | None = None

    def __init__(self, sourcings: Sourcings, services: tuple[tuple[str, Service | None], ...],
                 shipping: Shipping, reasons: Reasons, km: Mapping[str, float],
                 conversion: Conversion | None = None) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "sourcings", sourcings)
        object.__setattr__(self, "services", services)
        object.__setattr__(self, "shipping", shipping)
        object.__setattr__(self, "reasons", reasons)
        object.__setattr__(self, "km", km)
        object.__setattr__(self, "conversion", conversion)


def _prepare(request: QuoteRequest, catalog: Catalog, ruleset: Ruleset,
             live: Mapping[RateRequest, LiveAnswer], windows: WindowBook | None,
             calibration: Calibration | None = None) -> _Prepared:
    """Raises `InvalidRequest` for a currency that is neither the shop's nor one with an
    exchange rate."""
    conversion = ruleset.exchange.conversion(request.currency)
    priority = _sourcing_order(request, catalog)
    today = {loc.id: request.ordered_at.astimezone(loc.timezone).date()
             for loc in catalog.locations.values()}
    zone = first_zone(ruleset.zones, request.destination)
    services = tuple((offer.service, catalog.service(offer.service))
                     for offer in ruleset.services if offer.offered_in(zone))
    shipping = Shipping(request, catalog, ruleset.currency, live,
                        WindowBook() if windows is None else windows, calibration)
    sourcings = source(request, catalog, ruleset, catalog.sourcing, priority, today, zone,
                       services, shipping, conversion)
    reasons = Reasons(request, catalog.sourcing, sourcings.offered, sourcings.km, shipping)
    return _Prepared(sourcings, services, shipping, reasons, sourcings.km, conversion)


def _sourcing_order(request: QuoteRequest, catalog: Catalog) -> list[str]:
    """The locations in the order allocation prefers them: the request's `origin` first,
    then the configured order."""
    locations = list(catalog.locations)
    origin = request.origin
    if origin is None:
        return locations
    if origin not in catalog.locations:
        raise InvalidRequest(f"unknown origin location {origin!r}", {"origin": [
            f"unknown location {origin!r}{_known(origin, locations)}"]})
    return [origin, *(location for location in locations if location != origin)]


def _known(name: str, names: list[str]) -> str:
    close = get_close_matches(name, names, n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(names)}"


def rate_requests(request: QuoteRequest, catalog: Catalog, ruleset: Ruleset,
                  windows: WindowBook | None = None) -> tuple[RateRequest, ...]:
    """The distinct questions `quote()` will look up for live carriers, in a stable order:
    what the shell asks the carriers before quoting."""
    prepared = _prepare(request, catalog, ruleset, NO_ANSWERS, windows)
    asked: dict[RateRequest, None] = {}
    for sourcing in prepared.sourcings.all:
        for plan in sourcing.plans:
            for key, service in prepared.services:
                carrier = catalog.carriers[service.carrier] if service else None
                if carrier is None or not carrier.live or not sourcing.serves(key):
                    continue
                for shipment in plan.shipments:
                    location = catalog.locations[shipment.location]
                    asked[rate_request(shipment, location, carrier, request,
                                       prepared.shipping.unit_grams, ruleset.currency)] = None
    return tuple(asked)


def quote(request: QuoteRequest, catalog: Catalog, ruleset: Ruleset, now: datetime,
          *, explain: bool = False,
          live: Mapping[RateRequest, LiveAnswer] = NO_ANSWERS,
          windows: WindowBook | None = None,
          calibration: Calibration | None = None) -> Quote:
    """Every option to ship `request`'s cart, cheapest first within each plan.

    `now` is when the quote is made; dates are computed from `request.ordered_at`.
    `live` holds live carriers' answers to `rate_requests()`; a live carrier without a
    good answer is priced from its fallback table, and the quote says so.
    With `explain`, options withheld by `hide` / `block` rules and options no service could
    carry are listed too, and every skipped rule says which condition failed.
    `windows` is the book of windows `catalog`'s earlier quotes worked out (`Setup.windows`);
    without it the quote keeps its own. `calibration` weighs each window against the
    lateness history (`rates.domain.confidence`); without it, windows are as dated.
    """
    prepared = _prepare(request, catalog, ruleset, live, windows, calibration)
    sourcings = prepared.sourcings
    messages = [Message("unavailable", la.reason or "", la.sku)
                for la in sourcings.lines if la.unavailable]
    if request.origin is not None:
        messages.append(_origin(request.origin, catalog.sourcing))
    if not sourcings.all:
        messages.append(Message("nothing_to_ship", "no item in the cart can be supplied"))
        return Quote(now, request.ordered_at, ruleset.version, request.currency,
                     request.destination, None, sourcings.lines, (), tuple(messages),
                     reference=request.reference)

    shipping = prepared.shipping
    rank = _ranking(catalog.sourcing)
    options: list[Option] = []
    withheld: list[Option] = []
    unoffered: list[Unoffered] = []
    for kind in ruleset.plans.kinds:
        for key, service in prepared.services:
            candidates = [(sourcing, plan) for sourcing in sourcings.all
                          if sourcing.serves(key) and (plan := sourcing.plan(kind))]
            if not candidates:
                continue
            if service is None:
                unoffered.append(Unoffered(f"{kind}/{key}", "unknown service"))
                continue
            _file(_best([_option(plan, service, request, catalog, ruleset, sourcing,
                                 prepared, explain=explain)
                         for sourcing, plan in candidates], rank),
                  options, withheld, unoffered, messages)
    for built in pickup_options(request, catalog, ruleset, sourcings.lines,
                                sourcings.all[0].cart.zone, prepared.km, prepared.conversion,
                                explain=explain):
        _file(built, options, withheld, unoffered, messages)
    messages.extend(shipping.fallback_messages())
    # Pickups (a plan no rules file offers) after every shipping plan.
    order = {kind: i for i, kind in enumerate(ruleset.plans.kinds)}
    options.sort(key=lambda o: (order.get(o.plan, len(order)), o.price.amount,
                                o.delivery.latest, o.id))
    if not options:
        messages.append(Message("no_options", "no shipping option is available for this cart"))
    lines = options[0].lines if options else sourcings.all[0].lines
    return Quote(
        now, request.ordered_at, ruleset.version, request.currency, request.destination,
        stock=(options[0].stock if options else sourcings.all[0].cart.stock),
        lines=lines,
        options=tuple(options),
        messages=tuple(dict.fromkeys(messages)),
        withheld=tuple(withheld) if explain else (),
        unoffered=tuple(unoffered) if explain else (),
        reference=request.reference,
    )


Built = Option | Unoffered | Withheld


def _ranking(strategy: Strategy) -> Callable[[Option], tuple[object, ...]]:
    """How the strategy orders one plan's options by one service built from different
    sourcings: `fastest` by latest delivery, earliest, shipments, price; `cheapest` by
    price first."""
    def fastest(option: Option) -> tuple[object, ...]:
        delivery = option.delivery
        return (delivery.latest, delivery.earliest, len(option.shipments), option.price.units)

    def cheapest(option: Option) -> tuple[object, ...]:
        return (option.price.units, *fastest(option)[:3])
    return cheapest if strategy is Strategy.CHEAPEST else fastest


def _best(built: list[Built], rank: Callable[[Option], tuple[object, ...]]) -> Built:
    """The best offered option of one plan and service among its sourcings' (in their
    order on ties); when none is offered, what the first sourcing's came to."""
    offered = [o for o in built
               if isinstance(o, Option) and not (o.blocked or o.hidden_by)]
    if len(offered) > 1:
        return min(offered, key=rank)
    return offered[0] if offered else built[0]


def _file(built: Built, options: list[Option], withheld: list[Option],
          unoffered: list[Unoffered], messages: list[Message]) -> None:
    """Put a built option where the quote lists it; a block rule's message joins the
    quote's messages."""
    if isinstance(built, Unoffered):
        unoffered.append(built)
    elif isinstance(built, Withheld):
        if built.blocked:
            messages.append(_blocked(*built.blocked))
    elif built.blocked or built.hidden_by:
        withheld.append(built)
        if built.blocked:
            messages.append(_blocked(*built.blocked))
    else:
        options.append(built)


def _origin(origin: str, strategy: Strategy) -> Message:
    """What the checkout's origin did: under `priority` and `nearest` it is sourced from
    first; under `fastest` and `cheapest` it wins only among sources that do as well."""
    if strategy.compares:
        return Message("origin", f"{origin} preferred where it does as well: the "
                                 f"checkout's origin ({strategy})")
    return Message("origin", f"sourced from {origin} first: the checkout's origin")


def _blocked(rule: str, message: str) -> Message:
    """A block rule's message, naming its rule so that the shell can reword it."""
    return Message("blocked", message, rule=rule)


def _option(plan: Plan, service: Service, request: QuoteRequest, catalog: Catalog,
            ruleset: Ruleset, sourcing: Sourcing, prepared: _Prepared, *,
            explain: bool) -> Built:
    option_id = f"{plan.kind}/{service.key}"
    cart, shipping, conversion = sourcing.cart, prepared.shipping, prepared.conversion
    carrier = catalog.carriers[service.carrier]
    shape = shipping.shape(plan, prepared.km)
    zones = shipping.zones(carrier, shape)
    if isinstance(zones, str):  # known before pricing any shipment of the option
        return Unoffered(option_id, zones)
    legs: list[Leg] = []
    for shipment, location, zone, grams in zip(plan.shipments, shape.places, zones,
                                               shape.grams, strict=True):
        leg = shipping.leg(shipment, location, zone, carrier, service, grams)
        if isinstance(leg, str):
            return Unoffered(option_id, leg)
        legs.append(leg)

    facts = cart.facts(plan.kind, service.key, service.carrier, len(legs), shape.locations,
                       shape.farthest_km,
                       from_nearest=sourcing.from_nearest, guaranteed=service.guaranteed)
    # Explain must account for every rule; otherwise only those the facts admit can apply.
    rules = (Shortlist.of(ruleset.rules) if explain
             else shipping.rules(ruleset, cart, facts).candidates(facts))
    if not explain:
        # A withheld option is dropped undated and unpriced: only a block's message shows.
        hidden_by, blocked = withheld_by(rules, facts)
        if hidden_by or blocked:
            return Withheld(option_id, blocked)
    windows = [shipping.window(shipment, location, carrier, service, leg.transit,
                               guaranteed=leg.guaranteed)
               for shipment, location, leg in zip(plan.shipments, shape.places, legs,
                                                  strict=True)]
    draft = evaluate(rules, Draft(
        facts=facts,
        cents=[leg.cents for leg in legs],
        backordered=shape.backordered,
        units=shape.units,
        label=base_label(service.name, ruleset.plans.labels[plan.kind]),
        service_name=service.name,
        locations=shape.origins,
    ), explain=explain)
    price, shipments = as_paid(plan.shipments, windows, legs, draft, conversion,
                               request.currency)
    return Option(plan.kind, service, draft.label, price, shipments, tuple(draft.trace),
                  draft.hidden_by, draft.blocked, conversion, sourcing.lines, cart.stock,
                  partial(prepared.reasons, sourcing, service))
