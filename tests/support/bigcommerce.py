"""A stand-in for a BigCommerce store's v2 REST API on 127.0.0.1, answering as BigCommerce
documents: an order, its products and shipping addresses (lists in pages of `limit`, 204
when empty), the shipping quote kept on an address (204 when none), the store's
information; 401 for a token it does not know, 404 for an order it does not hold. It
records every request (path, query and headers) for tests to assert what was sent.

`fail` makes every answer that HTTP status; `hang` makes it answer nothing until the
client hangs up (a timeout, seen from the server's side).
"""

from __future__ import annotations

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


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


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
