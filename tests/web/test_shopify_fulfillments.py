"""Shopify's fulfillments through the app: each parcel becomes shipment events of the
order's promise, recorded once, and the promise never changes.

The order is the mixed cart under in_stock_first by UPS Ground, placed through the rate
callback and orders/create on Mon 2026-11-23 (tests/web/test_shopify_webhooks.py):
shipment 1 is two TENT-2P and two LANTERN on reno's shelf, shipment 2 the third TENT-2P
and the STOVE-2B, restocked. Fulfillments are the documented sample payload given the
order's line items (tests/support/shopify.py `fulfillment_for`), delivered once the clock
stands at Fri 2027-01-15.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from rates.settings import Role
from tests.support.shopify import fulfillment_for, mixed_cart, order_for
from tests.support.web import auth, on_moving_clock
from tests.web.test_shopify_webhooks import (
    CHOSEN,
    ORDER_ID,
    checkout,
    counted,
    deliver,
    order_document,
    rows,
)

OURS = f"shopify-{ORDER_ID}"
IN_STOCK = {"TENT-2P": 2, "LANTERN": 2}        # shipment 1, whole
RESTOCKED = {"TENT-2P": 1, "STOVE-2B": 1}      # shipment 2, whole
SHIPPED_AT = "2026-11-24T10:05:00-08:00"
DELIVERED_AT = "2026-11-25T14:40:00-08:00"


@pytest.fixture
def order(app, client) -> dict[str, Any]:
    """The order, placed; the clock then moves on to Fri 2027-01-15."""
    clock = on_moving_clock(app)
    placed = order_for(mixed_cart(), checkout(client)[CHOSEN])
    assert deliver(client, "orders/create", placed).get_json()["outcome"] == "promised"
    clock.now = datetime(2027, 1, 15, 17, 0, tzinfo=UTC)
    return placed


def events(client) -> list[list[dict[str, str]]]:
    """Each shipment's events, in order."""
    return [shipment["events"] for shipment in order_document(client).get_json()["shipments"]]


def promised(client) -> list[dict[str, Any]]:
    """The order's promised windows: the order's and each shipment's."""
    document = order_document(client).get_json()
    return [document["promised"], *(shipment["promised"] for shipment in document["shipments"])]


def ups(kind: str, at: str) -> dict[str, str]:
    """An event as the order document lists it: the promise's carrier and service."""
    return {"type": kind, "at": at, "carrier": "ups", "service": "ground"}


def test_a_fulfillment_ships_the_shipment_it_holds_and_its_update_delivers_it(
        client, order, metrics):
    before = promised(client)

    created = deliver(client, "fulfillments/create",
                      fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT))

    assert (created.status_code, created.get_json()) == (
        200, {"outcome": "recorded", "order_id": OURS})
    assert events(client) == [[ups("shipped", SHIPPED_AT)], []]

    updated = deliver(client, "fulfillments/update", fulfillment_for(
        order, IN_STOCK, created_at=SHIPPED_AT, updated_at=DELIVERED_AT,
        shipment_status="delivered"))

    assert updated.get_json() == {"outcome": "recorded", "order_id": OURS}
    assert events(client) == [[ups("shipped", SHIPPED_AT), ups("delivered", DELIVERED_AT)], []]
    # Facts only: the promise is as it was made, and the order still open.
    assert promised(client) == before
    assert order_document(client).get_json()["status"] == "open"
    assert counted(metrics, "fulfillments/create", "recorded") == 1
    assert counted(metrics, "fulfillments/update", "recorded") == 1


def test_the_same_delivery_again_changes_nothing(client, order, tmp_path):
    body = fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT, updated_at=DELIVERED_AT,
                           shipment_status="delivered")
    deliver(client, "fulfillments/update", body, webhook_id="f-1")
    before, listed = rows(tmp_path), events(client)

    again = deliver(client, "fulfillments/update", body, webhook_id="f-1")

    assert again.get_json() == {"outcome": "duplicate", "order_id": OURS}
    assert rows(tmp_path) == before
    assert events(client) == listed
    # Told again in another delivery (a second subscription): recorded already.
    other = deliver(client, "fulfillments/update", body, webhook_id="f-2")
    assert other.get_json() == {"outcome": "already_recorded", "order_id": OURS}
    assert events(client) == listed


def test_another_instant_for_a_recorded_delivery_is_a_200_conflict_and_the_first_stays(
        client, order, metrics):
    deliver(client, "fulfillments/update", fulfillment_for(
        order, IN_STOCK, created_at=SHIPPED_AT, updated_at=DELIVERED_AT,
        shipment_status="delivered"))

    # Updated again after its delivery (its tracking edited): a later updated_at.
    later = deliver(client, "fulfillments/update", fulfillment_for(
        order, IN_STOCK, created_at=SHIPPED_AT, updated_at="2026-11-27T09:00:00-08:00",
        shipment_status="delivered"))

    assert (later.status_code, later.get_json()) == (
        200, {"outcome": "conflict", "order_id": OURS})
    assert events(client) == [[ups("shipped", SHIPPED_AT), ups("delivered", DELIVERED_AT)], []]
    assert counted(metrics, "fulfillments/update", "conflict") == 1


