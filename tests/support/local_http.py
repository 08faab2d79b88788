"""A real HTTP server on 127.0.0.1, in a thread, for tests that need a peer: the carrier
servers of tests/carriers and the webhook receiver of tests/webhooks build on it."""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LocalServer:
    """Serves `handler` on a free port of 127.0.0.1 until `close()`. `released` is set on
    close, so handlers told to hang can wait on it and end with the test."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.released = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.handle_error = _quiet  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def close(self) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=2)


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that answers in one call and prints no access log (the tests' output
    stays readable)."""

    def answer(self, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def hold(self, seconds: float | None, released: threading.Event) -> bool:
        """Waits without answering until the client hangs up (True), or until `released` is
        set or `seconds` pass (False): a client that gave up, seen from the server's side,
        needs no clock to assert."""
        until = None if seconds is None else time.monotonic() + seconds
        while not released.is_set():
            wait = 0.05 if until is None else min(0.05, until - time.monotonic())
            if wait <= 0:
                return False
            readable, _, _ = select.select([self.connection], [], [], wait)
            try:
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    return True
            except ConnectionError:
                return True
        return False

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _quiet(request: object, client_address: object) -> None:
    """A client that gave up (timed out) makes a hung handler's late write fail: expected
    in these tests, so not printed."""
