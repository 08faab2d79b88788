"""The background thread that keeps the webhook outbox moving while the service runs."""

from __future__ import annotations

import logging
import threading

from rates.webhooks.sender import BATCH, WebhookSender

log = logging.getLogger(__name__)


class WebhookDispatcher:
    """Runs `sender.deliver_due()` in a daemon thread, pausing `poll_seconds` after each
    pass, until `stop()`. A pass that found a full batch is followed at once by another,
    so a backlog drains without waiting a poll per batch. A failed pass (say, the database
    was unreachable) is logged and the next one runs as usual: the thread never dies."""

    def __init__(self, sender: WebhookSender, poll_seconds: float) -> None:
        self._sender = sender
        self._poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-dispatcher",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop and wait at most `timeout` seconds for the thread; True if it has ended.
        A pause ends at once; a try in flight is finished first (it is bounded by the
        sender's timeouts), and no other starts."""
        self._stopping.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                tried = self._sender.deliver_due(self._stopping)
            except Exception:  # a dispatcher that dies silently is worse than a log line
                log.exception("webhook delivery pass failed; will try again")
                tried = 0
            if tried < BATCH:
                self._stopping.wait(self._poll_seconds)
