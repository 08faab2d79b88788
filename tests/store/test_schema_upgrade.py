"""Databases made by the release before SQLAlchemy and Alembic open, and read back every
record, then take new ones (fixtures/README.md says how they were made)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest

from rates.domain.backorders import Claim
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.store import OrderStatus, Store, WebhookDelivery, open_store, schema
from tests.support.store import claim, order, record

FIXTURES = Path(__file__).with_name("fixtures")
PACIFIC = timezone(timedelta(hours=-8))
TOKYO = timezone(timedelta(hours=9))
PO_1 = DateRange(date(2026, 12, 10), date(2026, 12, 14))
PROMISE = {"option": "in_stock_first/ups/ground",
           "deliver": {"earliest": "2026-12-15", "latest": "2026-12-18"},
           "label": "Zelt später – 1 Paket", "price": {"amount": "12.95", "currency": "USD"}}
OPEN_CLAIMS = [
    Claim("o_0001", "TENT-2P", "reno", 2, PO_1, "PO-1", None),
    Claim("o_0001", "TENT-2P", "reno", 1, DateRange(date(2027, 1, 2), date(2027, 1, 9)), None,
          date(2026, 12, 12)),
]


@pytest.fixture
def old_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A copy of `backend`'s fixture database, as the release before made it."""
    if backend == "sqlite":
        shutil.copy(FIXTURES / "release1.db", tmp_path / "release1.db")
        return f"sqlite:///{tmp_path / 'release1.db'}"
    url: str = request.getfixturevalue("postgres_url")
    # psql meta-commands (\restrict) are psql's, not the server's.
    dump = "\n".join(line for line in (FIXTURES / "release1_postgres.sql").read_text()
                     .splitlines() if not line.startswith("\\"))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(dump.encode())
    return url


@pytest.fixture
def old_store(old_url: str) -> Iterator[Store]:
    """The fixture database, opened (so upgraded) by the current store."""
    store = open_store(old_url, default_location="reno")
    yield store
    store.close()


def stamp(url: str) -> list[tuple[str]]:
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            return connection.execute("SELECT version_num FROM alembic_version").fetchall()
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchall()


def test_opening_stamps_the_revision_its_version_stands_for(old_url: str):
    with pytest.raises((sqlite3.OperationalError, psycopg.errors.UndefinedTable)):
        stamp(old_url)
    open_store(old_url, default_location="reno").close()
    assert stamp(old_url) == [(schema.head(),)]


def test_quotes_read_back(old_store: Store):
    first = old_store.get_quote("q_0001")
    assert first == record("q_0001")
    assert first.created_at == datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=PACIFIC)
    assert first.created_at.utcoffset() == timedelta(hours=-8)

    second = old_store.get_quote("q_0002")
    assert second.reference is None
    assert second.created_at == datetime(2026, 11, 24, 3, 0, tzinfo=TOKYO)
    assert second.created_at.utcoffset() == timedelta(hours=9)
    assert second.document["created_at"] == "2026-11-24T03:00:00+09:00"
    assert second.request["lines"][0] == {"sku": "TENT-2P", "quantity": 3,
                                          "unit_price": "149.00", "tags": ["oversize"],
                                          "stock": {"on_hand": 2}}

    # Stored from the bytes served, not from `document`.
    assert old_store.get_quote("q_0003").document == {"id": "q_0003", "z": 1, "a": []}
    # Equal instants: the later saved first.
    assert [q.id for q in old_store.find_quotes("cart-8812")] == ["q_0003", "q_0001"]


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL's jsonb orders keys its own way
def test_a_served_document_keeps_its_bytes_on_sqlite(old_store: Store, tmp_path: Path):
    with closing(sqlite3.connect(tmp_path / "release1.db")) as connection:
        assert connection.execute("SELECT document FROM quotes WHERE id = 'q_0003'"
                                  ).fetchone() == ('{"id":"q_0003","z":1,"a":[]}',)


def test_inventory_reads_back(old_store: Store):
    assert old_store.inventory_for(["TENT-2P", "STOVE", "MUG"]) == {
        "TENT-2P": SkuStock(
            "TENT-2P",
            (LocationStock("reno", 2, (InboundLot(10, PO_1, "PO-1", 3),
                                       InboundLot(4, DateRange(date(2027, 1, 5),
                                                               date(2027, 1, 5))))),
             LocationStock("newark", 0)),
            lead_time_days=(21, 35), lead_time_location="newark", backorder_limit=40),
        "STOVE": SkuStock("STOVE", (LocationStock("reno", 4),)),
    }


