"""PostgreSQL for the tests: the server `RATES_TEST_POSTGRES_URL` names, else a throwaway
cluster of this machine's PostgreSQL binaries.

The throwaway cluster lives in a temporary directory: `initdb`, then `postgres` on a free
loopback port, its socket in that directory and durability off (a crash would lose test
data only). PostgreSQL refuses to run as root, so under root both run as the `postgres`
system user. Every test gets a database of its own, created empty and dropped after it.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from tests.support.system_needs import POSTGRES_URL, POSTGRESQL, postgresql_binaries

START_SECONDS = 30
SETTINGS = {"listen_addresses": "127.0.0.1", "fsync": "off", "synchronous_commit": "off",
            "full_page_writes": "off"}


class PostgresServer:
    """A server on which the tests may create and drop databases; `url` is an admin one."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._numbers = itertools.count(1)

    @contextmanager
    def database(self) -> Iterator[str]:
        """The URL of a new, empty database, dropped (with whatever is connected to it) when
        the block ends."""
        name = f"rates_test_{os.getpid()}_{next(self._numbers)}"
        self._admin(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        try:
            yield urlsplit(self.url)._replace(path=f"/{name}").geturl()
        finally:
            self._admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(statement)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """The server of `RATES_TEST_POSTGRES_URL`, else a throwaway one, stopped and deleted
    when the block ends. Callers check `system_needs.POSTGRESQL` first."""
    url = os.environ.get(POSTGRES_URL)
    if url:
        yield PostgresServer(url)
        return
    bindir = postgresql_binaries()
    if bindir is None:
        raise RuntimeError(POSTGRESQL.reason)
    with TemporaryDirectory(prefix="rates-pg-") as directory:
        root = Path(directory)
        as_owner = _owner_of(root)
        subprocess.run([*as_owner, str(bindir / "initdb"), "--pgdata", str(root / "data"),  # noqa: S603
                        "--auth=trust", "--username=postgres", "--encoding=UTF8",
                        "--no-locale", "--no-sync"],
                       check=True, capture_output=True)
        port = _free_port()
        options = [f"--{name}={value}" for name, value in
                   {**SETTINGS, "port": port, "unix_socket_directories": root}.items()]
        with (root / "server.log").open("wb") as log:
            process = subprocess.Popen(  # noqa: S603
                [*as_owner, str(bindir / "postgres"), "-D", str(root / "data"), *options],
                stdout=log, stderr=subprocess.STDOUT)
        try:
            server = PostgresServer(f"postgresql://postgres@127.0.0.1:{port}/postgres")
            _wait_until_ready(server.url, process, root / "server.log")
            yield server
        finally:
            process.send_signal(signal.SIGINT)  # "fast" shutdown: clients are disconnected
            process.wait(timeout=START_SECONDS)


def _owner_of(root: Path) -> list[str]:
    """The command prefix that runs PostgreSQL: none, or under root the `postgres` user,
    which is given `root`."""
    if os.geteuid() != 0:
        return []
    shutil.chown(root, "postgres", "postgres")
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while process.poll() is None and time.monotonic() < deadline:
        try:
            psycopg.connect(url, connect_timeout=1).close()
            return
        except psycopg.OperationalError:
            time.sleep(0.05)
    raise RuntimeError(f"PostgreSQL did not start:\n{log.read_text(errors='replace')}")
