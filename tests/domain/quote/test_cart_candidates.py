"""Under `fastest`, a setup keeps the candidates it found for a cart (its lines, their
stock, the locations' orders and days) and each set of arrivals, for the next quote of
the same cart: a checkout asks again as the shopper moves through it. Kept candidates
never change an answer: the cart asked again, or with its stock changed in any field,
quotes as a fresh setup would quote it."""

import dataclasses
import json
from datetime import UTC, date, datetime

import pytest

from rates.app.cart_quotes import quote_cart
from rates.domain.quote.sourced import sourcing_key
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.loading import load_setup
from rates.wire.response import Detail, quote_document
from tests.support.project import CARTS, EXAMPLE_CONFIG, EXAMPLE_TODAY

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
MIXED = json.loads((CARTS / "mixed.json").read_text())

STOCK = SkuStock("TENT-2P", (
    LocationStock("reno", 2, (InboundLot(10, DateRange(date(2026, 12, 10), date(2026, 12, 14)),
                                         "PO-1042", 3, "acme"),)),
    LocationStock("newark", 1)), lead_time_days=(10, 20), lead_time_location="newark",
    backorder_limit=50, supplier="tentco")
TODAY = {"reno": date(2026, 11, 23), "newark": date(2026, 11, 23)}


def key(stock: SkuStock, quantity: int = 3) -> tuple[object, ...]:
    return sourcing_key([("TENT-2P", quantity, stock)], ["reno", "newark"], TODAY)


def changed(stock: SkuStock) -> dict[str, SkuStock]:
    """The stock with each field changed in turn, by the field's name, down to its lot's
    ETA."""
    position, lot = stock.locations[0], stock.locations[0].inbound[0]
    lots = {"InboundLot.quantity": dataclasses.replace(lot, quantity=11),
            "InboundLot.id": dataclasses.replace(lot, id="PO-1043"),
            "InboundLot.committed": dataclasses.replace(lot, committed=4),
            "InboundLot.supplier": dataclasses.replace(lot, supplier="other"),
            "DateRange.earliest": dataclasses.replace(
                lot, eta=DateRange(date(2026, 12, 11), date(2026, 12, 14))),
            "DateRange.latest": dataclasses.replace(
                lot, eta=DateRange(date(2026, 12, 10), date(2026, 12, 15)))}
    positions = {"LocationStock.location": dataclasses.replace(position, location="newark"),
                 "LocationStock.on_hand": dataclasses.replace(position, on_hand=3),
                 "LocationStock.inbound": dataclasses.replace(position, inbound=()),
                 **{name: dataclasses.replace(position, inbound=(other,))
                    for name, other in lots.items()}}
    return {**{name: dataclasses.replace(stock, locations=(p, stock.locations[1]))
               for name, p in positions.items()},
            "SkuStock.locations": dataclasses.replace(stock, locations=stock.locations[:1]),
            "SkuStock.sku": dataclasses.replace(stock, sku="TENT-3P"),
            "SkuStock.lead_time_days": dataclasses.replace(stock, lead_time_days=(10, 21)),
            "SkuStock.lead_time_location": dataclasses.replace(stock,
                                                               lead_time_location="reno"),
            "SkuStock.backorder_limit": dataclasses.replace(stock, backorder_limit=49),
            "SkuStock.supplier": dataclasses.replace(stock, supplier="other")}


def test_a_change_to_any_field_of_a_lines_stock_changes_the_carts_key():
    others = changed(STOCK)
    # Every field of the stock's records is changed once (a lot's `eta` by its two
    # ends): a field added to one of them, and left out of the key, fails here.
    assert set(others) | {"InboundLot.eta"} == {
        f"{kind.__name__}.{field.name}" for kind in (SkuStock, LocationStock, InboundLot,
                                                     DateRange)
        for field in dataclasses.fields(kind)}
    assert key(dataclasses.replace(STOCK)) == key(STOCK)  # equal stock, built anew
    assert [name for name, other in others.items() if key(other) == key(STOCK)] == []
    assert key(STOCK, quantity=4) != key(STOCK)
    assert sourcing_key([("TENT-2P", 3, STOCK)], ["newark", "reno"], TODAY) != key(STOCK)
    assert sourcing_key([("TENT-2P", 3, STOCK)], ["reno", "newark"],
                    {**TODAY, "reno": date(2026, 11, 24)}) != key(STOCK)


def explained(setup, cart) -> dict:
    return quote_document(quote_cart(setup, cart, now=NOW, explain=True), "q",
                          detail=Detail.EXPLAIN)


def with_tents(inbound: list[dict]) -> dict:
    lines = [{**MIXED["lines"][0], "stock": {"on_hand": 2, "inbound": inbound}},
             *MIXED["lines"][1:]]
    return {**MIXED, "lines": lines}


@pytest.mark.parametrize("inbound", [
    [{"id": "PO-1042", "quantity": 10, "earliest": "2026-12-10", "latest": "2026-12-14",
      "committed": 10}],  # every unit of the lot promised: the third tent cannot come
    [{"id": "PO-1042", "quantity": 10, "earliest": "2026-12-20", "latest": "2026-12-24"}],
])
def test_a_cart_asked_again_reuses_its_candidates_and_changed_stock_is_searched_anew(inbound):
    setup = load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY)
    candidates = setup.catalog.searched.candidates
    first = explained(setup, MIXED)
    kept = dict(candidates)
    assert kept  # the tents and lanterns have a choice of location: fastest searched
    assert explained(setup, MIXED) == first
    assert dict(candidates) == kept  # asked again: nothing searched anew
    moved = explained(setup, with_tents(inbound))
    assert len(candidates) > len(kept)  # the changed lot: searched anew
    assert moved != first
    assert moved == explained(load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY), with_tents(inbound))


def test_a_kept_candidates_plans_are_kept_with_it_and_built_anew_for_another_plan_policy():
    setup = load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY)
    first = quote_cart(setup, MIXED, now=NOW)
    assert setup.catalog.searched.plans  # the tents and lanterns had a choice: kept
    again = quote_cart(setup, MIXED, now=NOW)
    # Asked again, the cart is shipped by the very plans its first quote built.
    assert [s.plan for o in again.options for s in o.shipments] == [
        s.plan for o in first.options for s in o.shipments]
    assert all(a.plan is b.plan for o, p in zip(again.options, first.options, strict=True)
               for a, b in zip(o.shipments, p.shipments, strict=True))

    # Another plan policy on the same catalog (every restock in one shipment) gets plans
    # of its own, as a fresh setup would build them.
    merged = dataclasses.replace(setup.ruleset.plans, merge_within_days=365)
    other = dataclasses.replace(setup, ruleset=dataclasses.replace(setup.ruleset,
                                                                   plans=merged))
    fresh = load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY)
    fresh = dataclasses.replace(fresh, ruleset=dataclasses.replace(fresh.ruleset,
                                                                   plans=merged))
    assert explained(other, MIXED) == explained(fresh, MIXED)
    assert explained(other, MIXED) != explained(setup, MIXED)
