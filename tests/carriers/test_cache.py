"""The answers cache alone, on a clock the test moves: entries live `seconds`, at most
`entries` of them, the oldest dropped first."""

from __future__ import annotations

from rates.carriers.cache import TtlCache
from tests.support.carriers import ManualClock


def test_an_entry_is_found_until_it_expires(clock: ManualClock):
    cache: TtlCache[str, int] = TtlCache(60, 10, clock)
    cache.put("a", 1)
    clock.advance(59.9)
    assert cache.get("a") == 1
    clock.advance(0.1)
    assert cache.get("a") is None


def test_the_oldest_entry_goes_first_when_full(clock: ManualClock):
    cache: TtlCache[str, int] = TtlCache(60, 2, clock)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 3)  # written again: now the newest
    cache.put("c", 4)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (3, None, 4)


def test_zero_seconds_or_zero_entries_turn_it_off(clock: ManualClock):
    for cache in (TtlCache[str, int](0, 10, clock), TtlCache[str, int](60, 0, clock)):
        cache.put("a", 1)
        assert cache.get("a") is None
