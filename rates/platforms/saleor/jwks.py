"""The Saleor instance's signing keys (`https://<domain>/.well-known/jwks.json`), fetched
and kept.

A key set is kept for `ttl`; a signature naming a `kid` the kept set lacks (Saleor rotated
its key) fetches it again at once, but never sooner than `min_refresh` after the last
fetch: a forged `kid` on every request must not make us hammer the instance, and the
fetch is on the path of a synchronous webhook Saleor waits at most 20 seconds for. A
failed fetch keeps the set already held (the instance's key changes rarely; its outage
should not refuse every webhook) and is logged.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import requests
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from rates.platforms.saleor.signature import KeySet

log = logging.getLogger(__name__)

TTL = timedelta(hours=1)
MIN_REFRESH = timedelta(seconds=30)
TIMEOUT = (2.0, 5.0)
"""Seconds to connect and to wait for each read: both well inside Saleor's 20 seconds."""
MAX_BYTES = 256 * 1024
"""A key set is a few KB; anything bigger is not one."""


class JwksCache:
    """The key set served at `url`, for `rates.platforms.saleor.signature.verify`.

    Thread-safe: one lock guards the kept set, and a fetch runs under it, so concurrent
    webhooks that all need a refresh wait for one fetch instead of each making one.
    `clock` gives the current aware instant (the service's clock, passed in)."""

    def __init__(self, url: str, *, clock: Callable[[], datetime], ttl: timedelta = TTL,
                 min_refresh: timedelta = MIN_REFRESH,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self.url = url
        self._clock = clock
        self._ttl = ttl
        self._min_refresh = min_refresh
        self._timeout = timeout
        self._lock = threading.Lock()
        self._keys = KeySet()
        self._fetched_at: datetime | None = None    # when the kept set arrived
        self._attempted_at: datetime | None = None  # when a fetch was last tried

    def key(self, kid: str) -> RSAPublicKey | None:
        """The key named `kid`, fetching the set first when the kept one is older than
        the TTL or lacks `kid`, each at most once per `min_refresh`."""
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at >= self._ttl
            if (stale or self._keys.key(kid) is None) and self._may_fetch(now):
                self._fetch(now)
            return self._keys.key(kid)

    def _may_fetch(self, now: datetime) -> bool:
        return self._attempted_at is None or now - self._attempted_at >= self._min_refresh

    def _fetch(self, now: datetime) -> None:
        self._attempted_at = now
        try:
            keys = KeySet.from_jwks(self._download())
        except (requests.RequestException, ValueError) as error:
            log.warning("saleor jwks: cannot fetch %s: %s", self.url, error)
            return
        self._keys, self._fetched_at = keys, now

    def _download(self) -> object:
        with requests.Session() as session:
            session.trust_env = False  # no proxies or ~/.netrc from the environment
            answer = session.get(self.url, timeout=self._timeout, allow_redirects=False,
                                 headers={"Accept": "application/json"}, stream=True)
            with answer:
                if answer.status_code != 200:
                    raise ValueError(f"answered HTTP {answer.status_code}")
                body = answer.raw.read(MAX_BYTES + 1, decode_content=True)
        if len(body) > MAX_BYTES:
            raise ValueError(f"answered more than {MAX_BYTES} bytes")
        try:
            return json.loads(body)
        except json.JSONDecodeError as error:
            raise ValueError(f"answered no JSON: {error}") from None
