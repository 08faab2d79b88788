"""Real carrier servers on 127.0.0.1 and the small real collaborators the fetcher takes.

A `CarrierServer` speaks the generic JSON rate protocol and can be told to misbehave the
ways carriers do: answer slowly, hang, fail with 500, send garbage, hang up without an
answer, or redirect. It counts every request it receives, which is how tests prove that no
request was sent (breaker open, host refused, cache hit).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from typing import Any

from rates.carriers.adapter import HttpCall, LiveRateError
from rates.domain.cart import Destination
from rates.domain.catalog import Carrier
from rates.domain.live_rates import LiveEndpoint, LiveRate, Parcel, RateRequest
from rates.domain.money import Money
from rates.settings import LiveRateSettings
from tests.support.local_http import LocalServer, QuietHandler

GROUND = {"service": "ground", "amount": "12.34", "currency": "USD",
          "transit_days": {"min": 1, "max": 3}, "guaranteed": False}

SETTINGS = LiveRateSettings(deadline_seconds=10.0, connect_timeout_seconds=0.2,
                            cache_seconds=0, breaker_failures=1000)
"""A deadline no answer from 127.0.0.1 misses, however busy the machine; cache and breaker
out of the way unless a test turns them on."""

SHORT = replace(SETTINGS, deadline_seconds=0.3)
"""For tests of the deadline itself: a hung carrier makes them wait this long."""


class CarrierServer:
    """`behaviour` is one of: ok, slow (answers `delay` seconds late), hang (never answers
    until closed), 500, malformed, close (reads the request, hangs up), redirect, huge
    (a 2 MiB body), meet (answers once every server sharing `meeting` has a request in
    flight; 500 if they never all do within the barrier's timeout). `hung_up` is set
    when a client gives up on a slow or hung request: hangs up before any answer."""

    def __init__(self, behaviour: str = "ok", *, delay: float = 0.0,
                 meeting: threading.Barrier | None = None) -> None:
        self.behaviour = behaviour
        self.delay = delay
        self.meeting = meeting
        self.paths: list[str] = []
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[Mapping[str, str]] = []
        self.hung_up = threading.Event()
        self._lock = threading.Lock()
        self._server = LocalServer(_handler(self))
        self.released = self._server.released

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/rates"

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.paths)

    def seen(self, path: str, body: bytes, headers: Mapping[str, str]) -> None:
        with self._lock:
            self.paths.append(path)
            self.headers.append(headers)
            self.bodies.append(json.loads(body) if body.startswith(b"{") else {})

    def close(self) -> None:
        self._server.close()


def _met(meeting: threading.Barrier | None) -> bool:
    """Whether every party of `meeting` arrived before its timeout."""
    try:
        meeting.wait() if meeting else None
    except threading.BrokenBarrierError:
        return False
    return True


def _handler(server: CarrierServer) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as carriers' servers do

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            server.seen(self.path, body, dict(self.headers))
            behaviour = server.behaviour
            if behaviour == "hang":
                self._held(None)
                return
            if behaviour == "close":
                self.close_connection = True
                return
            if behaviour == "slow" and self._held(server.delay):
                return
            if behaviour == "meet" and not _met(server.meeting):
                behaviour = "500"
            if behaviour == "redirect":
                self._send(302, b"", {"Location": f"http://127.0.0.1:{server.port}/moved"})
            elif behaviour == "500":
                self._send(500, b'{"error": "boom"}')
            elif behaviour == "malformed":
                self._send(200, b'{"rates": [{"service": ')
            elif behaviour == "huge":
                self._send(200, b" " * (2 * 1024 * 1024))
            else:
                self._send(200, json.dumps({"rates": [GROUND]}).encode())

        def _held(self, seconds: float | None) -> bool:
            """Held without an answer for `seconds` (None: until the server closes); True
            if the client hung up first."""
            if self.hold(seconds, server.released):
                server.hung_up.set()
                return True
            return False

        def _send(self, status: int, body: bytes,
                  headers: Mapping[str, str] | None = None) -> None:
            self.answer(status, body, {"Content-Type": "application/json", **(headers or {})})

    return Handler


class StandInGeneric:
    """The generic protocol, as small as the tests need: the transport is under test here,
    not the parser (the real adapter has its own tests on recorded payloads)."""

    def build(self, request: RateRequest, endpoint: LiveEndpoint,
              api_key: str | None) -> HttpCall:
        headers = {"Content-Type": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        payload = {"origin": {"country": request.origin_country,
                              "postcode": request.origin_postcode},
                   "destination": {"country": request.destination.country,
                                   "postcode": request.destination.postcode},
                   "packages": [{"weight_grams": p.grams} for p in request.parcels],
                   "currency": request.currency}
        return HttpCall("POST", endpoint.url, headers, json.dumps(payload).encode())

    def parse(self, status: int, body: bytes, request: RateRequest,
              endpoint: LiveEndpoint) -> tuple[LiveRate, ...]:
        if status != 200:
            raise LiveRateError(f"HTTP {status}")
        try:
            rates = json.loads(body)["rates"]
        except ValueError:
            raise LiveRateError("malformed JSON") from None
        return tuple(LiveRate(rate["service"], Money(Decimal(rate["amount"]), rate["currency"]),
                              (rate["transit_days"]["min"], rate["transit_days"]["max"]),
                              rate["guaranteed"]) for rate in rates)


ADAPTERS = {"generic": StandInGeneric()}


def live_carrier(carrier_id: str, url: str, *, api_key_env: str | None = None) -> Carrier:
    """A carrier with nothing but a live endpoint: all the fetcher reads."""
    return Carrier(carrier_id, carrier_id.upper(), (), {}, frozenset(), frozenset(),
                   live=LiveEndpoint("generic", url, api_key_env))


def rate_request(carrier: str, *, grams: int = 2000, postcode: str = "94110") -> RateRequest:
    return RateRequest(carrier, "reno", "US", "NV", "89502",
                       Destination("US", "CA", postcode), (Parcel(grams),), "USD")


class ManualClock:
    """A monotonic clock the test moves forward by hand (for the breaker and the cache)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RecordingObserver:
    """What the fetcher reported, for metrics; calls arrive from worker threads."""

    calls: list[tuple[str, float, str]] = field(default_factory=list)
    states: list[tuple[str, str]] = field(default_factory=list)
    hits: list[str] = field(default_factory=list)

    def call(self, carrier: str, seconds: float, outcome: str) -> None:
        self.calls.append((carrier, seconds, outcome))

    def breaker(self, carrier: str, state: str) -> None:
        self.states.append((carrier, state))

    def cache_hit(self, carrier: str) -> None:
        self.hits.append(carrier)

    def outcomes(self) -> list[str]:
        return [outcome for _, _, outcome in self.calls]

    def wait_for_calls(self, count: int, timeout: float = 2.0) -> None:
        """Calls the fetcher stopped waiting for report when their thread ends."""
        until = time.monotonic() + timeout
        while len(self.calls) < count and time.monotonic() < until:
            time.sleep(0.01)
