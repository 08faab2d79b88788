"""The four sourcing strategies on the bundled example, every date and price worked out by
hand (config.example.yaml, its carriers/ and rules/default.yaml).

Carts go to Hoboken, NJ 07030: newark (NJ 07114) is 9 miles away, reno (NV) 2,400 miles
and toronto (ON) 340. Unless a test says otherwise a cart is ordered Mon 2026-11-23 09:30
Pacific = 12:30 Eastern, one or more LANTERNs (400 g, USD 19.50 each), with the stock its
line carries.

    November 2026:  Mo Tu We Th Fr Sa Su     December 2026:  Mo Tu We Th Fr Sa Su
                    23 24 25 26 27 28 29                         1  2  3  4  5  6
                    30                                        7  8  9 10 11 12 13
                                                             14 15 16 17 18 19 20
    Thu 26 Thanksgiving: reno and newark close, no carrier collects there or delivers
    in the US (toronto works); Fri 27 Family Day: reno (Nevada) closes, newark and the
    carriers do not.

Start and handling (handling 0-1 working days at both warehouses):
  reno:   09:30 PT is before its 14:00 cutoff: start Mon 23, ships [Mon 23, Tue 24].
  newark: 12:30 ET is before its Monday 15:00 cutoff: start Mon 23, ships [Mon 23, Tue 24].
Transit to NJ (the carrier's zone from each warehouse):
  from newark: UPS local (ground 1-2, 2nd day 2, next day 1); USPS local (ground
    advantage 2-3, priority 1-2, express 1); Canada Post cannot collect there.
  from reno: UPS national (ground 4-5, 2nd day 2, next day 1); USPS national (ground
    advantage 3-5, priority 2-3, express 1-2); Canada Post cannot collect there.
Delivery days: UPS Mon-Fri, USPS Mon-Sat, both less Thanksgiving.

On-hand windows (ships [Mon 23, Tue 24] from either warehouse):
  newark UPS Ground      Mon 23+1 = Tue 24 .. Tue 24+2 = Wed 25, Fri 27     [Nov 24, Nov 27]
  reno   UPS Ground      Mon 23+4 = Tue 24, Wed 25, Fri 27, Mon 30
                         .. Tue 24+5 = Wed 25, Fri 27, Mon 30, Tue 1, Wed 2 [Nov 30, Dec 2]
  newark USPS Ground Adv Mon 23+2 = Wed 25 .. Tue 24+3 = Wed 25, Fri 27, Sat 28
                                                                           [Nov 25, Nov 28]
  reno   USPS Ground Adv Mon 23+3 = Fri 27 .. Tue 24+5 = ..., Sat 28, Mon 30, Tue 1
                                                                           [Nov 27, Dec 1]
  newark USPS Priority   Mon 23+1 = Tue 24 .. Tue 24+2 = Fri 27            [Nov 24, Nov 27]
  reno   USPS Priority   Mon 23+2 = Wed 25 .. Tue 24+3 = Sat 28            [Nov 25, Nov 28]
  either UPS Next Day    Mon 23+1 = Tue 24 .. Tue 24+1 = Wed 25            [Nov 24, Nov 25]
  either UPS 2nd Day     Mon 23+2 = Wed 25 .. Tue 24+2 = Fri 27            [Nov 25, Nov 27]
Prices for one LANTERN (400 g, the first band of each table): newark (local) | reno
(national): UPS Ground 9.45 | 13.95; USPS Ground Advantage 5.45 | 6.35; USPS Priority
9.25 | 10.40; UPS 2nd Day Air 21.95 | 32.95; UPS Next Day Air 42.95 | 69.95. No rule of
the example changes them (subtotal under 100, nothing backordered unless a test says so;
ground prices lie within the clamp 4.95-49.95).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from rates.app.cart_quotes import quote_cart
from rates.domain.quote.result import Message, Option, Quote
from rates.domain.sourcing.strategy import Strategy
from rates.domain.stock import DateRange, Source
from rates.loading import Setup
from rates.wire.orders import parse_promise, promise_document
from rates.wire.response import Detail, quote_document
from tests.support.domain import span
from tests.support.project import CARTS

MONDAY = "2026-11-23T09:30:00-08:00"
HOBOKEN = {"country": "US", "region": "NJ", "postcode": "07030"}


def cart(stock: dict[str, Any], quantity: int = 1, ordered_at: str = MONDAY) -> dict[str, Any]:
    """A cart of LANTERNs to Hoboken whose line carries `stock`."""
    return {"ordered_at": ordered_at, "currency": "USD", "destination": HOBOKEN,
            "lines": [{"sku": "LANTERN", "quantity": quantity, "unit_price": "19.50",
                       "grams": 400, "stock": stock}]}


def quoted(setup: Setup, payload: dict[str, Any], strategy: Strategy) -> Quote:
    """`payload` quoted on the example with the catalog's strategy set to `strategy`."""
    sourced = replace(setup, catalog=replace(setup.catalog, sourcing=strategy))
    return quote_cart(sourced, payload, now=datetime.fromisoformat(payload["ordered_at"]))


