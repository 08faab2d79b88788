"""Soak: `rates serve` under steady load while its rules change every second and one live
carrier hangs. Prints figures and exits 1 if a promise of RELIABILITY.md broke.

A private copy of the bundled example (rules watched every 0.2 s, live deadline 0.5 s)
gains one live carrier, Ridgeline Parcel (a copy of UPS speaking the generic protocol),
whose endpoint on 127.0.0.1 accepts connections and never answers. `rates serve` (2
workers) serves it while:
  - wrk POSTs the mixed cart to /v1/quotes with the quote key for the whole run;
  - every second the rules file is rewritten, alternately a valid version with a new
    patience discount (so a new ruleset version) and a broken one (a YAML error);
  - a side thread quotes the same cart back to back, each on a new connection so both
    workers are sampled, and keeps each answer's ruleset, prices and latency.
The rules file is replaced atomically (written aside, then renamed), as deploy tools and
many editors save: what is tested is the watcher's whole-set swap, not a reader racing a
half-written file (RELIABILITY.md says what that does).

Checked: wrk saw no non-2xx answer and no socket error or timeout; every sampled quote
was a 201 priced Ridgeline from its table, within the deadline plus `MARGIN_SECONDS`; each
ruleset always came with the same prices (no quote mixed two rulesets); the sampled
rulesets are exactly the initial one plus one per valid version written, and the log
names the same versions as reloaded; every broken version was rejected by each worker;
the server log holds no Traceback, and neither the cart's postcode nor its reference.

    .venv/bin/python benchmarks/soak.py                 # 60 s
    .venv/bin/python benchmarks/soak.py --seconds 600
    .venv/bin/python benchmarks/soak.py --smoke         # 4 s of load, for `make test`
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from support import ROOT, Endpoint, Load, copy_example, drive, find_wrk, free_port, lua, server

QUOTE_KEY = "rk_demo_quote_key_for_the_bundled_example_only"
CART = ROOT / "examples" / "carts" / "mixed.json"
WORKERS = 2
DEADLINE_SECONDS = 0.5
RELOAD_SECONDS = 0.2
WRITE_EVERY_SECONDS = 1.0
SETTLE_SECONDS = 1.5
"""Sampling goes on this long after the last write, so the last version is seen."""
MARGIN_SECONDS = 0.5
"""A sampled quote may take the live deadline plus this: quoting itself, and waiting for
a core while wrk and two workers share two."""
PATIENCE = 'adjust: "-15%"'
"""The price rule each valid version changes: the mixed cart's `together` options."""
RIDGELINE = "Ridgeline"
LEAK = re.compile(r"cart-1003|(?<![0-9a-f])94110(?![0-9a-f])")
"""The mixed cart's reference, or its postcode as a token (not inside a hex request id)."""


@contextmanager
def hung_carrier() -> Iterator[HungCarrier]:
    """A TCP endpoint on 127.0.0.1 that accepts and never answers, until the block ends."""
    carrier = HungCarrier()
    try:
        yield carrier
    finally:
        carrier.close()


