"""The dispatcher thread: delivers without being asked, survives a failed pass, and stops
without finishing its pause, or more than the try in flight."""

import logging
import sqlite3
import threading

from rates.webhooks.dispatcher import WebhookDispatcher
from rates.webhooks.sender import WebhookSender
from tests.support.webhooks import KEY, Outbox, enqueue, settings


class FlakyOutbox(Outbox):
    """The store's outbox, unreachable for the first pass."""

    def __init__(self, store) -> None:
        super().__init__(store)
        self.broken = True

    def due_webhooks(self, now, limit, lease_seconds):
        if self.broken:
            self.broken = False
            raise sqlite3.OperationalError("database is locked")
        return super().due_webhooks(now, limit, lease_seconds)


def test_the_dispatcher_delivers_events_as_they_come(receiver, store, sender_for):
    hook = receiver()
    enqueue(store, "ord-1")
    dispatcher = WebhookDispatcher(sender_for(hook), poll_seconds=0.05)
    dispatcher.start()
    try:
        assert hook.wait_for(1, timeout=5)
        enqueue(store, "ord-2")
        assert hook.wait_for(2, timeout=5)
        (thread,) = [t for t in threading.enumerate() if t.name == "webhook-dispatcher"]
        assert thread.daemon
    finally:
        assert dispatcher.stop(timeout=5)
    assert len(hook.received) == 2


def test_a_failed_pass_is_logged_and_the_next_one_delivers(receiver, store, clock, caplog):
    hook = receiver()
    enqueue(store)
    sender = WebhookSender(settings(hook.url), KEY, FlakyOutbox(store), clock)
    dispatcher = WebhookDispatcher(sender, poll_seconds=0.05)
    with caplog.at_level(logging.ERROR, logger="rates.webhooks"):
        dispatcher.start()
        try:
            assert hook.wait_for(1, timeout=5)
        finally:
            assert dispatcher.stop(timeout=5)
            sender.close()
    (record,) = caplog.records
    assert record.getMessage() == "webhook delivery pass failed; will try again"
    assert "database is locked" in caplog.text


class CountedPasses:
    """The sender, telling the test when a pass has ended (and the pause after it begun)."""

    def __init__(self, sender: WebhookSender) -> None:
        self._sender = sender
        self.ended = threading.Event()

    def deliver_due(self, stop: threading.Event | None = None) -> int:
        tried = self._sender.deliver_due(stop)
        self.ended.set()
        return tried


def test_stop_ends_a_pause_at_once(receiver, store, sender_for):
    """A pause of ten minutes: the thread has ended when stop returns, long before."""
    hook = receiver()
    enqueue(store)
    passes = CountedPasses(sender_for(hook))
    dispatcher = WebhookDispatcher(passes, poll_seconds=600)
    dispatcher.start()
    assert passes.ended.wait(timeout=10)
    assert dispatcher.stop(timeout=10)
    assert len(hook.received) == 1


def test_stop_waits_only_for_the_try_in_flight(receiver, store, sender_for):
    """The receiver never answers; stop ends the try in flight at its timeout (the
    receiver sees it hung up on) and the next event is not tried."""
    hook = receiver(hang=2)
    enqueue(store, "ord-1")
    enqueue(store, "ord-2")
    dispatcher = WebhookDispatcher(sender_for(hook, timeout_seconds=0.3), poll_seconds=600)
    dispatcher.start()
    assert hook.wait_for(1, timeout=10)
    assert dispatcher.stop(timeout=10)
    assert hook.wait_abandoned(1, timeout=10)
    assert len(hook.received) == 1
