"""Quotes by Shopify cart key: the key is kept, and an order's quote is found by key and
lifetime, newest first, by one index range scan on both databases."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, timedelta

import psycopg
import pytest

from rates.store import Store
from tests.support.store import AT, record

KEY = "a" * 64
OTHER = "b" * 64


def keyed(quote_id: str, minutes: int, key: str | None = KEY):
    return replace(record(quote_id, created_at=AT + timedelta(minutes=minutes)), cart_key=key)


def test_a_quote_keeps_its_cart_key(store: Store):
    store.save_quote(keyed("q_0001", 0))
    store.save_quote(record("q_0002"))
    assert store.get_quote("q_0001").cart_key == KEY
    assert store.get_quote("q_0002").cart_key is None


def test_quotes_of_a_cart_key_come_newest_first_within_the_lifetime(store: Store):
    for quote_id, minutes, key in [("q_0001", 0, KEY), ("q_0002", 10, KEY), ("q_0003", 20, OTHER),
                                   ("q_0004", 30, KEY), ("q_0005", 40, None),
                                   ("q_0006", 90, KEY)]:
        store.save_quote(keyed(quote_id, minutes, key))

    found = store.quotes_for_cart(KEY, AT + timedelta(minutes=10), AT + timedelta(minutes=60))

    assert [quote.id for quote in found] == ["q_0004", "q_0002"]  # both ends included
    assert found[0] == keyed("q_0004", 30)
    assert [q.id for q in store.quotes_for_cart(KEY, AT, AT + timedelta(hours=2), limit=1)
            ] == ["q_0006"]
    assert store.quotes_for_cart("c" * 64, AT, AT + timedelta(hours=2)) == []


def test_the_window_compares_instants_across_offsets(store: Store):
    store.save_quote(keyed("q_0001", 0))  # 09:30:15 at -08:00
    utc = AT.astimezone(UTC)
    assert [q.id for q in store.quotes_for_cart(KEY, utc, utc)] == ["q_0001"]
    later = utc + timedelta(microseconds=1)
    assert store.quotes_for_cart(KEY, later, later + timedelta(days=1)) == []


def test_a_naive_window_or_a_limit_below_one_is_refused(store: Store):
    with pytest.raises(ValueError, match="time zone"):
        store.quotes_for_cart(KEY, AT.replace(tzinfo=None), AT)
    with pytest.raises(ValueError, match="limit"):
        store.quotes_for_cart(KEY, AT, AT, limit=0)


def plan(url: str, sql: str, params: tuple) -> str:
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            return " ".join(row[-1] for row in connection.execute(
                f"EXPLAIN QUERY PLAN {sql}", params))
    with psycopg.connect(url) as connection:
        connection.execute("SET enable_seqscan = off")  # an empty table: ask for the plan
        return " ".join(row[0] for row in connection.execute(f"EXPLAIN {sql}", params))


def test_the_lookup_is_a_range_scan_of_the_cart_key_index(store: Store, store_url: str):
    store.save_quote(keyed("q_0001", 0))
    if store_url.startswith("sqlite:///"):
        sql = ("SELECT id FROM quotes WHERE cart_key = ? AND created_us >= ? "
               "AND created_us <= ? ORDER BY created_us DESC, rowid DESC LIMIT 20")
        params: tuple = (KEY, 0, 2**62)
    else:
        sql = ("SELECT id FROM quotes WHERE cart_key = %s AND created_at >= %s "
               "AND created_at <= %s ORDER BY created_at DESC, seq DESC LIMIT 20")
        params = (KEY, AT - timedelta(days=1), AT + timedelta(days=1))
    assert "quotes_by_cart_key" in plan(store_url, sql, params)