def test_the_restocked_parcel_ships_the_second_shipment(client, order):
    deliver(client, "fulfillments/create",
            fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT))

    # The third tent is a TENT-2P like the first two: the shipment already shipped at
    # another instant is another parcel's, so this one is shipment 2.
    second = deliver(client, "fulfillments/create", fulfillment_for(
        order, RESTOCKED, fulfillment_id=123457, created_at="2027-01-04T11:20:00-08:00"))

    assert second.get_json()["outcome"] == "recorded"
    assert events(client) == [[ups("shipped", SHIPPED_AT)],
                              [ups("shipped", "2027-01-04T11:20:00-08:00")]]


def test_one_parcel_with_everything_ships_both_shipments(client, order):
    everything = {"TENT-2P": 3, "LANTERN": 2, "STOVE-2B": 1}
    deliver(client, "fulfillments/create", fulfillment_for(
        order, everything, created_at="2027-01-04T11:20:00-08:00"))
    assert events(client) == [[ups("shipped", "2027-01-04T11:20:00-08:00")]] * 2


def test_a_parcel_that_holds_no_shipment_whole_records_nothing(client, order, tmp_path):
    before = rows(tmp_path)
    response = deliver(client, "fulfillments/create", fulfillment_for(
        order, {"TENT-2P": 2, "LANTERN": 1}, created_at=SHIPPED_AT))
    assert response.get_json() == {"outcome": "no_shipment", "order_id": OURS}
    assert events(client) == [[], []]
    assert rows(tmp_path) == {**before, "shopify_webhooks": before["shopify_webhooks"] + 1}


def test_an_item_without_a_sku_is_found_by_its_variant_in_the_catalog(client, order):
    put = client.put("/v1/products/TENT-2P", headers=auth(Role.ADMIN),
                     json={"tags": ["oversize", "tent"], "variant_id": "40000000002"})
    assert put.status_code == 200
    body = fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT)
    tents = next(line for line in body["line_items"] if line["sku"] == "TENT-2P")
    tents.update(sku="", variant_id=40000000002)

    response = deliver(client, "fulfillments/create", body)

    assert response.get_json()["outcome"] == "recorded"
    assert events(client) == [[ups("shipped", SHIPPED_AT)], []]


def test_an_implausible_instant_is_a_200_and_records_nothing(client, order):
    # Delivered before it was made: Shopify would deliver a 4xx again and again.
    response = deliver(client, "fulfillments/update", fulfillment_for(
        order, IN_STOCK, created_at=SHIPPED_AT, updated_at="2026-11-24T09:00:00-08:00",
        shipment_status="delivered"))
    assert response.get_json() == {"outcome": "implausible", "order_id": OURS}
    assert events(client) == [[ups("shipped", SHIPPED_AT)], []]


def test_a_fulfillment_of_an_unknown_order_is_a_200(client, order, tmp_path):
    before = rows(tmp_path)
    response = deliver(client, "fulfillments/create", {
        **fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT), "order_id": 450789469})
    assert (response.status_code, response.get_json()) == (
        200, {"outcome": "unknown_order", "order_id": "shopify-450789469"})
    assert rows(tmp_path) == {**before, "shopify_webhooks": before["shopify_webhooks"] + 1}


def test_a_fulfillment_not_shipped_is_ignored(client, order, tmp_path):
    before = rows(tmp_path)
    body = {**fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT), "status": "pending"}
    response = deliver(client, "fulfillments/create", body)
    assert response.get_json() == {"outcome": "ignored", "order_id": None}
    assert rows(tmp_path) == before


def test_a_fulfillment_without_its_order_is_a_422_and_not_recorded(client, order, tmp_path):
    before = rows(tmp_path)
    body = fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT)
    del body["order_id"]
    response = deliver(client, "fulfillments/create", body)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["order_id"]
    assert rows(tmp_path) == before


def test_orders_fulfilled_closes_the_order_and_ships_its_fulfillments(client, order):
    before = promised(client)
    fulfilled = {**order, "fulfillment_status": "fulfilled", "fulfillments": [
        fulfillment_for(order, IN_STOCK, created_at=SHIPPED_AT, updated_at=DELIVERED_AT,
                        shipment_status="delivered"),
        fulfillment_for(order, RESTOCKED, fulfillment_id=123457,
                        created_at="2027-01-04T11:20:00-08:00")]}

    response = deliver(client, "orders/fulfilled", fulfilled)

    assert response.get_json() == {"outcome": "closed", "order_id": OURS}
    document = order_document(client).get_json()
    assert document["status"] == "shipped"
    assert events(client) == [[ups("shipped", SHIPPED_AT), ups("delivered", DELIVERED_AT)],
                              [ups("shipped", "2027-01-04T11:20:00-08:00")]]
    assert promised(client) == before
    # The fulfillments told again after the close (their own topics): recorded already.
    again = deliver(client, "fulfillments/create", fulfilled["fulfillments"][1])
    assert again.get_json()["outcome"] == "already_recorded"
