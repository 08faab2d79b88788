"""`rates serve` prunes its store by itself: a quote past the retention goes while the
service runs, a recent one stays."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from rates.store import configured_url, open_store
from tests.support.project import RATES
from tests.support.store import record


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
