"""Quote latency while one live carrier hangs: the fan-out deadline holds.

In a temporary copy of the bundled example, UPS and USPS become live carriers speaking the
generic JSON protocol to servers on 127.0.0.1: USPS's answers at once, UPS's never answers.
The cart is quoted N times through `rates.app.quoting.quote_cart` with one `LiveRateFetcher`,
one quote at a time, in two runs:
  (w) worst case: breaker and cache off, so every quote waits for UPS until the deadline;
  (c) as configured: UPS's breaker opens after a few failures, USPS's answers are cached.
Prints median and p99 quote latency per run and the deadline, what the carriers answered,
and exits 1 if a run's p99 is not under the deadline plus 100 ms.

    .venv/bin/python benchmarks/live.py                  # 200 quotes per run, 0.5 s deadline
    .venv/bin/python benchmarks/live.py --deadline 2.5   # the production default (slower)
    .venv/bin/python benchmarks/live.py --smoke          # 5 quotes per run, for `make test`
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from timing import p99

from rates.app.cart_quotes import quote_cart
from rates.carriers.fetch import LiveRateFetcher
from rates.carriers.registry import ADAPTERS
from rates.domain.quote.result import Quote
from rates.loading import Setup, load_setup
from rates.settings import LiveRateSettings

ROOT = Path(__file__).resolve().parent.parent
HEALTHY, HUNG = "usps", "ups"
MARGIN_SECONDS = 0.1


@dataclass
class Tally:
    """The fetcher's reports (a `LiveObserver`), counted for the summary line."""

    calls: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    states: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, carrier: str, seconds: float, outcome: str) -> None:
        with self._lock:
            self.calls[f"{carrier} {outcome}"] += 1

    def breaker(self, carrier: str, state: str) -> None:
        with self._lock:
            self.states.append(f"{carrier} {state}")

    def cache_hit(self, carrier: str) -> None:
        with self._lock:
            self.hits[carrier] += 1


def rates_server(services: list[str] | None) -> ThreadingHTTPServer:
    """A generic-protocol server quoting `services`, or (None) one that never answers: it
    reads the request, then waits until the client gives up and hangs up."""
    body = json.dumps({"rates": [
        {"service": code, "amount": "9.85", "currency": "USD",
         "transit_days": {"min": 2, "max": 4}, "guaranteed": False}
        for code in services or ()]}).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if services is None:
                self.rfile.read(1)  # returns when the client closes the connection
                self.close_connection = True
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def live_example(today: date) -> Iterator[Setup]:
    """The bundled example with USPS answering and UPS hanging, in a temporary folder."""
    healthy, hung = rates_server(["ground_advantage", "priority", "priority_express"]), \
        rates_server(None)
    try:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder)
            for name in ("rules", "carriers", "examples"):
                shutil.copytree(ROOT / name, copy / name)
            shutil.copy(ROOT / "config.example.yaml", copy / "config.example.yaml")
            for carrier, server in ((HEALTHY, healthy), (HUNG, hung)):
                port = server.server_address[1]
                with (copy / "carriers" / f"{carrier}.yaml").open("a") as yaml:
                    yaml.write(f'\nkind: http\nlive: {{protocol: generic, url: '
                               f'"http://127.0.0.1:{port}/rates"}}\nmax_parcel_kg: 30\n')
            yield load_setup(copy / "config.example.yaml", today=today)
    finally:
        for server in (healthy, hung):
            server.shutdown()
            server.server_close()


def run(setup: Setup, payload: Any, settings: LiveRateSettings,
        runs: int) -> tuple[list[float], Quote, Tally]:
    """Milliseconds per quote, the last quote, and what the fetcher reported."""
    tally = Tally()
    fetcher = LiveRateFetcher(settings, ADAPTERS, observer=tally)
    samples: list[float] = []
    try:
        for _ in range(runs):
            started = time.perf_counter()
            last = quote_cart(setup, payload, now=datetime.now(UTC), live=fetcher.fetch)
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        fetcher.close()
    return samples, last, tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="5 quotes: checks it still works")
    parser.add_argument("--deadline", type=float, default=0.5, help="seconds (default 0.5)")
    parser.add_argument("--cart", type=Path, default=ROOT / "examples/carts/small_split.json")
    args = parser.parse_args()
    runs = 5 if args.smoke else args.runs

    payload = json.loads(args.cart.read_text())
    ordered_at = datetime.fromisoformat(payload["ordered_at"])
    with live_example(date(ordered_at.year, 1, 1)) as setup:
        configured = replace(setup.settings.live_rates, deadline_seconds=args.deadline)
        worst = replace(configured, cache_seconds=0, breaker_failures=10**9)
        print(f"cart: {args.cart.relative_to(ROOT)}  quotes per run: {runs}  "
              f"deadline: {args.deadline:g} s  {HEALTHY}: answers  {HUNG}: hangs  "
              f"python: {sys.version.split()[0]}")
        print(f"{'':<44}{'median':>10}{'p99':>10}")
        failed = False
        for label, settings in (("(w) every quote waits for the hung carrier", worst),
                                ("(c) breaker and cache as configured", configured)):
            samples, last, tally = run(setup, payload, settings, runs)
            print(f"{label:<44}{statistics.median(samples):>8.1f}ms{p99(samples):>8.1f}ms")
            sources = Counter(shipment.source for option in last.options
                              for shipment in option.shipments)
            print(f"    calls: {dict(sorted(tally.calls.items()))}  cache hits: "
                  f"{dict(tally.hits)}  breaker: {tally.states}")
            print(f"    last quote: {len(last.options)} options, shipments priced "
                  f"{dict(sorted(sources.items()))}; "
                  + "; ".join(m.message for m in last.messages if m.code == "carrier_fallback"))
            failed |= p99(samples) >= (args.deadline + MARGIN_SECONDS) * 1000
    limit = (args.deadline + MARGIN_SECONDS) * 1000
    print(f"p99 under deadline + {MARGIN_SECONDS * 1000:.0f} ms ({limit:.0f} ms): "
          f"{'no' if failed else 'yes'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
