"""The circuit breaker alone, on a clock the test moves: closed -> open after N failures in
a row -> half-open after the reset time, with exactly one probe -> closed or open again."""

from __future__ import annotations

import threading

import pytest

from rates.carriers.breaker import Breakers, CircuitBreaker, State
from tests.support.carriers import ManualClock


@pytest.fixture
def changes() -> list[State]:
    return []


@pytest.fixture
def breaker(clock: ManualClock, changes: list[State]) -> CircuitBreaker:
    return CircuitBreaker(3, 30, clock, changes.append)


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.allow()
        breaker.record(succeeded=False)


def test_a_new_breaker_is_closed_and_lets_calls_through(breaker):
    assert breaker.state is State.CLOSED
    assert all(breaker.allow() for _ in range(10))


def test_it_opens_on_the_nth_failure_in_a_row(breaker, changes):
    fail(breaker, 2)
    assert breaker.state is State.CLOSED
    fail(breaker, 1)
    assert breaker.state is State.OPEN
    assert not breaker.allow()
    assert changes == [State.OPEN]


def test_a_success_starts_the_count_again(breaker):
    fail(breaker, 2)
    breaker.record(succeeded=True)
    fail(breaker, 2)
    assert breaker.state is State.CLOSED


def test_it_stays_open_until_the_reset_time(breaker, clock):
    fail(breaker, 3)
    clock.advance(29.9)
    assert not breaker.allow()
    clock.advance(0.1)
    assert breaker.allow()
    assert breaker.state is State.HALF_OPEN


def test_half_open_lets_one_probe_through_and_its_success_closes(breaker, clock, changes):
    fail(breaker, 3)
    clock.advance(30)
    assert breaker.allow()
    assert not breaker.allow()  # the probe is still out
    breaker.record(succeeded=True)
    assert breaker.state is State.CLOSED
    assert breaker.allow()
    assert changes == [State.OPEN, State.HALF_OPEN, State.CLOSED]


def test_a_failed_probe_opens_it_for_another_reset_time(breaker, clock):
    fail(breaker, 3)
    clock.advance(30)
    fail(breaker, 1)
    assert breaker.state is State.OPEN
    clock.advance(29)
    assert not breaker.allow()
    clock.advance(1)
    assert breaker.allow()


def test_concurrent_callers_agree_on_a_single_probe(breaker, clock):
    fail(breaker, 3)
    clock.advance(30)
    start = threading.Barrier(16)
    allowed: list[bool] = []

    def ask() -> None:
        start.wait()
        allowed.append(breaker.allow())

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 1


def test_each_carrier_has_its_own_breaker_and_changes_name_it(clock):
    changes: list[tuple[str, State]] = []
    breakers = Breakers(1, 30, clock, lambda carrier, state: changes.append((carrier, state)))
    fail(breakers["ups"], 1)
    assert breakers["ups"] is breakers["ups"]
    assert breakers["usps"].allow()
    assert changes == [("ups", State.OPEN)]
