"""How a request body is read (rates/web/bodies.py): no further than the size cap, whether
the client says how long the body is or sends it in chunks.

A chunked body has no Content-Length, so the cap cannot be checked before reading; the
WSGI server (gunicorn sets `wsgi.input_terminated`) hands the app a stream that ends where
the body does. These tests give the app such a stream, as gunicorn would, and count what
the app read of it; tests/e2e/test_serve.py sends one to gunicorn itself.
"""

from __future__ import annotations

import io

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from rates.settings import Role
from tests.support.web import auth

CAP = 64 * 1024  # the example's server.max_body_kb


class Body(io.RawIOBase):
    """A request body of `size` bytes, `{"reference": "xxx...` then `tail`, made up as it
    is read (50 MB is never held), that counts how many bytes the app took from it."""

    HEAD = b'{"reference": "'

    def __init__(self, size: int, tail: bytes = b"") -> None:
        self.size = size
        self.tail = tail
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.size - self.taken)
        start, stop = self.taken, self.taken + count
        fill = self.size - len(self.tail)
        chunk = (self.HEAD[start:stop] + b"x" * max(0, min(stop, fill) - max(start, len(
            self.HEAD))) + self.tail[max(0, start - fill):max(0, stop - fill)])
        buffer[:count] = chunk
        self.taken = stop
        return count


def post(app, body: Body, *, length: int | None = None) -> tuple[int, bytes]:
    """POST /v1/quotes with `body`, chunked (no Content-Length, a terminated stream, as
    gunicorn passes one) unless `length` is given."""
    environ = EnvironBuilder(path="/v1/quotes", method="POST", headers=auth(Role.QUOTE),
                             content_type="application/json").get_environ()
    environ["wsgi.input"] = body
    environ.pop("CONTENT_LENGTH", None)
    if length is None:
        environ["wsgi.input_terminated"] = True
    else:
        environ["CONTENT_LENGTH"] = str(length)
    answer, status, _ = run_wsgi_app(app, environ, buffered=True)
    return int(status.split()[0]), b"".join(answer)


@pytest.mark.parametrize("size", [CAP + 1, 50 * 1024 * 1024], ids=["one-byte-over", "50-mb"])
def test_a_chunked_body_over_the_cap_is_a_413_read_no_further_than_the_cap(app, size):
    body = Body(size)
    status, answer = post(app, body)
    assert status == 413
    assert b'"code":"request_entity_too_large"' in answer
    assert body.taken <= CAP + 1


def test_a_chunked_body_of_exactly_the_cap_is_read_whole(app):
    # Cut anywhere, it would not be JSON; read whole, it is JSON with a reference far too
    # long: 422.
    body = Body(CAP, tail=b'"}')
    status, answer = post(app, body)
    assert status == 422, answer
    assert b'"reference"' in answer
    assert body.taken == CAP


def test_a_declared_length_over_the_cap_is_a_413_before_any_byte_is_read(app):
    body = Body(50 * 1024 * 1024)
    status, _ = post(app, body, length=body.size)
    assert status == 413
    assert body.taken == 0
