"""Orders racing for a lot's last units: only as many win as there are units, whether the
racers are processes with stores of their own or threads sharing one."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from rates.store import OrderRecord, Store, open_store
from tests.support.store import (
    Refused,
    claim,
    keeps_promises,
    last_units,
    order,
    place_in_process,
)

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_two_processes_racing_for_the_last_unit_place_exactly_one_order(
        store: Store, store_url: str):
    store.put_inventory(last_units(1), MONDAY)
    # Spawned, not forked: a child must not inherit this process's pool and its threads.
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(2), spawn.Queue()
    racers = [spawn.Process(target=place_in_process, args=(store_url, order_id, start, results))
              for order_id in ("o_left", "o_right")]
    for racer in racers:
        racer.start()
    outcome = dict(results.get(timeout=60) for _ in racers)
    for racer in racers:
        racer.join(timeout=60)

    assert sorted(outcome.values()) == ["placed", "refused"]
    [winner] = [order_id for order_id, result in outcome.items() if result == "placed"]
    assert [o.id for o in store.open_orders()] == [winner]
    assert [c.order for c in store.claims_for(["STOVE"])] == [winner]
    assert [racer.exitcode for racer in racers] == [0, 0]


def test_eight_threads_racing_for_three_units_place_exactly_three_orders(store: Store):
    store.put_inventory(last_units(3), MONDAY)
    ready = threading.Barrier(8)

    def race(n: int) -> str | None:
        placing = order(f"o_{n}", claim("STOVE", lot="PO-7"))
        ready.wait()
        try:
            return store.place_order(placing, keeps_promises(placing, thinking=0.02))[0].id
        except Refused:
            return None

    with ThreadPoolExecutor(8) as pool:
        winners = [won for won in pool.map(race, range(8)) if won]

    assert len(winners) == 3
    queued = store.open_orders(["STOVE"])
    assert sorted(o.id for o in queued) == sorted(winners)
    assert [o.seq for o in queued] == sorted(o.seq for o in queued)
    assert sum(c.quantity for c in store.claims_for(["STOVE"])) == 3


def accept_slowly(stock, claims) -> None:
    """A check that refuses nothing but holds the queue a while."""
    time.sleep(0.05)


def test_retries_of_one_order_racing_on_two_stores_place_it_once(store: Store, store_url: str):
    other = open_store(store_url, default_location="reno")
    ready = threading.Barrier(6)
    # The same id with different SKUs: no SKU lock in common, the id alone must decide.
    attempts = [order("o_1", claim("STOVE", lot=None)), order("o_1", claim("LANTERN", lot=None))]

    def retry(n: int) -> tuple[OrderRecord, bool]:
        ready.wait()
        return [store, other][n % 2].place_order(attempts[n % 2], accept_slowly)

    try:
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(retry, range(6)))
    finally:
        other.close()

    assert [new for _, new in results].count(True) == 1
    stored = store.get_order("o_1")
    assert all(placed == stored for placed, _ in results)
    assert [o.id for o in store.open_orders()] == ["o_1"]
