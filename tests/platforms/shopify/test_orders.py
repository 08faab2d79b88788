"""Shopify's webhook events: which topic does what, and what is read of an order (the
documented orders/create sample payload, fixtures/order_created.json here)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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
from rates.platforms.shopify.orders import rate_request_of, shopify_event
from rates.settings import Limits
from rates.store import OrderStatus
from tests.support.shopify import documented_order

LIMITS = Limits()

EASTERN = timezone(timedelta(hours=-5))


def test_orders_create_is_a_new_order_with_its_chosen_rate():
    order = documented_order()
    order["shipping_lines"][0]["code"] = "together/ups/ground"
    event = shopify_event("orders/create", order, limits=LIMITS)
    assert isinstance(event, OrderPlaced)
    assert event.order_id == "shopify-820982911946154508"
    assert event.created_at == datetime(2021, 12, 31, 19, 0, tzinfo=EASTERN)
    assert event.choice == ShippingChoice("together/ups/ground", frozenset({(1000, "USD")}))
    assert event.choice.costs("10.00", "usd") and not event.choice.costs("10.01", "USD")
    # Its cart, as the rate request of its checkout was read (the same path, so the same
    # cart key): the documented line, to the shipping address's country, province, zip.
    assert event.cart == CheckoutCart({
        "currency": "USD", "locale": "en",
        "destination": {"country": "US", "region": "KY", "postcode": "40003"},
        "lines": [{"sku": "SKU2006-001", "quantity": 1, "unit_price": "89.99", "grams": 100,
                   "product_id": "788032119674292922"}]})


def test_an_order_whose_cart_the_rate_request_would_refuse_has_no_cart():
    order = documented_order()
    order["line_items"][0]["quantity"] = 1001  # over the configured units per line
    event = shopify_event("orders/create", order, limits=LIMITS)
    assert event.cart == NoCart(
        "the order's cart cannot be quoted (rate.items.0.quantity)")


def test_the_documented_sample_has_no_code_a_shops_own_rate():
    assert shopify_event("orders/create", documented_order(), limits=LIMITS).choice.code is None


@pytest.mark.parametrize(("topic", "status"), [("orders/cancelled", OrderStatus.CANCELLED),
                                               ("orders/fulfilled", OrderStatus.SHIPPED)])
def test_cancelled_and_fulfilled_close_the_order(topic, status):
    assert shopify_event(topic, documented_order(), limits=LIMITS) == OrderClosed(
        "shopify-820982911946154508", status)


@pytest.mark.parametrize("topic", ["orders/updated", "app/uninstalled", "products/delete", ""])
def test_every_other_topic_is_ignored(topic):
    assert shopify_event(topic, {"id": 1}, limits=LIMITS) == Ignored(topic)


@pytest.mark.parametrize("topic", ["orders/create", "orders/cancelled"])
@pytest.mark.parametrize("body", [{}, {"id": None}, {"id": True}, {"id": " "}, [], "x"])
def test_an_order_topic_without_an_order_id_is_invalid(topic, body):
    with pytest.raises(InvalidRequest, match="no id"):
        shopify_event(topic, body, limits=LIMITS)


@pytest.mark.parametrize("created_at", [None, "yesterday", "2021-12-31T19:00:00"])
def test_a_new_order_needs_an_instant_with_its_offset(created_at):
    order = {**documented_order(), "created_at": created_at}
    with pytest.raises(InvalidRequest, match="created_at"):
        shopify_event("orders/create", order, limits=LIMITS)


def test_the_rate_request_of_an_order_reads_no_personal_data():
    assert rate_request_of(documented_order()) == {"rate": {
        "currency": "USD", "locale": "en",
        "destination": {"country": "US", "province": "KY", "postal_code": "40003"},
        "items": [{"sku": "SKU2006-001", "variant_id": None, "product_id": 788032119674292922,
                   "quantity": 1, "grams": 100,
                   "price": 8999, "requires_shipping": True}]}}


def test_an_order_in_another_currency_is_quoted_in_the_customers():
    order = documented_order()
    order["presentment_currency"] = "CAD"
    order["line_items"][0]["price_set"]["presentment_money"] = {"amount": "122.50",
                                                               "currency_code": "CAD"}
    line = order["shipping_lines"][0]
    line["price_set"]["presentment_money"] = {"amount": "13.60", "currency_code": "CAD"}
    request = rate_request_of(order)
    assert request["rate"]["currency"] == "CAD"
    assert request["rate"]["items"][0]["price"] == 12250
    choice = shopify_event("orders/create", order, limits=LIMITS).choice
    assert choice.prices == {(1000, "USD"), (1360, "CAD")}


def test_an_order_shipped_nowhere_has_no_rate_request():
    order = {**documented_order(), "shipping_address": None}
    assert rate_request_of(order) is None


def test_a_removed_shipping_line_is_not_the_choice():
    order = documented_order()
    removed = {**order["shipping_lines"][0], "code": "old", "is_removed": True}
    order["shipping_lines"] = [removed, {**removed, "code": "new", "is_removed": False}]
    assert shopify_event("orders/create", order, limits=LIMITS).choice.code == "new"
