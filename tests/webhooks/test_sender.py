"""One pass of the sender at a time, against a real receiver and a real SQLite outbox.

The clock only moves when a test moves it, and the jitter is chosen (`FixedRandom`), so
each retry time below is worked out by hand: after the n-th failure the next try is
`fraction × min(3600, 30 × 2^(n-1))` seconds after the failed one. What arrives is
verified with `standardwebhooks`, as a merchant's receiver verifies it.
"""

import json
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import WebhookVerificationError

from rates.store import open_store
from rates.webhooks.secret import new_secret
from rates.webhooks.sender import WebhookSender
from tests.support.webhooks import (
    KEY,
    SECRET,
    T0,
    FixedRandom,
    at_risk_event,
    enqueue,
    settings,
    verified,
)

S = timedelta(seconds=1)
T0_US = 1_795_455_000_000_000  # T0 in microseconds since 1970: the id's creation part


def test_an_event_arrives_signed_as_standard_webhooks_specify(receiver, store, outbox,
                                                               sender_for):
    hook = receiver()
    enqueue(store)
    assert sender_for(hook).deliver_due() == 1
    (got,) = hook.received
    (delivery,) = outbox.leased[0]
    assert (got.path, got.headers["content-type"]) == ("/hooks/rates", "application/json")
    assert got.headers["webhook-id"] == f"msg_{delivery.id}_{T0_US}"
    assert got.headers["webhook-timestamp"] == "1795455000"
    assert json.loads(got.body) == at_risk_event()
    assert verified(got.body, got.headers, T0) == at_risk_event()
    with pytest.raises(WebhookVerificationError, match="No matching signature found"):
        verified(got.body.replace(b'"days_late":3', b'"days_late":0'), got.headers, T0)
    with pytest.raises(WebhookVerificationError, match="Message timestamp too old"):
        verified(got.body, got.headers, T0 + 301 * S)
    assert not [name for name in got.headers if name.startswith("x-rates-")]
    assert outbox.delivered == [(delivery.id, T0)]


def test_a_receiver_verifying_with_standardwebhooks_takes_the_event(receiver, store, outbox,
                                                                    sender_for):
    """The receiver checks each request as it arrives, on this machine's clock, so the
    sender's clock is this machine's too."""
    hook = receiver(secret=SECRET)
    now = datetime.now(UTC)
    enqueue(store, at=now)
    assert sender_for(hook, clock=lambda: datetime.now(UTC)).deliver_due() == 1
    assert (len(outbox.delivered), outbox.failed) == (1, [])


@pytest.mark.parametrize(("secret", "slow", "refusal"), [
    (new_secret(), 0, "No matching signature found"),
    (SECRET, 360, "Message timestamp too old")])
def test_a_receiver_that_cannot_verify_the_try_refuses_it_and_it_is_retried(
        receiver, store, outbox, sender_for, secret, slow, refusal):
    """A receiver holding another secret, or a sender whose clock is six minutes slow."""
    hook = receiver(secret=secret)
    now = datetime.now(UTC) - slow * S
    enqueue(store, at=now)
    sender = sender_for(hook, clock=lambda: datetime.now(UTC) - slow * S,
                        rng=FixedRandom([0.5]))
    assert sender.deliver_due() == 1
    assert [error for _, error, _ in outbox.failed] == [f"HTTP 401: {refusal}"]
    assert outbox.delivered == []


def test_a_delivered_event_is_never_sent_again(receiver, store, clock, sender_for):
    hook = receiver()
    enqueue(store)
    sender = sender_for(hook)
    assert sender.deliver_due() == 1
    for _ in range(3):
        clock.advance(86_400)  # far past any lease
        assert sender.deliver_due() == 0
    assert len(hook.received) == 1


def test_a_receiver_failing_twice_gets_the_event_on_the_third_pass(receiver, store, outbox,
                                                                    clock, sender_for):
    hook = receiver(fail=2)
    enqueue(store)
    sender = sender_for(hook, rng=FixedRandom([0.5, 0.25]))
    assert sender.deliver_due() == 1      # T0: 500; 0.5 × 30 s -> T0 + 15 s
    clock.advance(14)
    assert sender.deliver_due() == 0      # T0 + 14 s: not due yet
    clock.advance(1)
    assert sender.deliver_due() == 1      # T0 + 15 s: 500; 0.25 × 60 s -> T0 + 30 s
    clock.advance(14)
    assert sender.deliver_due() == 0
    clock.advance(1)
    assert sender.deliver_due() == 1      # T0 + 30 s: 204
    (delivery_id,) = {delivery.id for leased in outbox.leased for delivery in leased}
    assert [[d.attempts for d in leased] for leased in outbox.leased] == [[0], [], [1], [], [2]]
    assert outbox.failed == [(delivery_id, 'HTTP 500: {"error": "try later"}', T0 + 15 * S),
                             (delivery_id, 'HTTP 500: {"error": "try later"}', T0 + 30 * S)]
    assert outbox.delivered == [(delivery_id, T0 + 30 * S)]
    # Every try is the same message, signed afresh when it is sent: a retry is as fresh as
    # a first try, and verifies on the receiver's clock of its own moment.
    assert [r.headers["webhook-id"] for r in hook.received] == [
        f"msg_{delivery_id}_{T0_US}"] * 3
    assert [r.headers["webhook-timestamp"] for r in hook.received] == [
        "1795455000", "1795455015", "1795455030"]
    assert [verified(r.body, r.headers, T0 + seconds * S)
            for r, seconds in zip(hook.received, (0, 15, 30), strict=True)] == [
        at_risk_event()] * 3


