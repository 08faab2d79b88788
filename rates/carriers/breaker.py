"""Per-carrier circuit breakers: stop calling a carrier that keeps failing, probe it later.

A carrier that is down costs every quote the whole deadline; after `failures` failures in a
row its breaker opens and quotes price it from its fallback table at once, opening no
socket. After `reset_seconds` the breaker is half-open: the next call is let through as a
probe while the others still get "circuit open"; a good answer closes the breaker, a
failure opens it again for another `reset_seconds`.

States are read and changed under one lock per breaker, so concurrent quotes agree on who
makes the probe. `on_change` is called under that lock too, in the order changes happen
(it must be quick: it sets a gauge).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum


class State(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, failures: int, reset_seconds: float, clock: Callable[[], float],
                 on_change: Callable[[State], None]) -> None:
        self._threshold = failures
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._on_change = on_change
        self._lock = threading.Lock()
        self._state = State.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    def allow(self) -> bool:
        """True when a call may be made now. A True in the half-open state is the probe:
        its caller must `record` how it went, or no other call is ever let through."""
        with self._lock:
            if (self._state is State.OPEN
                    and self._clock() - self._opened_at >= self._reset_seconds):
                self._move(State.HALF_OPEN)
            if self._state is State.CLOSED:
                return True
            if self._state is State.HALF_OPEN and not self._probing:
                self._probing = True
                return True
            return False

    def record(self, *, succeeded: bool) -> None:
        """How an allowed call went."""
        with self._lock:
            self._probing = False
            if succeeded:
                self._failures = 0
                if self._state is not State.CLOSED:
                    self._move(State.CLOSED)
                return
            self._failures += 1
            if self._state is State.HALF_OPEN or (
                    self._state is State.CLOSED and self._failures >= self._threshold):
                self._opened_at = self._clock()
                self._move(State.OPEN)

    def _move(self, state: State) -> None:
        self._state = state
        self._on_change(state)


class Breakers:
    """One breaker per carrier id, made on first use."""

    def __init__(self, failures: int, reset_seconds: float, clock: Callable[[], float],
                 on_change: Callable[[str, State], None]) -> None:
        self._failures = failures
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._on_change = on_change
        self._lock = threading.Lock()
        self._breakers: dict[str, CircuitBreaker] = {}

    def __getitem__(self, carrier: str) -> CircuitBreaker:
        with self._lock:
            breaker = self._breakers.get(carrier)
            if breaker is None:
                breaker = self._breakers[carrier] = CircuitBreaker(
                    self._failures, self._reset_seconds, self._clock,
                    lambda state: self._on_change(carrier, state))
            return breaker
