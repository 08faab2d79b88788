"""`rates serve` and its store's size: a quote past the retention goes while the service
runs, a recent one stays; a SQLite file of an earlier release is turned to incremental
auto-vacuum once, before the workers start."""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from rates.store import configured_url, open_store
from tests.support.project import RATES
from tests.support.store import record

FIXTURES = Path(__file__).parent.parent / "store" / "fixtures"
SUPPORT_KEY = "rk_demo_support_key_for_the_bundled_example_only"


@pytest.mark.skipif(not RATES.exists(), reason="the console script is installed by make")
def test_the_service_prunes_quotes_past_the_retention(serve, example):
    example.write_text(example.read_text().replace(
        'store: {url: "sqlite:///rates.db"}',
        'store: {url: "sqlite:///rates.db", prune_interval_seconds: 1}'))
    url = configured_url("sqlite:///rates.db", example)
    now = datetime.now(UTC)  # the service's clock: the real one
    store = open_store(url, default_location="reno")
    store.save_quote(record("q_old", created_at=now - timedelta(days=31)))
    store.save_quote(record("q_new", created_at=now - timedelta(days=29)))
    store.close()

    serve()
    store = open_store(url, default_location="reno")
    try:
        deadline = time.monotonic() + 60  # a bound on waiting, not on the service's speed
        while store.get_quote("q_old") is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert store.get_quote("q_old") is None
        assert store.get_quote("q_new") is not None
    finally:
        store.close()


@pytest.mark.skipif(not RATES.exists(), reason="the console script is installed by make")
def test_a_file_of_an_earlier_release_is_served_after_one_rewrite(serve, example):
    """The release before Alembic's file (tests/store/fixtures) as the example's store:
    `rates serve` turns it to incremental auto-vacuum before its workers start, and
    serves its quotes."""
    database = example.parent / "rates.db"
    shutil.copy(FIXTURES / "release1.db", database)

    server = serve()

    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA auto_vacuum").fetchone() == (2,)  # INCREMENTAL
    found = requests.get(f"{server.base}/v1/quotes/q_0001", timeout=10,
                         headers={"Authorization": f"Bearer {SUPPORT_KEY}"})
    assert found.status_code == 200
    assert "could not turn" not in server.stop()
