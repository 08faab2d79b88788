"""Saleor's order events as the engine's.

`fixtures/order_created_payload.json` and `order_cancelled_payload.json` are the payloads
our `ORDER_EVENTS_QUERY` (`rates.platforms.saleor.queries`) produces, built field for field
from the query and Saleor's schema (`saleor/graphql/schema.graphql`): the order of the
example cart, placed from the checkout of `list_methods_payload.json` with our
"in_stock_first/ups/ground" method, in a channel whose prices are entered with tax.
Saleor documents no example for a subscription payload of these events.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rates.app.platform_events import (
    CheckoutCart,
    Ignored,
    NoCart,
    OrderClosed,
    OrderPlaced,
    ShippingChoice,
)
from rates.domain.errors import InvalidRequest
from rates.platforms.saleor.checkout import cart_of
from rates.platforms.saleor.orders import delivery_id, option_id, order_event, order_id
from rates.settings import Limits
from rates.store import OrderStatus
from rates.wire.orders import ORDER_ID

FIXTURES = Path(__file__).parent / "fixtures"
LIMITS = Limits()
ORDER = "saleor-6e1d3a1c-3c59-4e8b-9b8e-2f3c1d2a4b5c"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_new_order_is_placed_with_its_choice_and_its_checkouts_cart() -> None:
    event = order_event("order_created", fixture("order_created_payload.json"), limits=LIMITS)
    checkout = cart_of(fixture("list_methods_payload.json"), limits=LIMITS)
    assert event == OrderPlaced(
        ORDER, datetime(2026, 11, 23, 17, 42, 10, 123456, tzinfo=UTC),
        # prices entered with tax: the gross 24.50; the undiscounted price is the same
        ShippingChoice("in_stock_first/ups/ground", frozenset({(2450, "USD")})),
        CheckoutCart(checkout.payload))


def test_prices_entered_without_tax_read_the_net_shipping_and_line_prices() -> None:
    payload = fixture("order_created_payload.json")
    payload["order"]["channel"]["taxConfiguration"]["pricesEnteredWithTax"] = False
    event = order_event("ORDER_CREATED", payload, limits=LIMITS)
    assert isinstance(event, OrderPlaced) and isinstance(event.cart, CheckoutCart)
    assert event.choice.prices == {(2450, "USD"), (2269, "USD")}
    # 149.00 / 1.08 = 137.96, as the fixture's net prices were made
    assert event.cart.payload["lines"][0]["unit_price"] == "137.96"


def test_our_id_fits_the_order_id_pattern_whatever_the_global_ids_characters() -> None:
    assert re.fullmatch(ORDER_ID, ORDER)
    payload = {"order": {"id": global_id("Order:ff3fa0b1-03e4-4d2f-bf70-6bfbd6c6e0fe")}}
    assert "=" in global_id("Order:1") and order_id({"order": {"id": global_id("Order:1")}}
                                                    ) == "saleor-1"
    assert order_id(payload) == "saleor-ff3fa0b1-03e4-4d2f-bf70-6bfbd6c6e0fe"


@pytest.mark.parametrize("value", [None, 7, "", "not base64!", global_id("Checkout:1"),
                                   global_id("Order:"), global_id("Order:a/b"),
                                   global_id("Order:" + "1" * 93)])
def test_an_order_without_a_usable_id_is_refused(value: Any) -> None:
    with pytest.raises(InvalidRequest) as caught:
        order_event("order_cancelled", {"order": {"id": value}}, limits=LIMITS)
    assert list(caught.value.fields) == ["order.id"]


def test_a_new_order_without_created_is_refused() -> None:
    payload = fixture("order_created_payload.json")
    payload["order"]["created"] = "2026-11-23T17:42:10"  # no offset
    with pytest.raises(InvalidRequest) as caught:
        order_event("order_created", payload, limits=LIMITS)
    assert list(caught.value.fields) == ["order.created"]


def test_cancelled_and_fulfilled_close_the_order() -> None:
    payload = fixture("order_cancelled_payload.json")
    assert order_event("order_cancelled", payload, limits=LIMITS) == OrderClosed(
        ORDER, OrderStatus.CANCELLED)
    assert order_event("order_fulfilled", payload, limits=LIMITS) == OrderClosed(
        ORDER, OrderStatus.SHIPPED)


def test_other_events_are_ignored() -> None:
    assert order_event("order_updated", {}, limits=LIMITS) == Ignored("order_updated")


@pytest.mark.parametrize(("method", "code"), [
    (global_id("app:backorder-rates:in_stock_first/ups/ground"), "in_stock_first/ups/ground"),
    (global_id("app:17:pickup/reno"), "pickup/reno"),        # an app installed without an id
    (global_id("app:backorder-rates:a:b"), "a:b"),           # a colon in the method's id
    (global_id("ShippingMethod:12"), None),                  # one of Saleor's own methods
    (global_id("app:backorder-rates"), None), ("garbage", None), (None, None)])
def test_a_method_id_maps_back_to_our_option_id(method: Any, code: str | None) -> None:
    assert option_id(method) == code


def test_an_order_collected_from_a_warehouse_has_no_code() -> None:
    payload = fixture("order_created_payload.json")
    payload["order"]["deliveryMethod"] = {"__typename": "Warehouse"}
    event = order_event("order_created", payload, limits=LIMITS)
    assert isinstance(event, OrderPlaced) and event.choice.code is None


def test_an_order_without_a_shipping_address_has_no_cart() -> None:
    payload = fixture("order_created_payload.json")
    payload["order"]["shippingAddress"] = None
    event = order_event("order_created", payload, limits=LIMITS)
    assert isinstance(event, OrderPlaced)
    assert event.cart == NoCart("the order has no shipping address")


def test_a_deleted_variant_is_read_from_the_lines_own_sku() -> None:
    payload = fixture("order_created_payload.json")
    payload["order"]["lines"][1]["variant"] = None
    event = order_event("order_created", payload, limits=LIMITS)
    assert isinstance(event, OrderPlaced) and isinstance(event.cart, CheckoutCart)
    assert event.cart.payload["lines"][1] == {
        "sku": "LANTERN", "quantity": 2, "unit_price": "19.50", "grams": 0,
        "variant_id": "UHJvZHVjdFZhcmlhbnQ6MzQ5"}


def test_lines_that_cannot_be_quoted_give_no_cart_with_the_reason() -> None:
    payload = fixture("order_created_payload.json")
    payload["order"]["lines"][0]["quantity"] = 0
    event = order_event("order_created", payload, limits=LIMITS)
    assert isinstance(event, OrderPlaced)
    assert event.cart == NoCart("the order's lines cannot be quoted: "
                                "order.lines.0.quantity: required: a whole number from 1 "
                                "to 1000")


def test_a_retried_delivery_has_the_same_id_and_another_event_another() -> None:
    body = (FIXTURES / "order_cancelled_payload.json").read_bytes()
    assert delivery_id("order_cancelled", body) == delivery_id("ORDER_CANCELLED", body)
    assert delivery_id("order_cancelled", body) != delivery_id("order_fulfilled", body)
    assert delivery_id("order_cancelled", body) != delivery_id("order_cancelled", body + b" ")
    assert len(delivery_id("order_cancelled", body)) == 64
