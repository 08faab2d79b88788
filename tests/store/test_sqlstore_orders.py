"""Orders: kept exactly with their claims, placed once per id, found by cart reference or
quote newest first."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from rates.domain.backorders import Claim
from rates.domain.stock import DateRange
from rates.store import OrderStatus, Store
from tests.support.store import ACCEPTED, PO_1, claim, order


def accept(stock, claims) -> None:
    """A check that refuses nothing."""


def refuse(stock, claims) -> None:
    raise AssertionError("the check must not be called")


def test_a_placed_order_comes_back_with_its_promise_claims_and_offset(store: Store):
    placing = order("o_0001", claim("TENT-2P", 2),
                    claim("LANTERN", 1, lot=None, promised=DateRange(date(2026, 12, 14),
                                                                     date(2026, 12, 28)),
                          lead_time_from=date(2026, 11, 23)))

    placed, new = store.place_order(placing, accept)

    assert new is True
    assert placed == replace(placing, seq=1)
    assert store.get_order("o_0001") == placed
    assert placed.claims == (
        Claim("o_0001", "TENT-2P", "reno", 2, PO_1, "PO-1"),
        Claim("o_0001", "LANTERN", "reno", 1, DateRange(date(2026, 12, 14), date(2026, 12, 28)),
              None, date(2026, 11, 23)))
    assert placed.promise["label"] == "Zelt später – 1 Paket"
    assert placed.accepted_at.utcoffset() == timedelta(hours=-8)
    assert placed.accepted_at.microsecond == 654321
    assert (placed.status, placed.closed_at, placed.at_risk) == (OrderStatus.OPEN, None, False)


def test_an_order_with_everything_on_hand_has_no_claims(store: Store):
    placed, _ = store.place_order(order("o_0001", reference=None), accept)
    assert store.get_order("o_0001") == placed
    assert placed.claims == () and placed.reference is None


def test_placing_an_id_again_returns_the_stored_order_without_checking(store: Store):
    first, _ = store.place_order(order("o_0001", claim()), accept)

    again, new = store.place_order(
        order("o_0001", claim("STOVE", 3), reference="cart-other"), refuse)

    assert new is False
    assert again == first
    assert store.claims_for(["STOVE"]) == []


def test_orders_take_their_places_in_the_queue_as_they_are_placed(store: Store):
    for order_id in ("o_c", "o_a", "o_b"):
        store.place_order(order(order_id, claim()), accept)
    assert [(o.id, o.seq) for o in store.open_orders()] == [("o_c", 1), ("o_a", 2), ("o_b", 3)]


def test_an_unknown_order_is_none(store: Store):
    store.place_order(order("o_0001"), accept)
    assert store.get_order("o_missing") is None


def test_orders_of_a_reference_or_a_quote_come_newest_first_up_to_the_limit(store: Store):
    # Accepted in different offsets: 12:00-08:00 is later than 19:00+00:00, although its
    # ISO text sorts first.
    tokyo = timezone(timedelta(hours=9))
    times = {
        "o_a": datetime(2026, 11, 23, 19, 0, tzinfo=UTC),                 # 19:00Z
        "o_b": datetime(2026, 11, 23, 12, 0, tzinfo=timezone(timedelta(hours=-8))),  # 20:00Z
        "o_c": datetime(2026, 11, 24, 3, 30, tzinfo=tokyo),               # 18:30Z
        "o_d": datetime(2026, 11, 23, 21, 0, tzinfo=UTC),                 # 21:00Z
    }
    for order_id, accepted_at in times.items():
        store.place_order(order(order_id, reference="cart-7", quote_id=f"q_{order_id}",
                                accepted_at=accepted_at), accept)
    store.place_order(order("o_other", reference="cart-8", quote_id="q_8"), accept)

    assert [o.id for o in store.find_orders(reference="cart-7")] == ["o_d", "o_b", "o_a", "o_c"]
    assert [o.id for o in store.find_orders(reference="cart-7", limit=2)] == ["o_d", "o_b"]
    assert [o.id for o in store.find_orders(quote_id="q_o_c")] == ["o_c"]
    assert [o.id for o in store.find_orders(reference="cart-8", quote_id="q_o_a")] == [
        "o_a", "o_other"]
    assert store.find_orders(reference="cart-9") == []


def test_orders_accepted_in_the_same_microsecond_come_latest_placed_first(store: Store):
    for order_id in ("o_1", "o_2", "o_3"):
        store.place_order(order(order_id, accepted_at=ACCEPTED), accept)
    assert [o.id for o in store.find_orders(reference="cart-8812")] == ["o_3", "o_2", "o_1"]


def test_finding_orders_needs_a_reference_or_a_quote_and_a_limit_of_one_or_more(store: Store):
    with pytest.raises(ValueError, match="reference or a quote_id"):
        store.find_orders()
    with pytest.raises(ValueError, match="limit"):
        store.find_orders(reference="cart-8812", limit=0)


def test_a_naive_accepted_at_is_refused_before_the_check(store: Store):
    with pytest.raises(ValueError, match="time zone"):
        store.place_order(order("o_0001", claim(), accepted_at=datetime(2026, 11, 23, 9, 41)),
                          refuse)
    assert store.get_order("o_0001") is None


def test_a_claim_of_another_order_is_refused(store: Store):
    stranger = replace(claim(), order="o_9999")
    with pytest.raises(ValueError, match="claims of o_9999"):
        store.place_order(replace(order("o_0001"), claims=(stranger,)), refuse)
    assert store.get_order("o_0001") is None
