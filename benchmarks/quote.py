"""How long one quote takes in-process, on the bundled mixed cart.

Prints the median and p99 of N runs of:
  (a) the domain quote alone: `rates.domain.quote.quote()` on a parsed request;
  (p) the shell path around it: parse the JSON request, quote, build the wire document.
and the ratio p/a (what validation and serialization cost on top of the engine).

    .venv/bin/python benchmarks/quote.py            # 1000 runs each
    .venv/bin/python benchmarks/quote.py --smoke    # 5 runs, for `make test`
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from rates.domain.quote import quote
from rates.loading import load_setup
from rates.service import quote_cart
from rates.wire.request import parse_quote_request
from rates.wire.response import quote_document

ROOT = Path(__file__).resolve().parent.parent


def measure(fn: Callable[[], object], runs: int) -> list[float]:
    """Microseconds per call, after a short warm-up so caches are as in a live server."""
    for _ in range(min(runs, 20)):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--smoke", action="store_true", help="5 runs: checks it still works")
    parser.add_argument("--cart", type=Path, default=ROOT / "examples/carts/mixed.json")
    args = parser.parse_args()
    runs = 5 if args.smoke else args.runs

    payload = json.loads(args.cart.read_text())
    ordered_at = datetime.fromisoformat(payload["ordered_at"])
    started = time.perf_counter()
    setup = load_setup(ROOT / "config.example.yaml", today=date(ordered_at.year, 1, 1))
    load_ms = (time.perf_counter() - started) * 1000
    now = datetime.now(UTC)
    request_quote = quote_cart(setup, payload, now=now)

    request = parse_quote_request(payload, default_location=next(iter(setup.catalog.locations)),
                                  now=now, inventory=setup.inventory.get)

    def domain() -> object:
        return quote(request, setup.catalog, setup.ruleset, now)

    def shell() -> object:
        return quote_document(quote_cart(setup, payload, now=now), "q_bench")

    a = measure(domain, runs)
    p = measure(shell, runs)
    print(f"cart: {args.cart.relative_to(ROOT)}  options: {len(request_quote.options)}  "
          f"runs: {runs}  python: {sys.version.split()[0]}")
    print(f"load example configuration: {load_ms:.1f} ms")
    print(f"{'':<34}{'median':>10}{'p99':>10}")
    print(f"{'(a) domain quote':<34}{statistics.median(a):>8.0f}us{p99(a):>8.0f}us")
    print(f"{'(p) parse + quote + wire document':<34}{statistics.median(p):>8.0f}us"
          f"{p99(p):>8.0f}us")
    print(f"ratio p/a (median): {statistics.median(p) / statistics.median(a):.2f}")


if __name__ == "__main__":
    main()
