"""A real HTTP server on 127.0.0.1, in a thread, for tests that need a peer: the carrier
servers of tests/carriers and the webhook receiver of tests/webhooks build on it."""

from __future__ import annotations

import threading
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

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _quiet(request: object, client_address: object) -> None:
    """A client that gave up (timed out) makes a hung handler's late write fail: expected
    in these tests, so not printed."""
