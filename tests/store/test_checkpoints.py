"""The WAL of a SQLite store is moved into its database file by the store's own thread,
before SQLite would make a request's commit do it (past 1,000 pages)."""

from __future__ import annotations

import base64
import random
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from rates.store import dialects
from rates.store.sqlstore import SqlStore
from tests.support.store import record

# Random text, which the store's packing (zstd) cannot shrink below 100 KB: 25 pages of
# the WAL a quote, as an answer with its trace once took unpacked.
BIG = {"trace": base64.b64encode(random.Random(0).randbytes(100_000)).decode()}  # noqa: S311


@pytest.fixture
def backend() -> str:
    return "sqlite"


def sqlite_store(database: str, checkpoint_seconds: float = 0.05) -> SqlStore:
    return SqlStore(dialects.sqlite(database, pool_size=8,
                                    checkpoint_seconds=checkpoint_seconds),
                    default_location="reno")


def save_quotes(store: SqlStore, count: int) -> None:
    for n in range(count):
        saved = record(f"q_{n:04d}")
        store.save_quote(replace(saved, document={**saved.document, **BIG}))


def database_bytes(db_path: Path) -> int:
    """The size of the database file itself: pages still in the WAL are not in it."""
    return db_path.stat().st_size


# 30 quotes of 100 KB: about 750 pages, under SQLite's own threshold.
QUOTES = 30


def test_without_the_thread_the_quotes_stay_in_the_wal(db_path: Path):
    store = sqlite_store(str(db_path), checkpoint_seconds=3600)
    try:
        save_quotes(store, QUOTES)
        time.sleep(0.2)
        assert database_bytes(db_path) < 1_000_000
    finally:
        store.close()


def test_the_thread_moves_the_wal_into_the_database(db_path: Path):
    store = sqlite_store(str(db_path), checkpoint_seconds=0.02)
    try:
        save_quotes(store, QUOTES)
        deadline = time.monotonic() + 10
        while database_bytes(db_path) < QUOTES * 100_000 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert database_bytes(db_path) >= QUOTES * 100_000
        assert store.get_quote(f"q_{QUOTES - 1:04d}").document["trace"] == BIG["trace"]
    finally:
        store.close()


def checkpoint_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "sqlite-checkpoints"}


def test_a_store_checkpoints_on_its_own_thread_until_it_is_closed(db_path: Path):
    before = checkpoint_threads()
    store = sqlite_store(str(db_path))
    assert len(checkpoint_threads() - before) == 1
    store.close()
    assert checkpoint_threads() - before == set()


def test_an_in_memory_store_has_no_thread():
    before = checkpoint_threads()
    store = sqlite_store(":memory:")
    try:
        assert checkpoint_threads() - before == set()
    finally:
        store.close()
