"""The OpenAPI 3.1 description at /openapi.json and a readable page at /docs.

Generated once per app by apispec from the same marshmallow schemas that validate requests
(`rates.wire.request`) and describe responses (`rates.wire.documents`), with the cart
limits of the app's settings (`limits:` in the config, tighter than the schemas' own caps)
written in, so a request the description calls valid is not refused for its size. Rules
the description can state only in words (the shop's currency, configured locations, date
order, the calendars' horizon) are in the schemas' descriptions. The operations are
listed here, next to nothing else; a test walks the URL map and fails if a route is missing
from this list, so the description cannot fall behind the app.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, current_app, jsonify

from rates.settings import Limits
from rates.web.api import MAX_PATH_VALUE
from rates.web.auth import public
from rates.wire import documents as docs
from rates.wire.orders import CloseOrderSchema, OrderRequestSchema
from rates.wire.products import ProductSchema
from rates.wire.request import (
    MAX_LINES,
    MAX_QUANTITY,
    NO_NUL,
    DecimalString,
    QuoteRequestSchema,
    StockSchema,
)

openapi = Blueprint("openapi", __name__)


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    summary: str
    role: str | None
    body: str | None = None
    ok: tuple[int, str | None] = (200, None)
    errors: tuple[int, ...] = ()
    query: tuple[tuple[str, str], ...] = ()


OPERATIONS = (
    Operation("post", "/v1/quotes", "Quote a cart", "quote", "QuoteRequest", (201, "Quote"),
              (400, 413, 415, 422), (("explain", "1 to list withheld options and skipped rules"),)),
    Operation("get", "/v1/quotes/{quote_id}", "A stored quote, as served", "support",
              ok=(200, "Quote"), errors=(404,)),
    Operation("post", "/v1/quotes/{quote_id}/refresh",
              "Quote a stored quote's cart again now, with the differences", "support",
              ok=(200, "Refresh"), errors=(404, 422)),
    Operation("post", "/v1/orders", "Accept a quoted option as an order's promise "
              "(200 when the order id was already placed the same way)", "quote",
              "OrderRequest", (201, "Order"), (400, 404, 409, 415, 422)),
    Operation("get", "/v1/orders/{order_id}", "An order: promised and current windows",
              "support", ok=(200, "Order"), errors=(404,)),
    Operation("post", "/v1/orders/{order_id}/close", "Close an order (shipped or cancelled); "
              "its backordered units leave the queue", "support", "CloseOrder",
              (200, "Order"), (400, 404, 415, 422)),
    Operation("get", "/v1/promises/at-risk", "Open orders now expected after their "
              "promised latest delivery", "support", ok=(200, "AtRisk")),
    Operation("put", "/v1/inventory/{sku}", "Set a SKU's stock; re-checks the promises "
              "waiting for it", "admin", "Stock", (200, "Inventory"), (400, 415, 422)),
    Operation("get", "/v1/inventory/{sku}", "A SKU's stored stock", "support",
              ok=(200, "Inventory"), errors=(404,)),
    Operation("put", "/v1/products/{sku}", "Set a SKU's product in the catalog: its "
              "Shopify ids, tags, grams and dimensions", "admin", "ProductRequest",
              (200, "Product"), (400, 415, 422)),
    Operation("get", "/v1/products/{sku}", "A SKU's product in the catalog", "support",
              ok=(200, "Product"), errors=(404,)),
    Operation("get", "/v1/rules", "The live ruleset and the last reload's problems",
              "support", ok=(200, "RulesStatus")),
    Operation("post", "/v1/rules/reload", "Reload rules and carriers now", "admin",
              ok=(200, "RulesStatus"), errors=(422,)),
    Operation("post", "/shopify/{shop}/rates", "Shopify CarrierService callback (HMAC signed)",
              None, "ShopifyRateRequest", (200, "ShopifyRates"), (400, 401, 404, 415, 422)),
    Operation("post", "/shopify/{shop}/webhooks",
              "Shopify webhooks (HMAC signed): orders/create, orders/cancelled, "
              "orders/fulfilled, products/create, products/update; other topics are "
              "ignored", None, "ShopifyWebhookPayload",
              (200, "ShopifyWebhook"), (400, 401, 404, 422)),
    Operation("get", "/healthz", "Liveness", None),
    Operation("get", "/readyz", "Readiness: rules loaded, store answers", None, errors=(503,)),
    Operation("get", "/metrics", "Prometheus metrics (text format)", "admin"),
    Operation("get", "/openapi.json", "This description", None),
    Operation("get", "/docs", "This description as a page", None),
)

# Nested schemas register themselves under their class name less "Schema" ("Stock" for
# StockSchema, inside QuoteRequest), which is how PUT /v1/inventory refers to it.
SCHEMAS = {
    "QuoteRequest": QuoteRequestSchema, "Quote": docs.QuoteDoc,
    "Inventory": docs.InventoryDoc, "RulesStatus": docs.RulesStatusDoc,
    "Error": docs.ErrorDoc, "ShopifyRates": docs.ShopifyRatesDoc,
    "ShopifyWebhook": docs.ShopifyWebhookDoc,
    "OrderRequest": OrderRequestSchema, "CloseOrder": CloseOrderSchema, "Order": docs.OrderDoc,
    "AtRisk": docs.AtRiskDoc, "Refresh": docs.RefreshDoc,
    "ProductRequest": ProductSchema, "Product": docs.ProductDoc,
}

# What `api._path_values` accepts in a path: a longer or NUL-holding id is never found.
PATH_VALUE = {"type": "string", "minLength": 1, "maxLength": MAX_PATH_VALUE, "pattern": NO_NUL}

ERROR_MEANING = {400: "Malformed JSON (or nested too deep), or a date outside the "
                      "service's calendars (code calendar_horizon)",
                 401: "Missing or wrong key or signature",
                 403: "The key's role may not do this", 404: "Not found",
                 409: "Changed since: the quote expired, its stock was taken, or the "
                      "order id is used",
                 413: "Body over the size cap", 415: "Body is not JSON",
                 422: "Invalid fields (one entry per field)", 503: "Not ready"}


DEFAULT_LIMITS = Limits()


@cache
def build_spec(limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The description for an app with these cart `limits`; built once per process and
    limits. Treat as read-only."""
    plugin = MarshmallowPlugin()
    spec = APISpec("backorder-rates", "1", "3.1.0", plugins=[plugin], info={
        "description": "Shipping rates and delivery windows for carts that mix in-stock "
                       "and backordered items."})
    plugin.map_to_openapi_type(DecimalString, "string", None)  # type: ignore[no-untyped-call]
    spec.components.security_scheme("key", {"type": "http", "scheme": "bearer"})
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema=schema)
    spec.components.schema("ShopifyRateRequest", {
        "type": "object", "required": ["rate"],
        "description": "Shopify's documented CarrierService request: "
                       "{rate: {origin, destination, items, currency, locale}}",
        "properties": {"rate": {"type": "object"}}})
    spec.components.schema("ShopifyWebhookPayload", {
        "type": "object",
        "description": "The REST resource of the X-Shopify-Topic header's topic (an order "
                       "for orders/*, a product for products/*), as Shopify delivers it"})
    for op in OPERATIONS:
        spec.path(path=op.path, operations={op.method: _operation(op)})
    document = spec.to_dict()
    schemas = document["components"]["schemas"]
    # Not as the schema's Meta.description: apispec then drops additionalProperties: false.
    schemas["Stock"]["description"] = StockSchema.RULES
    schemas["QuoteRequest"]["properties"]["lines"]["maxItems"] = min(MAX_LINES,
                                                                     limits.max_lines)
    schemas["Line"]["properties"]["quantity"]["maximum"] = min(MAX_QUANTITY,
                                                               limits.max_quantity)
    return document


