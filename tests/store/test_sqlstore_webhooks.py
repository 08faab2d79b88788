"""The webhook outbox: an at-risk finding and its event are written together; senders
lease due events oldest first, retry failed ones when told, and can give up."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest

from rates.store import OrderStatus, Store, WebhookDelivery, open_store
from tests.support.store import claim, order

BERLIN = timezone(timedelta(hours=1))
SWEPT = datetime(2026, 12, 1, 6, 0, 0, 250000, tzinfo=BERLIN)  # 05:00:00.25Z
LEASE = 60.0


def event(order_id: str) -> dict:
    return {"type": "order.at_risk", "order": order_id, "latest": "2026-12-18",
            "note": "Lieferung verzögert"}


def accept(stock, claims) -> None:
    """A check that refuses nothing."""


def placed(store: Store, *order_ids: str) -> None:
    for order_id in order_ids:
        store.place_order(order(order_id, claim()), accept)


def test_a_finding_of_risk_and_its_event_are_recorded_together(store: Store):
    placed(store, "o_1")

    assert store.mark_at_risk("o_1", at_risk=True, event=event("o_1"), at=SWEPT) is True

    assert store.get_order("o_1").at_risk is True
    [due] = store.due_webhooks(SWEPT, 10, LEASE)
    assert due == WebhookDelivery(due.id, event("o_1"), SWEPT, 0, SWEPT)
    assert due.created_at.utcoffset() == due.next_attempt_at.utcoffset() == timedelta(hours=1)


def test_a_finding_that_did_not_change_is_not_recorded_again(store: Store):
    placed(store, "o_1")
    store.mark_at_risk("o_1", at_risk=True, event=event("o_1"), at=SWEPT)

    assert store.mark_at_risk("o_1", at_risk=True, event=event("o_1"),
                              at=SWEPT + timedelta(hours=1)) is False
    assert len(store.due_webhooks(SWEPT + timedelta(hours=2), 10, LEASE)) == 1


def test_an_order_back_on_time_is_recorded_without_an_event(store: Store):
    placed(store, "o_1")
    store.mark_at_risk("o_1", at_risk=True, event=None, at=SWEPT)

    assert store.mark_at_risk("o_1", at_risk=False, event=event("o_1"), at=SWEPT) is True

    assert store.get_order("o_1").at_risk is False
    assert store.due_webhooks(SWEPT, 10, LEASE) == []


def test_a_closed_or_unknown_order_is_not_marked(store: Store):
    placed(store, "o_1")
    store.close_order("o_1", OrderStatus.SHIPPED, SWEPT)

    assert store.mark_at_risk("o_1", at_risk=True, event=event("o_1"), at=SWEPT) is False
    assert store.mark_at_risk("o_2", at_risk=True, event=event("o_2"), at=SWEPT) is False
    assert store.get_order("o_1").at_risk is False
    assert store.due_webhooks(SWEPT, 10, LEASE) == []


def test_due_webhooks_come_oldest_first_up_to_the_limit_once_due(store: Store):
    placed(store, "o_1", "o_2", "o_3")
    # Recorded in this order, but o_3's event is the oldest and o_1's the newest.
    store.mark_at_risk("o_1", at_risk=True, event=event("o_1"),
                       at=datetime(2026, 12, 1, 5, 0, 2, tzinfo=UTC))
    store.mark_at_risk("o_2", at_risk=True, event=event("o_2"),
                       at=datetime(2026, 12, 1, 6, 0, 1, tzinfo=BERLIN))  # 05:00:01Z
    store.mark_at_risk("o_3", at_risk=True, event=event("o_3"),           # 05:00:00Z
                       at=datetime(2026, 11, 30, 21, 0, tzinfo=timezone(timedelta(hours=-8))))
    one_second_in = datetime(2026, 12, 1, 5, 0, 1, tzinfo=UTC)

    def due(now: datetime, limit: int) -> list[str]:
        return [d.event["order"] for d in store.due_webhooks(now, limit, LEASE)]

    assert due(one_second_in, 1) == ["o_3"]
    assert due(one_second_in, 10) == ["o_2"]  # o_3 is leased, o_1 not due yet
    assert due(one_second_in + timedelta(seconds=1), 10) == ["o_1"]


def test_a_leased_webhook_is_due_again_only_when_its_lease_ends(store: Store):
    placed(store, "o_1")
    store.mark_at_risk("o_1", at_risk=True, event=event("o_1"), at=SWEPT)
    [leased] = store.due_webhooks(SWEPT, 10, LEASE)

    assert store.due_webhooks(SWEPT + timedelta(seconds=59), 10, LEASE) == []
    assert store.due_webhooks(SWEPT + timedelta(seconds=60), 10, LEASE) == [leased]


def test_a_failed_try_is_counted_and_retried_when_told(store: Store):
    placed(store, "o_1")
    store.mark_at_risk("o_1", at_risk=True, event=event("o_1"), at=SWEPT)
    [leased] = store.due_webhooks(SWEPT, 10, LEASE)
    retry = SWEPT + timedelta(minutes=5)

    store.webhook_failed(leased.id, "HTTP 503 from the receiver", retry)

    assert store.due_webhooks(retry - timedelta(microseconds=1), 10, LEASE) == []
    assert store.due_webhooks(retry, 10, LEASE) == [
        WebhookDelivery(leased.id, event("o_1"), SWEPT, 1, retry, "HTTP 503 from the receiver")]


def test_a_webhook_given_up_stays_out_of_the_outbox(store: Store):
    placed(store, "o_1")
    store.mark_at_risk("o_1", at_risk=True, event=event("o_1"), at=SWEPT)
    [leased] = store.due_webhooks(SWEPT, 10, LEASE)

    store.webhook_failed(leased.id, "HTTP 410 Gone", None)

    assert store.due_webhooks(SWEPT + timedelta(days=365), 10, LEASE) == []


def test_a_delivered_webhook_leaves_the_outbox(store: Store):
    placed(store, "o_1", "o_2")
    store.mark_at_risk("o_1", at_risk=True, event=event("o_1"), at=SWEPT)
    store.mark_at_risk("o_2", at_risk=True, event=event("o_2"), at=SWEPT)
    [first, second] = store.due_webhooks(SWEPT, 10, LEASE)

    store.webhook_delivered(first.id, SWEPT + timedelta(seconds=1))
    store.webhook_failed(first.id, "a late report of a failure", SWEPT)  # changes nothing

    assert store.due_webhooks(SWEPT + timedelta(days=1), 10, LEASE) == [second]


def test_a_naive_time_or_a_limit_below_one_is_refused(store: Store):
    with pytest.raises(ValueError, match="time zone"):
        store.due_webhooks(datetime(2026, 12, 1, 6, 0), 10, LEASE)
    with pytest.raises(ValueError, match="limit"):
        store.due_webhooks(SWEPT, 0, LEASE)


def test_senders_on_two_stores_never_lease_the_same_webhook(store: Store, store_url: str):
    order_ids = [f"o_{n}" for n in range(40)]
    placed(store, *order_ids)
    for order_id in order_ids:
        store.mark_at_risk(order_id, at_risk=True, event=event(order_id), at=SWEPT)
    other = open_store(store_url, default_location="reno")
    senders, ready = [store, other] * 3, threading.Barrier(6)

    def send(sender: Store) -> list[str]:
        ready.wait()
        taken = []
        while leased := sender.due_webhooks(SWEPT, 3, LEASE):
            taken += [d.event["order"] for d in leased]
        return taken

    try:
        with ThreadPoolExecutor(len(senders)) as pool:
            taken = [order_id for done in pool.map(send, senders) for order_id in done]
    finally:
        other.close()
    assert sorted(taken) == sorted(order_ids)