def option(result: Quote, option_id: str) -> Option:
    return next(o for o in result.options if o.id == option_id)


def shipped(found: Option) -> list[tuple[str, int, Source, str | None]]:
    """(location, units, source, lot) of each unit group the option ships."""
    return [(item.location, item.quantity, item.source, item.lot)
            for shipment in found.shipments for item in shipment.plan.items]


def summary(found: Option) -> tuple[str, DateRange, list[tuple[str, DateRange, str]]]:
    """The option's price and delivery, and each shipment's location, delivery, price."""
    return (f"{found.price.amount:.2f}", found.delivery,
            [(s.plan.location, s.window.delivery, f"{s.price.amount:.2f}")
             for s in found.shipments])


def sources(result: Quote) -> dict[str, set[str]]:
    """The locations each offered option ships from."""
    return {o.id: {s.plan.location for s in o.shipments} for o in result.options}


US_SERVICES = ["together/usps/ground_advantage", "together/usps/priority",
               "together/ups/ground", "together/ups/2nd_day_air",
               "together/usps/priority_express", "together/ups/next_day_air"]


# -- the Hoboken cart: one LANTERN, on hand at reno (25), newark (18) and toronto (10) -----


def hoboken() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((CARTS / "hoboken.json").read_text())
    return document


@pytest.mark.parametrize("strategy", [Strategy.FASTEST, Strategy.NEAREST, Strategy.CHEAPEST])
def test_hoboken_lantern_ships_from_newark_nine_miles_away(example_setup: Setup,
                                                          strategy: Strategy) -> None:
    result = quoted(example_setup, hoboken(), strategy)
    assert [(a.location, a.quantity, a.source) for a in result.lines[0].allocations] == [
        ("newark", 1, Source.ON_HAND)]
    # The cheapest option, and the ground services newark delivers strictly sooner by.
    assert summary(option(result, "together/usps/ground_advantage")) == (
        "5.45", span("2026-11-25", "2026-11-28"),
        [("newark", span("2026-11-25", "2026-11-28"), "5.45")])
    assert summary(option(result, "together/ups/ground")) == (
        "9.45", span("2026-11-24", "2026-11-27"),
        [("newark", span("2026-11-24", "2026-11-27"), "9.45")])
    assert summary(option(result, "together/usps/priority")) == (
        "9.25", span("2026-11-24", "2026-11-27"),
        [("newark", span("2026-11-24", "2026-11-27"), "9.25")])
    assert result.options[0].id == "together/usps/ground_advantage"


def test_hoboken_lantern_ships_from_reno_under_priority(example_setup: Setup) -> None:
    """reno is first in the config, and has it on hand: priority ships every option from
    there, later and dearer than newark would."""
    result = quoted(example_setup, hoboken(), Strategy.PRIORITY)
    assert [(a.location, a.quantity, a.source) for a in result.lines[0].allocations] == [
        ("reno", 1, Source.ON_HAND)]
    assert sources(result) == {service: {"reno"} for service in US_SERVICES}
    # Against newark's under fastest: national 6.35 + 3.00 (the example's coast-to-coast
    # rule: ground from reno, 2,391 mi) = 9.35 (not 5.45), Nov 27 - Dec 1 (not 25 - 28).
    assert summary(option(result, "together/usps/ground_advantage")) == (
        "9.35", span("2026-11-27", "2026-12-01"),
        [("reno", span("2026-11-27", "2026-12-01"), "9.35")])
    # 13.95 + 3.00 = 16.95 (not 9.45), Nov 30 - Dec 2 (not Nov 24 - 27).
    assert summary(option(result, "together/ups/ground")) == (
        "16.95", span("2026-11-30", "2026-12-02"),
        [("reno", span("2026-11-30", "2026-12-02"), "16.95")])