def _operation(op: Operation) -> dict[str, Any]:
    status, schema = op.ok
    ok: dict[str, Any] = {"description": "OK"}
    if schema:
        ok["content"] = {"application/json": {"schema": schema}}
    responses: dict[str, Any] = {str(status): ok}
    # Every body is capped in size (413); a role-checked route may refuse the key.
    errors = set(op.errors) | ({401, 403} if op.role else set()) | ({413} if op.body else set())
    for code in sorted(errors):
        responses[str(code)] = {"description": ERROR_MEANING[code],
                                "content": {"application/json": {"schema": "Error"}}}
    body: dict[str, Any] = {"summary": op.summary, "responses": responses,
                            "security": [{"key": []}] if op.role else [],
                            "x-role": op.role or "public"}
    if op.role:
        body["description"] = f"Needs a key with the {op.role} role (or higher)."
    params = [{"in": "path", "name": name, "required": True,
               "schema": {"type": "string"} if name == "shop" else PATH_VALUE}
              for name in ("quote_id", "order_id", "sku", "shop") if "{" + name + "}" in op.path]
    params += [{"in": "query", "name": name, "required": False, "description": text,
                "schema": {"type": "string"}} for name, text in op.query]
    if params:
        body["parameters"] = params
    if op.body:
        body["requestBody"] = {"required": True,
                               "content": {"application/json": {"schema": op.body}}}
    return body


@openapi.get("/openapi.json")
@public
def openapi_json() -> Any:
    return jsonify(current_app.config["RATES_OPENAPI"])


@openapi.get("/docs")
@public
def docs_page() -> Response:
    """A plain page, no scripts or external assets: operations, roles and shapes."""
    spec = current_app.config["RATES_OPENAPI"]
    rows = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            role = op["x-role"]
            rows.append(f"<tr><td><code>{method.upper()} {html.escape(path)}</code></td>"
                        f"<td>{html.escape(op['summary'])}</td><td>{html.escape(role)}</td>"
                        f"<td>{', '.join(op['responses'])}</td></tr>")
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>backorder-rates API</title><style>body{font:16px/1.5 system-ui,sans-serif;"
        "max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;"
        "width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;"
        "vertical-align:top}</style></head><body><h1>backorder-rates API</h1>"
        "<p>The machine-readable description is at <a href='/openapi.json'>/openapi.json"
        "</a>. Send keys as <code>Authorization: Bearer &lt;key&gt;</code>.</p>"
        "<table><thead><tr><th>Operation</th><th>What</th><th>Key</th><th>Answers</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></body></html>")
    return Response(page, mimetype="text/html")
