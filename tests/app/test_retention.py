"""The retention use case on a real SQLite store and an injected clock: what is past its
retention goes, batch by batch; what an order refers to stays; the service's thread
drains a backlog by itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rates.app.retention import RECEIPT_RETENTION, Pruned, Retention, RetentionThread
from rates.settings import RetentionSettings
from rates.store import Store, WebhookReceipt, open_store
from tests.support.store import claim, order, record

NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
SHOP = "example-outfitters.myshopify.com"
THIRTY_DAYS = RetentionSettings(quote_retention_days=30, prune_interval_seconds=60)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'rates.db'}", default_location="reno")
    yield opened
    opened.close()


def aged(store: Store, days: list[int]) -> None:
    """Quote q<days> made that many days before NOW."""
    for age in days:
        store.save_quote(record(f"q{age}", created_at=NOW - timedelta(days=age)))


def kept(store: Store, days: list[int]) -> list[int]:
    return [age for age in days if store.get_quote(f"q{age}") is not None]


def test_quotes_past_the_retention_go_and_those_orders_refer_to_stay(store: Store):
    days = [45, 40, 35, 31, 30, 29, 1]
    aged(store, days)
    store.place_order(order("o_0001", claim(), quote_id="q40"), lambda stock, claimed: None)

    pruned = Retention(store, THIRTY_DAYS, lambda: NOW, batch=2).prune()

    # Made more than 30 days ago: 45, 40, 35 and 31; q40 has an order. q30 was made
    # exactly 30 days ago: not yet past.
    assert pruned == Pruned(quotes=3, receipts=0, kept=1, full=False)
    assert kept(store, days) == [40, 30, 29, 1]


def test_a_batch_is_bounded_and_the_next_goes_on(store: Store):
    days = [50, 49, 48, 47, 46]
    aged(store, days)
    retention = Retention(store, THIRTY_DAYS, lambda: NOW, batch=2)

    assert retention.prune_batch() == Pruned(quotes=2, full=True)
    assert kept(store, days) == [48, 47, 46]
    assert retention.prune_batch() == Pruned(quotes=2, full=True)
    assert retention.prune_batch() == Pruned(quotes=1, full=False)
    assert kept(store, days) == []


def test_webhook_receipts_are_kept_a_week(store: Store):
    for webhook_id, age in (("w-8d", timedelta(days=8)), ("w-6d", timedelta(days=6))):
        store.record_webhook(WebhookReceipt(SHOP, webhook_id, "orders/create", NOW - age,
                                            "promised", None))

    assert RECEIPT_RETENTION == timedelta(days=7)
    assert Retention(store, THIRTY_DAYS, lambda: NOW).prune() == Pruned(receipts=1)
    assert store.webhook_receipt(SHOP, "w-8d") is None
    assert store.webhook_receipt(SHOP, "w-6d") is not None


def test_the_thread_drains_a_backlog_batch_after_batch(store: Store):
    """An hour between passes: only full batches running back to back can remove the
    seven quotes, two at a time, before the test ends."""
    days = [60, 59, 58, 57, 56, 55, 54]
    aged(store, days)
    removed = threading.Event()

    class Watched(Retention):
        def prune_batch(self) -> Pruned:
            pruned = super().prune_batch()
            if not pruned.full:
                removed.set()
            return pruned

    thread = RetentionThread(Watched(store, THIRTY_DAYS, lambda: NOW, batch=2), 3600)
    thread.start()
    try:
        assert removed.wait(timeout=60)
    finally:
        assert thread.stop(timeout=60)
    assert kept(store, days) == []
