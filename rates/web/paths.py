"""Values in a request's path (a SKU, a quote id) taken as sent, or refused.

A WSGI server hands the app the path's bytes as Latin-1 characters (PEP 3333), and
Werkzeug decodes them as UTF-8 with replacement: `/v1/inventory/%ff` reached the view as
the SKU "\ufffd" and was stored so. Every name this service keeps is text, so a path that
is not UTF-8 names nothing: it is refused before any view, for every route. A genuine
U+FFFD, sent as %EF%BF%BD, is text like any other.

A refused path value answers 404 (nothing has that name; the store is not asked), or 422
naming the value for a PUT, which would have stored it, as a body's bad fields are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, request

from rates.web.errors import error_response

NOT_UTF_8 = ("must be UTF-8 text: a percent-escape such as %FF that is not part of a UTF-8 "
             "character names nothing")


def refused(problems: Mapping[str, str]) -> Any:
    """The answer to path values no record can have, `problems` by name ("sku"): 422 for
    a PUT, else 404 for the first of them."""
    if request.method == "PUT":
        return error_response(422, "invalid_request", f"the {', '.join(problems)} is invalid",
                              {name: [problem] for name, problem in problems.items()})
    name = next(iter(problems))
    value = (request.view_args or {}).get(name)
    return error_response(404, "not_found", f"no {name.removesuffix('_id')} {value!r}")


def is_utf_8(environ: Mapping[str, Any]) -> bool:
    """Whether the request's path, as its bytes arrived, is UTF-8 text. Both records of
    it are read: `PATH_INFO` (the bytes, as Latin-1 characters, from a server that keeps
    to PEP 3333, as gunicorn does) and the request line's `RAW_URI` or `REQUEST_URI` where
    the server gives one (Werkzeug's test client decodes `PATH_INFO` with replacement
    before the app sees it, and keeps the line as sent)."""
    line = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    sent = [unquote_to_bytes(line.partition("?")[0])] if line else []
    try:
        sent.append(environ.get("PATH_INFO", "").encode("latin-1"))
    except UnicodeEncodeError:  # a server that decoded the path itself: text already
        pass
    try:
        for path in sent:
            path.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refuse_undecodable() -> Any:
    if is_utf_8(request.environ):
        return None
    # Werkzeug put U+FFFD where the bytes were: those values are the ones not sent as text.
    named = {name: NOT_UTF_8 for name, value in (request.view_args or {}).items()
             if "\ufffd" in value}
    if named:
        return refused(named)
    return error_response(404, "not_found", f"the path {NOT_UTF_8}")


def install(app: Flask) -> None:
    app.before_request(_refuse_undecodable)
