"""Shipment events through the API: POST /v1/orders/{id}/events, recorded once, validated,
never changing the order; listed per shipment in GET /v1/orders/{id}.

The clock is Mon 2026-11-23 17:30 UTC. The order is three TENT-2P under in_stock_first
by UPS Ground: shipment 1 the two on reno's shelf, shipment 2 the one from PO-1042."""

from __future__ import annotations

import pytest

from rates.settings import Role
from tests.support.web import auth

CART = {"reference": "cart-2001", "currency": "USD",
        "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}]}
SHIPPED = {"shipment": 1, "type": "shipped", "at": "2026-11-23T08:15:00-08:00"}


@pytest.fixture
def placed(client) -> dict:
    quoted = client.post("/v1/quotes", json=CART, headers=auth(Role.QUOTE)).get_json()
    response = client.post("/v1/orders", headers=auth(Role.QUOTE), json={
        "order_id": "order-1", "quote_id": quoted["id"],
        "option_id": "in_stock_first/ups/ground"})
    assert response.status_code == 201
    return response.get_json()


def post(client, body: dict, order_id: str = "order-1", role: Role = Role.SUPPORT):
    return client.post(f"/v1/orders/{order_id}/events", json=body, headers=auth(role))


def order(client) -> dict:
    return client.get("/v1/orders/order-1", headers=auth(Role.SUPPORT)).get_json()


def test_an_event_is_recorded_once_and_listed_under_its_shipment(client, placed):
    assert [s["number"] for s in placed["shipments"]] == [1, 2]
    assert [s["events"] for s in placed["shipments"]] == [[], []]

    first = post(client, SHIPPED)

    event = {"order_id": "order-1", "shipment": 1, "type": "shipped",
             "at": "2026-11-23T08:15:00-08:00", "carrier": "ups", "service": "ground"}
    assert (first.status_code, first.get_json()) == (201, event)
    # The same instant, written in UTC: the same event.
    again = post(client, {**SHIPPED, "at": "2026-11-23T16:15:00Z"})
    assert (again.status_code, again.get_json()) == (200, event)
    delivered = post(client, {"shipment": 1, "type": "delivered", "carrier": "ups",
                              "service": "2nd_day_air", "at": "2026-11-23T09:20:00-08:00"})
    assert delivered.status_code == 201

    document = order(client)
    assert [s["events"] for s in document["shipments"]] == [[
        {"type": "shipped", "at": "2026-11-23T08:15:00-08:00", "carrier": "ups",
         "service": "ground"},
        {"type": "delivered", "at": "2026-11-23T09:20:00-08:00", "carrier": "ups",
         "service": "2nd_day_air"}], []]
    # Recording only: the order and its promise are as they were.
    assert {key: value for key, value in document.items() if key not in ("shipments", "as_of")} \
        == {key: value for key, value in placed.items() if key not in ("shipments", "as_of")}
    assert document["status"] == "open"


def test_another_instant_for_a_recorded_event_is_a_conflict(client, placed):
    post(client, SHIPPED)
    response = post(client, {**SHIPPED, "at": "2026-11-23T08:45:00-08:00"})
    assert response.status_code == 409
    assert response.get_json()["error"]["fields"] == {
        "at": ["shipment 1 was recorded shipped at 2026-11-23T08:15:00-08:00"]}


def test_an_unknown_order_is_not_found(client, placed):
    response = post(client, SHIPPED, order_id="order-404")
    assert response.status_code == 404
    assert response.get_json()["error"]["fields"] == {"order_id": ["no order 'order-404'"]}


@pytest.mark.parametrize(("body", "fields"), [
    ({**SHIPPED, "shipment": 3},
     {"shipment": ["order order-1 has 2 shipment(s): give 1 to 2"]}),
    ({**SHIPPED, "shipment": 0}, {"shipment": [
        "Must be greater than or equal to 1 and less than or equal to 1000."]}),
    ({**SHIPPED, "shipment": 1.5}, {"shipment": ["Not a valid integer."]}),
    ({**SHIPPED, "type": "lost"}, {"type": ["Must be one of: shipped, delivered."]}),
    ({**SHIPPED, "at": "2026-11-23T08:15:00"}, {"at": ["Not a valid aware datetime."]}),
    # Five minutes past now (17:30 UTC) is the most a sender's clock may run ahead.
    ({**SHIPPED, "at": "2026-11-23T17:35:01Z"},
     {"at": ["is after now (2026-11-23T17:30:00+00:00)"]}),
])
def test_a_bad_event_is_refused_field_by_field(client, placed, body, fields):
    response = post(client, body)
    assert (response.status_code, response.get_json()["error"]["fields"]) == (422, fields)
    assert [s["events"] for s in order(client)["shipments"]] == [[], []]


def test_an_instant_a_few_minutes_ahead_is_taken(client, placed):
    assert post(client, {**SHIPPED, "at": "2026-11-23T17:35:00Z"}).status_code == 201
    # JSON may write a whole number 2.0.
    assert post(client, {**SHIPPED, "shipment": 2.0}).status_code == 201


def test_a_delivery_before_its_shipping_is_refused(client, placed):
    post(client, SHIPPED)
    response = post(client, {"shipment": 1, "type": "delivered",
                             "at": "2026-11-23T08:00:00-08:00"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"at": [
        "shipment 1 was shipped at 2026-11-23T08:15:00-08:00: a delivery comes after its "
        "shipping"]}
    # Shipment 2 has its own history.
    assert post(client, {"shipment": 2, "type": "delivered",
                         "at": "2026-11-23T08:00:00-08:00"}).status_code == 201


def test_recording_events_needs_the_support_role(client, placed):
    assert post(client, SHIPPED, role=Role.QUOTE).status_code == 403
