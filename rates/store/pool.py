"""SQLite connections for a multi-threaded service.

A sqlite3 connection must not be used by two threads at once. A connection per thread
would outlive its thread where `close()` cannot reach it, so the store keeps a few in a
pool instead: a thread borrows one for a single operation and gives it back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

BUSY_TIMEOUT_MS = 5000

PRAGMAS = (
    # Wait this long for another connection's write lock instead of failing at once.
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}",
    # Readers and the writer do not block each other.
    "PRAGMA journal_mode = WAL",
    # A committed quote survives a power cut, not only a crash of the process.
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)


def connect(database: str) -> sqlite3.Connection:
    """A connection to `database` (a path or ":memory:") with the store's pragmas, in
    autocommit mode: the store begins its transactions itself. `check_same_thread` is off
    because the pool, not the creating thread, guarantees one user at a time."""
    connection = sqlite3.connect(database, timeout=BUSY_TIMEOUT_MS / 1000,
                                 isolation_level=None, check_same_thread=False)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    return connection


class Pool:
    """At most `size` connections, made on demand, each lent to one thread at a time."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], size: int) -> None:
        self._connect = connect
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        if not self._slots.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("no database connection became free in time")
        try:
            connection = self._borrow()
            try:
                yield connection
            finally:
                self._give_back(connection)
        finally:
            self._slots.release()

    def close(self) -> None:
        """Close the idle connections now and borrowed ones as they come back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _borrow(self) -> sqlite3.Connection:
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the store is closed")
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def _give_back(self, connection: sqlite3.Connection) -> None:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        with self._lock:
            if not self._closed:
                self._idle.append(connection)
                return
        connection.close()
