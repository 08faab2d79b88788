"""A pickup at the Toronto store accepted as an order: its promise is the store's
collection window, its units (the store's own allocation) wait in the backorder queue like
any, and a re-estimate re-dates it as the store collects, never through a carrier.

The example: COOLER-45 has 5 on hand in Toronto and lot PO-1090 of 8 due there Tue Dec 15
.. Fri Dec 18; Toronto receives in 2 working days and its pickup readies in 0-1.

    December 2026:  Mo Tu We Th Fr Sa Su
                        15 16 17 18 19 20
                    21 22 23 24 25 26 27      (24 closed, 25 Christmas, 26 Boxing Day,
                    28 29 30 31               28 Boxing Day observed, 31 closed)
"""

from __future__ import annotations

from rates.settings import Role
from tests.support.web import auth
from tests.support.windows import dates

CART = {
    "reference": "cart-cooler",
    "currency": "USD",
    "destination": {"country": "CA", "region": "ON", "postcode": "M4C 1B5"},
    "lines": [{"sku": "COOLER-45", "quantity": 6, "unit_price": "159.00", "grams": 6200}],
}
PICKUP = "pickup/toronto"
PO_1090 = {"id": "PO-1090", "quantity": 8, "earliest": "2026-12-15", "latest": "2026-12-18"}


def set_cooler_stock(client, lot: dict) -> None:
    stock = {"locations": [{"location": "toronto", "on_hand": 5, "inbound": [lot]}]}
    assert client.put("/v1/inventory/COOLER-45", json=stock,
                      headers=auth(Role.ADMIN)).status_code == 200


def test_a_pickup_becomes_the_promise_and_its_restock_moves_it(client):
    quoted = client.post("/v1/quotes", json=CART, headers=auth(Role.QUOTE)).get_json()
    [chosen] = [o for o in quoted["options"] if o["id"] == PICKUP]
    # Lot due Dec 15 .. 18, received in 2 working days: Thu 17 .. (Sat 19, Sun 20) Tue 22;
    # pickup handling 0-1: Thu Dec 17 .. Wed Dec 23.
    assert chosen["delivery"] == {"earliest": "2026-12-17", "latest": "2026-12-23",
                                  "confidence": None, "likely": None}
    assert chosen["carrier"] == "pickup" and chosen["service"] == "toronto"
    # The option's own allocation, which its shipment's units refer to.
    assert [[(a["quantity"], a["source"]) for a in line["allocations"]]
            for line in chosen["lines"]] == [[(5, "on_hand"), (1, "inbound")]]
    assert chosen["shipments"][0]["allocations"] == [[0, 0], [0, 1]]

    placed = client.post("/v1/orders", json={"order_id": "order-p1", "quote_id": quoted["id"],
                                             "option_id": PICKUP}, headers=auth(Role.QUOTE))
    assert placed.status_code == 201, placed.get_json()
    doc = placed.get_json()
    assert (doc["carrier"], doc["service_name"]) == ("pickup", "Pick up at Toronto, ON store")
    assert doc["promised"] == chosen["delivery"]
    assert dates(doc["promised"]) == doc["current"]
    [shipment] = doc["shipments"]
    assert [step["step"] for step in shipment["steps"]] == [
        "ready", "received", "handling", "collect"]
    assert shipment["steps"][-1]["facts"] == {"location": "toronto",
                                              "hours": "Mon-Fri 10:00-18:00"}

    # The lot slips: due Tue Dec 22 .. Wed Dec 23. Received 2 working days later: Dec 22
    # -> Wed 23, (24 .. 28 closed) Tue 29; Dec 23 -> Tue 29, Wed 30. Pickup handling 0-1:
    # Tue 29 .. Wed 30 + 1 = (Thu 31 closed, Fri Jan 1 New Year's Day, weekend) Mon Jan 4.
    set_cooler_stock(client, {**PO_1090, "earliest": "2026-12-22", "latest": "2026-12-23"})
    at_risk = client.get("/v1/promises/at-risk", headers=auth(Role.SUPPORT)).get_json()
    [entry] = at_risk["orders"]
    assert entry["id"] == "order-p1"
    assert entry["current"] == {"earliest": "2026-12-29", "latest": "2027-01-04"}
    assert entry["days_late"] == 12  # Dec 23 -> Jan 4
    assert entry["causes"][0]["delay"] == "lot_slipped"
