"""quote()'s pickups: the cart allocated from the store alone, offered where its `to`
admits the destination and only if the store supplies every unit the quote does, dated by
the store's collection, priced 0 and then by the rules like any option.

Catalog (conftest): reno (priority 1) and toronto (Toronto DC: Mon-Fri less Canadian and
Ontario holidays, cutoff 15:00, receiving 1 working day); toronto is given a pickup here,
to Ontario, handling 0-1 working days, hours "Mon-Fri 10:00-18:00".

    November 2026:  Mo Tu We Th Fr Sa Su     December 2026:  Mo Tu We Th Fr Sa Su
                    23 24 25 26 27 28 29                         1  2  3  4  5  6
                    30                                        7  8  9 10 11 12 13
    (no Canadian holiday in these weeks)                     14 15 16 17 18 19 20
"""

from __future__ import annotations

import dataclasses

import pytest

from rates.domain.cart import Destination, Line, QuoteRequest
from rates.domain.catalog import Catalog, DestinationPattern, StorePickup
from rates.domain.plans import PlanKind
from rates.domain.quote.pipeline import quote
from rates.domain.quote.result import Unoffered
from rates.domain.rules.actions import Hide, SetPrice
from rates.domain.rules.conditions import OneOf
from rates.domain.rules.evaluation import Rule
from rates.domain.stock import InboundLot, LocationStock, SkuStock, Source, StockClass
from rates.domain.window import Collect
from tests.support.domain import at, d, span, usd

TORONTO_ON = Destination("CA", "ON", "M4C 1B5")
MONTREAL_QC = Destination("CA", "QC", "H2X 1Y4")
NOW = at("2026-11-23T17:30:00+00:00")
MONDAY_MORNING = "2026-11-23T09:30:00-05:00"  # before toronto's 15:00 cutoff


@pytest.fixture(scope="module")
def store(catalog: Catalog) -> Catalog:
    toronto = dataclasses.replace(catalog.locations["toronto"], pickup=StorePickup(
        "toronto", "Pick up at Toronto DC", (DestinationPattern("CA", frozenset({"ON"})),),
        (0, 1), "Mon-Fri 10:00-18:00"))
    return dataclasses.replace(catalog, locations={**catalog.locations, "toronto": toronto})


def line(sku: str, quantity: int, *where: LocationStock, lead_time=None,
         lead_time_location=None) -> Line:
    return Line(sku, quantity, usd("20.00"), 500, frozenset(),
                SkuStock(sku, where, lead_time, lead_time_location))


def request(*lines: Line, destination=TORONTO_ON, ordered_at=MONDAY_MORNING) -> QuoteRequest:
    return QuoteRequest("USD", destination, lines, at(ordered_at), reference="cart-1")


def pickup_of(result):
    [option] = [o for o in result.options if o.plan is PlanKind.PICKUP]
    return option


def test_units_on_hand_at_the_store_are_ready_after_the_pickup_handling(store, ruleset):
    # Mon Nov 23 09:30 in Toronto, before the 15:00 cutoff: the units are there from Mon
    # 23; pickup handling 0-1 working days: ready Mon 23 .. Tue 24.
    lantern = line("LANTERN", 2, LocationStock("toronto", 5))
    result = quote(request(lantern), store, ruleset, NOW)
    option = pickup_of(result)
    assert (option.id, option.label, option.price) == (
        "pickup/toronto", "Pick up at Toronto DC", usd("0.00"))
    assert (option.service.carrier, option.service.code) == ("pickup", "toronto")
    assert option.delivery == span("2026-11-23", "2026-11-24")
    [shipment] = option.shipments
    assert shipment.window.ships == shipment.window.delivery
    assert [step.kind for step in shipment.window.steps] == ["start", "handling", "collect"]
    assert shipment.window.steps[-1].facts == Collect("toronto", "Mon-Fri 10:00-18:00")
    # Listed after every shipping option.
    assert result.options[-1] is option


def test_a_restock_at_the_store_is_dated_by_its_eta_receiving_and_handling(store, ruleset):
    # 3 wanted, 1 on hand, 2 from lot L-9 due Tue Dec 8 .. Thu Dec 10. Received in 1
    # working day: Wed 9 .. Fri 11; pickup handling 0-1: Wed Dec 9 .. Mon Dec 14.
    cooler = line("COOLER", 3, LocationStock("toronto", 1, (
        InboundLot(4, span("2026-12-08", "2026-12-10"), id="L-9"),)))
    option = pickup_of(quote(request(cooler), store, ruleset, NOW))
    assert option.delivery == span("2026-12-09", "2026-12-14")
    assert [step.kind for step in option.shipments[0].window.steps] == [
        "ready", "received", "handling", "collect"]
    [own] = option.lines
    assert [(a.quantity, a.source, a.lot) for a in own.allocations] == [
        (1, Source.ON_HAND, None), (2, Source.INBOUND, "L-9")]