@pytest.mark.parametrize("strategy", [Strategy.PRIORITY, Strategy.NEAREST])
def test_one_allocation_strategies_offer_no_service_their_warehouse_cannot_use(
        example_setup: Setup, strategy: Strategy) -> None:
    """Canada Post collects only at toronto: an allocation from reno or newark leaves it
    out."""
    assert {o.id for o in quoted(example_setup, hoboken(), strategy).options} == set(
        US_SERVICES)


@pytest.mark.parametrize("strategy", [Strategy.FASTEST, Strategy.CHEAPEST])
def test_per_service_strategies_offer_canada_post_from_toronto(example_setup: Setup,
                                                               strategy: Strategy) -> None:
    """fastest and cheapest choose per service, so Canada Post Expedited (offered
    everywhere by the rules) is sourced where it can collect: toronto, on hand.
    toronto: 12:30 ET before its 13:00 cutoff, start Mon 23, handling 1-2: ships
    [Tue 24, Wed 25]; transit to the US 4-7 Canada Post days (Mon-Fri less US federal
    holidays): Tue 24+4 = Wed 25, Fri 27, Mon 30, Tue 1; Wed 25+7 = Fri 27, Mon 30, Tue 1,
    Wed 2, Thu 3, Fri 4, Mon 7: [Dec 1, Dec 7]; zone usa, first band: 22.95."""
    found = option(quoted(example_setup, hoboken(), strategy), "together/canada_post/expedited")
    assert summary(found) == ("22.95", span("2026-12-01", "2026-12-07"),
                              [("toronto", span("2026-12-01", "2026-12-07"), "22.95")])


@pytest.mark.parametrize("service, newark", [
    ("together/ups/next_day_air", ("42.95", span("2026-11-24", "2026-11-25"),
                                   [("newark", span("2026-11-24", "2026-11-25"), "42.95")])),
    ("together/ups/2nd_day_air", ("21.95", span("2026-11-25", "2026-11-27"),
                                  [("newark", span("2026-11-25", "2026-11-27"), "21.95")])),
])
def test_fastest_breaks_a_tie_in_dates_by_price(example_setup: Setup, service: str,
                                                newark: tuple[object, ...]) -> None:
    """By UPS Next Day Air (and 2nd Day Air) reno and newark deliver on the same days
    (transit 1 (2) from both zones, both ship [Mon 23, Tue 24]); one shipment either way.
    The strategy ranks by latest delivery, earliest, shipments, then price: newark's
    local rate (42.95; 21.95) beats reno's national one (69.95; 32.95)."""
    assert summary(option(quoted(example_setup, hoboken(), Strategy.FASTEST), service)) == newark


# -- newark must wait for a restock; reno ships now ------------------------------------------


def waiting_at_newark(earliest: str, latest: str) -> dict[str, Any]:
    """4 on hand at reno; none at newark, where lot PO-N (6 units) is due."""
    return cart({"locations": [
        {"location": "reno", "on_hand": 4},
        {"location": "newark", "on_hand": 0, "inbound": [
            {"id": "PO-N", "quantity": 6, "earliest": earliest, "latest": latest}]}]})


