"""Signed webhook requests, and the check a receiver makes before trusting one.

`X-Rates-Signature` is `sha256=` and the hex HMAC-SHA256, keyed with the shared secret, of
`"{timestamp}.{body}"`, where the timestamp is the `X-Rates-Timestamp` header (Unix
seconds when the request was sent). Because the timestamp is inside the MAC, a captured
request cannot be replayed once it is older than the receiver's tolerance, and changing
the body or the timestamp breaks the signature. Each try is signed afresh, so a retry sent
hours after the event is still fresh.

The body is compact JSON with sorted keys, so one event always has the same bytes; a
receiver still verifies the bytes it received, never a re-serialisation of them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

PREFIX = "sha256="
TOLERANCE_SECONDS = 300
"""How far a receiver lets the timestamp be from its own clock, either way: wide enough
for clock skew and a slow network, narrow enough that a captured request soon expires."""

_EVENT_TYPE = re.compile(r"[A-Za-z0-9_.:-]{1,100}")


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What one try POSTs: the body's exact bytes and the headers that go with them."""

    body: bytes
    headers: Mapping[str, str]


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Rates-Signature` value for `body` sent at `timestamp` (the header's text)."""
    message = timestamp.encode() + b"." + body
    return PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, delivery_id: int, event: Mapping[str, Any], now: datetime) -> SignedRequest:
    """The request delivering `event` at `now`. ValueError or TypeError for an event that
    cannot be sent: no `type` fit for a header, or something JSON cannot hold."""
    kind = event.get("type")
    if not isinstance(kind, str) or not _EVENT_TYPE.fullmatch(kind):
        raise ValueError(f"the event's type {kind!r} is not 1-100 letters, digits or _ . : -")
    body = json.dumps(event, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    timestamp = str(int(now.timestamp()))
    return SignedRequest(body, {
        "Content-Type": "application/json",
        "X-Rates-Event": kind,
        "X-Rates-Delivery": str(delivery_id),
        "X-Rates-Timestamp": timestamp,
        "X-Rates-Signature": signature_for(secret, timestamp, body),
    })


def verify(secret: str, timestamp: str, body: bytes, signature: str, now: datetime,
           tolerance_seconds: float = TOLERANCE_SECONDS) -> bool:
    """True when `signature` was made with `secret` for exactly `body` and `timestamp`, and
    `timestamp` is within `tolerance_seconds` of `now`, either way. The signature is
    compared in constant time, so timing does not tell how much of a forgery matched."""
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(now.timestamp() - int(timestamp)) > tolerance_seconds:
        return False
    expected = signature_for(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), signature.encode())
