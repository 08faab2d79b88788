"""Pruning: quotes made before an instant that no order refers to are removed, oldest
first, a bounded batch at a time going on from a mark; webhook receipts likewise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from rates.store import PrunedQuotes, PruneMark, Store, WebhookReceipt, open_store, schema
from tests.support.store import claim, order, record

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
TOKYO = timezone(timedelta(hours=9))
SHOP = "example-outfitters.myshopify.com"


def accept(stock, claimed) -> None:
    pass


def hourly(store: Store, count: int) -> None:
    """Quotes q0, q1, ... made at T0, T0 + 1 h, ..."""
    for n in range(count):
        store.save_quote(record(f"q{n}", created_at=T0 + timedelta(hours=n)))


def left(store: Store, count: int) -> list[str]:
    return [f"q{n}" for n in range(count) if store.get_quote(f"q{n}") is not None]


def test_quotes_made_before_the_instant_are_removed(store: Store):
    hourly(store, 8)

    pruned = store.prune_quotes(T0 + timedelta(hours=3), limit=10)

    # q0 (12:00), q1 (13:00), q2 (14:00) are before 15:00; q3, made at 15:00, is not.
    assert pruned == PrunedQuotes(removed=3, looked_at=3,
                                  mark=PruneMark(T0 + timedelta(hours=2), pruned.mark.seq))
    assert left(store, 8) == ["q3", "q4", "q5", "q6", "q7"]
    assert store.find_quotes("cart-8812") == [record(f"q{n}", created_at=T0 + timedelta(hours=n))
                                              for n in (7, 6, 5, 4, 3)]


def test_a_quote_an_order_refers_to_is_kept(store: Store):
    hourly(store, 4)
    store.place_order(order("o_0001", claim(), quote_id="q1"), accept)

    pruned = store.prune_quotes(T0 + timedelta(days=60), limit=10)

    assert (pruned.removed, pruned.looked_at) == (3, 4)
    assert left(store, 4) == ["q1"]
    assert store.get_order("o_0001").quote_id == "q1"


def test_a_batch_looks_at_no_more_than_its_limit_and_the_next_goes_on_from_its_mark(
        store: Store):
    hourly(store, 7)
    for n in (0, 1, 2):
        store.place_order(order(f"o_{n}", claim(), quote_id=f"q{n}"), accept)
    before = T0 + timedelta(hours=6)  # q0 to q5 are due; orders keep q0, q1, q2

    first = store.prune_quotes(before, limit=2)
    second = store.prune_quotes(before, limit=2, after=first.mark)
    third = store.prune_quotes(before, limit=2, after=second.mark)
    fourth = store.prune_quotes(before, limit=2, after=third.mark)

    assert [(b.removed, b.looked_at) for b in (first, second, third, fourth)] == [
        (0, 2), (1, 2), (2, 2), (0, 0)]
    assert [b.mark.created_at for b in (first, second, third)] == [
        T0 + timedelta(hours=1), T0 + timedelta(hours=3), T0 + timedelta(hours=5)]
    assert fourth.mark is None
    assert left(store, 7) == ["q0", "q1", "q2", "q6"]


def test_quotes_of_the_same_instant_are_told_apart_by_the_mark(store: Store):
    for n in range(5):
        store.save_quote(record(f"q{n}", created_at=T0))

    batches = []
    mark = None
    while not batches or batches[-1].looked_at:
        batches.append(store.prune_quotes(T0 + timedelta(seconds=1), limit=2, after=mark))
        mark = batches[-1].mark or mark

    assert [b.removed for b in batches] == [2, 2, 1, 0]
    assert left(store, 5) == []


def receipt(webhook_id: str, received_at: datetime) -> WebhookReceipt:
    return WebhookReceipt(SHOP, webhook_id, "orders/create", received_at, "promised", None)


def test_receipts_received_before_the_instant_are_removed_oldest_first(store: Store):
    # Given in another offset than UTC's: they are compared as instants.
    for n in range(5):
        store.record_webhook(receipt(f"w{n}", (T0 + timedelta(hours=n)).astimezone(TOKYO)))

    assert store.prune_receipts(T0 + timedelta(hours=4), limit=3) == 3
    assert [n for n in range(5) if store.webhook_receipt(SHOP, f"w{n}")] == [3, 4]
    assert store.prune_receipts(T0 + timedelta(hours=4), limit=3) == 1
    assert [n for n in range(5) if store.webhook_receipt(SHOP, f"w{n}")] == [4]


def test_a_naive_instant_or_a_limit_below_one_is_refused(store: Store):
    with pytest.raises(ValueError, match="time zone"):
        store.prune_quotes(datetime(2026, 11, 1), limit=1)
    with pytest.raises(ValueError, match="limit"):
        store.prune_receipts(T0, limit=0)


def test_receipts_recorded_before_revision_0005_are_pruned_by_their_instant(store_url: str):
    """A database at 0004 with two receipts, received at 15:00 and 17:00 UTC and written
    in Tokyo's offset; upgraded, only the first is before 16:00."""
    engine = create_engine(store_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        command.upgrade(schema.config(connection), "0004")
        for webhook_id, hour in (("w-15", 15), ("w-17", 17)):
            received = T0.replace(hour=hour).astimezone(TOKYO).isoformat()
            connection.execute(text(
                "INSERT INTO shopify_webhooks (shop, webhook_id, topic, received_at, outcome)"
                " VALUES (:shop, :id, 'orders/create', :at, 'promised')"),
                {"shop": SHOP, "id": webhook_id, "at": received})
    engine.dispose()
    upgraded = open_store(store_url, default_location="reno")
    try:
        assert upgraded.prune_receipts(T0.replace(hour=16), limit=10) == 1
        assert upgraded.webhook_receipt(SHOP, "w-15") is None
        assert upgraded.webhook_receipt(SHOP, "w-17").received_at == T0.replace(hour=17)
    finally:
        upgraded.close()