def test_orders_and_their_claims_read_back(old_store: Store):
    waiting = old_store.get_order("o_0001")
    assert (waiting.quote_id, waiting.option_id, waiting.reference) == (
        "q_0001", "in_stock_first/ups/ground", "cart-8812")
    assert waiting.accepted_at == datetime(2026, 11, 23, 9, 41, 7, 654321, tzinfo=PACIFIC)
    assert waiting.accepted_at.utcoffset() == timedelta(hours=-8)
    assert waiting.promise == {"order": "o_0001", **PROMISE}
    assert list(waiting.claims) == OPEN_CLAIMS
    assert (waiting.status, waiting.closed_at, waiting.at_risk, waiting.seq) == (
        OrderStatus.OPEN, None, True, 1)

    shipped = old_store.get_order("o_0002")
    assert (shipped.quote_id, shipped.reference, shipped.status, shipped.at_risk,
            shipped.seq) == ("q_0002", None, OrderStatus.SHIPPED, False, 2)
    assert shipped.closed_at == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert shipped.closed_at.utcoffset() == timedelta(0)
    assert shipped.claims == (Claim("o_0002", "STOVE", "reno", 1, PO_1, None, None),)

    assert old_store.open_orders() == [waiting]
    assert old_store.open_orders(["STOVE"]) == []
    assert old_store.find_orders(reference="cart-8812") == [waiting]
    assert old_store.find_orders(quote_id="q_0002") == [shipped]
    assert old_store.claims_for(["TENT-2P", "STOVE"]) == OPEN_CLAIMS
    assert old_store.claimed_units(["TENT-2P", "STOVE"]) == {"TENT-2P": {"reno": 3}}
    assert old_store.claimed_units(["TENT-2P"], ahead_of=1) == {}


def test_the_webhook_outbox_reads_back(old_store: Store):
    # Event 1 was delivered and event 4 given up; event 3 is leased until 09:00:30 and
    # event 2 failed once, to be tried again at 10:00.
    assert old_store.due_webhooks(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), 10, 30) == []
    due = old_store.due_webhooks(datetime(2026, 11, 24, 10, 0, tzinfo=UTC), 10, 30)
    assert due == [
        WebhookDelivery(2, {"type": "order.at_risk", "order": "o_0001", "n": 2},
                        datetime(2026, 11, 24, 7, 0, tzinfo=UTC), 1,
                        datetime(2026, 11, 24, 10, 0, tzinfo=UTC), "HTTP 503"),
        WebhookDelivery(3, {"type": "order.at_risk", "order": "o_0001", "n": 3},
                        datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 0,
                        datetime(2026, 11, 24, 8, 0, tzinfo=UTC), None),
    ]


def test_an_upgraded_database_takes_new_records(old_store: Store):
    placed, new = old_store.place_order(order("o_0003", claim("TENT-2P", 1)),
                                        lambda stock, claimed: None)
    assert (new, placed.seq) == (True, 3)
    assert old_store.claimed_units(["TENT-2P"]) == {"TENT-2P": {"reno": 4}}
    old_store.save_quote(record("q_0004"))
    assert [q.id for q in old_store.find_quotes("cart-8812")] == ["q_0004", "q_0003", "q_0001"]
    assert old_store.mark_at_risk("o_0003", at_risk=True, event={"n": 5},
                                  at=datetime(2026, 11, 24, 11, 0, tzinfo=UTC))
    due = old_store.due_webhooks(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), 10, 30)
    assert [(d.id, d.event) for d in due][-1] == (5, {"n": 5})


def test_upgraded_quotes_have_no_cart_key_and_new_ones_keep_theirs(old_store: Store):
    assert old_store.get_quote("q_0001").cart_key is None
    old_store.save_quote(replace(record("q_0004"), cart_key="k" * 64))
    assert [q.id for q in old_store.quotes_for_cart(
        "k" * 64, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    ] == ["q_0004"]
    assert old_store.webhook_receipt("example-outfitters.myshopify.com", "w-1") is None