def soon() -> dict[str, Any]:
    """PO-N due Tue Nov 24: received (1 working day) Wed 25; handling 0-1 at newark:
    [Wed 25, Fri 27] (Thu 26 closed), both UPS and USPS pickup days there.
      UPS Ground local 1-2: Wed 25+1 = Fri 27 (Thu 26 no delivery) .. Fri 27+2 = Mon 30,
        Tue 1: [Nov 27, Dec 1], before reno's [Nov 30, Dec 2]; USD 9.45 (not 13.95).
      USPS Ground Advantage local 2-3: Wed 25+2 = Fri 27, Sat 28 .. Fri 27+3 = Sat 28,
        Mon 30, Tue 1: [Nov 28, Dec 1]: the same latest day as reno's [Nov 27, Dec 1],
        a later earliest; USD 5.45 (not 6.35).
      USPS Priority local 1-2: [Fri 27, Mon 30], after reno's [Nov 25, Nov 28].
      UPS 2nd Day: [Mon 30, Tue 1], after reno's [Nov 25, Nov 27]; Next Day likewise.
    """
    return waiting_at_newark("2026-11-24", "2026-11-24")


def late() -> dict[str, Any]:
    """PO-N due Mon Dec 7 - Wed Dec 9: received [Tue 8, Thu 10], handled [Tue 8, Fri 11]:
    newark's earliest UPS Ground delivery, Wed Dec 9, is after every reno window."""
    return waiting_at_newark("2026-12-07", "2026-12-09")


RENO_SHELF = [("reno", 1, Source.ON_HAND, None)]
NEWARK_LOT = [("newark", 1, Source.INBOUND, "PO-N")]


@pytest.mark.parametrize("strategy", [Strategy.PRIORITY, Strategy.NEAREST])
def test_reno_shelf_before_newark_restock_under_priority_and_nearest(
        example_setup: Setup, strategy: Strategy) -> None:
    """Both take every shelf before any restock: newark is nearer but has none on hand."""
    result = quoted(example_setup, soon(), strategy)
    assert {o.id: shipped(o) for o in result.options} == {
        service: RENO_SHELF for service in US_SERVICES}
    # National 13.95 + 3.00 coast-to-coast (ground from reno to NJ) = 16.95.
    assert summary(option(result, "together/ups/ground")) == (
        "16.95", span("2026-11-30", "2026-12-02"),
        [("reno", span("2026-11-30", "2026-12-02"), "16.95")])


def test_fastest_takes_newark_restock_where_it_arrives_first(example_setup: Setup) -> None:
    """By UPS Ground, newark's lot arrives by Dec 1, reno's shelf by Dec 2: fastest
    waits for the lot. By every other service reno's shelf arrives first (USPS Ground
    Advantage: the same latest day, an earlier first one)."""
    result = quoted(example_setup, soon(), Strategy.FASTEST)
    assert {o.id: shipped(o) for o in result.options} == {
        **{service: RENO_SHELF for service in US_SERVICES},
        "together/ups/ground": NEWARK_LOT}
    assert summary(option(result, "together/ups/ground")) == (
        "9.45", span("2026-11-27", "2026-12-01"),
        [("newark", span("2026-11-27", "2026-12-01"), "9.45")])
    # National 6.35 + 3.00 coast-to-coast = 9.35.
    assert summary(option(result, "together/usps/ground_advantage")) == (
        "9.35", span("2026-11-27", "2026-12-01"),
        [("reno", span("2026-11-27", "2026-12-01"), "9.35")])


def test_cheapest_takes_newark_restock_where_it_costs_less(example_setup: Setup) -> None:
    """cheapest prices fastest's candidates (newark's lot, found for UPS Ground) by every
    service, and newark's local rates are lower: USPS Ground Advantage 5.45 (not 6.35 +
    3.00 coast-to-coast),
    arriving [Nov 28, Dec 1] (not [Nov 27, Dec 1]); USPS Priority 9.25 (not 10.40), [Fri 27,
    Sat 28, Mon 30]: [Nov 27, Nov 30]; UPS 2nd Day Air 21.95 (not 32.95), Wed 25+2 = Mon 30 ..
    Fri 27+2 = Tue 1. The express services keep reno's shelf: the example's rule
    no-express-for-backorders blocks them for the lot."""
    result = quoted(example_setup, soon(), Strategy.CHEAPEST)
    assert {o.id: shipped(o) for o in result.options} == {
        "together/usps/ground_advantage": NEWARK_LOT, "together/usps/priority": NEWARK_LOT,
        "together/ups/ground": NEWARK_LOT, "together/ups/2nd_day_air": NEWARK_LOT,
        "together/usps/priority_express": RENO_SHELF, "together/ups/next_day_air": RENO_SHELF}
    assert [summary(o) for o in result.options[:4]] == [
        ("5.45", span("2026-11-28", "2026-12-01"),
         [("newark", span("2026-11-28", "2026-12-01"), "5.45")]),
        ("9.25", span("2026-11-27", "2026-11-30"),
         [("newark", span("2026-11-27", "2026-11-30"), "9.25")]),
        ("9.45", span("2026-11-27", "2026-12-01"),
         [("newark", span("2026-11-27", "2026-12-01"), "9.45")]),
        ("21.95", span("2026-11-30", "2026-12-01"),
         [("newark", span("2026-11-30", "2026-12-01"), "21.95")])]
    assert result.messages == ()


