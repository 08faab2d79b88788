"""Orders through the JSON API: accepting an option as a promise, the backorder queue
(first come, first served), re-estimates, promises at risk, closing, and refreshing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rates.settings import Role
from tests.support.web import NOW, auth
from tests.support.windows import dates

CART = {
    "reference": "cart-2001",
    "currency": "USD",
    "destination": {"country": "US", "region": "NV", "postcode": "89501"},
    "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}],
}
OPTION = "in_stock_first/ups/ground"
# The example inventory: TENT-2P has 2 on hand at reno, 10 inbound on PO-1042 (Dec 10-14),
# and a supplier lead time of 21-35 days.
PO_1042 = {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-10", "latest": "2026-12-14"}


def tents(quantity: int) -> dict:
    return {**CART, "lines": [{**CART["lines"][0], "quantity": quantity}]}


def quote(client, cart=CART) -> dict:
    response = client.post("/v1/quotes", json=cart, headers=auth(Role.QUOTE))
    assert response.status_code == 201
    return response.get_json()


def order(client, order_id: str, quote_id: str, option_id: str = OPTION):
    return client.post("/v1/orders", json={"order_id": order_id, "quote_id": quote_id,
                                           "option_id": option_id}, headers=auth(Role.QUOTE))


def set_tent_stock(client, *lots: dict) -> None:
    stock = {"locations": [{"location": "reno", "on_hand": 2, "inbound": list(lots)}],
             "lead_time_days": [21, 35], "lead_time_location": "reno"}
    assert client.put("/v1/inventory/TENT-2P", json=stock,
                      headers=auth(Role.ADMIN)).status_code == 200


def option_of(document: dict, option_id: str = OPTION) -> dict:
    return next(o for o in document["options"] if o["id"] == option_id)


def test_an_accepted_option_becomes_the_promise_and_the_current_estimate(client):
    quoted = quote(client)
    chosen = option_of(quoted)

    placed = order(client, "order-1", quoted["id"])

    assert placed.status_code == 201
    assert placed.headers["Location"] == "/v1/orders/order-1"
    doc = placed.get_json()
    assert (doc["status"], doc["quote_id"], doc["option_id"]) == ("open", quoted["id"], OPTION)
    assert doc["promised"] == chosen["delivery"]
    # No lateness history: the promise says so; today's estimate has the same dates.
    assert (doc["promised"]["confidence"], doc["promised"]["likely"]) == (None, None)
    assert {key: doc["promised"][key] for key in ("earliest", "latest")} == doc["current"]
    assert (doc["at_risk"], doc["days_late"]) == (False, 0)
    assert [s["lines"] for s in doc["shipments"]] == [[{"sku": "TENT-2P", "quantity": 2}],
                                                      [{"sku": "TENT-2P", "quantity": 1}]]
    # The checkout's answer says when each shipment arrives; support's view of the quote
    # (replayed with explain) says when it is ready and ships too: the promise is both.
    explained = option_of(client.get(f"/v1/quotes/{quoted['id']}?explain=1",
                                     headers=auth(Role.SUPPORT)).get_json())
    for shipment, answered, quoted_shipment in zip(doc["shipments"], chosen["shipments"],
                                                   explained["shipments"], strict=True):
        assert shipment["promised"]["delivery"] == answered["delivery"]
        assert shipment["promised"] == {
            key: quoted_shipment[key] for key in ("ready", "ships", "delivery")}
        assert shipment["current"] == {**shipment["promised"],
                                       "delivery": dates(shipment["promised"]["delivery"])}
    assert doc["shipments"][1]["steps"][0] == {
        "step": "ready", "dates": {"earliest": "2026-12-10", "latest": "2026-12-14"},
        "detail": "restock due at reno", "facts": {"location": "reno"}, "skipped": []}
    # Ordered Mon Nov 23 09:30 in Reno, before its 14:00 cutoff.
    assert doc["shipments"][0]["steps"][0]["facts"] == {
        "location": "reno", "ordered_at": "2026-11-23T09:30:00-08:00",
        "timezone": "America/Los_Angeles", "cutoff": "14:00", "starts": "same_day"}
    fetched = client.get("/v1/orders/order-1", headers=auth(Role.SUPPORT))
    assert fetched.status_code == 200 and fetched.get_json() == doc


def test_placing_the_same_order_again_is_a_no_op_and_another_option_is_a_conflict(client):
    quoted = quote(client)
    first = order(client, "order-1", quoted["id"]).get_json()

    again = order(client, "order-1", quoted["id"])
    other = order(client, "order-1", quoted["id"], "together/ups/ground")

    assert again.status_code == 200 and again.get_json() == first
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "order_exists"


@pytest.mark.parametrize("body, status, field", [
    ({"order_id": "o-1", "quote_id": "q_nope", "option_id": OPTION}, 404, "quote_id"),
    ({"order_id": "bad id!", "quote_id": "q_x", "option_id": OPTION}, 422, "order_id"),
    ({"quote_id": "q_x", "option_id": OPTION}, 422, "order_id"),
])
def test_bad_order_requests_name_the_field(client, body, status, field):
    response = client.post("/v1/orders", json=body, headers=auth(Role.QUOTE))

    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]


def test_an_option_the_quote_did_not_offer_cannot_be_accepted(client):
    quoted = quote(client)

    response = order(client, "o-1", quoted["id"], "together/ups/next_day_air")

    assert response.status_code == 404
    assert "offered:" in response.get_json()["error"]["fields"]["option_id"][0]


def test_a_later_quote_waits_behind_accepted_orders(client):
    # order-1 takes the 2 on hand and all 10 units of PO-1042 ...
    assert order(client, "order-1", quote(client, tents(12))["id"]).status_code == 201

    later = quote(client, tents(3))

    # ... so the next cart's backordered unit comes from the supplier, not PO-1042.
    # (On-hand units are the merchant's count: orders do not decrement it.)
    allocations = later["lines"][0]["allocations"]
    assert [(a["source"], a["quantity"]) for a in allocations] == [("on_hand", 2),
                                                                    ("lead_time", 1)]
    # Mon Nov 23 + 21..35 days
    assert allocations[1]["ready"] == {"earliest": "2026-12-14", "latest": "2026-12-28"}


def test_two_orders_for_the_last_units_of_a_lot_cannot_both_be_accepted(client):
    # Both carts were quoted before either order: both were told PO-1042.
    first, second = quote(client, tents(12)), quote(client, tents(3))

    assert order(client, "order-1", first["id"]).status_code == 201
    refused = order(client, "order-2", second["id"])

    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "stock_changed"
    assert list(error["fields"]) == ["stock.TENT-2P"]
    assert client.get("/v1/orders/order-2", headers=auth(Role.SUPPORT)).status_code == 404


def test_a_slipped_lot_puts_the_promise_at_risk(client):
    order(client, "order-1", quote(client)["id"])
    assert client.get("/v1/promises/at-risk", headers=auth(Role.SUPPORT)).get_json()[
        "orders"] == []

    set_tent_stock(client, {**PO_1042, "earliest": "2026-12-17", "latest": "2026-12-21"})

    at_risk = client.get("/v1/promises/at-risk", headers=auth(Role.SUPPORT)).get_json()
    (entry,) = at_risk["orders"]
    assert entry["id"] == "order-1" and entry["reference"] == "cart-2001"
    assert entry["days_late"] > 0
    assert entry["causes"] == [{
        "sku": "TENT-2P", "lot": "PO-1042", "quantity": 1,
        "reason": "lot PO-1042 slipped: now due 2026-12-17..2026-12-21, "
                  "promised 2026-12-10..2026-12-14",
        # The facts that sentence was made from, for readers that word it their own way.
        "delay": "lot_slipped", "location": "reno",
        "promised": {"earliest": "2026-12-10", "latest": "2026-12-14"},
        "due": {"earliest": "2026-12-17", "latest": "2026-12-21"}, "lot_quantity": None,
        "waits": [{"quantity": 1, "source": "inbound", "lot": "PO-1042",
                   "ready": {"earliest": "2026-12-17", "latest": "2026-12-21"}}]}]
    doc = client.get("/v1/orders/order-1", headers=auth(Role.SUPPORT)).get_json()
    assert doc["at_risk"] and doc["days_late"] == entry["days_late"]
    assert doc["shipments"][0]["days_late"] == 0
    assert doc["shipments"][1]["current"]["ready"] == {"earliest": "2026-12-17",
                                                       "latest": "2026-12-21"}


def test_a_closed_order_leaves_the_queue_and_the_at_risk_list(client):
    order(client, "order-1", quote(client, tents(12))["id"])
    set_tent_stock(client, {**PO_1042, "quantity": 4})  # shrank: order-1 now waits longer

    assert len(client.get("/v1/promises/at-risk",
                          headers=auth(Role.SUPPORT)).get_json()["orders"]) == 1
    closed = client.post("/v1/orders/order-1/close", json={"status": "cancelled"},
                         headers=auth(Role.SUPPORT))

    assert closed.status_code == 200
    assert (closed.get_json()["status"], closed.get_json()["current"]) == ("cancelled", None)
    assert client.get("/v1/promises/at-risk",
                      headers=auth(Role.SUPPORT)).get_json()["orders"] == []
    # PO-1042's 4 units are free again for the next cart.
    later = quote(client, tents(3))["lines"][0]["allocations"]
    assert [(a["source"], a.get("lot")) for a in later] == [("on_hand", None),
                                                             ("inbound", "PO-1042")]


def test_closing_needs_a_known_status_and_order(client):
    bad = client.post("/v1/orders/nope/close", json={"status": "lost"},
                      headers=auth(Role.SUPPORT))
    missing = client.post("/v1/orders/nope/close", json={"status": "shipped"},
                          headers=auth(Role.SUPPORT))

    assert bad.status_code == 422 and "status" in bad.get_json()["error"]["fields"]
    assert missing.status_code == 404


def test_refresh_requotes_the_cart_now_and_lists_what_changed(client):
    original = quote(client)
    set_tent_stock(client, {**PO_1042, "earliest": "2026-12-17", "latest": "2026-12-21"})

    response = client.post(f"/v1/quotes/{original['id']}/refresh", headers=auth(Role.SUPPORT))

    assert response.status_code == 200
    refreshed = response.get_json()
    assert refreshed["previous"] == original["id"]
    assert refreshed["quote"]["id"] != original["id"]
    delivery = [c for c in refreshed["changes"] if c["option"] == OPTION
                and c["kind"] == "delivery"]
    assert delivery == [{"option": OPTION, "kind": "delivery",
                         "old": "{earliest}..{latest}".format(**option_of(original)["delivery"]),
                         "new": "{earliest}..{latest}".format(
                             **option_of(refreshed["quote"])["delivery"])}]
    assert client.post("/v1/quotes/q_nope/refresh",
                       headers=auth(Role.SUPPORT)).status_code == 404


def test_reading_orders_needs_support_and_placing_them_needs_a_key(client):
    quoted = quote(client)

    assert order(client, "order-1", quoted["id"]).status_code == 201
    assert client.get("/v1/orders/order-1", headers=auth(Role.QUOTE)).status_code == 403
    assert client.get("/v1/promises/at-risk", headers=auth(Role.QUOTE)).status_code == 403
    assert client.post("/v1/orders", json={}).status_code == 401


def test_a_stale_quote_cannot_be_accepted(client, app):
    quoted = quote(client)
    service = app.config["RATES_SERVICE"]
    later = NOW + timedelta(hours=25)
    app.config["RATES_SERVICE"] = type(service)(service.reloading, service.store, lambda: later)

    response = order(client, "order-1", quoted["id"])

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "quote_expired"
