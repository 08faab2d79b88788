"""What the scripts that drive `rates serve` over HTTP share: a free port, a server that
is always stopped, and a wrk run read back as figures.

Kept apart so http_load.py (throughput) and soak.py (invariants under load) measure the
same way: the same wrk script and the same reading of its output.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scenario import API_KEY

ROOT = Path(__file__).resolve().parent.parent
# What the machine must provide is one table shared with the tests and the Makefile
# (tests/support/system_needs.py); a script's sys.path starts with its own folder only.
sys.path.insert(1, str(ROOT))
from tests.support.system_needs import WRK, skip_step  # noqa: E402

START_SECONDS = 60.0
# wrk's `done` hook prints one line `drive` reads: latencies are in microseconds.
@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a quote is asked for, and the headers that authorise it: the JSON API with a
    key, or a platform's callback with its signature."""

    path: str
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def api(cls, key: str = API_KEY) -> Endpoint:
        return cls("/v1/quotes", (("Authorization", f"Bearer {key}"),))


NUMBER = "@N@"
"""Where `lua(numbered=True)` writes each request's own number into the body."""


def lua(endpoint: Endpoint, body: bytes, *, numbered: bool = False, after: int = 0) -> str:
    """The wrk script that POSTs `body` to `endpoint` and prints one RESULT line.
    `numbered`: each request's body has its own number in place of `NUMBER`, counted
    from `after` + 1 (one wrk thread counts them)."""
    text = body.decode()
    assert "]==]" not in text
    assert numbered == (NUMBER in text)
    headers = "".join(f'wrk.headers["{name}"] = "{value}"\n' for name, value in endpoint.headers)
    numbering = (f'local sent = {after:d}\nrequest = function()\n  sent = sent + 1\n'
                 f'  return wrk.format(nil, nil, nil, (wrk.body:gsub("{NUMBER}", sent)))\n'
                 f'end\n') if numbered else ""
    return (f'wrk.method = "POST"\nwrk.path = "{endpoint.path}"\n'
            f'wrk.headers["Content-Type"] = "application/json"\n{headers}'
            f"wrk.body = [==[{text}]==]\n{numbering}{_DONE}")


_DONE = """done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""
# wrk prints this line only when some answers were not 2xx (or 3xx).
NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


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
    non_2xx: int = 0
    """Answers with a status outside 200-399 (also counted in `errors`)."""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def copy_example(folder: Path) -> Path:
    """config.example.yaml and every folder it reads, copied into `folder` so a run may
    edit them and keep its database there (`store.url` is relative to the config); returns
    the copy of the config."""
    for name in ("rules", "carriers", "examples"):
        shutil.copytree(ROOT / name, folder / name)
    return Path(shutil.copy(ROOT / "config.example.yaml", folder / "config.example.yaml"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def post(port: int, body: bytes, endpoint: Endpoint | None = None) -> bytes:
    """One quote request (default: the API's); the answer's body, or HTTPError / URLError."""
    endpoint = endpoint or Endpoint.api()
    request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
        f"http://127.0.0.1:{port}{endpoint.path}", data=body, method="POST",
        headers={"Content-Type": "application/json", **dict(endpoint.headers)})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read()  # type: ignore[no-any-return]


@contextmanager
def server(command: list[str], port: int, body: bytes, log: Path, *,
           endpoint: Endpoint | None = None,
           env: dict[str, str] | None = None) -> Iterator[tuple[int, bytes]]:
    """Run `command` (a gunicorn server on `port`) until the block ends; yields its pid and
    the answer to one quote, once it answers. Its output goes to `log`, shown if it fails
    to start."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,  # noqa: S603
                                   start_new_session=True, env=env)
    try:
        yield process.pid, first_answer(process, port, body, log, endpoint)
    finally:
        stop(process)


def first_answer(process: subprocess.Popen[bytes], port: int, body: bytes, log: Path,
                 endpoint: Endpoint | None = None) -> bytes:
    """The answer to one quote, asked until the server listens; exits if it never does."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            return post(port, body, endpoint)
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


def find_wrk(*, smoke: bool) -> str:
    """wrk's path. Without it a smoke run (`make test`'s) is skipped with one line saying
    how to install it (a failure under CI); a full run stops with that line."""
    found = WRK.find()
    if found:
        return str(found)
    step = " ".join([f"benchmarks/{Path(sys.argv[0]).name}", *sys.argv[1:]])
    if smoke:
        skip_step(WRK, step)
    sys.exit(f"{step}: {WRK.reason}")


def drive(wrk: str, port: int, script: Path, seconds: int, connections: int) -> Load:
    """One wrk run of `seconds` of `script` (see `lua`) against `port`."""
    result = subprocess.run(  # noqa: S603
        [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script),
         f"http://127.0.0.1:{port}/v1/quotes"],
        capture_output=True, text=True, timeout=seconds + 30, check=True)
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{result.stdout}{result.stderr}")
    requests, micros, p50, p99, errors = (int(x) for x in line.split()[1:])
    non_2xx = NON_2XX.search(result.stdout)
    return Load(requests, micros / 1e6, p50 / 1000, p99 / 1000, errors,
                non_2xx=int(non_2xx.group(1)) if non_2xx else 0)
