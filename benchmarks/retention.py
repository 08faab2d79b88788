"""The SQLite database's size under a steady Shopify callback load, with a short retention.

Writes the reference scenario (benchmarks/scenario.py) to a temporary folder, keeps its
quotes `--retention` seconds (`store.quote_retention_days`; `orders.quote_valid_hours` as
long, the longest the config allows) and prunes every `--interval` seconds, serves it with
`rates serve` (2 workers, SQLite), and drives Shopify's signed rate callback with wrk (as
`http_load.py --shopify`) for `--seconds`, in rounds of `--every` seconds. After each round
it prints the database file's size, its WAL's, the file's free pages and the quotes
stored: once the first quotes are past their retention, pruning removes as many as come
in, and the file stops growing. Needs `wrk` (Debian: apt-get install wrk).

    .venv/bin/python benchmarks/retention.py                 # 10 minutes, size every 30 s
    .venv/bin/python benchmarks/retention.py --seconds 120 --every 10
    .venv/bin/python benchmarks/retention.py --smoke         # a few seconds, for `make test`
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from http_load import SECRET_ENV, SHOP_SECRET, shopify_body, shopify_endpoint, with_shop
from scenario import write_scenario
from support import drive, find_wrk, free_port, lua, server


@dataclass(frozen=True, slots=True)
class Size:
    """The database at one moment: its file, its WAL, free pages in the file, quotes."""

    seconds: int
    requests: int
    file_bytes: int
    wal_bytes: int
    free_pages: int
    quotes: int


def measure(database: Path, seconds: int, requests: int) -> Size:
    wal = database.with_name(database.name + "-wal")
    reader = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        free = reader.execute("PRAGMA freelist_count").fetchone()[0]
        quotes = reader.execute("SELECT count(*) FROM quotes").fetchone()[0]
    finally:
        reader.close()
    return Size(seconds, requests, database.stat().st_size,
                wal.stat().st_size if wal.exists() else 0, free, quotes)


def shown(size: Size) -> Size:
    """`size`, printed as a row of the table."""
    print(f"{size.seconds:>6}{size.requests:>11}{size.file_bytes / 1e6:>9.1f}"
          f"{size.wal_bytes / 1e6:>8.1f}{size.free_pages:>12}{size.quotes:>8}", flush=True)
    return size


def retained(config: Path, retention_seconds: float, interval_seconds: float) -> Path:
    """A copy of `config` keeping quotes `retention_seconds` and pruning every
    `interval_seconds`; a quote can be accepted as long as it is kept."""
    settings = yaml.safe_load(config.read_text())
    settings["store"] = {**settings.get("store", {}),
                         "quote_retention_days": retention_seconds / 86400,
                         "prune_interval_seconds": interval_seconds}
    settings["orders"] = {"quote_valid_hours": retention_seconds / 3600}
    short = config.with_name("config-retention.yaml")
    short.write_text(yaml.safe_dump(settings))
    return short


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600, help="of load (default 600)")
    parser.add_argument("--every", type=int, default=30,
                        help="seconds between size readings (default 30)")
    parser.add_argument("--retention", type=float, default=60,
                        help="seconds a quote is kept (default 60)")
    parser.add_argument("--interval", type=float, default=5,
                        help="seconds between pruning passes (default 5)")
    parser.add_argument("--connections", type=int, default=2, help="wrk's -c (default 2)")
    parser.add_argument("--smoke", action="store_true",
                        help="6 s of load, sizes every 2 s, 2 s retention: checks it works")
    args = parser.parse_args()
    seconds, every, retention, interval, connections = (
        (6, 2, 2.0, 1.0, 1) if args.smoke else
        (args.seconds, args.every, args.retention, args.interval, args.connections))
    wrk = find_wrk(smoke=args.smoke)

    with tempfile.TemporaryDirectory() as folder:
        scenario = write_scenario(Path(folder))
        config = retained(with_shop(scenario.config), retention, interval)
        body = shopify_body(scenario.cart("reference"))
        endpoint = shopify_endpoint(body)
        script = Path(folder) / "callback.lua"
        script.write_text(lua(endpoint, body))
        database = Path(folder) / "rates.db"
        port = free_port()
        print(f"scenario, reference cart as Shopify's rate callback: quotes kept "
              f"{retention:g} s, pruned every {interval:g} s; gunicorn: 2 workers; wrk: "
              f"{connections} connection(s), {seconds} s; {os.cpu_count()} cpus; python "
              f"{sys.version.split()[0]}")
        print(f"{'s':>6}{'callbacks':>11}{'file MB':>9}{'WAL MB':>8}{'free pages':>12}"
              f"{'quotes':>8}", flush=True)
        sizes, errors, requests = [], 0, 0
        with server([sys.executable, "-m", "rates.cli", "serve", "--config", str(config),
                     "--port", str(port)], port, body, Path(folder) / "server.log",
                    endpoint=endpoint, env={**os.environ, SECRET_ENV: SHOP_SECRET}):
            sizes.append(shown(measure(database, 0, 0)))
            for elapsed in range(every, seconds + 1, every):
                load = drive(wrk, port, script, every, connections)
                requests, errors = requests + load.requests, errors + load.errors
                sizes.append(shown(measure(database, elapsed, requests)))

    first, second = sizes[:len(sizes) // 2], sizes[len(sizes) // 2:]
    print(f"largest file in the first half {max(s.file_bytes for s in first) / 1e6:.1f} MB, "
          f"in the second {max(s.file_bytes for s in second) / 1e6:.1f} MB")
    if errors:
        sys.exit(f"{errors} callbacks failed")


if __name__ == "__main__":
    main()
