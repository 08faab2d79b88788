"""quote(): allocate -> plan -> schedule -> price -> rules, end to end on a small catalog.

Catalog (conftest): reno (priority 1) and toronto; UPS Ground (Mon-Fri delivery, transit
us-west 1-3, canada 5-8; 8.00 from 0 g, 9.50 from 1 kg, 14.00 from 5 kg + 1.25 per started
kg above, max 30 kg) and FedEx Home (Mon-Sat delivery, us-west only, transit 1-2; 10.00
from 0 g, 20.00 from 5 kg). Ruleset: both offered, plans together / in_stock_first /
as_available, merge_within_days 3, no rules.

The mixed cart ordered Mon 2026-11-23 09:30 PST to Reno, NV:
  TENT-2P x3 @149.00, 3200 g: 2 on hand at reno + 1 from lot PO-1 due Dec 10-14
  LANTERN x2 @19.50,   400 g: on hand at reno
  STOVE   x1 @60.00,  1000 g: from lot PO-2 due Dec 1-2

    November 2026:  Mo Tu We Th Fr Sa Su     December 2026:  Mo Tu We Th Fr Sa Su
                    23 24 25 26 27 28 29                         1  2  3  4  5  6
                    30                                        7  8  9 10 11 12 13
    (26 Thanksgiving, 27 Family Day NV)                      14 15 16 17 18 19 20
                                                             21 22 23 24 25 26 27

Shipment windows, worked out by hand (reno: cutoff 14:00, handling 0-1, receiving 1):
  on hand (TENT 2 + LANTERN 2 = 7200 g): start Mon 23, ships [Mon 23, Tue 24];
    UPS 1-3: Tue 24 .. Tue 24 + 3 = Wed 25, Mon 30, Tue Dec 1 -> [Nov 24, Dec 1]
    FedEx 1-2 (Mon-Sat): Tue 24 .. Tue 24 + 2 = Wed 25, Sat 28 -> [Nov 24, Nov 28]
  restock PO-2 alone (STOVE, 1000 g): due [Tue Dec 1, Wed 2], received [Wed 2, Thu 3],
    ships [Wed 2, Fri 4]; UPS: Thu 3 .. Fri 4 + 3 = Mon 7, Tue 8, Wed 9 -> [Dec 3, Dec 9]
    FedEx: Thu 3 .. Fri 4 + 2 = Sat 5, Mon 7 -> [Dec 3, Dec 7]
  anything waiting for PO-1: ready [Thu Dec 10, Mon 14], received [Fri 11, Tue 15],
    ships [Fri 11, Wed 16]; UPS: Mon 14 .. Wed 16 + 3 = Thu 17, Fri 18, Mon 21
    -> [Dec 14, Dec 21]; FedEx: Sat 12 .. Wed 16 + 2 = Fri 18 -> [Dec 12, Dec 18]
Prices (grams -> UPS | FedEx):
  everything 9600 + 800 + 1000 = 11400 g -> 14.00 + 7 x 1.25 = 22.75 | 20.00
  on hand 7200 g -> 14.00 + 3 x 1.25 = 17.75 | 20.00
  TENT 1 + STOVE 1 = 4200 g -> 9.50 | 10.00;  STOVE 1000 g -> 9.50 | 10.00;
  TENT 1 3200 g -> 9.50 | 10.00
"""

from __future__ import annotations

import dataclasses

import pytest

from rates.domain.cart import Destination, Line, QuoteRequest
from rates.domain.errors import InvalidRequest
from rates.domain.money import Money
from rates.domain.plans import PlanKind
from rates.domain.policy import OfferedService, PlanPolicy
from rates.domain.quote.pipeline import quote
from rates.domain.quote.result import Message, Unoffered
from rates.domain.rules.actions import Adjust, Block, Hide, Per, Scope, SetPrice
from rates.domain.rules.conditions import Between, Lines, OneOf, Quantifier
from rates.domain.rules.evaluation import Rule, RuleApplied
from rates.domain.stock import InboundLot, LocationStock, SkuStock, Source, StockClass
from tests.support.domain import at, d, span, usd

RENO_NV = Destination("US", "NV", "89501")
TORONTO_ON = Destination("CA", "ON", "M5V 2T6")
NOW = at("2026-11-23T17:30:00+00:00")


def line(sku, quantity, price, grams, *, on_hand=0, lots=(), location="reno",
         lead_time=None, tags=(), backorder_limit=None) -> Line:
    stock = SkuStock(sku, (LocationStock(location, on_hand, tuple(lots)),),
                     lead_time_days=lead_time, backorder_limit=backorder_limit)
    return Line(sku, quantity, usd(price), grams, frozenset(tags), stock)