class HungCarrier:
    """Accepts every connection and holds it open without reading or writing a byte: the
    carrier whose load balancer is up and whose rating service is stuck."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    @property
    def accepted(self) -> int:
        return len(self._held)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self._held.append(connection)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for connection in [*self._held, self._listener]:
            connection.close()


def private_example(folder: Path, hung_port: int) -> Path:
    """The bundled example copied to `folder`, with Ridgeline Parcel asked live at
    `hung_port` and offered by the rules; returns the config's path. Text edits keep the
    files as merchants write them; each asserts its anchor, so a changed example fails
    loudly rather than soaking something else."""
    config = copy_example(folder)
    text = _edited(config.read_text(), "max_body_kb: 64}",
                   f"max_body_kb: 64, reload_interval_seconds: {RELOAD_SECONDS}}}")
    config.write_text(text + f"\nlive_rates: {{deadline_seconds: {DEADLINE_SECONDS}}}\n")
    ups = (folder / "carriers" / "ups.yaml").read_text()
    ridgeline = _edited(_edited(ups, "\nid: ups\n", "\nid: ridgeline\n"), "UPS", RIDGELINE)
    (folder / "carriers" / "ridgeline.yaml").write_text(
        ridgeline + f'\nkind: http\nlive: {{protocol: generic, url: '
        f'"http://127.0.0.1:{hung_port}/rates"}}\nmax_parcel_kg: 30\n')
    rules = folder / "rules" / "default.yaml"
    rules.write_text(_edited(rules.read_text(), "\nservices:\n",
                             "\nservices:\n  - service: ridgeline/ground\n"))
    return config


def _edited(text: str, old: str, new: str) -> str:
    if old not in text:
        sys.exit(f"soak.py: the bundled example changed: {old!r} not found")
    return text.replace(old, new)


@dataclass
class RulesWriter:
    """Rewrites `path` every `WRITE_EVERY_SECONDS` until `stop`: a valid version with a new
    discount, then a broken one, and so on. Each write is atomic (a rename), and the
    temporary name is not *.yaml, so the watcher never sees it."""

    path: Path
    valid: int = 0
    broken: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        original = self.path.read_text()
        while not self.stop.wait(WRITE_EVERY_SECONDS):
            if self.valid == self.broken:
                self.valid += 1
                text = original.replace(PATIENCE, f'adjust: "-{15 + self.valid}%"')
            else:
                self.broken += 1  # an unclosed flow sequence: a YAML syntax error
                text = original.replace(PATIENCE, f'adjust: ["-{15 + self.valid}%"')
            aside = self.path.with_name(f".{self.path.name}.tmp")
            aside.write_text(text)
            os.replace(aside, self.path)


Prices = tuple[tuple[str, str], ...]


@dataclass
class Sampler:
    """Quotes `body` back to back until `stop`, each on a new connection (so gunicorn hands
    them to either worker); keeps what each answer says about rulesets and fallbacks."""

    url: str
    body: bytes
    prices: dict[str, Prices] = field(default_factory=dict)
    """The prices per option each ruleset came with the first time it was seen; the first
    key is the ruleset the server started with."""
    quotes: int = 0
    mixed: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)
    """Why Ridgeline was priced from its table, by reason ("timed out", "circuit open")."""
    seconds: list[float] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {QUOTE_KEY}"}
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                response = requests.post(self.url, data=self.body, headers=headers, timeout=10)
            except requests.RequestException as error:
                self.failed[type(error).__name__] += 1
                continue
            self.seconds.append(time.perf_counter() - started)
            if response.status_code != 201:
                self.failed[f"HTTP {response.status_code}"] += 1
                continue
            self.record(response.json())

    def record(self, document: dict[str, Any]) -> None:
        self.quotes += 1
        prices = tuple(sorted((o["id"], o["price"]["amount"]) for o in document["options"]))
        if self.prices.setdefault(document["ruleset"], prices) != prices:
            self.mixed += 1
        reasons = [m["message"] for m in document["messages"]
                   if m["code"] == "carrier_fallback" and m["message"].startswith(RIDGELINE)]
        if not reasons:
            self.failed["Ridgeline not priced from its table"] += 1
        for reason in reasons:  # "Ridgeline live rates unavailable (timed out after 0.5 s); ..."
            self.fallbacks[reason.partition("(")[2].partition(")")[0]] += 1


@dataclass(frozen=True, slots=True)
class ServerLog:
    """What the workers' log says: reloads (each worker reloads on its own), tracebacks,
    and lines naming the cart's postcode or reference, which a log must never hold."""

    versions: frozenset[str]
    ok: int
    rejected: int
    tracebacks: int
    leaks: int


def read_log(log: str) -> ServerLog:
    versions, ok, rejected = set(), 0, 0
    for line in log.splitlines():
        if not line.startswith("{"):
            continue  # gunicorn's own lines
        message = json.loads(line).get("message", "")
        if message.startswith("rules reloaded: "):
            versions.add(message.removeprefix("rules reloaded: "))
            ok += 1
        elif message.startswith("rules reload rejected"):
            rejected += 1
    leaks = sum(1 for line in log.splitlines() if LEAK.search(line))
    return ServerLog(frozenset(versions), ok, rejected, log.count("Traceback"), leaks)


