"""The JSON API under /v1, and the public health checks. Each view only turns a request
into a `ShippingService` call and the answer into JSON; all rules live below."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST
from werkzeug.exceptions import UnsupportedMediaType

from rates.app.quoting import ShippingService
from rates.domain.errors import InvalidRequest
from rates.settings import Role
from rates.store import OrderStatus
from rates.web import paths
from rates.web.auth import public, requires
from rates.web.bodies import parse_json
from rates.web.errors import error_response
from rates.web.metrics import Metrics
from rates.wire.orders import CloseOrderSchema
from rates.wire.request import load_document, text_problem

v1 = Blueprint("v1", __name__, url_prefix="/v1")
MAX_PATH_VALUE = 100  # the longest SKU, quote id or order id a request body may give
_CLOSE = CloseOrderSchema()
health = Blueprint("health", __name__)


def service() -> ShippingService:
    return current_app.config["RATES_SERVICE"]  # type: ignore[no-any-return]


def metrics() -> Metrics:
    return current_app.config["RATES_METRICS"]  # type: ignore[no-any-return]


def json_body() -> Any:
    """The request's JSON body: 415 unless it is declared as JSON, 400 if it does not
    parse (or nests absurdly deep), 413 (from Werkzeug) past the configured size cap."""
    if not request.is_json:
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    return parse_json(request.get_data(cache=True))


@v1.before_request
def _path_values() -> Any:
    """An id or SKU in the path that no record can have (a NUL from %00, a lone surrogate,
    over `MAX_PATH_VALUE` characters) names nothing: a lookup answers 404 without asking
    the store (PostgreSQL would answer a NUL with an error); PUT, which would store it,
    answers 422 naming the field, as the body's own SKUs are refused (`paths.refused`;
    a path that is not UTF-8 was refused before, for every route, by `rates.web.paths`)."""
    problems = {name: problem for name, value in (request.view_args or {}).items()
                if (problem := text_problem(value) or (
                    f"must be at most {MAX_PATH_VALUE} characters"
                    if len(value) > MAX_PATH_VALUE else None))}
    return paths.refused(problems) if problems else None


def found(document: dict[str, Any] | None, missing: str) -> Any:
    """The document as JSON, or a 404 saying what was not found."""
    if document is None:
        return error_response(404, "not_found", missing)
    return jsonify(document)


FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
"""What a yes-or-no query parameter (`explain`) may say; absent is no."""


def _flag(name: str) -> bool:
    """The query parameter `name` as a yes or no; 422 naming it if it says neither."""
    said = request.args.get(name)
    if said is None:
        return False
    if said not in FLAGS:
        raise InvalidRequest(f"{name} must be one of {', '.join(FLAGS)}", {
            name: [f"must be one of {', '.join(FLAGS)}"]})
    return FLAGS[said]


@v1.post("/quotes")
@requires(Role.QUOTE)
def create_quote() -> Any:
    body = json_body()
    started = time.perf_counter()
    try:
        served = service().served_quote(body, explain=_flag("explain"))
    except Exception:
        metrics().quotes.labels("api", "error").inc()
        raise
    metrics().quote_seconds.labels("api").observe(time.perf_counter() - started)
    metrics().quotes.labels("api", "ok" if served.quote.options else "empty").inc()
    if served.reused:
        metrics().quotes_reused.labels("api").inc()
    # The bytes the store kept: the answer is the record, and is written once.
    return (current_app.response_class(served.text, mimetype="application/json"), 201,
            {"Location": f"/v1/quotes/{served.document['id']}"})


@v1.get("/quotes/<quote_id>")
@requires(Role.SUPPORT)
def get_quote(quote_id: str) -> Any:
    """The stored quote as served; with `explain=1`, as `explain=1` served it then."""
    look_up = service().explained_quote if _flag("explain") else service().get_quote
    return found(look_up(quote_id), f"no quote {quote_id!r}")


@v1.post("/quotes/<quote_id>/refresh")
@requires(Role.SUPPORT)
def refresh_quote(quote_id: str) -> Any:
    return found(service().refresh_quote(quote_id), f"no quote {quote_id!r}")


@v1.post("/orders")
@requires(Role.QUOTE)
def place_order() -> Any:
    document, created = service().place_order(json_body())
    return jsonify(document), 201 if created else 200, {"Location": f"/v1/orders/{document['id']}"}


@v1.get("/orders/<order_id>")
@requires(Role.SUPPORT)
def get_order(order_id: str) -> Any:
    return found(service().get_order(order_id), f"no order {order_id!r}")


@v1.post("/orders/<order_id>/close")
@requires(Role.SUPPORT)
def close_order(order_id: str) -> Any:
    status = load_document(_CLOSE, json_body(), "close request")["status"]
    return jsonify(service().close_order(order_id, OrderStatus(status)))


@v1.post("/orders/<order_id>/events")
@requires(Role.SUPPORT)
def record_shipment_event(order_id: str) -> Any:
    """A shipment of the order was shipped or delivered: recorded once (201; the same
    event again 200)."""
    document, created = service().record_shipment_event(order_id, json_body())
    return jsonify(document), 201 if created else 200


@v1.get("/promises/at-risk")
@requires(Role.SUPPORT)
def promises_at_risk() -> Any:
    return jsonify(service().at_risk())


@v1.put("/inventory/<sku>")
@requires(Role.ADMIN)
def put_inventory(sku: str) -> Any:
    return jsonify(service().put_inventory(sku, json_body()))


@v1.post("/inventory/<sku>/receipts")
@requires(Role.ADMIN)
def receive_lot(sku: str) -> Any:
    """A lot of `sku` arrived: recorded once (201; the same receipt again 200)."""
    document, created = service().receive_lot(sku, json_body())
    return jsonify(document), 201 if created else 200


@v1.get("/inventory/<sku>")
@requires(Role.SUPPORT)
def get_inventory(sku: str) -> Any:
    return found(service().get_inventory(sku), f"no inventory record for SKU {sku!r}")


@v1.put("/products/<sku>")
@requires(Role.ADMIN)
def put_product(sku: str) -> Any:
    return jsonify(service().put_product(sku, json_body()))


@v1.get("/products/<sku>")
@requires(Role.SUPPORT)
def get_product(sku: str) -> Any:
    return found(service().get_product(sku), f"no product in the catalog for SKU {sku!r}")


@v1.get("/rules")
@requires(Role.SUPPORT)
def rules_status() -> Any:
    return jsonify(service().rules_status())


@v1.post("/rules/reload")
@requires(Role.ADMIN)
def reload_rules() -> Any:
    status = service().reload_rules()
    return jsonify(status), 422 if status["errors"] else 200


@health.get("/healthz")
@public
def healthz() -> Any:
    """The process answers: for a liveness probe."""
    return jsonify({"status": "ok"})


@health.get("/readyz")
@public
def readyz() -> Any:
    """Rules are loaded and the store answers: for a load balancer's readiness probe."""
    try:
        service().store.ping()
    except Exception as error:  # any store failure means: send traffic elsewhere
        return error_response(503, "not_ready", f"the store does not answer: {error}")
    return jsonify({"status": "ready", "ruleset": service().reloading.status.version})


@health.get("/metrics")
@requires(Role.ADMIN)
def prometheus() -> Response:
    return Response(metrics().exposition(), mimetype=CONTENT_TYPE_LATEST)
