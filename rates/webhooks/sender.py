"""Delivering the webhook outbox: a pass tries a batch of due events and records each outcome.

Delivery is at least once. An event leaves the outbox only after a 2xx answer, so a crash
between the answer and the record, or a lease that ran out during a very slow pass, sends it
again; receivers deduplicate on `webhook-id` (`signing.message_id`).

Anything else is a failed try: another status, a timeout, a broken connection. A 3xx is a
failure too, because following a redirect would let whoever controls the receiver's old
address send the signed event elsewhere. Retries back off exponentially with full jitter
(`retry_delay`), so a receiver back from an outage is not hit by every waiting event at
once; after `max_attempts` tries an event is given up and kept for inspection.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import requests

from rates.carriers.session import new_session
from rates.settings import WebhookSettings
from rates.store.base import Store, WebhookDelivery
from rates.webhooks.signing import SignedRequest, message_id, sign

log = logging.getLogger(__name__)

BATCH = 10
"""Events leased per pass: the lease must outlast trying them all one after another."""

ERROR_BYTES = 256
"""How much of a refusal's body is read, for the error kept with the event; a receiver
cannot make the sender hold more than this in memory."""

_WAITS_PER_TRY = 3  # connect, the answer's head, the first bytes of a refusal's body


def retry_delay(failures: int, settings: WebhookSettings, rng: random.Random) -> float:
    """Seconds from the end of a failed try to the next try, after `failures` (>= 1)
    failed tries: drawn uniformly from [0, ceiling], where the ceiling is
    `first_retry_seconds * 2 ** (failures - 1)`, capped at `max_retry_seconds`."""
    doublings = min(failures - 1, 64)  # 2.0 ** 1024 overflows; the cap is reached long before
    ceiling = min(settings.max_retry_seconds, settings.first_retry_seconds * 2.0 ** doublings)
    return rng.uniform(0, ceiling)


class WebhookSender:
    """Sends the store's due webhook events to `settings.url`, signed with `key` (the
    secret's bytes, `rates.webhooks.config.webhook_secret`).

    `clock` gives the time events are due by, signed at and retried from; `rng` draws the
    retry jitter (pass a seeded `random.Random` for repeatable delays). Without `session`,
    one is made like the carriers' (no proxies or ~/.netrc from the environment, no
    automatic retries) and closed by `close()`. Not for use by two threads at once: run
    one sender per process and let the store's leases share the work between processes.
    """

    def __init__(self, settings: WebhookSettings, key: bytes, store: Store,
                 clock: Callable[[], datetime], session: requests.Session | None = None, *,
                 rng: random.Random | None = None) -> None:
        self._settings = settings
        self._key = key
        self._store = store
        self._clock = clock
        self._owns_session = session is None
        self._session = session or new_session(pool_size=1)
        # Jitter only spreads retries out; nothing secret is drawn from it.
        self._rng = rng or random.Random()  # noqa: S311
        self._lease_seconds = BATCH * _WAITS_PER_TRY * settings.timeout_seconds

    def deliver_due(self, stop: threading.Event | None = None) -> int:
        """One pass: lease up to `BATCH` due events, oldest first, and try each once;
        how many were tried. Once `stop` is set no further try starts; the events leased
        but not tried wait for their lease to run out."""
        tried = 0
        for delivery in self._store.due_webhooks(self._clock(), BATCH, self._lease_seconds):
            if stop is not None and stop.is_set():
                break
            self._try(delivery)
            tried += 1
        return tried

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def _try(self, delivery: WebhookDelivery) -> None:
        try:
            request = sign(self._key, message_id(delivery.id, delivery.created_at),
                           delivery.event, self._clock())
        except (TypeError, ValueError) as error:
            # Every later try would fail the same way: give up now, not after max_attempts.
            log.error("webhook %d cannot be sent, giving up: %s", delivery.id, error)
            self._store.webhook_failed(delivery.id, f"cannot be sent: {error}", None)
            return
        failure = self._post(request)
        ended = self._clock()
        if failure is None:
            self._store.webhook_delivered(delivery.id, ended)
            return
        failures = delivery.attempts + 1
        retry_at = None
        if failures < self._settings.max_attempts:
            retry_at = ended + timedelta(seconds=retry_delay(failures, self._settings, self._rng))
        log.warning("webhook %d failed (try %d of %d): %s", delivery.id, failures,
                    self._settings.max_attempts, failure)
        self._store.webhook_failed(delivery.id, failure, retry_at)

    def _post(self, request: SignedRequest) -> str | None:
        """None when the receiver answered 2xx, else why the try failed.

        The request goes straight to the session's transport adapter: `Session.send` reads
        a redirect's whole body (to offer `Response.next`) even when told not to follow it.
        """
        timeout = self._settings.timeout_seconds
        try:
            prepared = self._session.prepare_request(requests.Request(
                "POST", self._settings.url, headers=dict(request.headers), data=request.body))
            transport = self._session.get_adapter(self._settings.url)
            with transport.send(prepared, stream=True, timeout=(timeout, timeout)) as response:
                if 200 <= response.status_code < 300:
                    return None
                return _refusal(response)
        except requests.Timeout:
            return f"timed out after {timeout:g} s"
        except requests.RequestException as error:
            return f"connection failed: {type(error).__name__}"


def _refusal(response: requests.Response) -> str:
    """The error kept for an answer other than 2xx: its status, and the start of the body
    the receiver explained it with."""
    if 300 <= response.status_code < 400:
        return f"HTTP {response.status_code}: redirect not followed"
    head = next(response.iter_content(ERROR_BYTES), b"")[:ERROR_BYTES]
    text = " ".join(head.decode("utf-8", "replace").split())
    return f"HTTP {response.status_code}: {text}" if text else f"HTTP {response.status_code}"
