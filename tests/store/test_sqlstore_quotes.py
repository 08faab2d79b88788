"""Quote records: kept exactly, once per id, found by cart reference newest first."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from rates.store import Store
from tests.support.store import AT, record


def test_a_saved_quote_comes_back_with_its_json_and_its_offset(store: Store):
    saved = record()
    store.save_quote(saved)

    loaded = store.get_quote("q_0001")

    assert loaded == saved
    assert loaded.request == saved.request and loaded.document == saved.document
    assert loaded.created_at.utcoffset() == timedelta(hours=-8)
    assert loaded.created_at.microsecond == 123456


def test_a_quote_served_as_text_keeps_its_document(store: Store):
    saved = record()
    # The answer's own JSON, keys in another order than the store would write them.
    served = json.dumps(dict(reversed(saved.document.items()))).encode()
    store.save_quote(replace(saved, served=served))

    assert store.get_quote("q_0001").document == saved.document


def test_a_quote_without_a_reference_is_kept(store: Store):
    store.save_quote(record(reference=None))
    assert store.get_quote("q_0001").reference is None


def test_saving_an_id_again_keeps_the_first_record_only(store: Store):
    first = record(reference="cart-1")
    store.save_quote(first)
    store.save_quote(first)
    store.save_quote(replace(first, ruleset="sha256:other"))

    assert store.get_quote("q_0001") == first
    assert store.find_quotes("cart-1") == [first]


def test_an_unknown_id_is_none(store: Store):
    store.save_quote(record())
    assert store.get_quote("q_missing") is None


def test_quotes_of_a_reference_come_newest_first_up_to_the_limit(store: Store):
    # Written in different offsets: 12:00-08:00 is later than 19:00+00:00, although its
    # ISO text sorts first.
    tokyo = timezone(timedelta(hours=9))
    times = {
        "q_a": datetime(2026, 11, 23, 19, 0, tzinfo=UTC),                 # 19:00Z
        "q_b": datetime(2026, 11, 23, 12, 0, tzinfo=timezone(timedelta(hours=-8))),  # 20:00Z
        "q_c": datetime(2026, 11, 24, 3, 30, tzinfo=tokyo),               # 18:30Z
        "q_d": datetime(2026, 11, 23, 21, 0, tzinfo=UTC),                 # 21:00Z
    }
    for quote_id, created_at in times.items():
        store.save_quote(record(quote_id, created_at=created_at, reference="cart-7"))
    store.save_quote(record("q_other", created_at=AT, reference="cart-8"))

    assert [r.id for r in store.find_quotes("cart-7")] == ["q_d", "q_b", "q_a", "q_c"]
    assert [r.id for r in store.find_quotes("cart-7", limit=2)] == ["q_d", "q_b"]
    assert store.find_quotes("cart-9") == []


def test_quotes_made_in_the_same_microsecond_come_latest_saved_first(store: Store):
    for quote_id in ("q_1", "q_2", "q_3"):
        store.save_quote(record(quote_id))
    assert [r.id for r in store.find_quotes("cart-8812")] == ["q_3", "q_2", "q_1"]


def test_a_naive_created_at_is_refused(store: Store):
    with pytest.raises(ValueError, match="time zone"):
        store.save_quote(record(created_at=datetime(2026, 11, 23, 9, 30)))
    assert store.get_quote("q_0001") is None


def test_a_limit_below_one_is_refused(store: Store):
    with pytest.raises(ValueError, match="limit"):
        store.find_quotes("cart-8812", limit=0)