def request(*lines, ordered_at="2026-11-23T09:30:00-08:00", destination=RENO_NV,
            currency="USD") -> QuoteRequest:
    return QuoteRequest(currency, destination, tuple(lines), at(ordered_at), reference="cart-1")


TENT = line("TENT-2P", 3, "149.00", 3200, on_hand=2, tags=("oversize",),
            lots=(InboundLot(10, span("2026-12-10", "2026-12-14"), id="PO-1"),))
LANTERN = line("LANTERN", 2, "19.50", 400, on_hand=5)
STOVE = line("STOVE", 1, "60.00", 1000,
             lots=(InboundLot(4, span("2026-12-01", "2026-12-02"), id="PO-2"),))
MIXED = request(TENT, LANTERN, STOVE)


def overview(result):
    """(option id, price, delivery) per option, in the quote's order."""
    return [(o.id, f"{o.price.amount:.2f}", o.delivery) for o in result.options]


def shipment_overview(option):
    return [([(a.sku, a.quantity) for a in s.plan.items], s.window.ships, s.window.delivery,
             f"{s.price.amount:.2f}") for s in option.shipments]


def option(result, option_id):
    return next(o for o in result.options if o.id == option_id)


def test_mixed_cart_gets_all_three_plans_by_both_services_in_order(catalog, ruleset):
    result = quote(MIXED, catalog, ruleset, NOW)
    assert result.stock is StockClass.MIXED
    assert result.messages == ()
    # Plans in the merchant's order; within a plan, cheapest first.
    assert overview(result) == [
        ("together/fedex/home", "20.00", span("2026-12-12", "2026-12-18")),
        ("together/ups/ground", "22.75", span("2026-12-14", "2026-12-21")),
        ("in_stock_first/ups/ground", "27.25", span("2026-11-24", "2026-12-21")),
        ("in_stock_first/fedex/home", "30.00", span("2026-11-24", "2026-12-18")),
        ("as_available/ups/ground", "36.75", span("2026-11-24", "2026-12-21")),
        ("as_available/fedex/home", "40.00", span("2026-11-24", "2026-12-18")),
    ]


def test_allocations_are_reported_per_line(catalog, ruleset):
    result = quote(MIXED, catalog, ruleset, NOW)
    tent = result.lines[0]
    assert (tent.sku, tent.quantity, tent.unavailable) == ("TENT-2P", 3, 0)
    assert [(a.quantity, a.location, a.source, a.ready, a.lot) for a in tent.allocations] == [
        (2, "reno", Source.ON_HAND, span("2026-11-23"), None),
        (1, "reno", Source.INBOUND, span("2026-12-10", "2026-12-14"), "PO-1"),
    ]


def test_in_stock_first_ships_on_hand_now_and_every_backorder_later(catalog, ruleset):
    ground = option(quote(MIXED, catalog, ruleset, NOW), "in_stock_first/ups/ground")
    assert shipment_overview(ground) == [
        ([("TENT-2P", 2), ("LANTERN", 2)], span("2026-11-23", "2026-11-24"),
         span("2026-11-24", "2026-12-01"), "17.75"),
        ([("TENT-2P", 1), ("STOVE", 1)], span("2026-12-11", "2026-12-16"),
         span("2026-12-14", "2026-12-21"), "9.50"),
    ]
    assert ground.shipments[0].rate_detail == (
        "ups/ground from reno, zone us-west 7.2 kg: 14.00 + 3 kg x 1.25 = 17.75")
    assert ground.label == "UPS Ground - in-stock items now, the rest when restocked"


def test_option_window_runs_from_the_first_shipments_earliest_to_the_last_ones_latest(
        catalog, ruleset):
    # FedEx, as_available: on hand [Nov 24, Nov 28], STOVE [Dec 3, Dec 7],
    # TENT [Dec 12, Dec 18] -> the option delivers within [Nov 24, Dec 18].
    home = option(quote(MIXED, catalog, ruleset, NOW), "as_available/fedex/home")
    assert [s.window.delivery for s in home.shipments] == [
        span("2026-11-24", "2026-11-28"), span("2026-12-03", "2026-12-07"),
        span("2026-12-12", "2026-12-18")]
    assert home.delivery == span("2026-11-24", "2026-12-18")


