"""Column types whose storage differs by database, so that one statement serves both.

The two schemas keep what each database does best (`rates/store/migrations`): on SQLite an
instant is ISO text plus epoch microseconds to sort by, and JSON is text; on PostgreSQL an
instant is a `timestamptz` (plus the ISO text, which alone keeps the UTC offset) and JSON
is `jsonb`. These types take and give the same Python values on both:

- `Key`: an instant to compare and sort by, never read back (microseconds | timestamptz);
- `Moment`: an instant kept in one column (ISO text | timestamptz);
- `IsoText`: an instant as the ISO text it was written as, read back in its own offset;
- `Json`: JSON text, written as given and read as text (text | jsonb, read `::text`);
- `Served`: an answer's JSON text as served, packed (`rates.store.packing`: a zstd frame,
  in a column of text affinity, which SQLite lets hold one | jsonb, which PostgreSQL's
  TOAST compresses itself), read as text;
- `ValueList`: strings or integers as one parameter (JSON text | an array), tested
  with `among`, so a
  statement's SQL is the same however many SKUs a cart has (SQLAlchemy's expanding IN
  would rewrite it at every execution: it cost more than the rest of the query).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Dialect, Text
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

from rates.store.codec import aware, instant_key, instant_of, instant_text, json_text
from rates.store.packing import pack, unpack


def _postgres(dialect: Dialect) -> bool:
    return dialect.name == "postgresql"


class Key(TypeDecorator[datetime]):
    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(TIMESTAMP(timezone=True) if _postgres(dialect)
                                       else BigInteger())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return aware(value) if _postgres(dialect) else instant_key(value)


class Moment(TypeDecorator[datetime]):
    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(TIMESTAMP(timezone=True) if _postgres(dialect)
                                       else Text())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return aware(value) if _postgres(dialect) else instant_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return value if value is None or isinstance(value, datetime) else instant_of(value)


class IsoText(TypeDecorator[datetime]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else instant_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else instant_of(value)


class Json(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # jsonb's own bind processing would encode the text a second time: it is sent as
        # text and cast (`_as_jsonb`).
        return dialect.type_descriptor(Text())

    def bind_expression(self, bindvalue: Any) -> ColumnElement[str]:
        return _AsJsonb(bindvalue)

    def column_expression(self, column: Any) -> ColumnElement[str]:
        return _JsonbText(column)


class Served(Json):
    """An answer's JSON text (bytes or text) kept as served: packed on SQLite, jsonb on
    PostgreSQL; read back as text (a row stored before packing, as it was)."""

    cache_ok = True

    def process_bind_param(self, value: bytes | str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if _postgres(dialect):
            return value.decode() if isinstance(value, bytes) else value
        return pack(value.encode() if isinstance(value, str) else value)

    def process_result_value(self, value: bytes | str | None, dialect: Dialect) -> str | None:
        return None if value is None else unpack(value)


class _AsJsonb(FunctionElement[str]):
    """A JSON text parameter: as it is on SQLite, cast to jsonb on PostgreSQL."""

    type = Text()
    inherit_cache = True


class _JsonbText(FunctionElement[str]):
    """A JSON column read as text: as it is on SQLite, `::text` on PostgreSQL."""

    type = Text()
    inherit_cache = True


@compiles(_AsJsonb)
@compiles(_JsonbText)
def _as_is(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_AsJsonb, "postgresql")
def _as_jsonb(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS JSONB)"


@compiles(_JsonbText, "postgresql")
def _jsonb_text(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


class ValueList(TypeDecorator[list[Any]]):
    """Strings (or, with `integers`, whole numbers) as one parameter."""

    impl = Text
    cache_ok = True

    def __init__(self, *, integers: bool = False) -> None:
        super().__init__()
        self.integers = integers

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if _postgres(dialect):
            return dialect.type_descriptor(ARRAY(BigInteger() if self.integers else Text()))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> Any:
        if value is None or _postgres(dialect):
            return value
        return json_text(value)


class among(FunctionElement[Any]):  # noqa: N801 (used like SQLAlchemy's own functions)
    """`among(column, list_parameter)`: the column's value is one of the list's. (Not
    typed Boolean: SQLite would be given `... = 1`, which its planner cannot use.)"""

    type = NullType()
    inherit_cache = True


@compiles(among)
def _among_json(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} IN (SELECT value FROM json_each({values}))"  # noqa: S608 (compiled SQL)


@compiles(among, "postgresql")
def _among_array(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} = ANY({values})"
