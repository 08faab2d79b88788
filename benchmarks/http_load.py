"""Quotes per second through gunicorn: `rates serve` beside the floor app, driven by wrk.

(Not named http.py: a script's folder comes first on sys.path, and a module called http
there would shadow the standard library's for every script in this folder.)

Writes the reference scenario (benchmarks/scenario.py) to a temporary folder and serves it
with `rates serve` (its config: 2 workers, SQLite store in that folder), and beside it the
floor app (benchmarks/floor_app.py: same gunicorn settings, a constant answer of the same
size as the quote); checks one quote. Then wrk drives them in turns, for `--rounds`
rounds: POST /v1/quotes with the reference cart and the API key, the same load for each.
Prints requests/s, p50 and p99 for both in every round, the throughput ratio of each
round and their median, and the median p99. Taken in turns, a ratio compares the two
under the same machine: on a shared one, a run's speed drifts by more than the ratio's
own margin (`benchmarks/README.md`). Servers listen on a free port of 127.0.0.1 only and
are always stopped; each wrk run is bounded by its duration. Needs `wrk` (Debian:
apt-get install wrk).

    .venv/bin/python benchmarks/http_load.py                  # 3 rounds of 10 s each
    .venv/bin/python benchmarks/http_load.py --cart lines-1   # a one-line cart instead
    .venv/bin/python benchmarks/http_load.py --shopify        # the same cart as Shopify's
                                                              # signed rate callback
    .venv/bin/python benchmarks/http_load.py --smoke          # 1 round of 1 s each, 1
                                                              # connection

A run in which one gunicorn worker served most of the load (the other used less than
half its CPU: one core did most of the work) is measured again with new connections, up
to `--tries` times: the issue's targets compare servers with both workers busy.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import itertools
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from scenario import write_scenario
from support import NUMBER, Endpoint, Load, drive, find_wrk, free_port, lua, server

HERE = Path(__file__).resolve().parent
SHOP = "bench-outfitters.myshopify.com"
SHOP_SECRET = "shpss_benchmark_only"  # noqa: S105 - a benchmark's own throwaway secret
SECRET_ENV = "RATES_BENCH_SHOPIFY_SECRET"  # noqa: S105 - a variable's name
SHOPPERS_A_RUN = 1_000_000  # more requests than one wrk run makes


def shopify_body(cart: dict[str, Any]) -> bytes:
    """`cart` as Shopify's rate callback sends it: items with integer cents and grams,
    the address fields Shopify names, the shop's currency."""
    destination = cart["destination"]
    return json.dumps({"rate": {
        "origin": {"country": "US", "postal_code": "89502", "province": "NV"},
        "destination": {"country": destination["country"],
                        "province": destination.get("region"),
                        "postal_code": destination.get("postcode")},
        "items": [{"name": line["sku"], "sku": line["sku"], "quantity": line["quantity"],
                   "grams": line.get("grams", 500), "requires_shipping": True,
                   "price": int(Decimal(line["unit_price"]) * 100)}
                  for line in cart["lines"]],
        "currency": cart["currency"], "locale": "en"}}).encode()


def shopify_endpoint(body: bytes) -> Endpoint:
    signature = base64.b64encode(hmac.new(SHOP_SECRET.encode(), body, hashlib.sha256).digest())
    return Endpoint(f"/shopify/{SHOP}/rates",
                    (("X-Shopify-Hmac-Sha256", signature.decode()),))


def with_shop(config: Path) -> Path:
    """A copy of the scenario's config that answers the benchmark's shop."""
    settings = yaml.safe_load(config.read_text())
    settings["shops"] = [{"domain": SHOP, "secret_env": SECRET_ENV}]
    shopify = config.with_name("config-shopify.yaml")
    shopify.write_text(yaml.safe_dump(settings))
    return shopify


