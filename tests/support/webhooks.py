"""A real webhook receiver on 127.0.0.1, a clock the test moves, and jitter it chooses.

The `Receiver` records every request exactly as it arrived (raw body bytes, and headers
with lowercase names), so tests verify signatures the way a merchant's receiver would:
with the `standardwebhooks` library (`verified`), or by the receiver itself as the request
arrives (`Receiver(secret=...)`). It can be told to answer the first requests with 500, to
leave them unanswered until the sender gives up, or to redirect.
"""

from __future__ import annotations

import random
import select
import socket
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

from freezegun import freeze_time
from standardwebhooks import Webhook, WebhookVerificationError

from rates.settings import WebhookSettings
from rates.store import OrderRecord, Store, WebhookDelivery
from tests.support.local_http import LocalServer, QuietHandler

KEY = b"backorder-rates webhook test key"
SECRET = "whsec_YmFja29yZGVyLXJhdGVzIHdlYmhvb2sgdGVzdCBrZXk="
"""`KEY` (32 bytes) as the service reads it from its environment."""
SECRET_ENV = "RATES_WEBHOOK_SECRET"
T0 = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno


@dataclass(frozen=True)
class Received:
    path: str
    headers: Mapping[str, str]
    body: bytes


class Receiver:
    """Answers 204 unless told otherwise: the first `hang` requests get no answer, until
    the sender hangs up (counted in `abandoned`) or the receiver is closed; the next `fail`
    get 500 with `failure_body`; `redirect` makes every answer a 302 to another path of the
    same server. With `secret`, every request is first verified as docs/webhooks.md tells a
    merchant to (`standardwebhooks`, on this machine's clock), and one that fails gets 401
    with the library's reason."""

    def __init__(self, *, fail: int = 0, hang: int = 0, redirect: bool = False,
                 failure_body: bytes = b'{"error": "try later"}',
                 secret: str | None = None) -> None:
        self.fail = fail
        self.hang = hang
        self.redirect = redirect
        self.failure_body = failure_body
        self.secret = secret
        self.received: list[Received] = []
        self.abandoned = 0
        self.arrived = threading.Condition()
        self._server = LocalServer(_handler(self))
        self.released = self._server.released

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.port}/hooks/rates"

    def record(self, request: Received) -> int:
        """Keep `request`; its number, from 0."""
        with self.arrived:
            self.received.append(request)
            self.arrived.notify_all()
            return len(self.received) - 1

    def wait_for(self, count: int, timeout: float) -> bool:
        """True once `count` requests have arrived, False if `timeout` passes first."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout)

    def abandon(self) -> None:
        """Count a request the sender hung up on before it was answered."""
        with self.arrived:
            self.abandoned += 1
            self.arrived.notify_all()

    def wait_abandoned(self, count: int, timeout: float) -> bool:
        """True once the sender has hung up on `count` unanswered requests, False if
        `timeout` passes first."""
        with self.arrived:
            return self.arrived.wait_for(lambda: self.abandoned >= count, timeout)

    def close(self) -> None:
        self._server.close()


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            number = receiver.record(Received(self.path, headers, body))
            if number < receiver.hang:
                if _hung_up(self.connection, receiver.released):
                    receiver.abandon()
                self.close_connection = True
                return
            refusal = _refusal(receiver.secret, body, headers)
            if refusal is not None:
                self.answer(401, refusal.encode())
            elif receiver.redirect:
                self.answer(302, b"", {"Location": "/elsewhere"})
            elif number < receiver.hang + receiver.fail:
                self.answer(500, receiver.failure_body)
            else:
                self.answer(204, b"")

    return Handler


def _hung_up(connection: socket.socket, released: threading.Event) -> bool:
    """Wait, answering nothing, until the client closes `connection` (True) or the receiver
    is closed (False)."""
    while not released.is_set():
        readable, _, _ = select.select([connection], [], [], 0.05)
        if readable:
            try:
                return connection.recv(1, socket.MSG_PEEK) == b""
            except ConnectionError:  # reset rather than closed: hung up all the same
                return True
    return False


def _refusal(secret: str | None, body: bytes, headers: dict[str, str]) -> str | None:
    """Why a receiver holding `secret` refuses the request, or None (also without one)."""
    if secret is None:
        return None
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError as error:
        return str(error)
    return None


def verified(body: bytes, headers: Mapping[str, str], at: datetime,
             secret: str = SECRET) -> Any:
    """The event `body` carries, as `standardwebhooks` verifies it with `headers` on a
    receiver whose clock reads `at`; WebhookVerificationError when it does not verify."""
    with freeze_time(at):
        return Webhook(secret).verify(body, dict(headers))


class ManualClock:
    """The sender's clock; the test moves it forward between passes instead of sleeping."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FixedRandom(random.Random):
    """Jitter the test chose: `random()` returns `values` in turn, so each retry delay is
    that fraction of its ceiling and can be checked by hand."""

    def __init__(self, values: Iterable[float]) -> None:
        super().__init__(0)
        self._values = iter(values)

    def random(self) -> float:
        return next(self._values)


def settings(url: str, **overrides: Any) -> WebhookSettings:
    """Defaults as documented, but a timeout short enough for a fast suite."""
    return WebhookSettings(url, SECRET_ENV, **{"timeout_seconds": 0.3, **overrides})


def at_risk_event(order_id: str = "ord-1001") -> dict[str, Any]:
    """Shaped like the sweep's event (`rates.app.orders`), trimmed: the sender reads only
    `type`, and sends the rest as it is."""
    return {"type": "promise.at_risk", "detected_at": T0.isoformat(),
            "order": {"id": order_id, "reference": "cart-8812", "days_late": 3}}


def enqueue(store: Store, order_id: str = "ord-1001", *, at: datetime = T0,
            event: dict[str, Any] | None = None) -> None:
    """An open order, then the sweep's finding that it is at risk, with its event."""
    store.place_order(OrderRecord(order_id, "q_0001", "in_stock_first/ups/ground",
                                  "cart-8812", at, {}, ()),
                      check=lambda stock, claims: None)
    event = at_risk_event(order_id) if event is None else event
    assert store.mark_at_risk(order_id, at_risk=True, event=event, at=at)


class Outbox:
    """The real store, with a record of what the sender asked of its outbox: the
    deliveries each pass leased, and each outcome it recorded."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.leased: list[list[WebhookDelivery]] = []
        self.failed: list[tuple[int, str, datetime | None]] = []
        self.delivered: list[tuple[int, datetime]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def due_webhooks(self, now: datetime, limit: int,
                     lease_seconds: float) -> list[WebhookDelivery]:
        due = self._store.due_webhooks(now, limit, lease_seconds)
        self.leased.append(due)
        return due

    def webhook_failed(self, delivery_id: int, error: str,
                       next_attempt_at: datetime | None) -> None:
        self.failed.append((delivery_id, error, next_attempt_at))
        self._store.webhook_failed(delivery_id, error, next_attempt_at)

    def webhook_delivered(self, delivery_id: int, at: datetime) -> None:
        self.delivered.append((delivery_id, at))
        self._store.webhook_delivered(delivery_id, at)
