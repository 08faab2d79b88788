"""Pickup at a store: the cart collected at a location that offers it, priced by the rules.

A location with `pickup` is offered to the destinations its `to` admits. Its option is the
cart allocated from that location alone, by the same `allocate` as the quote (its shelves,
its inbound lots, the supplier's lead time when it arrives there), and it is offered only
when the store supplies every line as fully as the quote's own allocation: collecting
must never drop units a shipment would bring. The units are collected together, ready when
the last one is (`rates.domain.window.collect`: a restock's ETA, receiving and the
pickup's handling, honestly dated). It costs nothing, then the rules apply exactly as to
any option, seeing plan and carrier "pickup", the store as its location, and the stock of
its own allocation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date

from rates.domain.cart import QuoteRequest
from rates.domain.catalog import Catalog, Leg, Location, StorePickup
from rates.domain.exchange import Conversion
from rates.domain.money import Money
from rates.domain.plans import PlanKind, ShipmentPlan
from rates.domain.policy import Ruleset
from rates.domain.quote.cart_facts import CartFacts
from rates.domain.quote.labels import base_label
from rates.domain.quote.pricing import as_paid
from rates.domain.quote.result import Option, Unoffered, Withheld
from rates.domain.rules.actions import Draft
from rates.domain.rules.evaluation import Shortlist, evaluate, withheld_by
from rates.domain.stock import LineAllocation, SkuStock, allocate
from rates.domain.window import collect, start_on_hand

PICKUP_SOURCE = "pickup"
"""A pickup shipment's price `source`: no rate table or carrier priced it."""


def pickup_options(request: QuoteRequest, catalog: Catalog, ruleset: Ruleset,
                   lines: Sequence[LineAllocation], zone: str | None,
                   km: Mapping[str, float], conversion: Conversion | None, *,
                   explain: bool) -> Iterator[Option | Unoffered | Withheld]:
    """Each pickup a location offers this cart, in the locations' order; with `explain`,
    why a location with pickup offers none. `lines` is the quote's own allocation, `zone`
    its zone of the destination, `km` the locations' known distances to it."""
    for location in catalog.locations.values():
        pickup = location.pickup
        if pickup is None:
            continue
        distance = km.get(location.id)
        if not pickup.offered_to(request.destination, distance):
            if explain:
                yield Unoffered(pickup.service.key, _not_offered(location.id, pickup,
                                                                 request, distance))
            continue
        today = {location.id: request.ordered_at.astimezone(location.timezone).date()}
        own = _allocated_at(location.id, request, lines, today)
        short = _short(location.id, lines, own)
        if short:
            yield Unoffered(pickup.service.key, short)
            continue
        yield _option(location, pickup, request, ruleset, own, today, zone, distance,
                      conversion, explain=explain)


def _not_offered(location: str, pickup: StorePickup, request: QuoteRequest,
                 km: float | None) -> str:
    said = f"pickup at {location} is not offered to "
    if pickup.within_km is not None and (km is None or km > pickup.within_km):
        far = "an unknown distance" if km is None else f"{km:,.0f} km"
        return said + f"a destination {far} away (within {pickup.within_km:,.0f} km)"
    return said + "-".join(p for p in (request.destination.country,
                                      request.destination.region) if p)


def _allocated_at(location: str, request: QuoteRequest, lines: Sequence[LineAllocation],
                  today: dict[str, date]) -> tuple[LineAllocation, ...]:
    """The units the quote supplies of each line, allocated from `location` alone. The
    lead time counts when its units arrive there (or its location is not set)."""
    return allocate(
        [(line.sku, quoted.quantity - quoted.unavailable,
          _only_at(line.stock or SkuStock(line.sku), location))
         for line, quoted in zip(request.lines, lines, strict=True)],
        [location], today)


def _only_at(stock: SkuStock, location: str) -> SkuStock:
    lead_time = stock.lead_time_days if stock.lead_time_location in (None, location) else None
    return replace(stock, locations=tuple(p for p in stock.locations if p.location == location),
                   lead_time_days=lead_time,
                   lead_time_location=None if lead_time is None else location)


def _short(location: str, quoted: Sequence[LineAllocation],
           own: Sequence[LineAllocation]) -> str | None:
    """Why `location` cannot be offered: the first SKU it supplies fewer units of than
    the quote does; None when it supplies them all."""
    for line, here in zip(quoted, own, strict=True):
        if here.unavailable:
            wanted = line.quantity - line.unavailable
            return (f"{location} can supply {wanted - here.unavailable} of the {wanted} "
                    f"{line.sku} the cart needs")
    return None


def _option(location: Location, pickup: StorePickup, request: QuoteRequest,
            ruleset: Ruleset, own: tuple[LineAllocation, ...], today: dict[str, date],
            zone: str | None, km: float | None, conversion: Conversion | None, *,
            explain: bool) -> Option | Withheld:
    service = pickup.service
    allocations = tuple(a for line in own for a in line.allocations)
    cart = CartFacts.of(request, allocations, today, zone, conversion)
    facts = cart.facts(PlanKind.PICKUP, service.key, service.carrier, 1,
                       frozenset({location.id}), km, from_nearest=True,
                       guaranteed=False)
    # The cart-wide facts are this allocation's own, so its rules are found apart from
    # the shipping options'.
    rules = (Shortlist.of(ruleset.rules) if explain
             else ruleset.index.for_cart(facts).candidates(facts))
    if not explain:
        hidden_by, blocked = withheld_by(rules, facts)
        if hidden_by or blocked:
            return Withheld(service.key, blocked)
    shipment = ShipmentPlan(location.id, allocations)
    on_hand = None if shipment.backordered else start_on_hand(location, request.ordered_at)
    window = collect(shipment, location, on_hand, pickup.handling_days, pickup.hours)
    leg = Leg((0, 0), Money.zero(cart.currency), f"pickup at {location.id}: free",
              PICKUP_SOURCE, 0)
    draft = evaluate(rules, Draft(
        facts=facts, cents=[0], backordered=(shipment.backordered,), units=(shipment.units,),
        label=base_label(service.name, None), service_name=service.name,
        locations=(shipment.location,),
    ), explain=explain)
    price, shipments = as_paid((shipment,), (window,), (leg,), draft, conversion,
                               request.currency)
    return Option(PlanKind.PICKUP, service, draft.label, price, shipments, tuple(draft.trace),
                  draft.hidden_by, draft.blocked, conversion, own, cart.stock)
