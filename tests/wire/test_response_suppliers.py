"""Who restocks backordered units, in the quote document (full and explained detail, never
a checkout's answer) and in the promise made from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from rates.app.cart_quotes import quote_cart
from rates.loading import Setup
from rates.wire.orders import parse_promise, promise_document
from rates.wire.response import Detail, quote_document

ORDERED = "2026-11-23T09:30:00-08:00"


def cart() -> dict[str, Any]:
    """Three lanterns at reno: one on the shelf, one in lot L-1 (sent by Brightway), one
    in lot L-2 (no supplier of its own: the SKU's, Acme Outdoor)."""
    return {"ordered_at": ORDERED, "currency": "USD",
            "destination": {"country": "US", "region": "NV", "postcode": "89501"},
            "lines": [{"sku": "LANTERN", "quantity": 3, "unit_price": "20.00", "stock": {
                "supplier": "Acme Outdoor", "location": "reno", "on_hand": 1, "inbound": [
                    {"id": "L-1", "quantity": 1, "earliest": "2026-12-01",
                     "latest": "2026-12-03", "supplier": "Brightway"},
                    {"id": "L-2", "quantity": 1, "earliest": "2026-12-07",
                     "latest": "2026-12-09"}]}}]}


def allocations(document: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    return [(a["source"], a.get("lot"), a.get("supplier"))
            for a in document["lines"][0]["allocations"]]


@pytest.mark.parametrize("detail", [Detail.FULL, Detail.EXPLAIN])
def test_backordered_allocations_name_their_supplier(example_setup: Setup, detail: Detail):
    quote = quote_cart(example_setup, cart(), now=datetime.fromisoformat(ORDERED))
    assert allocations(quote_document(quote, "q_1", detail=detail)) == [
        ("on_hand", None, None), ("inbound", "L-1", "Brightway"),
        ("inbound", "L-2", "Acme Outdoor")]


def test_a_checkout_is_not_told_who_the_suppliers_are(example_setup: Setup):
    quote = quote_cart(example_setup, cart(), now=datetime.fromisoformat(ORDERED))
    assert allocations(quote_document(quote, "q_1", detail=Detail.CHECKOUT)) == [
        ("on_hand", None, None), ("inbound", "L-1", None), ("inbound", "L-2", None)]


def test_the_promise_carries_each_units_supplier_and_reads_it_back(example_setup: Setup):
    quote = quote_cart(example_setup, cart(), now=datetime.fromisoformat(ORDERED))
    document = quote_document(quote, "q_1", detail=Detail.FULL)
    option = next(o for o in document["options"] if o["plan"] == "together")
    promise = promise_document(document, cart(), option)
    units = [unit for shipment in promise["shipments"] for unit in shipment["units"]]
    assert [(u["lot"], u["supplier"]) for u in units] == [
        (None, None), ("L-1", "Brightway"), ("L-2", "Acme Outdoor")]

    read = parse_promise("o_1", promise)
    assert [u.supplier for s in read.shipments for u in s.units] == [
        None, "Brightway", "Acme Outdoor"]
    # A promise made before suppliers has none.
    for shipment in promise["shipments"]:
        for unit in shipment["units"]:
            del unit["supplier"]
    assert {u.supplier for s in parse_promise("o_1", promise).shipments for u in s.units} == {
        None}
