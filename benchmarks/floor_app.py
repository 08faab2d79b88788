"""The framework's floor: the least a Flask app can do for an exchange the size of a quote.

`POST /v1/quotes` decodes the JSON body and answers 201 with a constant, pre-encoded JSON
document of a given size. The service can never be cheaper than this on the same stack,
so the ratio to it (quote.py in-process, http_load.py through gunicorn) shows what the
service itself costs: authentication, validation, the quote, storing it, serialization.

Run alone, it serves under gunicorn configured exactly as `rates serve` configures it
(`rates.web.serve.Server`: worker class, threads, timeout), so the two compare fairly:

    .venv/bin/python benchmarks/floor_app.py --port 8081 --response-bytes 20000
"""

from __future__ import annotations

import argparse
import json
from functools import partial

from flask import Flask, Response, request

from rates.settings import ServerSettings
from rates.web.serve import Server

_EMPTY = len(json.dumps({"pad": ""}))


def constant_body(size: int) -> bytes:
    """A JSON object of exactly `size` bytes (at least the 11 of an empty pad)."""
    return json.dumps({"pad": "x" * max(size - _EMPTY, 0)}).encode()


def create_floor_app(response_bytes: int) -> Flask:
    app = Flask("floor")
    body = constant_body(response_bytes)

    @app.post("/v1/quotes")
    def quotes() -> Response:
        request.get_json()
        return Response(body, status=201, mimetype="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=ServerSettings().workers)
    parser.add_argument("--response-bytes", type=int, required=True)
    args = parser.parse_args()
    # `rates serve`'s gunicorn settings with the floor app in each worker.
    Server(partial(create_floor_app, args.response_bytes),
           ServerSettings(port=args.port, workers=args.workers)).run()


if __name__ == "__main__":
    main()
