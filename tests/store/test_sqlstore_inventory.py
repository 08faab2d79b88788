"""Inventory: one stock document per SKU, written and read with the wire codec."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rates.store import Store
from rates.wire.response import stock_document
from tests.support.store import simple, stored_inventory, tent

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_stock_put_is_read_back_equal(store: Store):
    store.put_inventory(tent(), MONDAY)
    assert store.get_inventory("TENT-2P") == tent()


def test_the_row_holds_the_wire_stock_document(store: Store, store_url: str):
    store.put_inventory(tent(), MONDAY)
    assert stored_inventory(store_url, "TENT-2P") == (stock_document(tent()), MONDAY)


def test_putting_a_sku_again_replaces_its_stock(store: Store, store_url: str):
    store.put_inventory(tent(on_hand=2), MONDAY)
    store.put_inventory(tent(on_hand=7), TUESDAY)

    assert store.get_inventory("TENT-2P") == tent(on_hand=7)
    assert stored_inventory(store_url, "TENT-2P")[1] == TUESDAY


def test_an_unknown_sku_has_no_stock(store: Store):
    assert store.get_inventory("NOPE") is None


def test_inventory_for_a_cart_returns_the_known_skus_only(store: Store):
    store.put_inventory(tent(), MONDAY)
    store.put_inventory(simple("LANTERN", 5), MONDAY)
    store.put_inventory(simple("STOVE", 1), MONDAY)

    found = store.inventory_for(["TENT-2P", "MUG", "LANTERN", "TENT-2P", "KNIFE"])

    assert found == {"TENT-2P": tent(), "LANTERN": simple("LANTERN", 5)}
    assert store.inventory_for([]) == {}


def test_seeding_adds_only_the_skus_not_stored_yet(store: Store):
    store.put_inventory(tent(on_hand=7), MONDAY)  # updated through the API since the seed

    added = store.seed_inventory(
        {"TENT-2P": tent(on_hand=2), "LANTERN": simple("LANTERN", 5)}, TUESDAY)

    assert added == 1
    assert store.inventory_for(["TENT-2P", "LANTERN"]) == {
        "TENT-2P": tent(on_hand=7), "LANTERN": simple("LANTERN", 5)}
    assert store.seed_inventory({"LANTERN": simple("LANTERN", 9)}, TUESDAY) == 0
    assert store.seed_inventory({}, TUESDAY) == 0


def test_a_naive_updated_at_is_refused(store: Store):
    with pytest.raises(ValueError, match="time zone"):
        store.put_inventory(tent(), datetime(2026, 11, 23, 8, 0))
    assert store.get_inventory("TENT-2P") is None
