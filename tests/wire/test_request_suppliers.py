"""Suppliers and lot receipts in a stock document: read by both decoders, refused with
one rule's words, and a receipt taken only where it is recorded (PUT /v1/inventory)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rates.domain.errors import InvalidRequest
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.settings import Limits
from rates.wire.request import LotArrival, StockUpdate, parse_quote_request, parse_stock
from rates.wire.response import stock_document

RULE = ("must be 1 to 100 characters: letters A-Z a-z, digits, spaces and . _ - &, "
        "not starting or ending with a space")
DEC_1_5 = DateRange(date(2026, 12, 1), date(2026, 12, 5))


def lot(**fields):
    return {"id": "L-1", "quantity": 6, "earliest": "2026-12-01", "latest": "2026-12-05",
            **fields}


def refused(payload) -> dict[str, list[str]]:
    with pytest.raises(InvalidRequest) as caught:
        parse_stock("LANTERN", payload, default_location="reno")
    return caught.value.fields


def test_the_sku_and_each_lot_name_a_supplier_and_round_trip():
    stock = SkuStock("LANTERN", (LocationStock("newark", 0, (
        InboundLot(6, DEC_1_5, "L-1", 0, "Brightway & Co."), InboundLot(2, DEC_1_5))),),
        supplier="Acme Outdoor")
    document = stock_document(stock)
    assert document["supplier"] == "Acme Outdoor"
    assert [lot.get("supplier") for lot in document["locations"][0]["inbound"]] == [
        "Brightway & Co.", None]
    assert parse_stock("LANTERN", document, default_location="reno") == StockUpdate(stock)


@pytest.mark.parametrize("supplier", ["", " Acme", "Acme ", "Acme\n", "Müller", "Acme/West",
                                      "a" * 101, 7])
def test_a_supplier_outside_the_rule_is_refused_in_its_words(supplier):
    rule = "Not a valid string." if supplier == 7 else RULE
    assert refused({"supplier": supplier, "inbound": [lot(supplier=supplier)]}) == {
        "supplier": [rule], "inbound.0.supplier": [rule]}


def test_a_received_lot_is_an_arrival_of_the_update():
    update = parse_stock("LANTERN", {"locations": [
        {"location": "newark", "inbound": [lot(received_on="2026-12-03"), lot(id="L-2")]},
        {"inbound": [lot(received_on="2026-12-04")]}]}, default_location="reno")
    assert update.arrivals == (
        LotArrival("L-1", date(2026, 12, 3), "newark", "locations.0.inbound.0.received_on"),
        LotArrival("L-1", date(2026, 12, 4), "reno", "locations.1.inbound.0.received_on"))
    # The stock is as it would be without the receipts: they record, they do not move it.
    assert update.stock.locations[0].inbound[0] == InboundLot(6, DEC_1_5, "L-1")


def test_a_received_lot_needs_its_id():
    nameless = lot(received_on="2026-12-03")
    del nameless["id"]
    assert refused({"location": "newark", "inbound": [lot(), nameless]}) == {
        "inbound.1.received_on": ["a lot is received by its id: give the lot an `id`"]}


def test_a_received_on_that_is_not_a_day_is_refused():
    assert refused({"inbound": [lot(received_on="2026-12-33")]}) == {
        "inbound.0.received_on": ["Not a valid date."]}


def test_a_quote_records_no_receipt():
    payload = {"currency": "USD", "destination": {"country": "US"}, "lines": [
        {"sku": "LANTERN", "quantity": 1, "unit_price": "9.00",
         "stock": {"inbound": [lot(received_on="2026-12-03")]}}]}
    with pytest.raises(InvalidRequest) as caught:
        parse_quote_request(payload, default_location="reno",
                            now=datetime(2026, 11, 23, tzinfo=UTC), inventory={}.get,
                            limits=Limits())
    assert caught.value.fields == {"lines.0.stock.inbound.0.received_on": [
        "a quote records no receipts: PUT /v1/inventory/{sku} or POST "
        "/v1/inventory/{sku}/receipts does"]}