def wait_for_workers(master: int, database: Path) -> None:
    """Return once each of the `WORKERS` children of `master` holds `database` open.

    A worker reads the rules before it opens the store, so from then on it has its
    initial ruleset and its watcher; a worker still booting when the first broken version
    is written would miss a rejection, or fail to boot. The first quote proves only that
    one worker is up. Read from /proc (Linux), as http_load.py reads workers' CPU."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rpartition(")")[2].split()[1]) != master:
                    continue
                ready += any(Path(os.readlink(fd)) == database
                             for fd in (stat.parent / "fd").iterdir())
            except OSError:  # the process ended, or its fds changed, while we looked
                continue
        if ready >= WORKERS:
            return
        time.sleep(0.05)
    sys.exit(f"soak.py: {WORKERS} workers did not open {database} in 60 s")


@dataclass(frozen=True, slots=True)
class Soak:
    load: Load
    writer: RulesWriter
    sampler: Sampler
    log: ServerLog
    hung_connections: int


def soak(folder: Path, wrk: str, seconds: int, connections: int) -> Soak:
    """The whole run in `folder`: servers started and always stopped."""
    body = CART.read_bytes()
    script = folder / "post.lua"
    assert "]==]" not in body.decode()
    script.write_text(lua(Endpoint.api(QUOTE_KEY), body))
    log = folder / "server.log"
    port = free_port()
    with hung_carrier() as carrier:
        config = private_example(folder / "example", carrier.port)
        writer = RulesWriter(config.parent / "rules" / "default.yaml")
        sampler = Sampler(f"http://127.0.0.1:{port}/v1/quotes", body)
        with server([sys.executable, "-m", "rates.cli", "serve", "--config", str(config),
                     "--port", str(port)], port, body, log,
                    endpoint=Endpoint.api(QUOTE_KEY)) as (pid, first):
            sampler.record(json.loads(first))
            wait_for_workers(pid, (config.parent / "rates.db").resolve())
            threads = [threading.Thread(target=writer.run), threading.Thread(target=sampler.run)]
            for thread in threads:
                thread.start()
            try:
                load = drive(wrk, port, script, seconds, connections)
            finally:
                writer.stop.set()
                time.sleep(SETTLE_SECONDS)
                sampler.stop.set()
                for thread in threads:
                    thread.join()
        hung = carrier.accepted
    return Soak(load, writer, sampler, read_log(log.read_text()), hung)


def report(run: Soak, seconds: int, connections: int) -> list[str]:
    """Prints the figures; returns the invariants that failed."""
    load, writer, sampler, log = run.load, run.writer, run.sampler, run.log
    socket_errors = load.errors - load.non_2xx
    latest = max(sampler.seconds)
    print(f"soak: {seconds} s, wrk {connections} connection(s), 1 thread; {WORKERS} workers; "
          f"rules rewritten every {WRITE_EVERY_SECONDS:g} s, watched every {RELOAD_SECONDS:g} s; "
          f"live deadline {DEADLINE_SECONDS:g} s; {os.cpu_count()} cpus; "
          f"python {sys.version.split()[0]}")
    print(f"requests served      {load.requests} ({load.per_second:.1f}/s)")
    print(f"latency (wrk)        p50 {load.p50_ms:.2f} ms, p99 {load.p99_ms:.2f} ms")
    print(f"non-2xx              {load.non_2xx}")
    print(f"socket errors        {socket_errors} (connect, read, write, timeout)")
    print(f"sampled quotes       {sampler.quotes}; failed {dict(sampler.failed)}; "
          f"slowest {latest * 1000:.0f} ms, median "
          f"{statistics.median(sampler.seconds) * 1000:.0f} ms")
    print(f"Ridgeline fallbacks  {dict(sampler.fallbacks)}; hung endpoint accepted "
          f"{run.hung_connections} connection(s)")
    print(f"rules written        {writer.valid} valid, {writer.broken} broken")
    print(f"reloads (all workers) {log.ok} ok, {log.rejected} rejected")
    print(f"rulesets seen        {len(sampler.prices)} (initial + {writer.valid} valid)")
    print(f"mixed-ruleset quotes {sampler.mixed}")
    print(f"tracebacks in log    {log.tracebacks}")
    print(f"address in log       {log.leaks} line(s)")
    seen = set(sampler.prices)
    checks = {
        "no non-2xx answer": load.non_2xx == 0,
        "no socket error or timeout": socket_errors == 0,
        "every sampled quote a 201 with Ridgeline from its table": not sampler.failed,
        "the hung carrier was asked": run.hung_connections > 0,
        f"every sampled quote within {DEADLINE_SECONDS + MARGIN_SECONDS:g} s":
            latest <= DEADLINE_SECONDS + MARGIN_SECONDS,
        "no mixed-ruleset quote": sampler.mixed == 0,
        "one ruleset per valid version, plus the initial one":
            len(seen) == writer.valid + 1,
        "the versions reloaded are the versions served":
            log.versions == seen - {next(iter(sampler.prices))},
        "every broken version rejected by each worker":
            log.rejected == WORKERS * writer.broken,
        "no Traceback in the server log": log.tracebacks == 0,
        "no postcode or cart reference in the server log": log.leaks == 0,
    }
    for name, held in checks.items():
        print(f"  {'ok  ' if held else 'FAIL'} {name}")
    return [name for name, held in checks.items() if not held]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="of load (default 60)")
    parser.add_argument("--connections", type=int, default=2, help="wrk's -c (default 2)")
    parser.add_argument("--smoke", action="store_true",
                        help="4 s of load: checks it still works, for `make test`")
    args = parser.parse_args()
    seconds = 4 if args.smoke else args.seconds
    wrk = find_wrk(smoke=args.smoke)
    with tempfile.TemporaryDirectory() as folder:
        failed = report(soak(Path(folder), wrk, seconds, args.connections), seconds,
                        args.connections)
    if failed:
        sys.exit(f"soak failed: {'; '.join(failed)}")


if __name__ == "__main__":
    main()
