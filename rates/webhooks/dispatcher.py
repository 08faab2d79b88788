"""The background thread that keeps the webhook outbox moving while the service runs."""

from __future__ import annotations

import threading

from rates.store.recurring import Recurring
from rates.webhooks.sender import BATCH, WebhookSender


class WebhookDispatcher(Recurring):
    """Runs `sender.deliver_due()` in a thread of its own (`rates.store.recurring`), pausing
    `poll_seconds` after each pass; a pass that found a full batch is followed at once by
    another, so a backlog drains without waiting a poll per batch. On `stop()` a try in
    flight is finished (it is bounded by the sender's timeouts), and no other starts."""

    def __init__(self, sender: WebhookSender, poll_seconds: float) -> None:
        def deliver(stopping: threading.Event) -> bool:
            return sender.deliver_due(stopping) >= BATCH

        super().__init__("webhook-dispatcher", deliver, poll_seconds,
                         failure="webhook delivery pass failed; will try again")
