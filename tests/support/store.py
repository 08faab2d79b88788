"""Sample records, stock and checks for the store tests."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

import psycopg

from rates.domain.backorders import Claim, committed_stock, queue, ready_of
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.store import OrderCheck, OrderRecord, QuoteRecord, open_store

PACIFIC = timezone(timedelta(hours=-8))
AT = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=PACIFIC)
ACCEPTED = datetime(2026, 11, 23, 9, 41, 7, 654321, tzinfo=PACIFIC)
TODAY = {"reno": date(2026, 11, 23)}
PO_1 = DateRange(date(2026, 12, 10), date(2026, 12, 14))  # tent's lot PO-1


def record(quote_id: str = "q_0001", *, created_at: datetime = AT,
           reference: str | None = "cart-8812") -> QuoteRecord:
    request = {
        "reference": reference,
        "currency": "USD",
        "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00",
                   "tags": ["oversize"], "stock": {"on_hand": 2}}],
    }
    document = {
        "id": quote_id,
        "created_at": created_at.isoformat(),
        "ruleset": "sha256:abc",
        "stock": "mixed",
        "options": [{"id": "in_stock_first/ups/ground", "label": "Zelt zuerst – 2 Pakete",
                     "price": {"amount": "12.95", "currency": "USD"}, "hidden_by": None}],
        "messages": [],
    }
    return QuoteRecord(quote_id, created_at, "sha256:abc", reference, request, document)


def tent(on_hand: int = 2) -> SkuStock:
    """A SKU using every part of the stock document."""
    return SkuStock(
        "TENT-2P",
        (LocationStock("reno", on_hand,
                       (InboundLot(10, PO_1, "PO-1", 3),
                        InboundLot(4, DateRange(date(2027, 1, 5), date(2027, 1, 5))))),
         LocationStock("newark", 0)),
        lead_time_days=(21, 35), lead_time_location="newark", backorder_limit=40)


def simple(sku: str, on_hand: int = 1) -> SkuStock:
    return SkuStock(sku, (LocationStock("reno", on_hand),))


def last_units(free: int, sku: str = "STOVE") -> SkuStock:
    """Nothing on hand and one lot, due like PO-1, with `free` units not yet promised; no
    supplier to ask for more."""
    return SkuStock(sku, (LocationStock("reno", 0, (InboundLot(5, PO_1, "PO-7", 5 - free),)),))


def stored_inventory(url: str, sku: str) -> tuple[dict[str, Any], datetime]:
    """The stock document and update time in `sku`'s inventory row, read past the store."""
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            stock, updated_at = connection.execute(
                "SELECT stock, updated_at FROM inventory WHERE sku = ?", (sku,)).fetchone()
        return json.loads(stock), datetime.fromisoformat(updated_at)
    with psycopg.connect(url) as connection:
        [row] = connection.execute(
            "SELECT stock, updated_at FROM inventory WHERE sku = %s", (sku,)).fetchall()
    return row


def rows_in(url: str, table: str) -> int:
    """How many rows `table` holds, counted past the store (expired ones included)."""
    statement = f"SELECT count(*) FROM {table}"  # noqa: S608 (a table name of the tests)
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            return int(connection.execute(statement).fetchone()[0])
    with psycopg.connect(url) as connection:
        return int(connection.execute(statement).fetchone()[0])


def claim(sku: str = "TENT-2P", quantity: int = 1, *, lot: str | None = "PO-1",
          promised: DateRange = PO_1, lead_time_from: date | None = None) -> Claim:
    """A claim at reno, for `order` to give its order id."""
    return Claim("", sku, "reno", quantity, promised, lot, lead_time_from)


def order(order_id: str = "o_0001", *claims: Claim, quote_id: str = "q_0001",
          reference: str | None = "cart-8812", accepted_at: datetime = ACCEPTED) -> OrderRecord:
    promise = {"order": order_id, "option": "in_stock_first/ups/ground",
               "deliver": {"earliest": "2026-12-15", "latest": "2026-12-18"},
               "label": "Zelt später – 1 Paket", "price": {"amount": "12.95", "currency": "USD"}}
    return OrderRecord(order_id, quote_id, "in_stock_first/ups/ground", reference, accepted_at,
                       promise, tuple(replace(c, order=order_id) for c in claims))


class Refused(Exception):
    """What `keeps_promises` raises: the queue cannot place a claim by its promise."""


def keeps_promises(placing: OrderRecord, *, thinking: float = 0.0) -> OrderCheck:
    """The check of `placing`: with its claims after the queue's, `queue` still has each
    claim's units ready by the last day promised, or it raises Refused. It takes
    `thinking` seconds, to hold the queue while a rival tries to place its order."""
    def check(stock: Mapping[str, SkuStock], claimed: Mapping[str, Mapping[str, int]]) -> None:
        time.sleep(thinking)
        for index, new in enumerate(placing.claims):
            ahead = [c for c in placing.claims[:index] if c.sku == new.sku]
            left = committed_stock(stock[new.sku], claimed.get(new.sku, {}))
            ready = ready_of(queue(left, [*ahead, new], TODAY).placements[-1])
            if ready is None or ready.latest > new.promised.latest:
                raise Refused(f"no {new.sku} left by {new.promised.latest} for {placing.id}")
    return check


def place_in_process(url: str, order_id: str, start: Barrier,
                     results: Queue[tuple[str, str]]) -> None:
    """A process of its own: open a store on `url`, wait for the others at `start`, then
    place an order for one unit of STOVE; put (order_id, "placed" or "refused")."""
    store = open_store(url, default_location="reno")
    try:
        placing = order(order_id, claim("STOVE", lot="PO-7"))
        start.wait()
        try:
            store.place_order(placing, keeps_promises(placing, thinking=0.3))
            results.put((order_id, "placed"))
        except Refused:
            results.put((order_id, "refused"))
    finally:
        store.close()
