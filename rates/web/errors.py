"""One JSON error shape for every 4xx and 5xx: `{"error": {"code", "message", "fields"}}`.

Werkzeug's HTML error pages, Flask's 405s and 413s, our `RatesError`s and unhandled
exceptions all leave through here, so a client parses one shape and never sees a stack
trace (those go to the log, with the request id).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify
from werkzeug.exceptions import HTTPException

from rates.domain.errors import RatesError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str,
                   fields: dict[str, list[str]] | None = None) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message, "fields": fields or {}}}), status


def _http(error: HTTPException) -> tuple[Response, int]:
    code = (error.name or "error").lower().replace(" ", "_").replace("-", "_")
    response, status = error_response(error.code or 500, code, error.description or code)
    allowed = getattr(error, "valid_methods", None)  # set on 405 Method Not Allowed
    if allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response, status


def _rates(error: RatesError) -> tuple[Response, int]:
    return error_response(error.status, error.code, error.message, error.fields)


def _unexpected(error: Exception) -> tuple[Response, int]:
    log.exception("unhandled error in request %s", g.get("request_id", "-"))
    return error_response(500, "internal_error",
                          "the server failed to handle this request; it has been logged")


def install(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(RatesError, _rates)
    app.register_error_handler(Exception, _unexpected)


def problem(status: int, code: str, message: str, **fields: Any) -> tuple[Response, int]:
    """A one-off error from a view (e.g. 404 for an unknown quote id)."""
    return error_response(status, code, message, {k: [str(v)] for k, v in fields.items()})
