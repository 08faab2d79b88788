"""Shopify's Admin GraphQL API, as much of it as setting a shop up needs.

Pure builders of the GraphQL documents (`GraphQL`: the document, its variables, and the
root field whose payload answers it) and pure readers of the answers, plus one thin
transport function, `post_graphql`. Built to Shopify's reference for API version
`API_VERSION` (shopify.dev/docs/api/admin-graphql): `carrierServices`,
`carrierServiceCreate` / `carrierServiceUpdate` (DeliveryCarrierServiceCreateInput and
UpdateInput: name, callbackUrl, active, supportsServiceDiscovery), `webhookSubscriptions`,
`webhookSubscriptionCreate` / `webhookSubscriptionUpdate` (WebhookSubscriptionInput: `uri`,
which replaced the deprecated `callbackUrl`, and `format`).

How Shopify answers, and how each way is read here:
- an HTTP status other than 200 (401 for a token it does not know, 403, 429 when
  throttled, 5xx) is an `AdminApiError` carrying the status;
- 200 with top-level `errors` (a document it could not run, a missing access scope, a
  throttled query) is an `AdminApiError` listing each message;
- 200 with a mutation's `userErrors` (each `field` path and `message`, and a `code` for the
  carrier-service ones) is a refusal of that one change, read by `mutation_payload` for
  the caller to report; the other changes may still succeed.

The access token travels only in the `X-Shopify-Access-Token` header; no message here
ever includes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import requests

API_VERSION = "2026-10"
"""The stable Admin API version every call names. Shopify releases one each quarter and
supports it for at least twelve months; move on before it retires (the version pins the
documents below, so a move is a reviewed change, never a silent one)."""

PAGE_SIZE = 100
"""Nodes asked for per page of a list (Shopify allows up to 250)."""

MAX_PAGES = 50
"""A list longer than this many pages is a fault, not a shop: stop rather than loop."""

TIMEOUT_SECONDS = (5.0, 30.0)
"""Connect, then each read: a person waits on `rates shopify register`, not a shopper."""

_CARRIER_FIELDS = "id name callbackUrl active supportsServiceDiscovery"
_SUBSCRIPTION_FIELDS = "id topic uri format"
_PAGE_INFO = "pageInfo { hasNextPage endCursor }"


class AdminApiError(Exception):
    """Shopify did not run the request: `status` is the HTTP status (200 when the answer
    held top-level GraphQL errors, 0 when no answer came)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class GraphQL:
    """One request: the document, its variables, and the root field that answers it."""

    document: str
    variables: Mapping[str, Any]
    root: str

    def body(self) -> dict[str, Any]:
        return {"query": self.document, "variables": dict(self.variables)}


@dataclass(frozen=True, slots=True)
class UserError:
    """One `userErrors` entry: Shopify's reason for refusing a change."""

    field: tuple[str, ...]
    message: str
    code: str | None = None

    def __str__(self) -> str:
        where = f"{'.'.join(self.field)}: " if self.field else ""
        return f"{where}{self.message}{f' [{self.code}]' if self.code else ''}"


@dataclass(frozen=True, slots=True)
class CarrierService:
    id: str
    name: str
    callback_url: str
    active: bool
    supports_service_discovery: bool


@dataclass(frozen=True, slots=True)
class WebhookSubscription:
    id: str
    topic: str
    uri: str
    format: str


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, and the cursor of the next page (None: this was the last)."""

    items: tuple[T, ...]
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Payload:
    """A mutation's answer: the object it made or changed (None if refused), and why not."""

    node: Mapping[str, Any] | None
    user_errors: tuple[UserError, ...] = field(default=())


# -- where ---------------------------------------------------------------------------------

def admin_endpoint(shop: str, base: str | None = None) -> str:
    """The shop's GraphQL Admin endpoint: `https://{shop}/admin/api/{API_VERSION}/
    graphql.json`, or the same path under `base` (a local stand-in, for tests)."""
    root = base.rstrip("/") if base else f"https://{shop}"
    return f"{root}/admin/api/{API_VERSION}/graphql.json"


def url_problem(url: str, *, allow_http: bool = False) -> str | None:
    """Why `url` cannot be the public base of this service, or None. Absolute, https://
    (http:// only when `allow_http`, for tests on this machine: Shopify's callbacks carry
    carts and orders), a host, and nothing after the path, since routes are appended."""
    wanted = "an absolute https:// URL such as https://rates.example.com"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return f"must be {wanted}, got {url!r}"
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname or any(c.isspace() for c in url):
        return f"must be {wanted}, got {url!r}"
    if parts.query or parts.fragment or parts.username or parts.password:
        return f"must have no user, query or fragment (routes are appended to it), got {url!r}"
    return None


