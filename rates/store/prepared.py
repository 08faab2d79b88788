"""The store's statements compiled once per database, run on the pool's driver connections.

SQLAlchemy writes the SQL (each Core statement of `rates.store.statements`, compiled by the
dialect of the store's engine), encodes and decodes the values (the column types' bind and
result processors), and pools the connections. What it does on every `execute` besides
(a `Connection` around the pooled one, an execution context, a result object) cost about
50 µs a statement on SQLite: more than the driver's own execution. A quote makes three
store calls, so that was some 150 µs a stored quote (`benchmarks/quote.py`, case bf). A
`Prepared` statement keeps what the compiled statement holds, once, and a call is then a
cursor's `execute` on `Engine.raw_connection()`, with the same processors SQLAlchemy
would apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable

Processor = Callable[[Any], Any] | None


class Prepared:
    """`statement` as compiled for `dialect`, with its parameters' order and defaults."""

    __slots__ = ("_binds", "_named", "_results", "sql")

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        assert isinstance(statement, ClauseElement)  # noqa: S101 (a Core statement)
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)  # noqa: S101
        self.sql = compiled.string
        self._named = not dialect.positional
        defaults = compiled.params
        names = list(compiled.positiontup or ()) if dialect.positional else list(compiled.binds)
        # (name, default, processor) per parameter: anonymous ones (a LIMIT's OFFSET 0)
        # take the value SQLAlchemy put in the statement.
        self._binds: list[tuple[str, Any, Processor]] = [
            (name, defaults.get(name),
             compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in names]
        columns = getattr(statement, "selected_columns", None)
        processors = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                      for column in columns or ()]
        self._results: list[Processor] | None = (
            processors if any(p is not None for p in processors) else None)

    def params(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """`values` (by parameter name) as the driver takes them."""
        encoded = [values.get(name, default) if processor is None
                   else processor(values.get(name, default))
                   for name, default, processor in self._binds]
        if self._named:
            return {name: value for (name, _, _), value in zip(self._binds, encoded,
                                                                strict=True)}
        return encoded

    def rows(self, connection: Any, values: Mapping[str, Any]) -> list[Any]:
        """The statement's rows, decoded."""
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, self.params(values))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        results = self._results
        if results is None:
            return rows  # type: ignore[no-any-return]
        return [tuple(value if processor is None else processor(value)
                      for processor, value in zip(results, row, strict=True))
                for row in rows]

    def run(self, connection: Any, values: Mapping[str, Any]) -> int:
        """Execute; the rows it changed."""
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, self.params(values))
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def run_many(self, connection: Any, rows: Iterable[Mapping[str, Any]]) -> None:
        cursor = connection.cursor()
        try:
            cursor.executemany(self.sql, [self.params(row) for row in rows])
        finally:
            cursor.close()


def driver_sql(connection: Any, sql: str) -> None:
    """Run `sql`, which takes no parameters (BEGIN, COMMIT, ROLLBACK)."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()
