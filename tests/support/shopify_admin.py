"""A stand-in for a shop's Admin GraphQL API on 127.0.0.1, answering as Shopify documents:
the carrier services and webhook subscriptions it holds, listed in pages, created and
updated by the mutations, `userErrors` for a refused change, 401 for a token it does not
know. It records every request (headers and body) for tests to assert what was sent.

It reads only the operation name of each document and its variables (what
`rates.platforms.shopify.admin` sends); it is not a GraphQL server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.support.local_http import LocalServer, QuietHandler

TOKEN = "shpat_test_admin_token_0123456789"  # noqa: S105 (a test token)
PATH = "/admin/api/2026-10/graphql.json"


@dataclass
class FakeShop:
    """The shop's state and what it was sent. `refuse` maps an operation name to the
    userErrors its next calls answer with; `page_size` splits lists into pages."""

    carrier_services: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    refuse: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    page_size: int = 2
    base: str = ""
    _ids: Iterator[int] = field(default_factory=lambda: iter(range(1001, 10**6)))

    @property
    def mutations(self) -> list[tuple[str, dict[str, Any]]]:
        """(operation, variables) of each mutation sent, in order."""
        return [(r["operation"], r["body"]["variables"]) for r in self.requests
                if r["body"]["query"].startswith("mutation")]

    def answer(self, path: str, token: str | None, body: dict[str, Any]) -> tuple[int, Any]:
        operation = re.match(r"(?:query|mutation) (\w+)", body["query"]).group(1)
        self.requests.append({"path": path, "token": token, "body": body,
                              "operation": operation})
        if path != PATH:
            return 404, {"errors": "Not Found"}
        if token != TOKEN:
            return 401, {"errors": "[API] Invalid API key or access token (unrecognized login "
                                   "or wrong password)"}
        variables = body["variables"]
        if operation in self.refuse:
            root = operation[0].lower() + operation[1:]
            node = "carrierService" if root.startswith("carrier") else "webhookSubscription"
            return 200, {"data": {root: {node: None, "userErrors": self.refuse[operation]}}}
        return 200, {"data": getattr(self, f"_{operation}")(variables)}

    def _page(self, items: list[dict[str, Any]], variables: dict[str, Any]) -> dict[str, Any]:
        start = int(variables["after"] or 0)
        size = min(self.page_size, variables["first"])
        more = start + size < len(items)
        return {"nodes": items[start:start + size],
                "pageInfo": {"hasNextPage": more, "endCursor": str(start + size)}}

    def _CarrierServices(self, variables: dict[str, Any]) -> dict[str, Any]:
        return {"carrierServices": self._page(self.carrier_services, variables)}

    def _WebhookSubscriptions(self, variables: dict[str, Any]) -> dict[str, Any]:
        wanted = variables.get("topics")
        found = [s for s in self.subscriptions if not wanted or s["topic"] in wanted]
        return {"webhookSubscriptions": self._page(found, variables)}

    def _CarrierServiceCreate(self, variables: dict[str, Any]) -> dict[str, Any]:
        service = {"id": f"gid://shopify/DeliveryCarrierService/{next(self._ids)}",
                   **variables["input"]}
        self.carrier_services.append(service)
        return {"carrierServiceCreate": {"carrierService": service, "userErrors": []}}

    def _CarrierServiceUpdate(self, variables: dict[str, Any]) -> dict[str, Any]:
        service = next(s for s in self.carrier_services if s["id"] == variables["input"]["id"])
        service.update(variables["input"])
        return {"carrierServiceUpdate": {"carrierService": service, "userErrors": []}}

    def _WebhookSubscriptionCreate(self, variables: dict[str, Any]) -> dict[str, Any]:
        made = {"id": f"gid://shopify/WebhookSubscription/{next(self._ids)}",
                "topic": variables["topic"], **variables["webhookSubscription"]}
        self.subscriptions.append(made)
        return {"webhookSubscriptionCreate": {"webhookSubscription": made, "userErrors": []}}

    def _WebhookSubscriptionUpdate(self, variables: dict[str, Any]) -> dict[str, Any]:
        found = next(s for s in self.subscriptions if s["id"] == variables["id"])
        found.update(variables["webhookSubscription"])
        return {"webhookSubscriptionUpdate": {"webhookSubscription": found, "userErrors": []}}


@contextmanager
def shopify_admin() -> Iterator[FakeShop]:
    """A `FakeShop` served on a free port of 127.0.0.1 (its `base` URL), closed after."""
    shop = FakeShop()

    class Handler(QuietHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server name)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            status, answer = shop.answer(self.path, self.headers.get("X-Shopify-Access-Token"),
                                         body)
            self.answer(status, json.dumps(answer).encode(),
                        {"Content-Type": "application/json"})

    server = LocalServer(Handler)
    shop.base = f"http://127.0.0.1:{server.port}"
    try:
        yield shop
    finally:
        server.close()