def test_option_window_spans_shipments_from_two_locations(catalog, ruleset):
    # LANTERN at reno, MAP only at toronto: together = two shipments.
    # toronto (cutoff 15:00 EST; 09:30 PST is 12:30 EST): start Mon 23, handling 1-2
    # -> ships [Tue 24, Wed 25]; UPS 1-3 to NV: Wed 25 .. Wed 25 + 3 = Mon 30, Tue Dec 1,
    # Wed Dec 2. reno: [Nov 24, Dec 1]. Option: [Nov 24, Dec 2]; 8.00 + 8.00.
    cart = request(line("LANTERN", 1, "19.50", 400, on_hand=3),
                   line("MAP", 1, "5.00", 100, on_hand=3, location="toronto"))
    result = quote(cart, catalog, ruleset, NOW)
    assert result.stock is StockClass.IN_STOCK
    ground = option(result, "together/ups/ground")
    assert [(s.plan.location, s.window.ships, s.window.delivery) for s in ground.shipments] == [
        ("reno", span("2026-11-23", "2026-11-24"), span("2026-11-24", "2026-12-01")),
        ("toronto", span("2026-11-24", "2026-11-25"), span("2026-11-25", "2026-12-02")),
    ]
    assert ground.delivery == span("2026-11-24", "2026-12-02")
    assert ground.price == usd("16.00")


def test_all_in_stock_cart_is_offered_together_only(catalog, ruleset):
    result = quote(request(LANTERN), catalog, ruleset, NOW)
    assert {o.plan for o in result.options} == {PlanKind.TOGETHER}
    assert overview(result) == [
        ("together/ups/ground", "8.00", span("2026-11-24", "2026-12-01")),
        ("together/fedex/home", "10.00", span("2026-11-24", "2026-11-28")),
    ]


def test_plan_order_comes_before_price(catalog, ruleset):
    reversed_plans = dataclasses.replace(ruleset, plans=PlanPolicy(
        kinds=(PlanKind.AS_AVAILABLE, PlanKind.IN_STOCK_FIRST, PlanKind.TOGETHER),
        merge_within_days=3))
    result = quote(MIXED, catalog, reversed_plans, NOW)
    assert [(o.id, f"{o.price.amount:.2f}") for o in result.options] == [
        ("as_available/ups/ground", "36.75"),
        ("as_available/fedex/home", "40.00"),
        ("in_stock_first/ups/ground", "27.25"),
        ("in_stock_first/fedex/home", "30.00"),
        ("together/fedex/home", "20.00"),
        ("together/ups/ground", "22.75"),
    ]


def test_cutoff_is_applied_in_the_warehouse_time_zone(catalog, ruleset):
    # 16:30 in New York = 13:30 in Reno: before the cutoff -> UPS [Nov 24, Dec 1].
    # 17:30 in New York = 14:30 in Reno: start Tue 24, ships [24, 25];
    # UPS: Wed 25 .. Wed 25 + 3 = Mon 30, Tue Dec 1, Wed Dec 2 -> [Nov 25, Dec 2].
    before = quote(request(LANTERN, ordered_at="2026-11-23T16:30:00-05:00"),
                   catalog, ruleset, NOW)
    after = quote(request(LANTERN, ordered_at="2026-11-23T17:30:00-05:00"),
                  catalog, ruleset, NOW)
    assert option(before, "together/ups/ground").delivery == span("2026-11-24", "2026-12-01")
    assert option(after, "together/ups/ground").delivery == span("2026-11-25", "2026-12-02")


def test_stock_is_dated_by_the_warehouse_local_date(catalog, ruleset):
    # 2026-11-24T01:00Z is still Mon Nov 23 in Reno: on hand is ready Nov 23, and a
    # 5-7 day supplier lead time counts from Nov 23 -> ready [Nov 28, Nov 30].
    special = line("CUSTOM", 1, "80.00", 500, lead_time=(5, 7))
    result = quote(request(LANTERN, special, ordered_at="2026-11-24T01:00:00+00:00"),
                   catalog, ruleset, NOW)
    lantern, custom = result.lines
    assert lantern.allocations[0].ready == span("2026-11-23")
    assert custom.allocations[0].source is Source.LEAD_TIME
    assert custom.allocations[0].ready == span("2026-11-28", "2026-11-30")


def test_restock_lead_time_shipment_is_received_the_next_working_day(catalog, ruleset):
    # Lead time 5-7 days from Mon Nov 23: ready [Sat Nov 28, Mon Nov 30]; received: next reno
    # day after Sat 28 = Mon 30, after Mon 30 = Tue Dec 1; handling 0-1: [Mon 30, Wed Dec 2];
    # UPS 1-3: Tue Dec 1 .. Wed 2 + 3 = Thu 3, Fri 4, Mon 7 -> [Dec 1, Dec 7]. 500 g: 8.00.
    special = line("CUSTOM", 1, "80.00", 500, lead_time=(5, 7))
    result = quote(request(special), catalog, ruleset, NOW)
    assert result.stock is StockClass.BACKORDERED
    ground = option(result, "together/ups/ground")
    assert ground.shipments[0].window.ships == span("2026-11-30", "2026-12-02")
    assert ground.delivery == span("2026-12-01", "2026-12-07")
    assert ground.price == usd("8.00")


