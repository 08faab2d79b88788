"""Ask every live carrier a quote needs, all at once, under one deadline.

`LiveRateFetcher.fetch` is what the shell runs between `rate_requests()` and `quote()`: it
answers every question by the deadline, with rates or with a short reason, and never
raises for a carrier's sake, so a quote always has options (the domain prices a failed
carrier from its fallback table).

Each question goes: cache (a recent good answer) -> API key -> adapter builds the call ->
host allowlist -> the carrier's breaker -> one HTTP call (`session.HttpClient`) -> adapter
parses. The calls run on a thread pool the fetcher owns and reuses across quotes. `fetch`
waits for them until the deadline and answers "timed out" for any still running; such a
call's own read timeout was cut to the same deadline, so its thread frees up then too, and
it still reports to the breaker, the cache and the observer when it ends.

The injected `clock` drives the breaker and the cache (state that spans quotes, which tests
move forward); the deadline is always real monotonic time because it bounds real sockets.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from enum import StrEnum
from typing import Protocol

from rates.carriers.adapter import Adapter, HttpCall, LiveRateError
from rates.carriers.breaker import Breakers
from rates.carriers.cache import TtlCache
from rates.carriers.session import (
    AnswerTooLarge,
    ConnectionFailed,
    Deadline,
    HostRefused,
    HttpClient,
    RedirectRefused,
    TimedOut,
    TransportError,
)
from rates.domain.catalog import Carrier
from rates.domain.live_rates import LiveAnswer, LiveEndpoint, RateRequest
from rates.settings import LiveRateSettings

log = logging.getLogger(__name__)

WORKERS = 32
"""Threads for carrier calls, shared by all quotes. A hung carrier holds a thread until the
deadline, so this bounds (concurrent quotes x live questions per quote) before questions
queue; a queued question that starts past its deadline answers "timed out" at once."""


class Outcome(StrEnum):
    """How one question ended: the closed set of labels metrics count by."""

    OK = "ok"
    TIMEOUT = "timeout"
    HTTP_ERROR = "http_error"
    CONNECTION_ERROR = "connection_error"
    MALFORMED = "malformed"
    CIRCUIT_OPEN = "circuit_open"
    REFUSED_HOST = "refused_host"
    NO_KEY = "no_key"
    ERROR = "error"
    """A bug in an adapter or here, logged with its traceback; the quote falls back."""


class LiveObserver(Protocol):
    """What the fetcher reports, for metrics; called from quoting and worker threads alike,
    so it must be thread-safe (prometheus_client's metrics are). `call` comes once per
    question not answered from the cache, with an `Outcome` and the seconds it took;
    `breaker` on every state change ("closed", "open", "half_open")."""

    def call(self, carrier: str, seconds: float, outcome: str) -> None: ...

    def breaker(self, carrier: str, state: str) -> None: ...

    def cache_hit(self, carrier: str) -> None: ...


class _Unobserved:
    def call(self, carrier: str, seconds: float, outcome: str) -> None:
        pass

    def breaker(self, carrier: str, state: str) -> None:
        pass

    def cache_hit(self, carrier: str) -> None:
        pass


_TRANSPORT_OUTCOMES: Mapping[type[TransportError], Outcome] = {
    HostRefused: Outcome.REFUSED_HOST,
    RedirectRefused: Outcome.HTTP_ERROR,
    TimedOut: Outcome.TIMEOUT,
    ConnectionFailed: Outcome.CONNECTION_ERROR,
    AnswerTooLarge: Outcome.MALFORMED,
}

_Result = tuple[Outcome, LiveAnswer]


class LiveRateFetcher:
    """Thread-safe; one per process, shared by every quote, so the breakers, the cache and
    the kept-alive connections outlive a quote. API keys are read from `environ` at each
    call (a rotated key needs no restart). `close()` when done."""

    def __init__(self, settings: LiveRateSettings, adapters: Mapping[str, Adapter], *,
                 environ: Mapping[str, str] = os.environ,
                 clock: Callable[[], float] = time.monotonic,
                 observer: LiveObserver | None = None) -> None:
        self._settings = settings
        self._adapters = adapters
        self._environ = environ
        self._observer: LiveObserver = observer or _Unobserved()
        self._client = HttpClient(settings, pool_size=WORKERS)
        self._breakers = Breakers(settings.breaker_failures, settings.breaker_reset_seconds,
                                  clock, self._observer.breaker)
        self._cache: TtlCache[RateRequest, LiveAnswer] = TtlCache(
            settings.cache_seconds, settings.cache_entries, clock)
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="live-rates")

    def fetch(self, requests: Sequence[RateRequest],
              carriers: Mapping[str, Carrier]) -> dict[RateRequest, LiveAnswer]:
        """An answer for every request, by `deadline_seconds` after the call (plus the few
        milliseconds it takes to collect them)."""
        deadline = Deadline.after(self._settings.deadline_seconds)
        answers: dict[RateRequest, LiveAnswer] = {}
        running: dict[RateRequest, Future[LiveAnswer]] = {}
        for request in requests:
            if request in answers or request in running:
                continue
            cached = self._cache.get(request)
            if cached is not None:
                self._observer.cache_hit(request.carrier)
                answers[request] = cached
            else:
                running[request] = self._pool.submit(
                    self._answer, request, carriers.get(request.carrier), deadline)
        wait(running.values(), timeout=deadline.remaining())
        late = LiveAnswer(failure=deadline.timed_out())
        for request, future in running.items():
            answers[request] = future.result() if future.done() else late
        return answers

    def close(self) -> None:
        """Stop taking questions; calls in flight end by their deadline."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def _answer(self, request: RateRequest, carrier: Carrier | None,
                deadline: Deadline) -> LiveAnswer:
        """Runs on a worker: ask, then report, cache a good answer, and return it."""
        started = time.monotonic()
        try:
            outcome, answer = self._ask(request, carrier, deadline)
        except Exception:  # one carrier's bug must not cost the checkout
            log.exception("live rates for %s failed unexpectedly", request.carrier)
            outcome, answer = Outcome.ERROR, LiveAnswer(failure="internal error")
        self._observer.call(request.carrier, time.monotonic() - started, outcome)
        if outcome is Outcome.OK:
            self._cache.put(request, answer)
        return answer

    def _ask(self, request: RateRequest, carrier: Carrier | None,
             deadline: Deadline) -> _Result:
        endpoint = carrier.live if carrier else None
        if endpoint is None:
            raise ValueError(f"carrier {request.carrier!r} has no live endpoint")
        api_key = None
        if endpoint.api_key_env:
            api_key = self._environ.get(endpoint.api_key_env)
            if not api_key:
                return _failed(Outcome.NO_KEY, f"no API key in ${endpoint.api_key_env}")
        adapter = self._adapters[endpoint.protocol]
        call = adapter.build(request, endpoint, api_key)
        if not self._client.allows(call.url):
            return _failed(Outcome.REFUSED_HOST, "host not allowed")
        if deadline.remaining() <= 0:  # queued behind other calls until too late
            return _failed(Outcome.TIMEOUT, deadline.timed_out())
        breaker = self._breakers[request.carrier]
        if not breaker.allow():
            return _failed(Outcome.CIRCUIT_OPEN, "circuit open")
        result = _failed(Outcome.ERROR, "internal error")  # what the breaker hears if _call raises
        try:
            result = self._call(adapter, call, request, endpoint, deadline)
        finally:
            breaker.record(succeeded=result[0] is Outcome.OK)
        return result

    def _call(self, adapter: Adapter, call: HttpCall, request: RateRequest,
              endpoint: LiveEndpoint, deadline: Deadline) -> _Result:
        try:
            status, body = self._client.send(call, deadline)
        except TransportError as error:
            return _failed(_TRANSPORT_OUTCOMES[type(error)], error.reason)
        try:
            return Outcome.OK, LiveAnswer(adapter.parse(status, body, request, endpoint))
        except LiveRateError as error:
            outcome = Outcome.MALFORMED if 200 <= status < 300 else Outcome.HTTP_ERROR
            return _failed(outcome, error.reason)


def _failed(outcome: Outcome, reason: str) -> _Result:
    return outcome, LiveAnswer(failure=reason)
