"""The JSON API through Flask's test client: quotes, inventory, rules, errors, keys."""

import json
import sqlite3

import pytest
import zstandard

from rates.settings import Role
from tests.support.project import CARTS
from tests.support.web import auth

MIXED = json.loads((CARTS / "mixed.json").read_text())
IN_STOCK = json.loads((CARTS / "in_stock.json").read_text())


def post_quote(client, cart, role=Role.QUOTE, **kwargs):
    return client.post("/v1/quotes", json=cart, headers=auth(role), **kwargs)


def test_a_quote_is_created_stored_and_read_back_by_support(client):
    created = post_quote(client, MIXED)
    assert created.status_code == 201
    document = created.get_json()
    assert document["id"].startswith("q_")
    assert created.headers["Location"] == f"/v1/quotes/{document['id']}"
    assert {o["plan"] for o in document["options"]} == {"together", "in_stock_first",
                                                        "as_available"}
    assert document["ruleset"].startswith("sha256:")
    read = client.get(f"/v1/quotes/{document['id']}", headers=auth(Role.SUPPORT))
    assert read.status_code == 200
    assert read.get_json() == document


def test_the_stored_quote_is_the_answer_byte_for_byte(client, tmp_path):
    created = post_quote(client, {key: value for key, value in MIXED.items()
                                  if key != "reference"})
    quote_id = created.get_json()["id"]
    with sqlite3.connect(tmp_path / "rates.db") as db:
        (stored,) = db.execute("SELECT document FROM quotes WHERE id = ?",
                               (quote_id,)).fetchone()
    # Packed with zstd, a tenth of its size (rates/store/packing.py) ...
    assert stored.startswith(b"\x28\xb5\x2f\xfd") and len(stored) < len(created.get_data()) / 5
    # ... the very bytes served, in the order built, as the shopper got them.
    assert zstandard.decompress(stored) == created.get_data()
    assert b'"reference":null' in created.get_data()


def test_the_quote_role_cannot_read_quotes_back(client):
    quote_id = post_quote(client, MIXED).get_json()["id"]
    response = client.get(f"/v1/quotes/{quote_id}", headers=auth(Role.QUOTE))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_an_unknown_quote_is_a_404_in_the_error_shape(client):
    response = client.get("/v1/quotes/q_nope", headers=auth(Role.SUPPORT))
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": "not_found", "message": "no quote 'q_nope'",
                                             "fields": {}}}


def test_explain_lists_withheld_options(client):
    document = client.post("/v1/quotes?explain=1", json=MIXED,
                           headers=auth(Role.QUOTE)).get_json()
    withheld = {o["id"]: o for o in document["withheld"]}
    assert withheld["together/ups/next_day_air"]["blocked_by"] == "no-express-for-backorders"


def test_lines_without_stock_use_the_inventory_store(client):
    # The example inventory has LANTERN on hand at reno; make it a restock due Dec 7-9.
    stock = {"locations": [{"location": "reno", "on_hand": 0, "inbound": [
        {"id": "PO-9", "quantity": 50, "earliest": "2026-12-07", "latest": "2026-12-09"}]}]}
    put = client.put("/v1/inventory/LANTERN", json=stock, headers=auth(Role.ADMIN))
    assert put.status_code == 200
    assert put.get_json()["locations"][0]["inbound"][0]["id"] == "PO-9"
    cart = {**IN_STOCK, "lines": [{"sku": "LANTERN", "quantity": 2, "unit_price": "19.50",
                                   "grams": 400}]}
    document = post_quote(client, cart).get_json()
    assert document["stock"] == "backordered"
    assert document["lines"][0]["allocations"] == [
        {"quantity": 2, "location": "reno", "source": "inbound", "lot": "PO-9",
         "ready": {"earliest": "2026-12-07", "latest": "2026-12-09"}}]
    read = client.get("/v1/inventory/LANTERN", headers=auth(Role.SUPPORT)).get_json()
    assert read["sku"] == "LANTERN" and read["locations"][0]["on_hand"] == 0