@pytest.mark.parametrize("strategy", list(Strategy))
def test_a_late_restock_at_newark_leaves_every_strategy_shipping_reno(
        example_setup: Setup, strategy: Strategy) -> None:
    result = quoted(example_setup, late(), strategy)
    assert [(a.location, a.source) for a in result.lines[0].allocations] == [
        ("reno", Source.ON_HAND)]
    assert {o.id: shipped(o) for o in result.options} == {
        service: RENO_SHELF for service in US_SERVICES}
    # National 13.95 + 3.00 coast-to-coast (ground from reno to NJ) = 16.95.
    assert summary(option(result, "together/ups/ground")) == (
        "16.95", span("2026-11-30", "2026-12-02"),
        [("reno", span("2026-11-30", "2026-12-02"), "16.95")])


def lead_time_or_lot(lead_time_location: str | None) -> dict[str, Any]:
    """2 LANTERNs: 1 on hand at newark; reno's lot PO-R of 1 due Dec 7-9; the supplier
    restocks in 1 day, into `lead_time_location` (None: wherever the cart is sourced)."""
    stock: dict[str, Any] = {
        "locations": [{"location": "reno", "inbound": [
                          {"id": "PO-R", "quantity": 1, "earliest": "2026-12-07",
                           "latest": "2026-12-09"}]},
                      {"location": "newark", "on_hand": 1}],
        "lead_time_days": [1, 1]}
    if lead_time_location:
        stock["lead_time_location"] = lead_time_location
    return cart(stock, quantity=2)


@pytest.mark.parametrize("lead_time_location", ["newark", None])
def test_fastest_asks_the_supplier_only_beyond_every_shelf_and_lot(
        example_setup: Setup, lead_time_location: str | None) -> None:
    """newark's shelf and reno's lot cover the line, so no unit may come from the
    supplier, whose lead time is for units beyond on hand and inbound (SkuStock), however
    much sooner it would arrive: newark's restock from the supplier, ready Tue 24, would be
    delivered by UPS Ground [Fri 27, Tue Dec 1]; PO-R, received [Tue 8, Thu 10] and handled
    [Tue 8, Fri 11], by UPS Ground (national 4-5) [Mon 14, Fri 18]. Every option must ship
    newark's shelf and PO-R, as the quote's own lines (and priority) do."""
    result = quoted(example_setup, lead_time_or_lot(lead_time_location), Strategy.FASTEST)
    covered = [("newark", 1, Source.ON_HAND, None), ("reno", 1, Source.INBOUND, "PO-R")]
    assert sorted((a.location, a.quantity, a.source, a.lot)
                  for a in result.lines[0].allocations) == covered
    assert {o.id: sorted(shipped(o)) for o in result.options} == {
        o.id: covered for o in result.options}


# -- a line neither warehouse can fill alone --------------------------------------------------


def split() -> dict[str, Any]:
    """5 LANTERNs; 3 on hand at reno, 3 at newark; subtotal 97.50."""
    return cart({"locations": [{"location": "reno", "on_hand": 3},
                               {"location": "newark", "on_hand": 3}]}, quantity=5)


