"""Lending connections to the store's threads, one operation at a time.

A driver connection must not be used by two threads at once, and one per thread would
outlive its thread where `close()` cannot reach it, so a thread borrows a connection for a
single operation and gives it back. SQLAlchemy's pool makes and keeps the connections
(`rates.store.dialects`). On SQLite, `Lender` keeps the connections it has borrowed from
that pool and lends them itself: checking a connection out of SQLAlchemy's pool and in
again cost some 30 µs in a quote's context (it holds the connection's record, a weak
reference, events and a reset), three times a quote (`benchmarks/quote.py`, bf), where a
list and a semaphore cost a few. On PostgreSQL every borrowing goes through SQLAlchemy's
pool (`PoolLender`), whose check before lending replaces a connection the server dropped;
the round trips there cost far more than the pool.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import ResourceClosedError
from sqlalchemy.exc import TimeoutError as PoolTimeout


class Lending(Protocol):
    def connection(self) -> AbstractContextManager[Any]:
        """A driver connection (autocommit) for one `with` block."""

    def close(self) -> None:
        """Close the idle connections now and borrowed ones as they come back."""


class Lender:
    """At most `size` connections, made on demand by `connect`, each lent to one thread at
    a time; a thread waits up to `timeout` seconds for one."""

    def __init__(self, connect: Callable[[], Any], size: int, timeout: float) -> None:
        self._connect = connect
        self._timeout = timeout
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[Any]:
        if not self._slots.acquire(timeout=self._timeout):
            raise PoolTimeout("no database connection became free in time")
        try:
            connection = self._borrow()
            try:
                yield connection
            finally:
                self._give_back(connection)
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _borrow(self) -> Any:
        with self._lock:
            if self._closed:
                raise ResourceClosedError("the store is closed")
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def _give_back(self, connection: Any) -> None:
        if connection.in_transaction:  # a failed ROLLBACK: never lend it in a transaction
            connection.execute("ROLLBACK")
        with self._lock:
            if not self._closed:
                self._idle.append(connection)
                return
        connection.close()


class PoolLender:
    """Each connection borrowed from `engine`'s pool and given back after the block."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @contextmanager
    def connection(self) -> Iterator[Any]:
        connection = self._engine.raw_connection()
        try:
            yield connection
        finally:
            connection.close()  # back to the pool, which rolls back what is left open

    def close(self) -> None:
        """Nothing to do: the engine's `dispose` closes the pool's connections."""
