"""The instance's key set, fetched from a real HTTP server on 127.0.0.1 and kept: its TTL,
the refresh on an unknown `kid` (at most once per `min_refresh`), a failing or hung
instance, and threads sharing one fetch. The clock is a hand-moved one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from rates.platforms.saleor.jwks import JwksCache
from rates.platforms.saleor.signature import verify
from tests.support.saleor import SaleorInstance, SaleorKey, saleor_instance

START = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def instance() -> Iterator[SaleorInstance]:
    with saleor_instance() as served:
        yield served


@pytest.fixture
def clock() -> Clock:
    return Clock()


def cache_of(instance: SaleorInstance, clock: Clock) -> JwksCache:
    return JwksCache(instance.jwks_url, clock=clock, ttl=timedelta(hours=1),
                     min_refresh=timedelta(seconds=30))


def test_a_webhook_signed_by_the_instance_verifies_through_the_cache(
        instance: SaleorInstance, clock: Clock) -> None:
    body = b'{"order": {"id": "T3JkZXI6MQ=="}}'
    assert verify(body, instance.key.sign(body), cache_of(instance, clock))


def test_the_key_set_is_fetched_once_within_its_ttl(instance: SaleorInstance,
                                                     clock: Clock) -> None:
    cache = cache_of(instance, clock)
    kid = instance.key.kid
    assert cache.key(kid) is not None
    clock.advance(minutes=59, seconds=59)
    assert cache.key(kid) is not None
    assert instance.fetches == 1
    clock.advance(seconds=1)  # an hour after the fetch: stale
    assert cache.key(kid) is not None
    assert instance.fetches == 2


def test_a_rotated_key_is_fetched_at_once(instance: SaleorInstance, clock: Clock) -> None:
    cache = cache_of(instance, clock)
    cache.key(instance.key.kid)
    clock.advance(seconds=30)
    instance.keys = [SaleorKey()]
    assert cache.key(instance.key.kid) is not None
    assert instance.fetches == 2


def test_forged_kids_refetch_at_most_once_per_min_refresh(instance: SaleorInstance,
                                                          clock: Clock) -> None:
    cache = cache_of(instance, clock)
    for number in range(5):
        assert cache.key(f"forged-{number}") is None
    assert instance.fetches == 1  # the first fetch, then nothing for 30 seconds
    clock.advance(seconds=29)
    assert cache.key("forged-5") is None
    assert instance.fetches == 1
    clock.advance(seconds=1)
    assert cache.key("forged-6") is None
    assert cache.key("forged-7") is None
    assert instance.fetches == 2


def test_a_failing_instance_leaves_the_kept_keys_in_use(instance: SaleorInstance,
                                                        clock: Clock) -> None:
    cache = cache_of(instance, clock)
    kid = instance.key.kid
    cache.key(kid)
    instance.status = 500
    clock.advance(hours=2)
    assert cache.key(kid) is not None
    assert instance.fetches == 2
    instance.status = 200
    clock.advance(seconds=30)  # still stale, and the last try was 30 s ago: try again
    assert cache.key(kid) is not None
    assert instance.fetches == 3


def test_an_instance_that_never_answered_gives_no_key(instance: SaleorInstance,
                                                       clock: Clock) -> None:
    instance.status = 404
    assert cache_of(instance, clock).key(instance.key.kid) is None


def test_a_hung_instance_times_out_without_a_key(instance: SaleorInstance,
                                                  clock: Clock) -> None:
    instance.hang = True
    cache = JwksCache(instance.jwks_url, clock=clock, timeout=(0.5, 0.5))
    assert cache.key(instance.key.kid) is None


def test_an_unreachable_instance_gives_no_key(clock: Clock) -> None:
    with saleor_instance() as gone:
        url = gone.jwks_url
    assert JwksCache(url, clock=clock).key("any") is None


def test_an_answer_that_is_no_key_set_gives_no_key(instance: SaleorInstance,
                                                   clock: Clock) -> None:
    instance.jwks = lambda: b"<html>maintenance</html>"  # type: ignore[method-assign]
    assert cache_of(instance, clock).key(instance.key.kid) is None


def test_threads_needing_the_keys_at_once_share_one_fetch(instance: SaleorInstance,
                                                          clock: Clock) -> None:
    cache = cache_of(instance, clock)
    found: list[object] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        found.append(cache.key(instance.key.kid))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and all(key is not None for key in found)
    assert instance.fetches == 1
