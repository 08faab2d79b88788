"""Shopify webhook deliveries received: recorded once, alone or in the transaction of the
order they placed or closed, and never when the placement is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rates.store import OrderStatus, Store, WebhookReceipt
from tests.support.store import claim, order

SHOP = "example-outfitters.myshopify.com"
AT = datetime(2026, 11, 23, 17, 45, tzinfo=UTC)


def receipt(webhook_id: str = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", *,
            outcome: str = "promised", order_id: str | None = "o_0001") -> WebhookReceipt:
    return WebhookReceipt(SHOP, webhook_id, "orders/create", AT, outcome, order_id)


def accept(stock, claimed) -> None:
    pass


class Refused(Exception):
    pass


def refuse(stock, claimed) -> None:
    raise Refused


def test_a_recorded_delivery_comes_back_once(store: Store):
    assert store.webhook_receipt(SHOP, receipt().webhook_id) is None
    assert store.record_webhook(receipt(outcome="not_promised", order_id=None))
    assert not store.record_webhook(receipt(outcome="promised"))  # the first one stays
    assert store.webhook_receipt(SHOP, receipt().webhook_id) == receipt(
        outcome="not_promised", order_id=None)
    # Ids are the shop's: another shop's delivery of the same id is another delivery.
    assert store.webhook_receipt("other.myshopify.com", receipt().webhook_id) is None


def test_placing_an_order_records_its_delivery_in_the_same_transaction(store: Store):
    placed, new = store.place_order(order("o_0001", claim()), accept, receipt())
    assert new and placed.id == "o_0001"
    assert store.webhook_receipt(SHOP, receipt().webhook_id) == receipt()


def test_a_refused_placement_records_nothing(store: Store):
    with pytest.raises(Refused):
        store.place_order(order("o_0001", claim()), refuse, receipt())
    assert store.get_order("o_0001") is None
    assert store.webhook_receipt(SHOP, receipt().webhook_id) is None


def test_a_second_delivery_placing_a_placed_order_is_recorded_too(store: Store):
    store.place_order(order("o_0001", claim()), accept, receipt("first"))
    stored, new = store.place_order(order("o_0001", claim()), refuse, receipt("second"))
    assert not new and stored.id == "o_0001"
    assert store.webhook_receipt(SHOP, "second") == receipt("second")


def test_closing_an_order_records_its_delivery(store: Store):
    store.place_order(order("o_0001", claim()), accept)
    closed = store.close_order("o_0001", OrderStatus.CANCELLED, AT,
                               receipt("closing", outcome="closed"))
    assert closed.status is OrderStatus.CANCELLED
    assert store.webhook_receipt(SHOP, "closing").outcome == "closed"


def test_a_naive_receipt_is_refused(store: Store):
    with pytest.raises(ValueError, match="time zone"):
        store.record_webhook(WebhookReceipt(SHOP, "x", "orders/create",
                                            AT.replace(tzinfo=None), "ignored"))