def test_the_store_allocates_on_its_own_even_where_the_quote_ships_from_elsewhere(
        store, ruleset):
    # reno comes first and has all 2 on hand, so the shipments leave reno; the pickup
    # takes toronto's lot instead (due Dec 1 .. Dec 2, received Wed 2 .. Thu 3, ready
    # Wed Dec 2 .. Fri Dec 4), and rules see its stock, backordered, not the quote's.
    tent = line("TENT", 2, LocationStock("reno", 2),
                LocationStock("toronto", 0, (InboundLot(5, span("2026-12-01", "2026-12-02")),)))
    result = quote(request(tent), store, ruleset, NOW)
    assert result.stock is StockClass.IN_STOCK
    option = pickup_of(result)
    assert option.delivery == span("2026-12-02", "2026-12-04")
    assert option.shipments[0].plan.location == "toronto"


def test_a_lead_time_counts_only_where_its_units_arrive(store, ruleset):
    # The supplier's units go to reno: toronto can supply none, so no pickup.
    reno_bound = line("STOVE", 1, lead_time=(10, 14), lead_time_location="reno")
    result = quote(request(reno_bound), store, ruleset, NOW, explain=True)
    assert all(o.plan is not PlanKind.PICKUP for o in result.options)
    assert Unoffered("pickup/toronto",
                     "toronto can supply 0 of the 1 STOVE the cart needs") in result.unoffered
    # With no lead-time location, the units arrive wherever they are collected: Mon Nov 23
    # + 10 .. 14 calendar days = Thu Dec 3 .. Mon Dec 7; received Fri 4 .. Tue 8; ready
    # Fri Dec 4 .. Wed Dec 9.
    anywhere = line("STOVE", 1, lead_time=(10, 14))
    option = pickup_of(quote(request(anywhere), store, ruleset, NOW))
    assert option.delivery == span("2026-12-04", "2026-12-09")


def test_a_store_short_of_a_sku_offers_no_pickup_and_explain_says_which(store, ruleset):
    # toronto has 1 of the 3 lanterns; reno has the rest, so shipping brings all 3.
    lanterns = line("LANTERN", 3, LocationStock("reno", 2), LocationStock("toronto", 1))
    result = quote(request(lanterns), store, ruleset, NOW, explain=True)
    assert all(o.plan is not PlanKind.PICKUP for o in (*result.options, *result.withheld))
    assert Unoffered("pickup/toronto",
                     "toronto can supply 1 of the 3 LANTERN the cart needs") in result.unoffered


def test_a_destination_outside_the_pickups_to_gets_no_pickup(store, ruleset):
    lantern = line("LANTERN", 1, LocationStock("toronto", 5))
    result = quote(request(lantern, destination=MONTREAL_QC), store, ruleset, NOW,
                   explain=True)
    assert all(o.plan is not PlanKind.PICKUP for o in result.options)
    assert Unoffered("pickup/toronto",
                     "pickup at toronto is not offered to CA-QC") in result.unoffered


def test_rules_price_and_hide_a_pickup_like_any_option(store, ruleset):
    lantern = line("LANTERN", 1, LocationStock("toronto", 5))
    priced = dataclasses.replace(ruleset, rules=(
        Rule("pickup-fee", (OneOf("plan", frozenset({"pickup"})),), SetPrice(usd("5.00"))),))
    option = pickup_of(quote(request(lantern), store, priced, NOW))
    assert option.price == usd("5.00")
    hidden = dataclasses.replace(ruleset, rules=(
        Rule("no-pickup", (OneOf("carrier", frozenset({"pickup"})),), Hide()),))
    result = quote(request(lantern), store, hidden, NOW, explain=True)
    assert all(o.plan is not PlanKind.PICKUP for o in result.options)
    [withheld] = [o for o in result.withheld if o.plan is PlanKind.PICKUP]
    assert withheld.hidden_by == "no-pickup"
    assert pickup_of(quote(request(lantern), store, ruleset, NOW)).price == usd("0.00")


def test_the_pickups_rules_see_its_own_stock_not_the_quotes(store, ruleset):
    # The quote ships reno's shelf (in stock); the pickup waits for toronto's lot, so a
    # rule on backordered stock applies to it alone.
    tent = line("TENT", 1, LocationStock("reno", 1),
                LocationStock("toronto", 0, (InboundLot(5, span("2026-12-01")),)))
    fee = dataclasses.replace(ruleset, rules=(
        Rule("restock-pickup", (OneOf("stock", frozenset({"backordered"})),),
             SetPrice(usd("1.00"))),))
    result = quote(request(tent), store, fee, NOW)
    assert pickup_of(result).price == usd("1.00")
    assert all(o.price != usd("1.00") for o in result.options if o.plan is not PlanKind.PICKUP)
    assert d("2026-12-02") == pickup_of(result).delivery.earliest