def route(base: str, shop: str, name: str) -> str:
    """`base` + `/shopify/{shop}/{name}`: where Shopify reaches this service for `shop`."""
    return f"{base.rstrip('/')}/shopify/{shop}/{name}"


# -- carrier services ------------------------------------------------------------------------

def list_carrier_services(after: str | None = None) -> GraphQL:
    return GraphQL(
        "query CarrierServices($first: Int!, $after: String) {\n"
        "  carrierServices(first: $first, after: $after) {\n"
        f"    nodes {{ {_CARRIER_FIELDS} }}\n"
        f"    {_PAGE_INFO}\n"
        "  }\n"
        "}",
        {"first": PAGE_SIZE, "after": after}, "carrierServices")


def create_carrier_service(name: str, callback_url: str) -> GraphQL:
    """An active carrier service that Shopify calls at `callback_url`; service discovery
    on, so the merchant can try it with sample data from the Shopify admin."""
    return GraphQL(
        "mutation CarrierServiceCreate($input: DeliveryCarrierServiceCreateInput!) {\n"
        "  carrierServiceCreate(input: $input) {\n"
        f"    carrierService {{ {_CARRIER_FIELDS} }}\n"
        "    userErrors { field message code }\n"
        "  }\n"
        "}",
        {"input": _carrier_input(name, callback_url)}, "carrierServiceCreate")


def update_carrier_service(service_id: str, name: str, callback_url: str) -> GraphQL:
    return GraphQL(
        "mutation CarrierServiceUpdate($input: DeliveryCarrierServiceUpdateInput!) {\n"
        "  carrierServiceUpdate(input: $input) {\n"
        f"    carrierService {{ {_CARRIER_FIELDS} }}\n"
        "    userErrors { field message code }\n"
        "  }\n"
        "}",
        {"input": {"id": service_id, **_carrier_input(name, callback_url)}},
        "carrierServiceUpdate")


def _carrier_input(name: str, callback_url: str) -> dict[str, Any]:
    return {"name": name, "callbackUrl": callback_url, "active": True,
            "supportsServiceDiscovery": True}


def carrier_service(node: Mapping[str, Any]) -> CarrierService:
    return CarrierService(str(node["id"]), str(node["name"]), str(node.get("callbackUrl") or ""),
                          bool(node.get("active")), bool(node.get("supportsServiceDiscovery")))


def carrier_services_page(data: Mapping[str, Any]) -> Page[CarrierService]:
    return _page(data, "carrierServices", carrier_service)


# -- webhook subscriptions ---------------------------------------------------------------------

def list_webhook_subscriptions(topics: Sequence[str], after: str | None = None) -> GraphQL:
    return GraphQL(
        "query WebhookSubscriptions($first: Int!, $after: String, "
        "$topics: [WebhookSubscriptionTopic!]) {\n"
        "  webhookSubscriptions(first: $first, after: $after, topics: $topics) {\n"
        f"    nodes {{ {_SUBSCRIPTION_FIELDS} }}\n"
        f"    {_PAGE_INFO}\n"
        "  }\n"
        "}",
        {"first": PAGE_SIZE, "after": after, "topics": list(topics)}, "webhookSubscriptions")


def create_webhook_subscription(topic: str, uri: str) -> GraphQL:
    return GraphQL(
        "mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, "
        "$webhookSubscription: WebhookSubscriptionInput!) {\n"
        "  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {\n"
        f"    webhookSubscription {{ {_SUBSCRIPTION_FIELDS} }}\n"
        "    userErrors { field message }\n"
        "  }\n"
        "}",
        {"topic": topic, "webhookSubscription": {"uri": uri, "format": "JSON"}},
        "webhookSubscriptionCreate")


def update_webhook_subscription(subscription_id: str, uri: str) -> GraphQL:
    return GraphQL(
        "mutation WebhookSubscriptionUpdate($id: ID!, "
        "$webhookSubscription: WebhookSubscriptionInput!) {\n"
        "  webhookSubscriptionUpdate(id: $id, webhookSubscription: $webhookSubscription) {\n"
        f"    webhookSubscription {{ {_SUBSCRIPTION_FIELDS} }}\n"
        "    userErrors { field message }\n"
        "  }\n"
        "}",
        {"id": subscription_id, "webhookSubscription": {"uri": uri, "format": "JSON"}},
        "webhookSubscriptionUpdate")