def test_inventory_at_an_unknown_location_is_refused_with_the_known_ones(client):
    response = client.put("/v1/inventory/LANTERN", headers=auth(Role.ADMIN),
                          json={"locations": [{"location": "denver", "on_hand": 3}]})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "locations": ["unknown location 'denver'; known: reno, newark, toronto"]}


def test_a_lead_time_from_an_unknown_location_is_refused_and_nothing_is_stored(client):
    before = client.get("/v1/inventory/LANTERN", headers=auth(Role.SUPPORT)).get_json()
    response = client.put("/v1/inventory/LANTERN", headers=auth(Role.ADMIN), json={
        "locations": [{"location": "reno", "on_hand": 3}], "lead_time_days": [5, 9],
        "lead_time_location": "denver"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "lead_time_location": ["unknown location 'denver'; known: reno, newark, toronto"]}
    after = client.get("/v1/inventory/LANTERN", headers=auth(Role.SUPPORT)).get_json()
    assert after == before


def test_inventory_needs_the_admin_role_to_change(client):
    response = client.put("/v1/inventory/LANTERN", json={"locations": []},
                          headers=auth(Role.SUPPORT))
    assert response.status_code == 403


def test_field_errors_are_a_422_with_every_field(client):
    response = post_quote(client, {"currency": "USD", "destination": {"country": "usa"},
                                   "lines": [{"sku": "A", "quantity": -1, "unit_price": 1}]})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request"
    assert set(error["fields"]) == {"destination.country", "lines.0.quantity",
                                    "lines.0.unit_price"}


def test_the_configured_limits_apply(client):
    # The example's: 1000 units per line, 100 lines per cart (the schema's caps are higher).
    line = {"sku": "LANTERN", "quantity": 1001, "unit_price": "19.50"}
    response = post_quote(client, {**IN_STOCK, "lines": [line]})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"lines.0.quantity": [
        "Must be greater than or equal to 1 and less than or equal to 1000."]}
    too_long = post_quote(client, {**IN_STOCK, "lines": [{**line, "quantity": 1}] * 101})
    assert too_long.get_json()["error"]["fields"] == {"lines": [
        "Length must be between 1 and 100."]}
    assert post_quote(client, {**IN_STOCK, "lines": [{**line, "quantity": 1000}]}
                      ).status_code == 201
    assert post_quote(client, {**IN_STOCK, "lines": [{**line, "quantity": 1}] * 100}
                      ).status_code == 201