def workers_cpu(master: int) -> dict[int, float]:
    """CPU seconds used so far by each child process of `master` (gunicorn's workers), read
    from /proc; empty without /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == master:
            used[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / tick
    return used


def lopsided(load: Load) -> bool:
    """Whether one worker served most of `load`, the other less than half as much:
    gunicorn's threaded workers each take whatever connections they find waiting, so with
    few connections one may hold them all, or both for a while, and then a single core
    serves most of the run."""
    return len(load.worker_cpu) > 1 and load.worker_cpu[1] < 0.5 * load.worker_cpu[0]


@dataclass(frozen=True)
class Running:
    """A server started for the run: its master's pid, its port, the size of its answer,
    and the wrk script that drives it (`rewrite` writes it anew before each run)."""

    pid: int
    port: int
    response_bytes: int
    rewrite: Callable[[], object]
    script: Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10,
                        help="per server and round (default 10)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the two servers in turns (default 3)")
    parser.add_argument("--connections", type=int, default=2, help="wrk's -c (default 2)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load first, not "
                        "counted (default 2)")
    parser.add_argument("--cart", default="reference",
                        help="the scenario's cart: reference (default), lines-N, horizon-N")
    parser.add_argument("--shopify", action="store_true",
                        help="POST the cart as Shopify's signed rate callback instead")
    parser.add_argument("--shoppers", action="store_true",
                        help="each request the cart of another shopper (its own reference):"
                             " never answered from this minute's answers")
    parser.add_argument("--tries", type=int, default=4,
                        help="measure a server again, up to this many times, while one of "
                             "its workers serves most of the load (default 4)")
    parser.add_argument("--smoke", action="store_true",
                        help="1 round of 1 s each, 1 connection, no warm-up: checks it "
                             "still works")
    args = parser.parse_args()
    seconds, connections, warmup, rounds = (1, 1, 0, 1) if args.smoke else \
        (args.seconds, args.connections, args.warmup, max(args.rounds, 1))
    wrk = find_wrk(smoke=args.smoke)

    with tempfile.TemporaryDirectory() as folder, ExitStack() as running:
        scenario = write_scenario(Path(folder))
        config, endpoint = scenario.config, Endpoint.api()
        body = json.dumps(scenario.cart(args.cart)).encode()
        if args.shoppers:
            if args.shopify:
                sys.exit("--shoppers changes the body, which Shopify's signature covers")
            body = json.dumps({**scenario.cart(args.cart), "reference": f"cart-{NUMBER}"}
                              ).encode()
        if args.shopify:
            body = shopify_body(scenario.cart(args.cart))
            config, endpoint = with_shop(config), shopify_endpoint(body)
        runs = itertools.count(1)  # each wrk run's shoppers (`--shoppers`) are new

        def started(name: str, command: list[str], endpoint: Endpoint) -> Running:
            port = free_port()
            pid, answer = running.enter_context(server(
                [*command, "--port", str(port)], port, body,
                Path(folder) / f"{name}.log", endpoint=endpoint,
                env={**os.environ, SECRET_ENV: SHOP_SECRET}))
            script = Path(folder) / f"{name}.lua"
            return Running(pid, port, len(answer), lambda: script.write_text(lua(
                endpoint, body, numbered=args.shoppers,
                after=next(runs) * SHOPPERS_A_RUN)), script)

        rates = started("rates", [sys.executable, "-m", "rates.cli", "serve",
                                  "--config", str(config)], endpoint)
        floor = started("floor", [sys.executable, str(HERE / "floor_app.py"),
                                  "--response-bytes", str(rates.response_bytes)],
                        Endpoint.api())

        def measured(served: Running) -> Load:
            """The server's load, measured again (new connections, which gunicorn deals
            out anew) while one worker served most of it, up to `--tries` times."""
            for _ in range(max(args.tries, 1)):
                before = workers_cpu(served.pid)
                served.rewrite()
                load = drive(wrk, served.port, served.script, seconds, connections)
                used = tuple(sorted((cpu - before.get(worker, 0.0)
                                     for worker, cpu in workers_cpu(served.pid).items()),
                                    reverse=True))
                load = replace(load, worker_cpu=used)
                if connections < 2 or not lopsided(load):
                    break
            return load

        for served in (rates, floor) if warmup else ():
            served.rewrite()
            drive(wrk, served.port, served.script, warmup, connections)
        measures = [(measured(rates), measured(floor)) for _ in range(rounds)]

    asked = ("Shopify's rate callback" if args.shopify else "POST /v1/quotes") + \
        (", each request another shopper's" if args.shoppers else ", asked again and again")
    print(f"scenario, {args.cart} cart as {asked}: request {len(body)} B, "
          f"response {rates.response_bytes} B; "
          f"gunicorn: 2 workers as `rates serve` runs them; wrk: {rounds} round(s) of "
          f"{seconds} s per server in turns, {connections} connection(s), 1 thread, after "
          f"{warmup} s warm-up; {os.cpu_count()} cpus; python {sys.version.split()[0]}")
    print(f"{'':<22}{'requests/s':>12}{'p50':>10}{'p99':>10}{'errors':>8}"
          f"  CPU s by worker")
    for number, pair in enumerate(measures, 1):
        for name, load in zip(("rates serve (quote)", "floor app"), pair, strict=True):
            print(f"{name if rounds == 1 else f'{number}: {name}':<22}"
                  f"{load.per_second:>12.0f}{load.p50_ms:>8.2f}ms{load.p99_ms:>8.2f}ms"
                  f"{load.errors:>8}  {' + '.join(f'{cpu:.1f}' for cpu in load.worker_cpu)}")
    ratios = [quote.per_second / base.per_second for quote, base in measures]
    p99s = [quote.p99_ms for quote, _ in measures]
    print(f"ratio rates/floor: throughput {statistics.median(ratios):.3f}"
          + (f" (median of {rounds} rounds: "
             f"{', '.join(f'{ratio:.3f}' for ratio in ratios)})" if rounds > 1 else ""))
    print(f"rates serve p99: {statistics.median(p99s):.2f} ms"
          + (f" (median of {rounds} rounds: {', '.join(f'{p99:.2f}' for p99 in p99s)})"
             if rounds > 1 else ""))
    for name, loads in (("rates serve", [quote for quote, _ in measures]),
                        ("the floor", [base for _, base in measures])):
        lone = sum(1 for load in loads if connections > 1 and lopsided(load))
        if lone:
            print(f"note: in {lone} round(s), one worker of {name} served most of the load "
                  f"in each of {args.tries} tries, so one core did most of the work")
    if any(load.errors for pair in measures for load in pair):
        sys.exit("some requests failed (errors above)")


if __name__ == "__main__":
    main()
