"""Quotes per second through gunicorn: `rates serve` beside the floor app, driven by wrk.

(Not named http.py: a script's folder comes first on sys.path, and a module called http
there would shadow the standard library's for every script in this folder.)

Writes the reference scenario (benchmarks/scenario.py) to a temporary folder and serves it
with `rates serve` (its config: 2 workers, SQLite store in that folder), checks one quote,
then drives it with wrk: POST /v1/quotes with the reference cart and the API key. Then the
floor app (benchmarks/floor_app.py: same gunicorn settings, a constant answer of the same
size as the quote) gets the same load. Prints requests/s, p50 and p99 for both and the
ratios. Servers listen on a free port of 127.0.0.1 only and are always stopped; each wrk
run is bounded by its duration. Needs `wrk` (Debian: apt-get install wrk).

    .venv/bin/python benchmarks/http_load.py                  # 10 s each, 2 connections
    .venv/bin/python benchmarks/http_load.py --smoke          # 1 s each, 1 connection
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from scenario import API_KEY, write_scenario

HERE = Path(__file__).resolve().parent
START_SECONDS = 60.0
# wrk's `done` hook prints one line this script reads: latencies are in microseconds.
LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {key}"
wrk.body = [==[{body}]==]
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass(frozen=True, slots=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    worker_cpu: tuple[float, ...] = ()
    """CPU seconds each gunicorn worker used during the run. With few connections kept
    alive, one worker may hold them all: then only one core serves, whatever the load."""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def post(port: int, body: bytes) -> bytes:
    """One quote request; the answer's body, or HTTPError / URLError."""
    request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
        f"http://127.0.0.1:{port}/v1/quotes", data=body, method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read()  # type: ignore[no-any-return]


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


@contextmanager
def server(command: list[str], port: int, body: bytes,
           log: Path) -> Iterator[tuple[int, bytes]]:
    """Run `command` (a gunicorn server on `port`) until the block ends; yields its pid and
    the answer to one quote, once it answers. Its output goes to `log`, shown if it fails
    to start."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,  # noqa: S603
                                   start_new_session=True)
    try:
        yield process.pid, first_answer(process, port, body, log)
    finally:
        stop(process)


def first_answer(process: subprocess.Popen[bytes], port: int, body: bytes, log: Path) -> bytes:
    """The answer to one quote, asked until the server listens; exits if it never does."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            return post(port, body)
        except (urllib.error.URLError, ConnectionError) as error:
            if isinstance(error, urllib.error.HTTPError) or process.poll() is not None \
                    or time.monotonic() > deadline:
                sys.exit(f"the server did not answer a quote: {error}\n"
                         + log.read_text()[-3000:])
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to gunicorn's master (it stops its workers); SIGKILL to the whole session it
    leads if it is not gone in 10 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def drive(wrk: str, port: int, script: Path, seconds: int, connections: int) -> Load:
    """One wrk run of `seconds` against POST /v1/quotes on `port`."""
    result = subprocess.run(  # noqa: S603
        [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script),
         f"http://127.0.0.1:{port}/v1/quotes"],
        capture_output=True, text=True, timeout=seconds + 30, check=True)
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{result.stdout}{result.stderr}")
    requests, micros, p50, p99, errors = (int(x) for x in line.split()[1:])
    return Load(requests, micros / 1e6, p50 / 1000, p99 / 1000, errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per server (default 10)")
    parser.add_argument("--connections", type=int, default=2, help="wrk's -c (default 2)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load first, not "
                        "counted (default 2)")
    parser.add_argument("--smoke", action="store_true",
                        help="1 s each, 1 connection, no warm-up: checks it still works")
    args = parser.parse_args()
    seconds, connections, warmup = (1, 1, 0) if args.smoke else \
        (args.seconds, args.connections, args.warmup)
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("http_load.py needs wrk: apt-get install wrk")

    with tempfile.TemporaryDirectory() as folder:
        scenario = write_scenario(Path(folder))
        body = json.dumps(scenario.cart()).encode()
        script = Path(folder) / "post.lua"
        assert "]==]" not in body.decode()
        script.write_text(LUA.format(key=API_KEY, body=body.decode()))

        def run(command: list[str]) -> tuple[Load, int]:
            port = free_port()
            with server([*command, "--port", str(port)], port, body,
                        Path(folder) / "server.log") as (pid, answer):
                if warmup:
                    drive(wrk, port, script, warmup, connections)
                before = workers_cpu(pid)
                load = drive(wrk, port, script, seconds, connections)
                used = tuple(sorted((cpu - before.get(worker, 0.0)
                                     for worker, cpu in workers_cpu(pid).items()),
                                    reverse=True))
                return replace(load, worker_cpu=used), len(answer)

        rates, response_bytes = run([sys.executable, "-m", "rates.cli", "serve",
                                     "--config", str(scenario.config)])
        floor, _ = run([sys.executable, str(HERE / "floor_app.py"),
                        "--response-bytes", str(response_bytes)])

    print(f"reference scenario: request {len(body)} B, response {response_bytes} B; "
          f"gunicorn: 2 workers as `rates serve` runs them; wrk: {seconds} s, "
          f"{connections} connection(s), 1 thread, after {warmup} s warm-up; "
          f"{os.cpu_count()} cpus; python {sys.version.split()[0]}")
    print(f"{'':<22}{'requests/s':>12}{'p50':>10}{'p99':>10}{'errors':>8}"
          f"  CPU s by worker")
    for name, load in (("rates serve (quote)", rates), ("floor app", floor)):
        print(f"{name:<22}{load.per_second:>12.0f}{load.p50_ms:>8.2f}ms{load.p99_ms:>8.2f}ms"
              f"{load.errors:>8}  {' + '.join(f'{cpu:.1f}' for cpu in load.worker_cpu)}")
    print(f"ratio rates/floor: throughput {rates.per_second / floor.per_second:.3f}, "
          f"p50 {rates.p50_ms / floor.p50_ms:.1f}x, p99 {rates.p99_ms / floor.p99_ms:.1f}x")
    for name, load in (("rates serve", rates), ("the floor", floor)):
        if connections > 1 and len(load.worker_cpu) > 1 and \
                load.worker_cpu[1] < 0.1 * sum(load.worker_cpu):
            print(f"note: one worker of {name} took every connection, so one core served it")
    if rates.errors or floor.errors:
        sys.exit("some requests failed (errors above)")


if __name__ == "__main__":
    main()
