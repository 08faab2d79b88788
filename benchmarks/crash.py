"""Crash durability: `kill -9` `rates serve` mid-writes, restart it on the same SQLite
file, and check that nothing it acknowledged was lost and the file is intact.

On a private copy of the bundled example, each round: `WRITERS` client threads quote a
cart (POST /v1/quotes) and place an order on each quote (POST /v1/orders, the first
option), keeping the id of every write answered with a 2xx; once writes are flowing, at a
random moment, SIGKILL goes to the server's whole process group (gunicorn's master and
its workers, mid-request); the server is started again on the same database, which must
pass `PRAGMA integrity_check` (read with sqlite3 directly) and return every acknowledged
quote (GET /v1/quotes/{id}) and order (GET /v1/orders/{id}, naming its quote). Rounds
accumulate in one database; after the last, every write of every round is read back once
more and the server logs must hold no Traceback.

The store commits each write in WAL mode with `synchronous = FULL` before it answers, so
a write the client saw acknowledged is on disk; a process crash (unlike a power cut) does
not even need the fsync. Exits 1 if anything was lost.

    .venv/bin/python benchmarks/crash.py                # 50 rounds
    .venv/bin/python benchmarks/crash.py --rounds 5 --seed 7
    .venv/bin/python benchmarks/crash.py --smoke        # 3 rounds
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from support import copy_example, free_port, stop

QUOTE_KEY = "rk_demo_quote_key_for_the_bundled_example_only"
SUPPORT_KEY = "rk_demo_support_key_for_the_bundled_example_only"
WRITERS = 4
KILL_WITHIN_SECONDS = 1.5
"""The kill comes at a uniformly random moment this long after the first acknowledgement."""
READY_SECONDS = 60.0
# TENT-2P has 2 on hand at reno, a lot of 10 on its way and a supplier lead time, so each
# order queues one backordered unit: an order is a real queue write, never refused for
# stock (only, at times, for a race: 409 stock_changed).
CART: dict[str, Any] = {
    "reference": "crash",
    "currency": "USD",
    "destination": {"country": "US", "region": "NV", "postcode": "89501"},
    "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}],
}


@dataclass
class Acknowledged:
    """Writes the server answered with a 2xx, and what else it answered, for every thread."""

    quotes: list[str] = field(default_factory=list)
    orders: dict[str, str] = field(default_factory=dict)
    """Order id -> the quote id it was placed on."""
    refused: Counter[str] = field(default_factory=Counter)
    unanswered: int = 0
    """Requests the dead server never answered: in flight at the kill, or sent after it.
    Each writer stops at its first."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def writes(self) -> int:
        return len(self.quotes) + len(self.orders)


class Server:
    """`rates serve` on `config` in a session of its own, so one `killpg` reaches gunicorn's
    master and every worker at once, as a crash or the OOM killer would. Its output is
    appended to `log`. Its workers' metrics are kept beside `config`: a killed master
    removes no folder of its own, and the next start empties this one."""

    def __init__(self, config: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "rates.cli", "serve", "--config", str(config),
                 "--port", str(self.port)],
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(config.parent / "metrics")})
        deadline = time.monotonic() + READY_SECONDS
        while not self._ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit("crash.py: the server did not become ready\n"
                         + log.read_text()[-3000:])
            time.sleep(0.1)

    def _ready(self) -> bool:
        try:
            return requests.get(f"{self.base}/readyz", timeout=1).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # not listening, or booting
            return False

    def kill(self) -> None:
        """SIGKILL to the whole process group; returns once no process of it runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _group_running(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        stop(self.process)


def _group_running(pgid: int) -> bool:
    """Whether a process of group `pgid` still runs (zombies do not: they hold no locks
    and write nothing), read from /proc."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _, group = stat.read_text().rpartition(")")[2].split()[:3]
        except (OSError, ValueError):
            continue
        if int(group) == pgid and state != "Z":
            return True
    return False


def write(base: str, prefix: str, acked: Acknowledged) -> None:
    """Quote and order until the server dies, noting every 2xx."""
    session = requests.Session()
    quote_auth = {"Authorization": f"Bearer {QUOTE_KEY}"}
    number = 0
    while True:
        number += 1
        try:
            quoted = session.post(f"{base}/v1/quotes", json=CART, headers=quote_auth,
                                  timeout=10)
            if quoted.status_code // 100 != 2:
                with acked.lock:
                    acked.refused[f"quote {_status(quoted)}"] += 1
                continue
            document = quoted.json()
            with acked.lock:
                acked.quotes.append(document["id"])
            order_id = f"{prefix}-{number}"
            placed = session.post(f"{base}/v1/orders", headers=quote_auth, timeout=10, json={
                "order_id": order_id, "quote_id": document["id"],
                "option_id": document["options"][0]["id"]})
            with acked.lock:
                if placed.status_code // 100 == 2:
                    acked.orders[order_id] = document["id"]
                else:
                    acked.refused[f"order {_status(placed)}"] += 1
        except requests.RequestException:
            with acked.lock:
                acked.unanswered += 1
            return


def _status(response: requests.Response) -> str:
    """"409 stock_changed": the status and the error's code, when the body has one."""
    try:
        return f"{response.status_code} {response.json()['error']['code']}"
    except (ValueError, KeyError, TypeError):
        return str(response.status_code)


