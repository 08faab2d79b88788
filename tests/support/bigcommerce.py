"""A stand-in for a BigCommerce store's v2 REST API on 127.0.0.1, answering as BigCommerce
documents: an order, its products and shipping addresses (lists in pages of `limit`, 204
when empty), the shipping quote kept on an address (204 when none), the store's
information; 401 for a token it does not know, 404 for an order it does not hold. It
records every request (path, query and headers) for tests to assert what was sent.

`fail` makes every answer that HTTP status; `hang` makes it answer nothing until the
client hangs up (a timeout, seen from the server's side).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.local_http import LocalServer, QuietHandler

FIXTURES = Path(__file__).resolve().parents[1] / "platforms" / "bigcommerce" / "fixtures"
STORE_HASH = "abc123"
TOKEN = "bc_test_token_0123456789"  # noqa: S105 (a test token)
CREDENTIAL = "rates_bc_credential_0123456789"  # noqa: S105 (the merchant's, for tests)
ENVIRON = {"RATES_BIGCOMMERCE_SECRET": CREDENTIAL, "RATES_BIGCOMMERCE_TOKEN": TOKEN}
"""The store's secrets, as `BigCommerceStore(STORE_HASH, *ENVIRON, ...)` names them."""
ORDER = 250  # the documented callbacks' order
MIXED_ITEMS = (("TENT-2P", 3, 3200, "149.00"), ("LANTERN", 2, 400, "19.50"),
               ("STOVE-2B", 1, 4500, "89.00"))
"""The example's mixed cart: (SKU, quantity, grams, unit price)."""
SAN_FRANCISCO = {"country_iso2": "US", "state_iso2": "CA", "zip": "94110"}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def rate_request(items: tuple[tuple[str, int, int, str], ...] = MIXED_ITEMS, *,
                 destination: dict[str, str] | None = None,
                 credential: str | None = CREDENTIAL) -> dict[str, Any]:
    """The documented rate request, its items and destination those of a test's cart
    (`items`: SKU, quantity, grams, unit price in USD), carrying `credential` as the
    merchant entered it (None: not at all)."""
    body = fixture("rate_request.json")
    base = body["base_options"]
    base["destination"].update(destination or SAN_FRANCISCO)
    [template] = base["items"]
    base["items"] = [{**copy.deepcopy(template), "sku": sku, "quantity": quantity,
                      "weight": {"units": "g", "value": grams},
                      "discounted_price": {"currency": "USD", "amount": price},
                      "declared_value": {"currency": "USD", "amount": price}}
                     for sku, quantity, grams, price in items]
    body["connection_options"] = {} if credential is None else {"rates_token": credential}
    return body


def order_for(request: dict[str, Any], quote: dict[str, Any], *, number: int = ORDER,
              created: str = "Mon, 23 Nov 2026 17:31:00 +0000",
              state: str = "California") -> StoredOrder:
    """The documented order `number`, as the Orders API gives it once the shopper of the
    rate `request` chose `quote` (one of our answer's quotes): its products the request's
    items (weighed in the store's Ounces), one shipping address in `state` (its name, as
    BigCommerce writes an address's) with the quote's cost, and the shipping quote
    BigCommerce keeps naming the quote's code."""
    order = {**fixture("order.json"), "id": number, "date_created": created}
    [template, _] = fixture("order_products.json")
    products = [{**copy.deepcopy(template), "order_id": number, "sku": item["sku"],
                 "quantity": item["quantity"], "base_price": item["discounted_price"]["amount"],
                 "weight": str(round(item["weight"]["value"] / 28.349523125, 4))}
                for item in request["base_options"]["items"]]
    [address, _] = fixture("order_shipping_addresses.json")
    destination = request["base_options"]["destination"]
    address.update(order_id=number, country_iso2=destination["country_iso2"],
                   state=state, zip=destination["zip"],
                   base_cost=str(quote["cost"]["amount"]))
    kept = {**fixture("order_shipping_quote.json"), "rate_code": quote["code"],
            "rate_id": quote["rate_id"]}
    return StoredOrder(order, products, [address], {address["id"]: kept})


def callback(scope: str = "store/order/created", *, number: int = ORDER,
             status: int | None = None) -> dict[str, Any]:
    """The documented callback of `scope` for order `number` (a status update's new
    status id `status`)."""
    if scope == "store/order/created":
        body = fixture("webhook_order_created.json")
    else:
        body = fixture("webhook_order_status_updated.json")
        body["data"]["status"]["new_status_id"] = status
    body["data"]["id"] = number
    return body


@dataclass
class StoredOrder:
    order: dict[str, Any]
    products: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    quotes: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class FakeStore:
    orders: dict[int, StoredOrder] = field(default_factory=dict)
    information: dict[str, Any] = field(default_factory=lambda: fixture("store_information.json"))
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail: int | None = None
    hang: bool = False
    base: str = ""

    def answer(self, target: str, headers: dict[str, str]) -> tuple[int, Any]:
        parts = urlsplit(target)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.requests.append({"path": parts.path, "query": query, "headers": headers})
        if self.fail is not None:
            return self.fail, [{"status": self.fail, "message": "Service Unavailable"}]
        if headers.get("X-Auth-Token") != TOKEN:
            return 401, [{"status": 401, "message": "You have not been authorized"}]
        prefix = f"/stores/{STORE_HASH}/v2"
        path = parts.path.removeprefix(prefix).strip("/").split("/")
        if parts.path == f"{prefix}/store":
            return 200, self.information
        if len(path) < 2 or path[0] != "orders" or not path[1].isdigit() or int(
                path[1]) not in self.orders:
            return 404, [{"status": 404, "message": "The requested resource was not found."}]
        stored = self.orders[int(path[1])]
        rest = path[2:]
        if not rest:
            return 200, stored.order
        if rest == ["products"]:
            return self._page(stored.products, query)
        if rest == ["shipping_addresses"]:
            return self._page(stored.addresses, query)
        if len(rest) == 3 and rest[0] == "shipping_addresses" and rest[2] == "shipping_quotes":
            found = stored.quotes.get(int(rest[1]))
            return (200, found) if found is not None else (204, None)
        return 404, [{"status": 404, "message": "The requested resource was not found."}]

    @staticmethod
    def _page(items: list[dict[str, Any]], query: dict[str, str]) -> tuple[int, Any]:
        limit, page = int(query.get("limit", 50)), int(query.get("page", 1))
        found = items[(page - 1) * limit:page * limit]
        return (200, found) if found else (204, None)


@contextmanager
def bigcommerce_api() -> Iterator[FakeStore]:
    """A `FakeStore` served on a free port of 127.0.0.1 (its `base` URL), closed after."""
    store = FakeStore()
    server: LocalServer

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            status, body = store.answer(self.path, dict(self.headers.items()))
            if store.hang:
                self.hold(None, server.released)
                return
            if status == 204:
                self.answer(204, b"")
                return
            self.answer(status, json.dumps(body).encode(),
                        {"Content-Type": "application/json"})

    server = LocalServer(Handler)
    store.base = f"http://127.0.0.1:{server.port}"
    try:
        yield store
    finally:
        server.close()