def webhook_subscription(node: Mapping[str, Any]) -> WebhookSubscription:
    return WebhookSubscription(str(node["id"]), str(node["topic"]), str(node.get("uri") or ""),
                               str(node.get("format") or ""))


def webhook_subscriptions_page(data: Mapping[str, Any]) -> Page[WebhookSubscription]:
    return _page(data, "webhookSubscriptions", webhook_subscription)


# -- answers -----------------------------------------------------------------------------------

def answer_data(status: int, text: str) -> Mapping[str, Any]:
    """The `data` of an answer with HTTP `status` and body `text`; `AdminApiError` when
    Shopify did not run the request (see the module docstring)."""
    body = _json(text)
    if 300 <= status < 400:
        raise AdminApiError(f"the Admin API answered HTTP {status}, a redirect, which is not "
                            "followed (the token would go with it): check the shop's domain",
                            status)
    if status != 200:
        reason = _errors_text(body.get("errors")) if body else ""
        raise AdminApiError(f"the Admin API answered HTTP {status}"
                            f"{f': {reason}' if reason else ''}", status)
    if body is None:
        raise AdminApiError("the Admin API answered 200 with a body that is not a JSON object",
                            status)
    if body.get("errors"):
        raise AdminApiError(f"the Admin API refused the request: {_errors_text(body['errors'])}",
                            status)
    data = body.get("data")
    if not isinstance(data, Mapping):
        raise AdminApiError("the Admin API answered 200 without data", status)
    return data


def mutation_payload(data: Mapping[str, Any], request: GraphQL, node: str) -> Payload:
    """The payload of `request`'s mutation in `data`: its `node` object and userErrors."""
    payload = data.get(request.root)
    if not isinstance(payload, Mapping):
        raise AdminApiError(f"the Admin API answered without {request.root}", 200)
    errors = tuple(UserError(tuple(str(part) for part in entry.get("field") or ()),
                             str(entry.get("message", "")), entry.get("code"))
                   for entry in payload.get("userErrors") or ())
    made = payload.get(node)
    return Payload(made if isinstance(made, Mapping) and not errors else None, errors)


def _page(data: Mapping[str, Any], root: str,
          read: Callable[[Mapping[str, Any]], T]) -> Page[T]:
    connection = data.get(root)
    if not isinstance(connection, Mapping) or not isinstance(connection.get("nodes"), list):
        raise AdminApiError(f"the Admin API answered without {root}", 200)
    info = connection.get("pageInfo") or {}
    more = bool(info.get("hasNextPage")) and info.get("endCursor")
    return Page(tuple(read(node) for node in connection["nodes"]),
                str(info["endCursor"]) if more else None)


def _json(text: str) -> Mapping[str, Any] | None:
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return body if isinstance(body, Mapping) else None


def _errors_text(errors: Any) -> str:
    """Shopify's `errors`: a list of {message, extensions: {code}} from GraphQL, or a plain
    string (or mapping) beside a non-200 status."""
    if isinstance(errors, str):
        return errors
    if isinstance(errors, list):
        return "; ".join(_one_error(entry) for entry in errors)
    return json.dumps(errors) if errors else ""


def _one_error(entry: Any) -> str:
    if not isinstance(entry, Mapping):
        return str(entry)
    code = (entry.get("extensions") or {}).get("code")
    return f"{entry.get('message', '')}{f' [{code}]' if code else ''}"


# -- transport ----------------------------------------------------------------------------------

def post_graphql(endpoint: str, token: str, request: GraphQL) -> Mapping[str, Any]:
    """POST `request` to `endpoint` with `token`; the answer's `data` (see `answer_data`).
    Never follows a redirect (the token would travel with it) and ignores the environment's
    proxies and ~/.netrc, like the carriers' session."""
    with requests.Session() as session:
        session.trust_env = False
        try:
            answer = session.post(endpoint, json=request.body(), timeout=TIMEOUT_SECONDS,
                                  allow_redirects=False,
                                  headers={"X-Shopify-Access-Token": token,
                                           "Accept": "application/json"})
        except requests.RequestException as error:
            raise AdminApiError(f"cannot reach {endpoint}: {error}") from None
    return answer_data(answer.status_code, answer.text)
