"""Fixtures for every test folder: what the system must provide (see
tests/support/system_needs.py), PostgreSQL (see tests/support/postgres.py), a private copy
of the bundled example, real `rates serve` processes on 127.0.0.1, and the app in process
on the example (tests/web, tests/app and tests/fuzz drive it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import requests

from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup
from rates.loading import Setup, load_setup
from rates.settings import ApiKey, hash_key
from rates.store import open_store
from rates.web.app import create_app
from rates.web.metrics import Metrics
from rates.web.serve import GRACEFUL_STOP_SECONDS
from tests.support.postgres import PostgresServer, postgres_server
from tests.support.project import EXAMPLE_CONFIG, EXAMPLE_TODAY, RATES, ROOT
from tests.support.system_needs import NEEDS, POSTGRESQL, Need, keep, under_ci
from tests.support.web import KEYS, NOW, SHOP_SECRET, clock

WANTED = pytest.StashKey[dict[str, str]]()
"""The needs some tests were skipped for (by name), with what those tests are."""


@pytest.fixture(scope="session")
def system(request: pytest.FixtureRequest) -> Callable[[Need, str], None]:
    """`system(need, tests)`: skips the test when the machine lacks `need`, saying what to
    install; `tests` names the kind of test for the summary ("browser tests"). Under CI it
    fails instead: CI installs every need first, so a missing one must not pass quietly."""

    def require(need: Need, tests: str) -> None:
        if need.present():
            return
        if under_ci():
            pytest.fail(need.reason)
        request.config.stash.setdefault(WANTED, {})[need.name] = tests
        pytest.skip(need.reason)

    return require


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    """One line per need the run lacked, with how many tests it skipped and the command that
    installs it: the summary's "N skipped" alone does not tell a newcomer what to do."""
    wanted = config.stash.get(WANTED, {})
    reasons = Counter(str(report.longrepr[2]).removeprefix("Skipped: ")
                      for report in terminalreporter.stats.get("skipped", [])
                      if isinstance(report.longrepr, tuple))
    for need in NEEDS:
        if need.name in wanted:
            count, tests = reasons[need.reason], wanted[need.name]
            skipped = f"{count} {tests if count != 1 else tests.replace('tests', 'test', 1)}"
            terminalreporter.write_line(need.line(skipped), yellow=True, bold=True)
            keep(need, skipped)


@pytest.fixture(scope="session")
def postgres(system: Callable[[Need, str], None]) -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (skips without one: see `system`)."""
    system(POSTGRESQL, "tests on PostgreSQL")
    with postgres_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    with postgres.database() as url:
        yield url


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """config.example.yaml and everything it names, copied so tests may edit them."""
    for folder in ("rules", "carriers", "examples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(EXAMPLE_CONFIG, tmp_path / EXAMPLE_CONFIG.name)
    return tmp_path / EXAMPLE_CONFIG.name


@pytest.fixture(scope="session")
def example_setup() -> Setup:
    """The bundled example as loaded on EXAMPLE_TODAY, once for the whole session: shared by
    every test that asks, so read it and never change it (edit a copy: `example`)."""
    return load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # type: ignore[no-any-return]


@dataclass
class Server:
    base: str
    process: subprocess.Popen[str]
    log: str | None = None

    def stop(self) -> str:
        """Stop the server (once); its whole log. The master stops within its graceful
        timeout, having killed any worker still running by then."""
        if self.log is None:
            self.process.terminate()
            self.log = self.process.communicate(timeout=GRACEFUL_STOP_SECONDS + 30)[0]
        return self.log


@pytest.fixture
def serve(example: Path) -> Iterator[Callable[..., Server]]:
    """`serve(config=None, **env)` runs `rates serve` (gunicorn, the config's workers) on
    `config` (default: the private copy of the example) on a free port, with `env` over
    this process's environment (None removes a variable), and returns once /readyz
    answers. Every server is stopped at the end; no log may hold a traceback."""
    started: list[Server] = []

    def start(config: Path | None = None, **env: str | None) -> Server:
        environment = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
        port = free_port()
        server = Server(f"http://127.0.0.1:{port}", subprocess.Popen(  # noqa: S603
            [str(RATES), "serve", "--config", str(config or example), "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment))
        started.append(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{server.base}/readyz", timeout=1).status_code == 200:
                    return server
            except (requests.ConnectionError, requests.Timeout):
                # Refused before gunicorn binds; no answer while a busy machine boots its
                # workers behind the bound socket: both only mean "not yet".
                time.sleep(0.1)
        pytest.fail("rates serve did not become ready:\n" + server.stop())

    yield start
    for server in started:
        log = server.stop()
        assert "Traceback" not in log, log


# -- the app in process, on a private copy of the example, a fixed clock and known keys ------


@pytest.fixture
def reloading(example: Path) -> ReloadingSetup:
    """The private copy of the example as `rates serve` holds it: reloaded when its files
    change, the last good setup kept when they break."""
    return ReloadingSetup(example, clock)


@pytest.fixture
def metrics() -> Metrics:
    return Metrics.create()


@pytest.fixture
def live_rates() -> None:
    """How the app asks live carriers; none here (tests of live carriers override it)."""
    return None


@pytest.fixture
def make_app(reloading, tmp_path, metrics, live_rates):
    """`make_app(environ, **settings)`: the app on a SQLite store in tmp_path seeded with
    the example's inventory and one key per role (tests.support.web.KEYS), its settings
    the example's with `settings` replaced (`bigcommerce=(...)`), its stores' secrets read
    from `environ`. Once per test: the store is the test's one database file."""
    opened = []

    def make(environ: dict[str, str], **changes):
        store = open_store(f"sqlite:///{tmp_path / 'rates.db'}", default_location="reno")
        opened.append(store)
        store.seed_inventory(reloading.current.inventory, NOW)
        keys = tuple(ApiKey(f"test-{role}", role, hash_key(key)) for role, key in KEYS.items())
        settings = replace(reloading.current.settings, keys=keys, **changes)
        return create_app(settings, ShippingService(reloading, store, clock, live_rates),
                          metrics, environ=environ)

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def app(make_app):
    """The app (`make_app`) with the Shopify shop's secret."""
    return make_app({"RATES_SHOPIFY_SECRET": SHOP_SECRET})


@pytest.fixture
def client(app):
    return app.test_client()