def test_malformed_json_is_a_400(client):
    response = client.post("/v1/quotes", data="{nope", content_type="application/json",
                           headers=auth(Role.QUOTE))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_a_body_that_is_not_json_is_a_415(client):
    response = client.post("/v1/quotes", data="a=1", headers=auth(Role.QUOTE),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_a_body_over_the_cap_is_a_413(client):
    big = {**MIXED, "reference": "x" * 70_000}
    response = post_quote(client, big)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"


def test_unknown_routes_and_methods_answer_in_the_error_shape(client):
    missing = client.get("/v1/nothing-here", headers=auth(Role.ADMIN))
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = client.delete("/v1/quotes", headers=auth(Role.ADMIN))
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["Allow"]


def test_an_unhandled_error_is_a_500_without_a_stack_trace(app, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals at /srv/app.py line 12")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "secret internals" in caplog.text  # it is logged for the operator


def test_health_checks_are_public(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["ruleset"].startswith("sha256:")


def test_metrics_need_the_admin_key_and_count_quotes(client):
    post_quote(client, MIXED)
    assert client.get("/metrics").status_code == 401
    text = client.get("/metrics", headers=auth(Role.ADMIN)).get_data(as_text=True)
    assert 'rates_quotes_total{channel="api",outcome="ok"} 1.0' in text
    assert "rates_quote_seconds_bucket" in text


def test_a_cart_asked_again_within_its_minute_gets_the_same_answer_and_is_counted(client):
    """The cart's own minute: the second ask's answer is kept and the third ask is
    answered with it, stored as a quote of its own, and counted as reused."""
    first, kept, again = (post_quote(client, MIXED).get_json() for _ in range(3))
    assert len({first["id"], kept["id"], again["id"]}) == 3
    assert {**again, "id": first["id"]} == {**kept, "id": first["id"]} == first
    stored = client.get(f"/v1/quotes/{again['id']}", headers=auth(Role.SUPPORT))
    assert stored.get_json() == again
    text = client.get("/metrics", headers=auth(Role.ADMIN)).get_data(as_text=True)
    assert 'rates_quotes_total{channel="api",outcome="ok"} 3.0' in text
    assert 'rates_quotes_reused_total{channel="api"} 1.0' in text


def test_a_key_may_come_in_x_api_key(client):
    response = client.post("/v1/quotes", json=MIXED,
                           headers={"X-Api-Key": auth(Role.QUOTE)["Authorization"][7:]})
    assert response.status_code == 201


def test_responses_carry_a_request_id(client):
    response = client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer rk_wrong"},
                                     {"Authorization": "Basic dXNlcjpwYXNz"}])
def test_every_non_public_route_rejects_a_missing_or_wrong_key(app, headers):
    """Walks the URL map: every route declares a role, and only health checks, the API
    description, the signed Shopify callback and the console's sign-in are public. The
    console takes no keys at all: its pages send to sign-in, and its forms without a CSRF
    token are refused before anything else."""
    from rates.web.auth import PUBLIC, required_role

    client = app.test_client()
    public = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        role = required_role(app.view_functions[rule.endpoint])
        assert role is not None, f"{rule.rule} declares no role"
        if role == PUBLIC:
            public.add(rule.rule)
            continue
        url = rule.rule.replace("<quote_id>", "q_x").replace("<sku>", "SKU")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method, headers=headers, json={})
            if rule.endpoint.startswith("support."):
                assert response.status_code == (302 if method == "GET" else 400), url
                continue
            assert response.status_code == 401, f"{method} {url}"
            assert response.get_json()["error"]["code"] == "unauthorized"
    assert public == {"/healthz", "/readyz", "/shopify/<shop>/rates",
                      "/shopify/<shop>/webhooks", "/bigcommerce/<store_hash>/rate",
                      "/bigcommerce/<store_hash>/check_connection_options",
                      "/bigcommerce/<store_hash>/webhooks", "/saleor/<domain>/manifest",
                      "/saleor/<domain>/webhooks", "/openapi.json",
                      "/docs", "/support/sign-in", "/support/static/<path:filename>"}


def test_options_are_described_in_the_shoppers_language(client):
    english = post_quote(client, MIXED).get_json()
    french = post_quote(client, {**MIXED, "locale": "fr-CA"}).get_json()
    en = {o["id"]: o["description"] for o in english["options"]}
    fr = {o["id"]: o["description"] for o in french["options"]}
    # in_stock_first by UPS Ground: 4 units Tue Nov 24 - Fri Nov 27, then 2 units with the
    # stove, Dec 30 - Jan 11 (the window crosses the new year, so both dates carry it).
    assert en["in_stock_first/ups/ground"] == (
        "2 shipments: 4 items arrive Nov 24 - Nov 27; "
        "2 items arrive Dec 30, 2026 - Jan 11, 2027")
    assert fr["in_stock_first/ups/ground"] == (
        "2 envois : 4 articles arrivent du 24 nov. au 27 nov.; "
        "2 articles arrivent du 30 déc. 2026 au 11 janv. 2027")
    assert fr["together/ups/ground"] == "Livraison du 30 déc. 2026 au 11 janv. 2027"


def test_a_french_quote_reads_french_in_labels_service_names_and_messages(client):
    french = post_quote(client, {**MIXED, "locale": "fr"}).get_json()
    option = next(o for o in french["options"] if o["id"] == "together/ups/ground")
    assert option["label"] == (
        "UPS Standard - tout ensemble (un seul colis, quand le dernier article arrive)")
    assert option["service_name"] == "UPS Standard"
    assert (option["plan"], option["carrier"], option["service"]) == (
        "together", "ups", "ground")
    assert french["messages"] == [{
        "code": "blocked",
        "message": "L’envoi express n’est possible que si tous les articles sont en stock"}]