@pytest.mark.parametrize("strategy", [Strategy.FASTEST, Strategy.NEAREST])
def test_a_split_line_takes_all_of_newark_and_the_rest_from_reno(
        example_setup: Setup, strategy: Strategy) -> None:
    """newark's 3 (1200 g) and reno's 2 (800 g) ship on hand, each on its own window; the
    example's coast-to-coast rule adds 3.00 to reno's ground parcel only (`from: reno`):
      USPS Ground Advantage: newark local from 1 kg 9.35, [Nov 25, Nov 28]; reno national
        from 0.5 kg 8.95 + 3.00 = 11.95, [Nov 27, Dec 1]; together 21.30, [Nov 25, Dec 1].
      UPS Ground: newark local from 1 kg 10.95, [Nov 24, Nov 27]; reno national 13.95 +
        3.00 = 16.95, [Nov 30, Dec 2]; together 27.90, [Nov 24, Dec 2].
    The split fee (subtotal under 100) adds only to backordered shipments: none here."""
    result = quoted(example_setup, split(), strategy)
    assert result.lines[0].unavailable == 0
    assert [(a.location, a.quantity, a.source) for a in result.lines[0].allocations] == [
        ("newark", 3, Source.ON_HAND), ("reno", 2, Source.ON_HAND)]
    assert summary(option(result, "together/usps/ground_advantage")) == (
        "21.30", span("2026-11-25", "2026-12-01"),
        [("reno", span("2026-11-27", "2026-12-01"), "11.95"),
         ("newark", span("2026-11-25", "2026-11-28"), "9.35")])
    assert summary(option(result, "together/ups/ground")) == (
        "27.90", span("2026-11-24", "2026-12-02"),
        [("reno", span("2026-11-30", "2026-12-02"), "16.95"),
         ("newark", span("2026-11-24", "2026-11-27"), "10.95")])


def test_a_split_line_under_priority_takes_all_of_reno_first(example_setup: Setup) -> None:
    """reno's 3 (1200 g, national from 1 kg 12.40, + 3.00 coast-to-coast = 15.40) and
    newark's 2 (800 g, local from 0.5 kg 7.25): USD 22.65 by USPS Ground Advantage, on
    the same days."""
    result = quoted(example_setup, split(), Strategy.PRIORITY)
    assert [(a.location, a.quantity) for a in result.lines[0].allocations] == [
        ("reno", 3), ("newark", 2)]
    assert summary(option(result, "together/usps/ground_advantage")) == (
        "22.65", span("2026-11-25", "2026-12-01"),
        [("reno", span("2026-11-27", "2026-12-01"), "15.40"),
         ("newark", span("2026-11-25", "2026-11-28"), "7.25")])


# -- cheapest: a cheaper, slower source ---------------------------------------------------------


def friday() -> dict[str, Any]:
    """One LANTERN, 5 on hand at reno and at newark, ordered Fri Dec 4 11:00 PT = 14:00 ET:
      reno: before its 14:00 cutoff: start Fri 4, ships [Fri 4, Mon 7];
      newark: after its Friday 12:00 cutoff: start Mon 7, ships [Mon 7, Tue 8].
    UPS (Mon-Fri delivery), to NJ:
      Next Day Air: reno Fri 4+1 = Mon 7 .. Mon 7+1 = Tue 8: [Dec 7, Dec 8], national
        69.95; newark [Tue 8, Wed 9], local 42.95.
      2nd Day Air: reno Fri 4+2 = Tue 8 .. Mon 7+2 = Wed 9: [Dec 8, Dec 9], national
        32.95; newark [Wed 9, Thu 10], local 21.95.
    """
    return cart({"locations": [{"location": "reno", "on_hand": 5},
                               {"location": "newark", "on_hand": 5}]},
                ordered_at="2026-12-04T11:00:00-08:00")


def test_cheapest_ships_from_newark_a_day_later_for_less(example_setup: Setup) -> None:
    """reno's cutoff is later, so it delivers a day sooner, at the national rate; newark
    is in UPS's local zone for NJ, 27.00 (11.00) cheaper."""
    fastest = quoted(example_setup, friday(), Strategy.FASTEST)
    cheapest = quoted(example_setup, friday(), Strategy.CHEAPEST)
    assert summary(option(fastest, "together/ups/next_day_air")) == (
        "69.95", span("2026-12-07", "2026-12-08"),
        [("reno", span("2026-12-07", "2026-12-08"), "69.95")])
    assert summary(option(cheapest, "together/ups/next_day_air")) == (
        "42.95", span("2026-12-08", "2026-12-09"),
        [("newark", span("2026-12-08", "2026-12-09"), "42.95")])
    assert summary(option(fastest, "together/ups/2nd_day_air")) == (
        "32.95", span("2026-12-08", "2026-12-09"),
        [("reno", span("2026-12-08", "2026-12-09"), "32.95")])
    assert summary(option(cheapest, "together/ups/2nd_day_air")) == (
        "21.95", span("2026-12-09", "2026-12-10"),
        [("newark", span("2026-12-09", "2026-12-10"), "21.95")])


