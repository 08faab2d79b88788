"""Shopify's fulfillments as parcels, read from the payloads Shopify documents
(fixtures/fulfillment_created.json, fixtures/fulfillment_event_created.json: the
fulfillments/create and fulfillment_events/create samples, verbatim)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from rates.app.platform_events import Ignored, OrderClosed, ParcelLine, ParcelMoved
from rates.domain.errors import InvalidRequest
from rates.platforms.shopify.orders import TOPICS, shopify_event
from rates.settings import Limits
from rates.store import OrderStatus
from tests.support.shopify import (
    documented_fulfillment,
    documented_fulfillment_event,
    documented_order,
)

LIMITS = Limits()
EASTERN = timezone(timedelta(hours=-5))
ORDER = "shopify-820982911946154508"
PRODUCT = "788032119674292922"
# The documented fulfillment's five line items, each one unit, as a checkout names them.
LINES = (ParcelLine("SKU2006-001", 1, None, PRODUCT), ParcelLine("LENS-PROTECT-2YR", 1),
         ParcelLine("CASE-LEATHER-PREM", 1), ParcelLine("SKU2006-020", 1, None, PRODUCT),
         ParcelLine("SKU2006-035", 1, None, PRODUCT))


def shipped(**changes) -> dict:
    return {**documented_fulfillment(), "status": "success", **changes}


@pytest.mark.parametrize("topic", ["fulfillments/create", "fulfillments/update"])
def test_a_shipped_fulfillment_is_a_parcel_shipped_when_it_was_made(topic):
    assert shopify_event(topic, shipped(), limits=LIMITS) == ParcelMoved(
        ORDER, LINES, datetime(2021, 12, 31, 19, 0, tzinfo=EASTERN), None)


def test_a_delivered_fulfillment_is_delivered_at_the_update_that_said_so():
    event = shopify_event("fulfillments/update", shipped(
        shipment_status="delivered", updated_at="2022-01-04T13:05:00-05:00"), limits=LIMITS)
    assert event == ParcelMoved(ORDER, LINES, datetime(2021, 12, 31, 19, 0, tzinfo=EASTERN),
                                datetime(2022, 1, 4, 13, 5, tzinfo=EASTERN))


@pytest.mark.parametrize("status", ["in_transit", "out_for_delivery", "failure", None])
def test_a_fulfillment_not_delivered_yet_is_only_shipped(status):
    event = shopify_event("fulfillments/update", shipped(shipment_status=status),
                          limits=LIMITS)
    assert isinstance(event, ParcelMoved) and event.delivered_at is None


@pytest.mark.parametrize("status", ["pending", "open", "cancelled", "error", "failure", None])
def test_a_fulfillment_that_has_not_shipped_is_ignored(status):
    # The documented sample itself is "pending": a fulfillment service has not taken it.
    body = {**documented_fulfillment(), "status": status}
    assert shopify_event("fulfillments/create", body, limits=LIMITS) == Ignored(
        "fulfillments/create")


def test_lines_are_named_as_the_checkout_names_them_and_only_those_that_ship():
    [sunglasses, lens, case, *_] = documented_fulfillment()["line_items"]
    body = shipped(line_items=[
        {**sunglasses, "sku": "", "variant_id": 49148385, "quantity": 2},  # no SKU
        {**lens, "requires_shipping": False},                              # a service
        {**case, "quantity": 0}, {**case, "quantity": True}, {**case, "quantity": "1"},
        {**case, "sku": None, "variant_id": None},                         # no name
        "not an item"])
    event = shopify_event("fulfillments/create", body, limits=LIMITS)
    assert event.lines == (ParcelLine("variant-49148385", 2, "49148385", PRODUCT),)


@pytest.mark.parametrize("body", [{}, {"order_id": None}, {"order_id": True},
                                  {"order_id": " "}, [], "x"])
def test_a_fulfillment_without_its_order_is_invalid(body):
    with pytest.raises(InvalidRequest, match="no order_id") as raised:
        shopify_event("fulfillments/create", body, limits=LIMITS)
    assert list(raised.value.fields) == ["order_id"]


@pytest.mark.parametrize("created_at", [None, "yesterday", "2021-12-31T19:00:00"])
def test_a_shipped_fulfillment_needs_its_instant_with_an_offset(created_at):
    with pytest.raises(InvalidRequest, match="no created_at"):
        shopify_event("fulfillments/create", shipped(created_at=created_at), limits=LIMITS)


def test_a_delivery_without_its_instant_is_only_shipped():
    event = shopify_event("fulfillments/update", shipped(
        shipment_status="delivered", updated_at=None), limits=LIMITS)
    assert event.delivered_at is None


def test_orders_fulfilled_closes_the_order_with_its_shipped_fulfillments():
    order = documented_order()
    order["fulfillments"] = [
        shipped(shipment_status="delivered", updated_at="2022-01-04T13:05:00-05:00"),
        documented_fulfillment(),                        # pending: not shipped
        shipped(id=123457, created_at=None),             # no instant: left out
        "not a fulfillment"]
    assert shopify_event("orders/fulfilled", order, limits=LIMITS) == OrderClosed(
        ORDER, OrderStatus.SHIPPED, (ParcelMoved(
            ORDER, LINES, datetime(2021, 12, 31, 19, 0, tzinfo=EASTERN),
            datetime(2022, 1, 4, 13, 5, tzinfo=EASTERN)),))


def test_fulfillment_events_are_not_read():
    # Its payload names the fulfillment by id only, not what it holds: see fulfillments.py.
    event = {**documented_fulfillment_event(), "status": "delivered"}
    assert shopify_event("fulfillment_events/create", event, limits=LIMITS) == Ignored(
        "fulfillment_events/create")
    assert "fulfillment_events/create" not in TOPICS
    assert {"fulfillments/create", "fulfillments/update"} <= TOPICS
