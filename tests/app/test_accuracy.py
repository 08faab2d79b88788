"""How well promises held, read from a real SQLite store: orders placed through the API as
a checkout places them, deliveries recorded in the store, the report counted by hand.

The orders (placed Mon Nov 23, 2026; the example's stock):
- order-1: 3 tents, in_stock_first/ups/ground: shipment 1 (2 on hand) promised Nov 24-27,
  shipment 2 (1 from PO-1042, the SKU's supplier Summit Tents) promised Dec 14-18.
- order-2: 1 lantern, together/usps/priority, promised Nov 24-27.
- order-3: 1 lantern, together/ups/ground, then cancelled.
- order-4: 1 lantern, together/ups/ground, promised Nov 24-27.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rates.app.accuracy import PromiseAccuracy, parse_since
from rates.domain.accuracy import Held, Row, Week
from rates.domain.history import ShipmentEvent, ShipmentEventType
from rates.settings import Role
from tests.app.test_orders import CART, order, quote
from tests.support.web import NOW, auth, clock

LANTERN = {**CART, "lines": [{"sku": "LANTERN", "quantity": 1, "unit_price": "19.50",
                              "grams": 400}]}
DELIVERED, SHIPPED = ShipmentEventType.DELIVERED, ShipmentEventType.SHIPPED


def place(client, order_id: str, cart: dict, option: str) -> None:
    assert order(client, order_id, quote(client, cart)["id"], option).status_code == 201


def record(store, order_id: str, shipment: int, at: str, service: str = "ups/ground",
           kind: ShipmentEventType = DELIVERED) -> None:
    carrier, name = service.split("/")
    store.record_shipment_event(ShipmentEvent(order_id, shipment, kind,
                                              datetime.fromisoformat(at), carrier, name), NOW)


def deliveries(client):
    """The four orders placed and their events recorded; the app's store."""
    place(client, "order-1", CART, "in_stock_first/ups/ground")
    place(client, "order-2", LANTERN, "together/usps/priority")
    place(client, "order-3", LANTERN, "together/ups/ground")
    place(client, "order-4", LANTERN, "together/ups/ground")
    assert client.post("/v1/orders/order-3/close", json={"status": "cancelled"},
                       headers=auth(Role.SUPPORT)).status_code == 200
    found = client.application.config["RATES_SERVICE"].store
    record(found, "order-1", 1, "2026-11-25T15:00:00-08:00")  # inside, 2 days before the 27th
    record(found, "order-1", 2, "2026-12-17T10:00:00-08:00", kind=SHIPPED)  # not a delivery
    # Sat Dec 19 23:30 in Reno (Sun Dec 20 in UTC): one day after the promised Dec 18.
    record(found, "order-1", 2, "2026-12-19T23:30:00-08:00")
    record(found, "order-1", 3, "2026-12-19T12:00:00-08:00")  # the order has no shipment 3
    record(found, "order-2", 1, "2026-11-26T10:00:00-05:00", "usps/priority")  # inside, -1
    record(found, "order-3", 1, "2026-11-26T10:00:00-08:00")  # cancelled: left out
    # Tue Nov 24 20:00 in Reno, already Wed Nov 25 in UTC: before a report since Nov 25.
    record(found, "order-4", 1, "2026-11-24T20:00:00-08:00")
    return found


@pytest.fixture
def store(client):
    return deliveries(client)


def test_each_delivered_shipment_is_measured_against_its_orders_promise(store):
    found = PromiseAccuracy(store, clock).measure(date(2026, 11, 25))

    report = found.report
    assert (found.since, found.as_of, found.skipped) == (date(2026, 11, 25), NOW, 2)
    # Lateness -2 (order-1 #1), +1 (order-1 #2), -1 (order-2): sorted -2 -1 1, the median
    # is rank 2, the P90 rank ceil(2.7) = 3.
    assert report.overall == Held(3, inside=2, early=0, late=1, median_lateness=-1,
                                  p90_lateness=1)
    assert report.by_service == (Row("ups/ground", Held(2, 1, 0, 1, -2, 1)),
                                 Row("usps/priority", Held(1, 1, 0, 0, -1, -1)))
    assert report.by_plan == (Row("in_stock_first", Held(2, 1, 0, 1, -2, 1)),
                              Row("together", Held(1, 1, 0, 0, -1, -1)))
    # PO-1042 names no supplier: its tent is the SKU's, Summit Tents'. On-hand units none.
    assert report.by_supplier == (Row("Summit Tents", Held(1, 0, 0, 1, 1, 1)),)
    # Week of Nov 23: promised Nov 23 -> 27 = 4 days twice; taken 2 (Nov 25) and 3 (Nov 26).
    # Week of Dec 14: promised Nov 23 -> Dec 18 = 25 days, taken Nov 23 -> Dec 19 = 26.
    assert report.weeks == (Week(2026, 48, 2, 2, promised_days=4.0, actual_days=2.5),
                            Week(2026, 51, 1, 0, promised_days=25.0, actual_days=26.0))


def test_by_default_the_report_looks_back_90_days_from_the_clocks_date(store):
    found = PromiseAccuracy(store, clock).measure()

    assert found.since == date(2026, 8, 25)  # 90 days before Mon Nov 23
    assert found.report.overall.shipments == 4  # order-4's delivery on Nov 24 too
    assert found.report.weeks[0].shipments == 3


def test_with_no_delivery_the_report_is_empty_and_reads_nothing_more(client):
    found = PromiseAccuracy(client.application.config["RATES_SERVICE"].store, clock).measure()

    assert (found.report.overall.shipments, found.report.weeks, found.skipped) == (0, (), 0)


@pytest.mark.parametrize("text", ["2026-9-01", "20260901", "2026-W36-2", "2026-02-30",
                                  " 2026-09-01", "yesterday", ""])
def test_a_since_date_is_written_yyyy_mm_dd(text):
    with pytest.raises(ValueError, match="is not a date written YYYY-MM-DD, e.g. 2026-09-01"):
        parse_since(text)


def test_the_first_day_there_is_can_be_asked_for(store):
    assert parse_since("0001-01-01") == date.min
    assert PromiseAccuracy(store, clock).measure(date.min).report.overall.shipments == 4
