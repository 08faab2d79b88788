"""Failed sign-ins to the support console, throttled by client address and by key prefix.

A key is 32 random bytes, so guessing one is hopeless; what the throttle stops is a
script trying keys as fast as the server answers (a leaked key list to test, a key
half-remembered), and the load that comes with it. Limits, over the last `WINDOW`
(5 minutes):

- `PER_ADDRESS` (5) failures from one client address: a person who mistypes their key
  has four more tries, then waits a few minutes;
- `PER_KEY_PREFIX` (20) failures with keys that start alike (the first `PREFIX_CHARS`
  characters typed: "rk_" and nine random ones), so one guessed key cannot be hammered
  from many addresses. Real keys differ within those characters, so this limit holds
  back no one else's key.

A throttled attempt is not checked at all (checking it would tell the guesser whether it
was right) and is not counted: once the oldest counted failure leaves the window, one
more try is allowed. A correct key removes its own attempt, so a person who finally gets
it right is not held back by their typos.

The count lives in the store (`Store.record_sign_in_attempt`), not in the process: under
gunicorn every worker, and every node on one database, sees the same failures, and an
attempt is counted and recorded in one transaction, so concurrent attempts cannot all
pass one count. Addresses and prefixes are kept as SHA-256 digests. The address is the
one the server sees: behind a reverse proxy, every person shares the proxy's.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rates.store import AttemptCheck, SignInAttempt

WINDOW = timedelta(minutes=5)
PER_ADDRESS = 5
PER_KEY_PREFIX = 20
PREFIX_CHARS = 12


class Throttled(Exception):  # noqa: N818 (a refusal, as the page says it)
    """Too many recent failures: the attempt may be made again at `retry_at`."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(f"sign-in throttled until {retry_at.isoformat()}")
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class Wait:
    """How long a throttled person waits, for the page and the Retry-After header."""

    seconds: int

    @classmethod
    def until(cls, retry_at: datetime, now: datetime) -> Wait:
        return cls(max(1, math.ceil((retry_at - now).total_seconds())))

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60)


def attempt(address: str | None, key: str, now: datetime) -> SignInAttempt:
    """The attempt of someone at `address` typing `key`, as the store keeps it."""
    return SignInAttempt(secrets.token_hex(16), _digest("address", address or ""),
                         _digest("prefix", key[:PREFIX_CHARS]), now)


def admit(tried: SignInAttempt) -> AttemptCheck:
    """The check that lets `tried` through unless its address or its key prefix has
    used up its failures in the window (raises Throttled)."""
    def check(recent: Sequence[SignInAttempt]) -> None:
        retry_at = retry_time(tried, recent)
        if retry_at is not None:
            raise Throttled(retry_at)
    return check


def retry_time(tried: SignInAttempt, recent: Sequence[SignInAttempt]) -> datetime | None:
    """When `tried` may be made, given the failures in the window, oldest first: None for
    now; else when enough of them have left the window for both limits to allow one."""
    from_address = [a.at for a in recent if a.address == tried.address]
    with_prefix = [a.at for a in recent if a.key_prefix == tried.key_prefix]
    waits = [counted[-limit] + WINDOW for counted, limit in (
        (from_address, PER_ADDRESS), (with_prefix, PER_KEY_PREFIX)) if len(counted) >= limit]
    return max(waits, default=None)


def since(now: datetime) -> datetime:
    """The start of the window ending `now`."""
    return now - WINDOW


def _digest(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}:{text}".encode()).hexdigest()
