"""SQLite gives the space of pruned rows back: the file is in incremental auto-vacuum mode
(new files from the start, files of an earlier release after one VACUUM when first
opened), and under repeated saving and pruning its pages are reused: it stops growing."""

from __future__ import annotations

import base64
import random
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rates.store import QuoteRecord, Store, open_store
from tests.support.store import record

FIXTURES = Path(__file__).with_name("fixtures")
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
INCREMENTAL = 2
# Random text, which the store's packing (zstd) cannot shrink below 7 KB: two overflow
# pages a quote.
PAGE = base64.b64encode(random.Random(0).randbytes(7_000)).decode()  # noqa: S311


@pytest.fixture
def backend() -> str:
    return "sqlite"


def pragma(path: Path, name: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute(f"PRAGMA {name}").fetchone()[0])


def big(quote_id: str, created_at: datetime) -> QuoteRecord:
    quote = record(quote_id, created_at=created_at)
    return QuoteRecord(quote.id, quote.created_at, quote.ruleset, quote.reference,
                       quote.request, {**quote.document, "note": PAGE})


def test_a_new_file_is_in_incremental_auto_vacuum_mode(store: Store, db_path: Path):
    assert pragma(db_path, "auto_vacuum") == INCREMENTAL


def test_a_file_of_an_earlier_release_is_vacuumed_into_it_once_and_keeps_its_records(
        tmp_path: Path):
    old = tmp_path / "release1.db"
    shutil.copy(FIXTURES / "release1.db", old)
    assert pragma(old, "auto_vacuum") == 0

    store = open_store(f"sqlite:///{old}", default_location="reno")
    try:
        assert pragma(old, "auto_vacuum") == INCREMENTAL
        assert store.get_quote("q_0001").created_at.isoformat() == (
            "2026-11-23T09:30:15.123456-08:00")
    finally:
        store.close()


def test_pruning_gives_the_freed_pages_back_to_the_file_system(store: Store, db_path: Path):
    for n in range(100):
        store.save_quote(big(f"q{n}", T0))
    full = pragma(db_path, "page_count")

    store.prune_quotes(T0 + timedelta(seconds=1), limit=100)

    # 100 quotes of 2 overflow pages and more: some 200 pages are given back, every one
    # freed (far fewer than the 2048 a batch may give back).
    assert full - pragma(db_path, "page_count") >= 200
    assert pragma(db_path, "freelist_count") == 0


def test_the_file_stops_growing_under_repeated_saving_and_pruning(store: Store,
                                                                  db_path: Path):
    """Each round (an hour of the injected clock) saves 40 quotes, then prunes those made
    more than two rounds ago: from the third round on, 120 quotes are stored at the
    most, and the file's pages are as many as after the third round."""
    pages = []
    for hour in range(12):
        at = T0 + timedelta(hours=hour)
        for n in range(40):
            store.save_quote(big(f"q{hour}-{n}", at))
        store.prune_quotes(at - timedelta(hours=2), limit=1000)
        pages.append(pragma(db_path, "page_count"))

    assert pages[2] > pages[0]
    assert max(pages[2:]) == pages[2]