# -- the choice is per service: the option carries its own lines, and its promise them ------


def test_an_option_sourced_otherwise_carries_its_lines_into_its_promise(
        example_setup: Setup) -> None:
    """The `soon` cart under fastest: the quote's first option, USPS Ground Advantage at
    6.35, ships reno's shelf, and the quote's lines say so; UPS Ground waits for newark's
    lot PO-N, so its option lists its own lines, and accepting it promises that unit."""
    payload = soon()
    result = quoted(example_setup, payload, Strategy.FASTEST)
    document = quote_document(result, "q_test", detail=Detail.FULL)
    assert document["options"][0]["id"] == "together/usps/ground_advantage"
    assert document["lines"] == [{"sku": "LANTERN", "quantity": 1, "unavailable": 0,
                                  "allocations": [{"quantity": 1, "location": "reno",
                                                   "source": "on_hand",
                                                   "ready": {"earliest": "2026-11-23",
                                                             "latest": "2026-11-23"}}]}]
    first = document["options"][0]
    assert "lines" not in first
    ground = next(o for o in document["options"] if o["id"] == "together/ups/ground")
    assert ground["stock"] == "backordered"
    assert ground["lines"] == [{"sku": "LANTERN", "quantity": 1, "unavailable": 0,
                                "allocations": [{"quantity": 1, "location": "newark",
                                                 "source": "inbound", "lot": "PO-N",
                                                 "ready": {"earliest": "2026-11-24",
                                                           "latest": "2026-11-24"}}]}]
    assert [(s["location"], s["stock"], s["allocations"]) for s in ground["shipments"]] == [
        ("newark", "backordered", [[0, 0]])]

    promise = promise_document(document, payload, ground)
    assert [(s["location"], s["units"], s["delivery"]) for s in promise["shipments"]] == [
        ("newark", [{"sku": "LANTERN", "quantity": 1, "source": "inbound",
                     "location": "newark", "lot": "PO-N", "supplier": None,
                     "ready": {"earliest": "2026-11-24", "latest": "2026-11-24"}}],
         {"earliest": "2026-11-27", "latest": "2026-12-01"})]
    claims = parse_promise("order-1", promise).claims(example_setup.catalog)
    assert [(c.sku, c.location, c.quantity, c.lot) for c in claims] == [
        ("LANTERN", "newark", 1, "PO-N")]
    # The first option's promise takes reno's shelf: nothing waits in newark's queue.
    shelf = promise_document(document, payload, first)
    assert [u["location"] for s in shelf["shipments"] for u in s["units"]] == ["reno"]
    assert parse_promise("order-2", shelf).claims(example_setup.catalog) == ()


def test_the_checkout_origin_leads_priority_and_only_breaks_ties_under_fastest(
        example_setup: Setup) -> None:
    """The Hoboken lantern with the checkout's origin at reno: priority ships from reno,
    as it would anyway; fastest still ships from newark, which delivers sooner (reno
    would arrive Fri Nov 27 - Tue Dec 1 by USPS Ground Advantage, newark Wed Nov 25 - Sat
    Nov 28), and each quote says what the origin did."""
    from_reno = {**hoboken(), "origin": "reno"}
    first = quoted(example_setup, from_reno, Strategy.PRIORITY)
    assert sources(first)["together/usps/ground_advantage"] == {"reno"}
    assert Message("origin", "sourced from reno first: the checkout's origin") in \
        first.messages
    fastest = quoted(example_setup, from_reno, Strategy.FASTEST)
    assert sources(fastest)["together/usps/ground_advantage"] == {"newark"}
    assert Message("origin", "reno preferred where it does as well: the checkout's origin "
                             "(fastest)") in fastest.messages
