"""The one outbound HTTP client for live carrier rates, so no call site can forget a rule.

Every call: goes only to a host in `LiveRateSettings.allowed_hosts` (checked on the URL as
requests will connect to it, before any socket opens); never follows a redirect (a 3xx is
a failure); has its connect and read timeouts cut to the time left before the quote's
deadline; and reads at most `MAX_ANSWER_BYTES`. Only failures that prove the request never
reached the server (connection refused, connect timeout) are retried, at most `retries`
times and only while the deadline leaves time: such a retry is safe for any method, and a
read timeout is never retried because the deadline is then already spent.

The session ignores the environment (`trust_env`): no proxy variables, no ~/.netrc
credentials sent to a carrier, and behaviour that does not change with the shell it runs in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.exceptions import ProtocolError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util import parse_url

from rates.carriers.adapter import HttpCall
from rates.settings import LiveRateSettings

MAX_ANSWER_BYTES = 1024 * 1024
"""A rate answer is a few kilobytes; a larger one is refused rather than held in memory."""

RETRY_PAUSE_SECONDS = 0.05
"""Before asking again after a refused connection: a restarting server or a node leaving
a pool refuses for a moment, so asking again at once would mostly be refused again."""

_CHUNK_BYTES = 64 * 1024
_HOSTS = 16  # distinct carrier hosts whose connections are kept alive
_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class Deadline:
    """The instant by which every call of one quote's fan-out must be done. Real monotonic
    time, always: it bounds real sockets."""

    seconds: float
    expires: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.expires - time.monotonic())

    def timed_out(self) -> str:
        """The reason a quote gives for a call the deadline cut short."""
        return f"timed out after {self.seconds:g} s"


class TransportError(Exception):
    """A call that produced no HTTP answer to parse; `reason` is short and shown in quotes."""

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class HostRefused(TransportError):
    """The URL's host is not allowed: nothing was sent."""


class RedirectRefused(TransportError):
    """The server answered with a redirect, which is never followed."""


class TimedOut(TransportError):
    """Connecting or reading took longer than the time allowed."""


class ConnectionFailed(TransportError):
    """Refused, closed without an answer, or otherwise broken below HTTP."""


class AnswerTooLarge(TransportError):
    """The body went past `MAX_ANSWER_BYTES`."""


def new_session(pool_size: int) -> requests.Session:
    """A session for carrier calls: no environment, no automatic retries (the client
    retries itself, against the deadline), `pool_size` keep-alive connections per host so
    every worker thread can hold one."""
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = "backorder-rates"
    adapter = HTTPAdapter(pool_connections=_HOSTS, pool_maxsize=pool_size, max_retries=0)
    for scheme in _SCHEMES:
        session.mount(f"{scheme}://", adapter)
    return session


class HttpClient:
    """Sends `HttpCall`s under a `Deadline`. Thread-safe: a call goes straight to the
    session's transport adapter, whose connection pool is thread-safe, and never through
    `Session.send`, which keeps cookies across calls and reads a redirect's whole body
    (to offer `Response.next`) even when told not to follow it."""

    def __init__(self, settings: LiveRateSettings, *, pool_size: int,
                 retry_pause: float = RETRY_PAUSE_SECONDS,
                 pause: Callable[[float], None] = time.sleep) -> None:
        """`pause(seconds)` waits before a retry: passed in, so a test sees each retry's
        pause instead of timing it."""
        self._connect_timeout = settings.connect_timeout_seconds
        self._allowed = frozenset(host.lower() for host in settings.allowed_hosts)
        self._retries = settings.retries
        self._retry_pause = retry_pause
        self._pause = pause
        self._session = new_session(pool_size)

    def allows(self, url: str) -> bool:
        """True when `url` is http(s) to an allowed host, as urllib3 parses it: the parser
        that picks the host requests connects to, so the two cannot disagree."""
        try:
            parsed = parse_url(url)
        except ValueError:
            return False
        return parsed.scheme in _SCHEMES and (parsed.host or "").lower() in self._allowed

    def send(self, call: HttpCall, deadline: Deadline) -> tuple[int, bytes]:
        """The answer's status and body, or a `TransportError`."""
        try:
            request = self._session.prepare_request(requests.Request(
                call.method, call.url, headers=dict(call.headers), data=call.body))
        except requests.RequestException as error:
            raise HostRefused("invalid URL") from error
        if request.url is None or not self.allows(request.url):
            raise HostRefused("host not allowed")
        transport = self._session.get_adapter(request.url)
        attempts_left = self._retries
        while True:
            try:
                return self._once(transport, request, deadline)
            except TransportError as error:
                if (not error.retryable or attempts_left <= 0
                        or deadline.remaining() <= self._retry_pause):
                    raise
            attempts_left -= 1
            self._pause(self._retry_pause)

    def close(self) -> None:
        self._session.close()

    def _once(self, transport: BaseAdapter, request: requests.PreparedRequest,
              deadline: Deadline) -> tuple[int, bytes]:
        left = deadline.remaining()
        if left <= 0:
            raise TimedOut(deadline.timed_out())
        timeout = (min(self._connect_timeout, left), left)
        try:
            with transport.send(request, stream=True, timeout=timeout) as response:
                if 300 <= response.status_code < 400:
                    raise RedirectRefused("redirect refused")
                return response.status_code, _read(response, deadline)
        except requests.RequestException as error:
            raise _failure(error, deadline, timeout[0]) from error


def _read(response: requests.Response, deadline: Deadline) -> bytes:
    """The whole body, at most `MAX_ANSWER_BYTES`. Each read waits at most the time that
    was left when the call started; a server trickling bytes is cut off at the first chunk
    past the deadline."""
    body = bytearray()
    for chunk in response.iter_content(_CHUNK_BYTES):
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            raise AnswerTooLarge(f"answer larger than {MAX_ANSWER_BYTES // 1024} KiB")
        if deadline.remaining() <= 0:
            raise TimedOut(deadline.timed_out())
    return bytes(body)


def _failure(error: requests.RequestException, deadline: Deadline,
             connect_timeout: float) -> TransportError:
    """A short reason for what requests raised, and whether asking again is safe."""
    causes = tuple(_causes(error))
    # First: urllib3 2 files a refused connection under its connect *timeout* errors.
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return ConnectionFailed("connection refused", retryable=True)
    if isinstance(error, requests.ConnectTimeout):
        if deadline.remaining() <= 0:
            return TimedOut(deadline.timed_out())
        return TimedOut(f"connect timed out after {connect_timeout:g} s", retryable=True)
    if isinstance(error, requests.Timeout) or any(
            isinstance(c, TimeoutError | Urllib3Timeout) for c in causes):
        return TimedOut(deadline.timed_out())
    if isinstance(error, requests.exceptions.SSLError):
        return ConnectionFailed("TLS handshake failed")
    if isinstance(error, requests.exceptions.ChunkedEncodingError) or any(
            isinstance(c, ProtocolError | ConnectionResetError) for c in causes):
        return ConnectionFailed("connection closed")
    return ConnectionFailed("connection failed")


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error` and everything it wraps: requests and urllib3 nest the socket's own error in
    exception arguments, `reason` attributes and `__cause__` chains."""
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [*current.args, getattr(current, "reason", None),
                   current.__cause__, current.__context__]
        stack.extend(item for item in wrapped if isinstance(item, BaseException))
