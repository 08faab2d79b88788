"""Signed webhook requests, as the Standard Webhooks specification signs them, so that a
receiver verifies them with an off-the-shelf library (`standardwebhooks` in Python, and
the same project's libraries for JavaScript, Go, Rust, Ruby, Java, PHP, C# and Elixir).

`webhook-signature` is `v1,` and the base64 HMAC-SHA256, keyed with the secret's bytes, of
`"{webhook-id}.{webhook-timestamp}.{body}"`. The id names the event and is the same on
every try, so a receiver deduplicates on it; the timestamp is the try's own (Unix seconds),
so a retry sent hours after the event is still fresh, while a captured request cannot be
replayed once it is older than the receiver's tolerance (five minutes in the libraries).

The signature itself is made by the `standardwebhooks` package, the specification's own
reference implementation: the bytes we sign are then, by construction, the ones its
`verify` checks.

The body is compact JSON with sorted keys, so one event always has the same bytes; a
receiver still verifies the bytes it received, never a re-serialisation of them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from standardwebhooks import Webhook

_EVENT_TYPE = re.compile(r"(?=.{1,100}$)[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*")
"""The specification's advice for event types: full-stop delimited identifiers."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What one try POSTs: the body's exact bytes and the headers that go with them."""

    body: bytes
    headers: Mapping[str, str]


def message_id(outbox_id: int, created_at: datetime) -> str:
    """The `webhook-id` of the outbox's event `outbox_id`, created at `created_at`.

    Both are stored with the event, so every try carries the same id. The creation instant
    (in microseconds) is in it because outbox ids alone start again from 1 in a new
    database, and a receiver that remembers the ids it handled would drop those events."""
    return f"msg_{outbox_id}_{(created_at - _EPOCH) // _MICROSECOND}"


def sign(key: bytes, message: str, event: Mapping[str, Any], now: datetime) -> SignedRequest:
    """The request delivering `event` as the message `message` (its `webhook-id`), sent at
    the aware instant `now`. ValueError or TypeError for an event that cannot be sent: no
    `type` a receiver can route on, or something JSON cannot hold."""
    kind = event.get("type")
    if not isinstance(kind, str) or not _EVENT_TYPE.fullmatch(kind):
        raise ValueError(f"the event's type {kind!r} is not 1-100 characters of full-stop "
                         "delimited A-Z a-z 0-9 _")
    body = json.dumps(event, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    return SignedRequest(body, {
        "Content-Type": "application/json",
        "webhook-id": message,
        "webhook-timestamp": str(math.floor(now.timestamp())),
        "webhook-signature": Webhook(key).sign(message, now, body),
    })