def test_canadian_destination_uses_ontario_delivery_days_and_skips_carriers_without_a_zone(
        catalog, ruleset):
    # UPS, zone canada, transit 5-8 Ontario delivery days (US Thanksgiving is a working
    # day there): ships [Mon 23, Tue 24]; Mon 23 + 5 = Mon 30;
    # Tue 24 + 8 = 25, 26, 27, 30, Dec 1, 2, 3, Fri Dec 4. FedEx has no zone to Canada.
    result = quote(request(LANTERN, destination=TORONTO_ON), catalog, ruleset, NOW,
                   explain=True)
    assert overview(result) == [
        ("together/ups/ground", "8.00", span("2026-11-30", "2026-12-04"))]
    assert result.unoffered == (
        Unoffered("together/fedex/home", "FedEx has no zone from reno to CA-ON"),)


def test_unoffered_options_are_listed_only_when_explaining(catalog, ruleset):
    assert quote(request(LANTERN, destination=TORONTO_ON), catalog, ruleset, NOW).unoffered == ()


def test_a_service_that_cannot_carry_the_weight_is_not_offered(catalog, ruleset):
    # 10 x 3200 g = 32 kg: over UPS's 30 kg; FedEx has no cap: 20.00.
    heavy = line("TENT-2P", 10, "149.00", 3200, on_hand=10)
    result = quote(request(heavy), catalog, ruleset, NOW, explain=True)
    assert [o.id for o in result.options] == ["together/fedex/home"]
    assert result.unoffered == (
        Unoffered("together/ups/ground", "UPS Ground: 32 kg is over the 30 kg limit"),)


def test_an_unknown_offered_service_is_reported_not_raised(catalog, ruleset):
    with_unknown = dataclasses.replace(
        ruleset, services=(*ruleset.services, OfferedService("dhl/express")))
    result = quote(request(LANTERN), catalog, with_unknown, NOW, explain=True)
    assert Unoffered("together/dhl/express", "unknown service") in result.unoffered
    assert len(result.options) == 2


def test_a_service_offered_only_in_some_zones(catalog, ruleset):
    abroad_only = dataclasses.replace(ruleset, services=(
        OfferedService("ups/ground"), OfferedService("fedex/home", frozenset({"international"}))))
    result = quote(request(LANTERN), catalog, abroad_only, NOW)
    assert [o.id for o in result.options] == ["together/ups/ground"]


def test_no_service_at_all_says_so(catalog, ruleset):
    heavy = line("TENT-2P", 10, "149.00", 3200, on_hand=10)
    result = quote(request(heavy, destination=TORONTO_ON), catalog, ruleset, NOW)
    assert result.options == ()
    assert Message("no_options", "no shipping option is available for this cart") in (
        result.messages)


def test_unavailable_units_are_reported_and_never_shipped_or_priced(catalog, ruleset):
    # LAMP x3 with 1 on hand and no restock: 1 ships, 2 are unavailable. A rule pricing
    # carts of 100.00 or more at 0 does not apply: 1 x 60.00 ships, not 3 x 60.00.
    lamp = line("LAMP", 3, "60.00", 500, on_hand=1)
    free_over_100 = dataclasses.replace(ruleset, rules=(
        Rule("free-over-100", (Between("subtotal", at_least=usd("100.00")),),
             SetPrice(usd("0.00"))),))
    result = quote(request(lamp), catalog, free_over_100, NOW)
    assert result.messages == (Message(
        "unavailable", "2 of 3 LAMP cannot be supplied: 1 available, no restock is expected",
        "LAMP"),)
    assert result.lines[0].unavailable == 2
    ground = option(result, "together/ups/ground")
    assert ground.shipments[0].plan.units == 1
    assert ground.price == usd("8.00")


def test_a_cart_with_nothing_to_ship_has_no_options(catalog, ruleset):
    lamp = line("LAMP", 2, "60.00", 500, on_hand=0)
    result = quote(request(lamp), catalog, ruleset, NOW)
    assert result.options == ()
    assert result.stock is None
    assert [m.code for m in result.messages] == ["unavailable", "nothing_to_ship"]


