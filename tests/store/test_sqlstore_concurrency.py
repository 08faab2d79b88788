"""Many threads and several stores on one database lose nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from rates.store import Store, open_store
from tests.support.store import record, simple

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
THREADS, EACH = 8, 50


def save_concurrently(stores: list[Store]) -> None:
    """THREADS threads, taking turns over `stores`, each saving EACH quotes of its own
    cart reference and reading one back after every save."""
    ready = threading.Barrier(THREADS)

    def work(thread: int) -> None:
        store = stores[thread % len(stores)]
        ready.wait()
        for n in range(EACH):
            quote_id = f"q_{thread}_{n}"
            store.save_quote(record(quote_id, reference=f"cart-{thread}",
                                    created_at=START + timedelta(seconds=n)))
            assert store.get_quote(quote_id) is not None

    with ThreadPoolExecutor(THREADS) as pool:
        for done in [pool.submit(work, thread) for thread in range(THREADS)]:
            done.result()


def test_eight_threads_saving_fifty_quotes_each_lose_none(store: Store):
    save_concurrently([store])

    for thread in range(THREADS):
        found = store.find_quotes(f"cart-{thread}", limit=1000)
        assert [r.id for r in found] == [f"q_{thread}_{n}" for n in reversed(range(EACH))]


def test_two_stores_on_one_database_write_together_and_see_each_others_writes(
        store_url: str):
    first = open_store(store_url, default_location="reno")
    second = open_store(store_url, default_location="reno")
    try:
        save_concurrently([first, second])
        first.put_inventory(simple("LANTERN", 5), START)

        assert second.get_inventory("LANTERN") == simple("LANTERN", 5)
        for thread in range(THREADS):
            assert len(first.find_quotes(f"cart-{thread}", limit=1000)) == EACH
            assert len(second.find_quotes(f"cart-{thread}", limit=1000)) == EACH
    finally:
        first.close()
        second.close()


def test_an_in_memory_store_is_one_database_shared_by_all_threads():
    store = open_store("sqlite:///:memory:", default_location="reno")
    try:
        save_concurrently([store])
        assert len(store.find_quotes("cart-3", limit=1000)) == EACH
        store.ping()
    finally:
        store.close()