def lost_writes(base: str, acked: Acknowledged) -> list[str]:
    """The acknowledged writes the server cannot find (or finds changed), one line each."""
    session = requests.Session()
    headers = {"Authorization": f"Bearer {SUPPORT_KEY}"}
    lost = []
    for quote_id in acked.quotes:
        found = session.get(f"{base}/v1/quotes/{quote_id}", headers=headers, timeout=30)
        if found.status_code != 200:
            lost.append(f"quote {quote_id}: HTTP {found.status_code}")
    for order_id, quote_id in acked.orders.items():
        found = session.get(f"{base}/v1/orders/{order_id}", headers=headers, timeout=30)
        if found.status_code != 200 or found.json()["quote_id"] != quote_id:
            lost.append(f"order {order_id}: HTTP {found.status_code}")
    return lost


def integrity(database: Path) -> str:
    """`PRAGMA integrity_check` on the file, through a connection of our own: "ok" or the
    problems found."""
    connection = sqlite3.connect(database)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


@dataclass
class Round:
    acked: Acknowledged
    lost: list[str]
    integrity: str
    seconds: float


@dataclass
class Crashes:
    rounds: list[Round]
    lost_at_the_end: list[str]
    tracebacks: int

    @property
    def lost(self) -> list[str]:
        return [line for run in self.rounds for line in run.lost] + self.lost_at_the_end


def crash_round(server: Server, config: Path, number: int,
                rng: random.Random) -> tuple[Round, Server]:
    """Writes, a kill mid-writes, a restart, the checks; returns the round and the
    restarted server (the next round writes to it)."""
    started = time.monotonic()
    acked = Acknowledged()
    writers = [threading.Thread(target=write, args=(server.base, f"o{number}-{i}", acked))
               for i in range(WRITERS)]
    for thread in writers:
        thread.start()
    deadline = time.monotonic() + READY_SECONDS
    while not acked.writes and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, KILL_WITHIN_SECONDS))
    server.kill()
    for thread in writers:
        thread.join()
    restarted = Server(config, server.log)
    lost = lost_writes(restarted.base, acked)
    checked = integrity(config.parent / "rates.db")
    return Round(acked, lost, checked, time.monotonic() - started), restarted


def crash_rounds(config: Path, rounds: int, seed: int) -> Crashes:
    """`rounds` crashes of `rates serve` on `config`'s database; the servers are always
    stopped."""
    rng = random.Random(seed)  # noqa: S311 - when to crash, not a secret
    log = config.parent / "server.log"
    server = Server(config, log)
    done: list[Round] = []
    try:
        for number in range(1, rounds + 1):
            finished, server = crash_round(server, config, number, rng)
            done.append(finished)
        everything = Acknowledged()
        for finished in done:
            everything.quotes += finished.acked.quotes
            everything.orders.update(finished.acked.orders)
        lost_at_the_end = lost_writes(server.base, everything)
    finally:
        server.stop()
    return Crashes(done, lost_at_the_end, log.read_text().count("Traceback"))


def report(crashes: Crashes, seed: int) -> None:
    rounds = crashes.rounds
    seconds = [r.seconds for r in rounds]
    refused: Counter[str] = Counter()
    for r in rounds:
        refused.update(r.acked.refused)
    print(f"crash: {len(rounds)} rounds, {WRITERS} writer threads, SIGKILL to the process "
          f"group within {KILL_WITHIN_SECONDS:g} s of the first acknowledgement, seed {seed}; "
          f"{os.cpu_count()} cpus; python {sys.version.split()[0]}; "
          f"sqlite {sqlite3.sqlite_version}")
    print(f"rounds               {len(rounds)}")
    print(f"writes acknowledged  {sum(r.acked.writes for r in rounds)} "
          f"({sum(len(r.acked.quotes) for r in rounds)} quotes, "
          f"{sum(len(r.acked.orders) for r in rounds)} orders)")
    print(f"unanswered           {sum(r.acked.unanswered for r in rounds)} requests "
          f"(in flight at the kill, or sent after it; never acknowledged)")
    print(f"refused              {dict(sorted(refused.items()))}")
    print(f"writes lost          {len(crashes.lost)}")
    for line in crashes.lost[:20]:
        print(f"    {line}")
    print(f"integrity ok         {sum(r.integrity == 'ok' for r in rounds)} of {len(rounds)}")
    for number, r in enumerate(rounds, 1):
        if r.integrity != "ok":
            print(f"    round {number}: {r.integrity[:300]}")
    print(f"time per round       median {statistics.median(seconds):.2f} s, "
          f"max {max(seconds):.2f} s (writes, kill, restart, checks)")
    print(f"tracebacks in logs   {crashes.tracebacks}")


def failures(crashes: Crashes) -> list[str]:
    """The promises broken: nothing acknowledged lost, every round intact, no traceback,
    and some writes acknowledged at all (else there was nothing to lose)."""
    checks = {
        "writes were acknowledged": all(r.acked.writes for r in crashes.rounds),
        "no acknowledged write lost": not crashes.lost,
        "integrity_check ok after every crash": all(r.integrity == "ok"
                                                    for r in crashes.rounds),
        "no Traceback in the server logs": crashes.tracebacks == 0,
    }
    return [name for name, held in checks.items() if not held]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="default 50")
    parser.add_argument("--seed", type=int, default=None, help="for the kill moments; "
                        "default: a random one, printed")
    parser.add_argument("--smoke", action="store_true", help="3 rounds")
    args = parser.parse_args()
    rounds = 3 if args.smoke else args.rounds
    seed = random.SystemRandom().randrange(10**6) if args.seed is None else args.seed
    with tempfile.TemporaryDirectory() as folder:
        crashes = crash_rounds(copy_example(Path(folder)), rounds, seed)
    report(crashes, seed)
    failed = failures(crashes)
    if failed:
        sys.exit(f"crash failed: {'; '.join(failed)}")


if __name__ == "__main__":
    main()