def test_a_hanging_receiver_is_hung_up_on_and_the_event_is_retried(receiver, store, outbox,
                                                                    clock, sender_for):
    """The receiver never answers the first try: the sender gives up on it by itself (the
    receiver sees the connection closed) and records a timeout."""
    hook = receiver(hang=1)
    enqueue(store)
    sender = sender_for(hook, rng=FixedRandom([0.5]), timeout_seconds=0.3)
    assert sender.deliver_due() == 1
    assert hook.wait_abandoned(1, timeout=10)
    assert [(error, at) for _, error, at in outbox.failed] == [
        ("timed out after 0.3 s", T0 + 15 * S)]
    clock.advance(15)
    assert sender.deliver_due() == 1
    assert len(hook.received) == 2
    assert len(outbox.delivered) == 1


def test_after_max_attempts_failed_tries_the_event_is_given_up(receiver, store, outbox, clock,
                                                               sender_for):
    hook = receiver(fail=100)
    enqueue(store)
    sender = sender_for(hook, rng=FixedRandom([0.5, 0.5]), max_attempts=3)
    for _ in range(3):
        assert sender.deliver_due() == 1
        clock.advance(3600)
    # T0: 0.5 × 30 s; T0 + 1 h: 0.5 × 60 s; T0 + 2 h: the 3rd failure of 3, given up.
    assert [at for _, _, at in outbox.failed] == [T0 + 15 * S, T0 + 3630 * S, None]
    clock.advance(30 * 86_400)
    assert sender.deliver_due() == 0
    assert len(hook.received) == 3


def test_a_redirect_is_a_failure_and_is_not_followed(receiver, store, outbox, sender_for):
    hook = receiver(redirect=True)
    enqueue(store)
    assert sender_for(hook, rng=FixedRandom([0.5])).deliver_due() == 1
    assert [r.path for r in hook.received] == ["/hooks/rates"]
    assert [error for _, error, _ in outbox.failed] == ["HTTP 302: redirect not followed"]


def test_a_refused_connection_is_a_failure_retried_later(store, outbox, sender_for):
    enqueue(store)
    with socket.socket() as held:  # bound, never listening: every connection is refused
        held.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{held.getsockname()[1]}/hooks"
        assert sender_for(url, rng=FixedRandom([0.5])).deliver_due() == 1
    assert outbox.failed == [(outbox.leased[0][0].id, "connection failed: ConnectionError",
                              T0 + 15 * S)]


def test_only_the_start_of_a_refusals_body_is_kept(receiver, store, outbox, sender_for):
    hook = receiver(fail=1, failure_body=b"<html>" + b"x" * 1_000_000)
    enqueue(store)
    assert sender_for(hook, rng=FixedRandom([0.5])).deliver_due() == 1
    assert [error for _, error, _ in outbox.failed] == ["HTTP 500: <html>" + "x" * 250]


def test_an_event_that_cannot_be_sent_is_given_up_at_once(receiver, store, outbox, clock,
                                                          sender_for):
    """Retrying would fail the same way, every time, ahead of the events behind it."""
    hook = receiver()
    enqueue(store, "ord-1", event={"order": {"id": "ord-1"}})
    enqueue(store, "ord-2")
    sender = sender_for(hook)
    assert sender.deliver_due() == 2
    ((_, error, retry_at),) = outbox.failed
    assert (error, retry_at) == ("cannot be sent: the event's type None is not 1-100 "
                                 "characters of full-stop delimited A-Z a-z 0-9 _", None)
    assert [json.loads(r.body)["order"]["id"] for r in hook.received] == ["ord-2"]
    clock.advance(86_400)
    assert sender.deliver_due() == 0


def test_a_pass_takes_a_batch_of_ten_oldest_first(receiver, store, clock, sender_for):
    hook = receiver()
    for n in range(12):
        enqueue(store, f"ord-{n:02}", at=T0 - (12 - n) * S)
    sender = sender_for(hook)
    assert [sender.deliver_due(), sender.deliver_due(), sender.deliver_due()] == [10, 2, 0]
    assert [json.loads(r.body)["order"]["id"] for r in hook.received] == [
        f"ord-{n:02}" for n in range(12)]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_an_outbox_id_used_again_by_a_new_database_is_a_new_message(database, request, tmp_path,
                                                                    receiver, clock):
    """A restored or new database counts its outbox from 1 again; a receiver that remembers
    the ids it handled must not take its events for ones it has seen."""
    hook = receiver()
    created = [T0 - 86_400 * S, T0 - S + 123_456 * timedelta(microseconds=1)]
    for n, at in enumerate(created):
        url = (request.getfixturevalue("postgres_url") if database == "postgresql" and n == 0
               else "sqlite:///" + str(tmp_path / f"{n}.db"))
        store = open_store(url, default_location="reno")
        try:
            enqueue(store, at=at)
            sender = WebhookSender(settings(hook.url), KEY, store, clock)
            assert sender.deliver_due() == 1
            sender.close()
        finally:
            store.close()
    assert [r.headers["webhook-id"] for r in hook.received] == [
        "msg_1_1795368600000000", "msg_1_1795454999123456"]


def test_a_pass_told_to_stop_starts_no_try_and_leaves_the_lease_to_run_out(receiver, store,
                                                                           clock, sender_for):
    hook = receiver()
    enqueue(store)
    sender = sender_for(hook, timeout_seconds=0.3)
    stop = threading.Event()
    stop.set()
    assert sender.deliver_due(stop) == 0
    clock.advance(8)  # the lease covers a batch of tries: 10 × 3 waits × 0.3 s = 9 s
    assert sender.deliver_due() == 0
    clock.advance(2)
    assert sender.deliver_due() == 1
    assert len(hook.received) == 1
