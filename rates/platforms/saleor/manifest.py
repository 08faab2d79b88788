"""The app manifest a merchant installs in Saleor (docs.saleor.io, "App Manifest"; Saleor
reads it with `saleor/app/manifest_schema.py`): our identity, the permissions the payloads
need, and three webhooks to one endpoint (list, filter, orders), each with the query that shapes its
payload (`rates.platforms.saleor.queries`).

No `tokenTargetUrl`: the service never calls Saleor's API (every fact it needs arrives in
the payloads), and Saleor's docs make the field optional: without it Saleor sends no token.
"""

from __future__ import annotations

from typing import Any

from rates.platforms.saleor import queries

APP_ID = "backorder-rates"
"""The manifest's `id`, which Saleor puts in every method id it makes of ours
(base64 "app:backorder-rates:<option id>"); never a colon in it."""
VERSION = "1.0.0"
PERMISSIONS = ("MANAGE_CHECKOUTS", "MANAGE_ORDERS", "MANAGE_SHIPPING")
"""What Saleor's "Shipping events" page requires of a shipping app."""
REQUIRED_SALEOR = ">=3.21"
"""3.19 added a method's minimum days and description; 3.21 requires its currency to be
the checkout's, which `checkout.methods_answer` keeps."""


def manifest(*, app_url: str, domain: str) -> dict[str, Any]:
    """The manifest for the Saleor instance `domain` (the one configured under that name),
    served by the service at `app_url` (its public base URL, no trailing slash)."""
    base = app_url.rstrip("/")
    target = f"{base}/saleor/{domain}/webhooks"
    return {
        "id": APP_ID,
        "version": VERSION,
        "requiredSaleorVersion": REQUIRED_SALEOR,
        "name": "Backorder rates",
        "about": "Shipping rates and delivery windows for carts with backordered items.",
        "permissions": list(PERMISSIONS),
        "appUrl": base,
        "webhooks": [
            _webhook("Backorder rates: list shipping methods", target,
                     sync=[queries.LIST_METHODS], query=queries.LIST_METHODS_QUERY),
            _webhook("Backorder rates: filter shipping methods", target,
                     sync=[queries.FILTER_METHODS], query=queries.FILTER_METHODS_QUERY),
            _webhook("Backorder rates: orders", target,
                     asynchronous=[queries.ORDER_CREATED, queries.ORDER_CANCELLED,
                                   queries.ORDER_FULFILLED],
                     query=queries.ORDER_EVENTS_QUERY),
        ],
    }


def _webhook(name: str, target: str, *, query: str, sync: list[str] | None = None,
             asynchronous: list[str] | None = None) -> dict[str, Any]:
    return {"name": name, "syncEvents": sync or [], "asyncEvents": asynchronous or [],
            "query": query, "targetUrl": target, "isActive": True}