def test_a_cart_in_another_currency_than_the_shop_is_refused(catalog, ruleset):
    cad = Line("LANTERN", 1, Money.parse("19.50", "CAD"), 400,
               stock=LANTERN.stock)
    with pytest.raises(InvalidRequest, match="this shop quotes in USD, not CAD") as raised:
        quote(request(cad, currency="CAD"), catalog, ruleset, NOW)
    assert raised.value.code == "invalid_request"
    assert raised.value.fields == {"currency": ["must be USD"]}


def test_a_line_priced_in_another_currency_than_the_cart_is_refused():
    eur = Line("LANTERN", 1, Money.parse("19.50", "EUR"), 400)
    with pytest.raises(InvalidRequest, match="price is in EUR, the cart in USD"):
        request(eur)


def test_a_request_needs_an_aware_order_time_and_lines():
    with pytest.raises(InvalidRequest, match="time zone"):
        QuoteRequest("USD", RENO_NV, (LANTERN,), at("2026-11-23T09:30:00-08:00").replace(
            tzinfo=None))
    with pytest.raises(InvalidRequest, match="no lines"):
        QuoteRequest("USD", RENO_NV, (), at("2026-11-23T09:30:00-08:00"))


def test_a_line_needs_a_positive_quantity():
    with pytest.raises(InvalidRequest, match="at least 1"):
        Line("LANTERN", 0, usd("19.50"))


def test_block_rules_withhold_options_and_tell_the_shopper_once(catalog, ruleset):
    no_oversize_by_fedex = dataclasses.replace(ruleset, rules=(
        Rule("fedex-oversize", (OneOf("carrier", frozenset({"fedex"})),
                                Lines(Quantifier.ANY, tags=frozenset({"oversize"}))),
             Block("oversize items cannot go by FedEx")),
    ))
    result = quote(MIXED, catalog, no_oversize_by_fedex, NOW, explain=True)
    assert [o.id for o in result.options] == [
        "together/ups/ground", "in_stock_first/ups/ground", "as_available/ups/ground"]
    assert result.messages == (Message("blocked", "oversize items cannot go by FedEx"),)
    assert sorted(o.id for o in result.withheld) == [
        "as_available/fedex/home", "in_stock_first/fedex/home", "together/fedex/home"]
    assert all(o.blocked == ("fedex-oversize", "oversize items cannot go by FedEx")
               for o in result.withheld)


def test_hidden_options_are_kept_only_when_explaining(catalog, ruleset):
    hide_split = dataclasses.replace(ruleset, rules=(
        Rule("no-split", (OneOf("plan", frozenset({"as_available"})),), Hide()),))
    quiet = quote(MIXED, catalog, hide_split, NOW)
    assert [o.plan for o in quiet.options].count(PlanKind.AS_AVAILABLE) == 0
    assert quiet.withheld == ()
    assert quiet.messages == ()
    explained = quote(MIXED, catalog, hide_split, NOW, explain=True)
    assert sorted(o.id for o in explained.withheld) == [
        "as_available/fedex/home", "as_available/ups/ground"]
    assert explained.withheld[0].hidden_by == "no-split"


def test_rules_see_the_option_and_change_its_shipment_prices(catalog, ruleset):
    # 3.00 per backordered shipment: in_stock_first/ups/ground 17.75 + (9.50 + 3.00) = 30.25.
    fee = dataclasses.replace(ruleset, rules=(
        Rule("restock-fee", (OneOf("stock", frozenset({"mixed"})),),
             Adjust(amount=usd("3.00"), per=Per.SHIPMENT), scope=Scope.BACKORDERED),))
    ground = option(quote(MIXED, catalog, fee, NOW, explain=True), "in_stock_first/ups/ground")
    assert [f"{s.base_price.amount:.2f}" for s in ground.shipments] == ["17.75", "9.50"]
    assert [f"{s.price.amount:.2f}" for s in ground.shipments] == ["17.75", "12.50"]
    assert ground.price == usd("30.25")
    assert [(e.rule, e.effect) for e in ground.rules if isinstance(e, RuleApplied)] == [
        ("restock-fee", "+3.00")]


def test_quote_records_its_context(catalog, ruleset):
    result = quote(MIXED, catalog, ruleset, NOW)
    assert result.created_at == NOW
    assert result.ordered_at == at("2026-11-23T09:30:00-08:00")
    assert result.ruleset == "sha256:test"
    assert result.reference == "cart-1"
    assert result.currency == "USD"
    assert result.destination == RENO_NV
    assert d("2026-11-23") == result.lines[1].allocations[0].ready.earliest
