"""The backorder queue: open orders' claims in the order the orders were placed, what the
check of a new order is shown, and how closing an order takes its claims out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from rates.store import CartStock, OrderStatus, Store
from tests.support.store import (
    Refused,
    claim,
    keeps_promises,
    last_units,
    order,
    simple,
    tent,
)

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SHIPPED = datetime(2026, 12, 15, 16, 5, tzinfo=timezone(timedelta(hours=-5)))


def accept(stock, claims) -> None:
    """A check that refuses nothing."""


def refuse(stock, claims) -> None:
    raise Refused("no")


def test_the_check_sees_the_stored_stock_and_the_units_claimed_of_the_orders_skus(
        store: Store):
    store.put_inventory(tent(), MONDAY)
    store.put_inventory(simple("LANTERN", 0), MONDAY)
    store.place_order(order("o_1", claim("TENT-2P", 2)), accept)
    store.place_order(order("o_2", claim("LANTERN", 1, lot=None), claim("TENT-2P", 1)), accept)
    store.place_order(order("o_3", claim("LANTERN", 4, lot=None)), accept)
    seen = []

    store.place_order(order("o_4", claim("TENT-2P", 1), claim("MUG", 1, lot=None)),
                      lambda stock, claimed: seen.append((stock, claimed)))

    # MUG has no stored stock; LANTERN is not the new order's, so neither it nor o_3 show:
    # one total per SKU and location, however many orders claimed it.
    assert seen == [({"TENT-2P": tent()}, {"TENT-2P": {"reno": 3}})]


def test_claims_come_order_by_order_each_order_s_in_its_own_order(store: Store):
    store.place_order(order("o_1", claim("TENT-2P", 1), claim("LANTERN", 2, lot=None)), accept)
    store.place_order(order("o_2", claim("LANTERN", 3, lot=None), claim("TENT-2P", 4)), accept)

    assert [(c.order, c.sku, c.quantity) for c in store.claims_for(["TENT-2P", "LANTERN"])] == [
        ("o_1", "TENT-2P", 1), ("o_1", "LANTERN", 2), ("o_2", "LANTERN", 3), ("o_2", "TENT-2P", 4)]
    assert [(c.order, c.quantity) for c in store.claims_for(["LANTERN", "KNIFE"])] == [
        ("o_1", 2), ("o_2", 3)]
    assert store.claims_for([]) == []


def test_open_orders_come_in_queue_order_all_or_those_claiming_one_of_the_skus(store: Store):
    store.place_order(order("o_1", claim("TENT-2P")), accept)
    store.place_order(order("o_2", claim("LANTERN", lot=None)), accept)
    store.place_order(order("o_3"), accept)  # everything on hand
    store.place_order(order("o_4", claim("STOVE", lot=None), claim("TENT-2P")), accept)

    assert [o.id for o in store.open_orders()] == ["o_1", "o_2", "o_3", "o_4"]
    # o_4 comes whole, its STOVE claim too.
    [o_1, o_4] = store.open_orders(["TENT-2P", "KNIFE"])
    assert (o_1.id, o_4.id) == ("o_1", "o_4")
    assert [c.sku for c in o_4.claims] == ["STOVE", "TENT-2P"]
    assert store.open_orders([]) == []


def test_a_refused_order_writes_nothing_and_takes_no_place(store: Store):
    store.place_order(order("o_1", claim()), accept)

    with pytest.raises(Refused):
        store.place_order(order("o_2", claim("TENT-2P", 5)), refuse)

    assert store.get_order("o_2") is None
    assert [c.order for c in store.claims_for(["TENT-2P"])] == ["o_1"]
    placed, _ = store.place_order(order("o_3", claim()), accept)
    assert placed.seq == 2


def test_the_queue_gives_a_lot_s_last_units_to_the_first_orders(store: Store):
    store.put_inventory(last_units(2), MONDAY)
    placed = []
    for order_id in ("o_1", "o_2", "o_3"):
        placing = order(order_id, claim("STOVE", lot="PO-7"))
        try:
            placed.append(store.place_order(placing, keeps_promises(placing))[0].id)
        except Refused:
            pass
    assert placed == ["o_1", "o_2"]
    assert [c.order for c in store.claims_for(["STOVE"])] == ["o_1", "o_2"]


def test_closing_an_order_takes_its_claims_out_of_the_queue(store: Store):
    store.place_order(order("o_1", claim()), accept)
    store.place_order(order("o_2", claim()), accept)

    closed = store.close_order("o_1", OrderStatus.SHIPPED, SHIPPED)

    assert closed.status is OrderStatus.SHIPPED
    assert closed.closed_at == SHIPPED and closed.closed_at.utcoffset() == timedelta(hours=-5)
    assert store.get_order("o_1") == closed and len(closed.claims) == 1
    assert [c.order for c in store.claims_for(["TENT-2P"])] == ["o_2"]
    assert [o.id for o in store.open_orders()] == ["o_2"]


def test_closing_a_closed_order_changes_nothing(store: Store):
    store.place_order(order("o_1", claim()), accept)
    cancelled = store.close_order("o_1", OrderStatus.CANCELLED, SHIPPED)

    again = store.close_order("o_1", OrderStatus.SHIPPED, SHIPPED + timedelta(days=1))

    assert again == cancelled
    assert (again.status, again.closed_at) == (OrderStatus.CANCELLED, SHIPPED)


def test_closing_an_unknown_order_is_none(store: Store):
    assert store.close_order("o_missing", OrderStatus.SHIPPED, SHIPPED) is None


def test_an_order_is_closed_as_shipped_or_cancelled_only(store: Store):
    store.place_order(order("o_1", claim()), accept)
    with pytest.raises(ValueError, match="not as open"):
        store.close_order("o_1", OrderStatus.OPEN, SHIPPED)
    with pytest.raises(ValueError, match="time zone"):
        store.close_order("o_1", OrderStatus.SHIPPED, datetime(2026, 12, 15, 16, 5))
    assert store.get_order("o_1").status is OrderStatus.OPEN


def test_claimed_units_sum_the_open_claims_by_sku_and_location(store: Store):
    store.place_order(order("o_1", claim("TENT-2P", 2), claim("LANTERN", 1, lot=None)), accept)
    store.place_order(order("o_2", claim("TENT-2P", 3),
                            replace(claim("TENT-2P", 4), location="newark")), accept)
    store.place_order(order("o_3", claim("TENT-2P", 5)), accept)
    store.close_order("o_3", OrderStatus.CANCELLED, SHIPPED)

    assert store.claimed_units(["TENT-2P", "KNIFE"]) == {
        "TENT-2P": {"reno": 5, "newark": 4}}
    assert store.claimed_units(["LANTERN"]) == {"LANTERN": {"reno": 1}}
    assert store.claimed_units([]) == {}


def test_a_carts_stock_comes_with_the_units_open_orders_claim_of_it(store: Store):
    store.put_inventory(tent(), MONDAY)
    store.put_inventory(simple("LANTERN", 6), MONDAY)
    store.place_order(order("o_1", claim("TENT-2P", 2), claim("LANTERN", 1, lot=None)), accept)
    store.place_order(order("o_2", replace(claim("TENT-2P", 4), location="newark")), accept)
    store.place_order(order("o_3", claim("TENT-2P", 5)), accept)
    store.close_order("o_3", OrderStatus.CANCELLED, SHIPPED)

    # The same reading as the stock and the claims read apart; a SKU never stored and
    # never claimed is in neither.
    cart = store.cart_stock(["TENT-2P", "LANTERN", "KNIFE", "TENT-2P"])
    assert cart == CartStock(store.inventory_for(["TENT-2P", "LANTERN"]),
                             store.claimed_units(["TENT-2P", "LANTERN"]))
    assert cart.claimed == {"TENT-2P": {"reno": 2, "newark": 4}, "LANTERN": {"reno": 1}}
    assert set(cart.stock) == {"TENT-2P", "LANTERN"}
    assert store.cart_stock([]) == CartStock({}, {})


def test_claimed_units_ahead_of_an_order_count_only_the_open_orders_before_it(store: Store):
    first, _ = store.place_order(order("o_1", claim("TENT-2P", 2)), accept)
    second, _ = store.place_order(order("o_2", claim("TENT-2P", 3)), accept)
    third, _ = store.place_order(order("o_3", claim("TENT-2P", 4)), accept)
    store.close_order("o_1", OrderStatus.SHIPPED, SHIPPED)

    assert store.claimed_units(["TENT-2P"], ahead_of=third.seq) == {"TENT-2P": {"reno": 3}}
    assert store.claimed_units(["TENT-2P"], ahead_of=second.seq) == {}
    assert store.claimed_units(["TENT-2P"], ahead_of=first.seq) == {}
