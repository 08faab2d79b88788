"""What every part of the SQL store stands on: the database opened and migrated, and a
driver connection borrowed for one statement or one write transaction.

A read is one statement on a pooled connection in autocommit mode. A write is one
transaction that the store begins itself (`Dialect.begin`: `BEGIN IMMEDIATE` on SQLite,
which takes the write lock before anything is read) and commits before it returns, so an
answer is never given for a write that is not committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.exc import ResourceClosedError

from rates.store.dialects import Dialect
from rates.store.pool import Lending
from rates.store.prepared import driver_sql
from rates.store.schema import migrate
from rates.store.statements import prepared_statements
from rates.store.write_turns import WriteTurns


class Connected:
    """The database of `dialect`, migrated to the latest schema when opened, with its
    statements compiled once. `default_location` is what a stored stock document without
    a location is read as."""

    def __init__(self, dialect: Dialect, *, default_location: str) -> None:
        self._dialect = dialect
        self._engine = dialect.engine
        self._default_location = default_location
        self._closed = False
        try:
            migrate(dialect)
            if dialect.settle is not None:
                dialect.settle()
        except BaseException:
            self._engine.dispose()
            raise
        self._sql = prepared_statements(self._engine.dialect, dialect.insert,
                                        numbers_orders=dialect.numbers_orders)
        self._background = dialect.background() if dialect.background else None

    def close(self) -> None:
        self._closed = True
        if self._background is not None:
            self._background.stop()
        if self._dialect.turns is not None:
            self._dialect.turns.close()
        self._dialect.lender.close()
        self._engine.dispose()

    def _read(self) -> _Borrowed:
        """A driver connection, in autocommit mode, for one `with` block."""
        if self._closed:
            raise ResourceClosedError("the store is closed")
        return _Borrowed(self._dialect.lender, None, None)

    def _write(self) -> _Borrowed:
        """The same, inside a write transaction, committed if the block succeeds."""
        if self._closed:
            raise ResourceClosedError("the store is closed")
        return _Borrowed(self._dialect.lender, self._dialect.begin, self._dialect.turns)

    def _reclaim(self) -> None:
        with self._read() as connection:
            self._dialect.reclaim(connection)

    def _receipt(self, connection: Any, received: Mapping[str, Any] | None) -> None:
        """Record a webhook delivery in the transaction on `connection` (once: a
        delivery recorded already stays as it was)."""
        if received is not None:
            self._sql.add_receipt.run(connection, received)


class _Borrowed:
    """A connection borrowed for one `with` block, in a transaction begun by `begin` (None:
    none), committed if the block succeeds and rolled back if not; with `turns`, in its
    turn among the database's writers (`rates.store.write_turns`), taken once the
    connection is borrowed (a turn held while waiting for a connection could wait on a
    connection held while waiting for the turn). A class rather than a generator: it is
    entered three times a quote, and costs half as much."""

    __slots__ = ("_begin", "_connection", "_lease", "_lender", "_turn", "_turns")

    def __init__(self, lender: Lending, begin: str | None, turns: WriteTurns | None) -> None:
        self._lender, self._begin, self._turns = lender, begin, turns

    def __enter__(self) -> Any:
        self._lease = lease = self._lender.connection()
        self._connection = connection = lease.__enter__()
        self._turn = None
        if self._begin is not None:
            try:
                if self._turns is not None:
                    self._turn = self._turns.take()
                driver_sql(connection, self._begin)
            except BaseException:
                self._end()
                raise
        return connection

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if self._begin is not None:
                driver_sql(self._connection, "COMMIT" if kind is None else "ROLLBACK")
        finally:
            self._end()

    def _end(self) -> None:
        try:
            if self._turns is not None and self._turn is not None:
                self._turns.give_back(self._turn)
        finally:
            self._lease.__exit__(None, None, None)


def distinct(values: Iterable[str]) -> list[str]:
    """`values` once each, in one order: a statement's list parameter."""
    return sorted(set(values))
