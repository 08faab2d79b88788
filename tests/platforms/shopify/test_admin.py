"""Shopify's Admin GraphQL API: the documents built, the answers read, and the one HTTP
call (no redirects followed, the token only in its header)."""

import json
from http.server import BaseHTTPRequestHandler

import pytest

from rates.platforms.shopify.admin import (
    AdminApiError,
    UserError,
    admin_endpoint,
    answer_data,
    create_carrier_service,
    list_webhook_subscriptions,
    mutation_payload,
    post_graphql,
    route,
    url_problem,
)
from tests.support.local_http import LocalServer

HTTPS_ONLY = "must be an absolute https:// URL such as https://rates.example.com, got "


def test_the_endpoint_is_the_shops_pinned_graphql_path():
    assert admin_endpoint("a-shop.myshopify.com") == (
        "https://a-shop.myshopify.com/admin/api/2026-10/graphql.json")
    assert admin_endpoint("a-shop.myshopify.com", "http://127.0.0.1:8/") == (
        "http://127.0.0.1:8/admin/api/2026-10/graphql.json")


def test_routes_are_appended_to_the_base_and_its_path():
    assert route("https://x.example.com/app/", "s.myshopify.com", "rates") == (
        "https://x.example.com/app/shopify/s.myshopify.com/rates")


@pytest.mark.parametrize(("url", "allow_http", "problem"), [
    ("https://rates.example.com", False, None),
    ("https://rates.example.com:8443/base/", False, None),
    ("http://127.0.0.1:9", True, None),
    ("http://127.0.0.1:9", False, HTTPS_ONLY + "'http://127.0.0.1:9'"),
    ("ftp://rates.example.com", True, HTTPS_ONLY + "'ftp://rates.example.com'"),
    ("https://", False, HTTPS_ONLY + "'https://'"),
    ("https://rates.example.com:port", False, HTTPS_ONLY + "'https://rates.example.com:port'"),
    ("https://rates example.com", False, HTTPS_ONLY + "'https://rates example.com'"),
    ("https://me:pw@rates.example.com", False, "must have no user, query or fragment "
     "(routes are appended to it), got 'https://me:pw@rates.example.com'"),
    ("https://rates.example.com/#top", False, "must have no user, query or fragment "
     "(routes are appended to it), got 'https://rates.example.com/#top'"),
])
def test_the_base_url_must_be_absolute_and_https(url, allow_http, problem):
    assert url_problem(url, allow_http=allow_http) == problem


def test_a_carrier_service_is_created_active_with_service_discovery():
    request = create_carrier_service("Backorder Rates", "https://r.example.com/shopify/s/rates")
    assert request.root == "carrierServiceCreate"
    assert request.document.startswith(
        "mutation CarrierServiceCreate($input: DeliveryCarrierServiceCreateInput!) {\n"
        "  carrierServiceCreate(input: $input) {\n")
    assert request.body()["variables"] == {"input": {
        "name": "Backorder Rates", "callbackUrl": "https://r.example.com/shopify/s/rates",
        "active": True, "supportsServiceDiscovery": True}}


def test_subscriptions_are_listed_for_the_topics_asked():
    request = list_webhook_subscriptions(["ORDERS_CREATE"], after="abc")
    assert request.variables == {"first": 100, "after": "abc", "topics": ["ORDERS_CREATE"]}
    assert "webhookSubscriptions(first: $first, after: $after, topics: $topics)" in (
        request.document)


def test_200_with_data_is_the_data():
    assert answer_data(200, '{"data": {"x": 1}}') == {"x": 1}


@pytest.mark.parametrize(("status", "body", "message"), [
    (401, '{"errors": "[API] Invalid API key or access token"}',
     "the Admin API answered HTTP 401: [API] Invalid API key or access token"),
    (503, "<html>down</html>", "the Admin API answered HTTP 503"),
    (301, "", "the Admin API answered HTTP 301, a redirect, which is not followed (the token "
              "would go with it): check the shop's domain"),
    (200, '{"errors": [{"message": "Access denied for carrierServiceCreate field.", '
          '"extensions": {"code": "ACCESS_DENIED"}}, {"message": "Throttled"}]}',
     "the Admin API refused the request: Access denied for carrierServiceCreate field. "
     "[ACCESS_DENIED]; Throttled"),
    (200, "not json", "the Admin API answered 200 with a body that is not a JSON object"),
    (200, '{"data": null}', "the Admin API answered 200 without data"),
])
def test_an_answer_shopify_did_not_run_is_an_admin_api_error(status, body, message):
    with pytest.raises(AdminApiError) as refused:
        answer_data(status, body)
    assert (refused.value.message, refused.value.status) == (message, status)


def test_user_errors_are_read_with_their_field_path_and_code():
    request = create_carrier_service("n", "https://r.example.com/x")
    payload = mutation_payload({"carrierServiceCreate": {"carrierService": None, "userErrors": [
        {"field": ["input", "name"], "message": "Name has already been taken", "code": "TAKEN"},
        {"field": None, "message": "No field"}]}}, request, "carrierService")
    assert payload.node is None
    assert payload.user_errors == (UserError(("input", "name"), "Name has already been taken",
                                             "TAKEN"), UserError((), "No field"))
    assert [str(error) for error in payload.user_errors] == [
        "input.name: Name has already been taken [TAKEN]", "No field"]


class _Recorder(BaseHTTPRequestHandler):
    """Answers each POST with `answer` (status, headers, body); records each request."""

    seen: list[dict[str, object]] = []
    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        type(self).seen.append({"path": self.path, "headers": dict(self.headers),
                                "body": json.loads(self.rfile.read(length))})
        status, headers, body = type(self).answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002
        pass


def recorder(answer):
    handler = type("Recorder", (_Recorder,), {"seen": [], "answer": answer})
    return handler, LocalServer(handler)


def test_the_request_carries_the_token_in_its_header_and_the_document_as_json():
    handler, server = recorder((200, {"Content-Type": "application/json"},
                                b'{"data": {"carrierServiceCreate": {}}}'))
    try:
        request = create_carrier_service("n", "https://r.example.com/x")
        data = post_graphql(f"http://127.0.0.1:{server.port}/g", "shpat_t", request)
    finally:
        server.close()
    assert data == {"carrierServiceCreate": {}}
    [seen] = handler.seen
    assert seen["path"] == "/g"
    assert seen["headers"]["X-Shopify-Access-Token"] == "shpat_t"
    assert seen["body"] == request.body()


def test_a_redirect_is_not_followed_so_the_token_stays_home():
    elsewhere, target = recorder((200, {}, b'{"data": {}}'))
    _, server = recorder((302, {"Location": f"http://127.0.0.1:{target.port}/steal"}, b""))
    try:
        with pytest.raises(AdminApiError) as refused:
            post_graphql(f"http://127.0.0.1:{server.port}/g", "shpat_t",
                         create_carrier_service("n", "https://r.example.com/x"))
    finally:
        server.close()
        target.close()
    assert refused.value.status == 302
    assert elsewhere.seen == []


def test_no_answer_is_an_admin_api_error_naming_the_endpoint():
    _, server = recorder((200, {}, b""))
    port = server.port
    server.close()
    with pytest.raises(AdminApiError) as refused:
        post_graphql(f"http://127.0.0.1:{port}/g", "shpat_secret_token",
                     create_carrier_service("n", "https://r.example.com/x"))
    assert refused.value.message.startswith(f"cannot reach http://127.0.0.1:{port}/g: ")
    assert "shpat_secret_token" not in refused.value.message
