"""Where SQLite and PostgreSQL truly differ, in one place: connecting, locking, upserts.

Everything else (statements, migrations, encoding) is written once. Both drivers run in
autocommit mode, as before SQLAlchemy: a read is one statement, a write is a transaction
the store begins itself with `Dialect.begin`, so that SQLite's can be `BEGIN IMMEDIATE`.

SQLite: every write takes the write lock before reading, so a concurrent writer waits
instead of failing on a lock upgrade, and what a write reads (the queue an order joins,
the webhooks it leases) cannot change before it commits; named locks are therefore no-ops.
Writers wait in turns by a lock file (`rates.store.write_turns`), tried again after 50 us
and at most 1 ms apart, where SQLite's `busy_timeout` sleeps 1, 2, 5, 10 ms and more
between tries. Connections are lent to one thread at a time, at most `pool_size` (one
for ":memory:", where every connection would be a new database), by the store's lender
(`rates.store.pool` says why). The WAL is checkpointed by a thread of the store's
(`rates.store.checkpoints`). The file is in incremental auto-vacuum mode, so the pages of
pruned rows can be given back to the file system a bounded number at a time (`reclaim`):
a new file is made so; a file made by an earlier release is turned so by one VACUUM the
first time this release opens it (`incremental_vacuum`).

PostgreSQL: named locks are transaction-scoped advisory locks, taken in key order, so
orders on a SKU take turns across every process and node while orders on other SKUs go
ahead; leases use `FOR UPDATE SKIP LOCKED`. A pooled connection the server dropped (a
restart, a failover) is replaced before it is lent, and lock waits are bounded like
SQLite's busy_timeout. Autovacuum makes the space of pruned rows reusable: nothing to do.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from hashlib import blake2b
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.pool import QueuePool

from rates.store.checkpoints import Checkpointer
from rates.store.pool import Lender, Lending, PoolLender
from rates.store.write_turns import WriteTurns, turns_file

log = logging.getLogger(__name__)

# How long to wait for a connection, a server, or another transaction's lock.
WAIT_SECONDS = 5
MEMORY = ":memory:"
RECLAIM_PAGES = 2048
"""Free pages given back to the file system after a pruning batch at most (8 MiB of
4 KiB pages): a few milliseconds of the write lock. The others stay free in the file,
where new rows reuse them, and the next batches give them back."""

WAL_LIMIT_BYTES = 64 * 1024 * 1024
"""The most the WAL file keeps between checkpoints once it is reset (SQLite's
`journal_size_limit`)."""

INCREMENTAL = "PRAGMA auto_vacuum = INCREMENTAL"
"""Pages freed by pruning can be given back to the file system (`reclaim`). Set on a new
file before its first table; afterwards only a VACUUM changes the mode."""

PRAGMAS = (
    # Wait this long for another connection's write lock instead of failing at once.
    f"PRAGMA busy_timeout = {WAIT_SECONDS * 1000:d}",
    # Readers and the writer do not block each other.
    "PRAGMA journal_mode = WAL",
    # A committed quote survives a power cut, not only a crash of the process.
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    # A burst of writes (or pruning) under steady reads grows the WAL; without a limit the
    # file keeps its largest size for ever. Reset after a checkpoint, it is cut to this.
    f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES:d}",
)


def connect(database: str) -> sqlite3.Connection:
    """A connection to `database` (a path or ":memory:") with the store's pragmas, in
    autocommit mode. `check_same_thread` is off because the pool, not the creating thread,
    guarantees one user at a time."""
    connection = sqlite3.connect(database, timeout=WAIT_SECONDS, isolation_level=None,
                                 check_same_thread=False)
    # Only on a new, empty file: on another, even setting the mode it has writes to it.
    if connection.execute("PRAGMA page_count").fetchone()[0] == 0:
        connection.execute(INCREMENTAL)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    return connection


def advisory_key(name: str) -> int:
    """The key of the advisory lock called `name`: a signed 64-bit hash that every node
    computes alike (Python's own `hash` differs from process to process)."""
    return int.from_bytes(blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


_ADVISORY_LOCKS = ("SELECT pg_advisory_xact_lock(key) FROM unnest(CAST(%s AS bigint[]))"
                   " AS key")


@dataclass(frozen=True)
class Dialect:
    """What the store needs to know of its database. `name` is SQLAlchemy's ("sqlite",
    "postgresql"); `insert` is that dialect's, with `on_conflict_do_*`."""

    name: str
    engine: Engine
    # How the store's threads borrow the engine's connections (`rates.store.pool`).
    lender: Lending
    begin: str
    insert: Callable[..., Any]
    # Orders take `max(seq) + 1` (SQLite) or an identity column's next value.
    numbers_orders: bool
    # The version the hand-rolled migrations before Alembic wrote, and the revision it is.
    legacy_version: Callable[[Connection], int]
    legacy_revisions: dict[int, str]
    # Started once the schema is up to date: what runs beside the store until it closes.
    background: Callable[[], Checkpointer] | None = field(default=None, compare=False)
    # Run once the schema is up to date, before the store is used.
    settle: Callable[[], None] | None = field(default=None, compare=False)
    # What a write takes its turn by, besides the database's own lock waits.
    turns: WriteTurns | None = field(default=None, compare=False)

    def lock(self, connection: Any, names: Iterable[str]) -> None:
        """Within a write transaction on `connection` (a driver connection): take the
        locks `names` until it ends."""
        if self.name == "postgresql":
            # In key order, so two transactions sharing names cannot each hold one the
            # other waits for. The function scan locks the keys in the array's order.
            cursor = connection.cursor()
            try:
                cursor.execute(_ADVISORY_LOCKS, (sorted({advisory_key(n) for n in names}),))
            finally:
                cursor.close()

    def reclaim(self, connection: Any) -> None:
        """Outside a transaction on `connection` (a driver connection), after rows were
        removed: on SQLite, give up to `RECLAIM_PAGES` free pages back to the file system.
        (The pragma frees one page per step of its statement: run as a script, it is
        stepped to the end.) PostgreSQL's autovacuum does its own."""
        if self.name == "sqlite":
            connection.driver_connection.executescript(
                f"PRAGMA incremental_vacuum({RECLAIM_PAGES:d})")


def sqlite(database: str, *, pool_size: int, checkpoint_seconds: float) -> Dialect:
    memory = database == MEMORY
    size = 1 if memory else pool_size
    engine = create_engine("sqlite://", creator=partial(connect, database),
                           poolclass=QueuePool, pool_size=size, max_overflow=0,
                           pool_timeout=WAIT_SECONDS)
    lender = Lender(engine.raw_connection, size, WAIT_SECONDS)
    return Dialect("sqlite", engine, lender, "BEGIN IMMEDIATE", sqlite_dialect.insert,
                   numbers_orders=True, legacy_version=_user_version,
                   legacy_revisions={1: "0001", 2: "0002"},
                   background=None if memory else partial(
                       Checkpointer, partial(connect, database), checkpoint_seconds),
                   settle=None if memory else partial(incremental_vacuum, database),
                   turns=None if memory else WriteTurns(turns_file(database), WAIT_SECONDS))


def incremental_vacuum(database: str) -> None:
    """Turn a file made before incremental auto-vacuum to it, once: that takes a VACUUM,
    which rewrites the whole file under the write lock (for a time that grows with the
    file; as much free disk as the file takes is needed meanwhile). It runs when this
    release first opens the file: `rates serve` opens it once before starting its workers,
    which then find it done. Another process holding the lock longer than `WAIT_SECONDS`
    makes it give up, with a warning: the store works all the same, freed pages are
    reused inside the file rather than given back, and the next start tries again."""
    connection = connect(database)
    try:
        if connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2:  # INCREMENTAL
            return
        started = time.monotonic()
        connection.execute(INCREMENTAL)
        connection.execute("VACUUM")
        log.info("the SQLite file was rewritten once, to give pruned space back from now "
                 "on", extra={"database": database,
                              "seconds": round(time.monotonic() - started, 3)})
    except sqlite3.OperationalError as error:
        log.warning("could not turn the SQLite file to incremental auto-vacuum (%s); "
                    "will try at the next start", error)
    finally:
        connection.close()


def postgres(url: str, *, pool_size: int) -> Dialect:
    engine = create_engine(
        "postgresql+psycopg://" + url.split("://", 1)[1], poolclass=QueuePool,
        pool_size=pool_size, max_overflow=0, pool_timeout=WAIT_SECONDS,
        pool_pre_ping=True, isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": WAIT_SECONDS})
    event.listen(engine, "connect", _configure)
    return Dialect("postgresql", engine, PoolLender(engine), "BEGIN", postgresql.insert,
                   numbers_orders=False,
                   legacy_version=_schema_version, legacy_revisions={1: "0002"})


def _configure(connection: Any, _: Any) -> None:
    """Each new PostgreSQL connection: lock waits bounded like SQLite's busy_timeout, set
    for the session (outside a transaction, whatever mode the driver is in yet)."""
    autocommit = connection.autocommit
    connection.autocommit = True
    connection.execute(f"SET lock_timeout = {WAIT_SECONDS * 1000:d}")
    connection.autocommit = autocommit


def _user_version(connection: Connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())


def _schema_version(connection: Connection) -> int:
    if not connection.exec_driver_sql(
            "SELECT to_regclass('schema_version') IS NOT NULL").scalar_one():
        return 0
    return int(connection.exec_driver_sql(
        "SELECT coalesce(max(version), 0) FROM schema_version").scalar_one())
