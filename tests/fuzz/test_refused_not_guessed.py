"""Input the service used to read one way when it could mean another: a JSON key given
twice, a location or lot listed twice in one SKU's stock, a number past the limit the
service applies, a path that is not UTF-8 text. Each is refused with a 4xx naming what is
wrong, and nothing is stored (issue 18, "refused, not guessed").

The cases use the hostile-request catalogue's helpers (`send`, `refused`, ...) on the same
app; a body over the size cap sent without Content-Length is tests/web/test_bodies.py's
(and tests/e2e/test_serve.py's, through gunicorn).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from rates.settings import Role
from tests.fuzz.test_hostile_requests import (
    ADMIN,
    IN_STOCK,
    Sent,
    cart,
    refused,
    send,
    shopify,
    signed,
)
from tests.support.shopify import delivery, documented_order, signature
from tests.support.web import SHOP, auth

TWICE = "given twice in one object: give each key once"
LANTERN = "/v1/inventory/LANTERN"


def repeated(body: dict[str, Any], written: str, again: str) -> bytes:
    """`body` as JSON text with `again` written right after the first `written`."""
    text = json.dumps(body)
    assert written in text
    return text.replace(written, f"{written}, {again}", 1).encode()


# -- a key given twice ---------------------------------------------------------------------


# (id, method, path, body, the repeated key's path)
REPEATED_KEYS = [
    # The shopper saw 2 lanterns; Python's parser kept the last value and quoted 500.
    ("quote-line-quantity", "POST", "/v1/quotes",
     repeated(IN_STOCK, '"quantity": 2', '"quantity": 500'), "lines.0.quantity"),
    ("quote-currency", "POST", "/v1/quotes",
     repeated(IN_STOCK, '"currency": "USD"', '"currency": "CAD"'), "currency"),
    ("quote-destination-country", "POST", "/v1/quotes",
     repeated(IN_STOCK, '"country": "US"', '"country": "CA"'), "destination.country"),
    ("order-id", "POST", "/v1/orders",
     b'{"order_id": "o-1", "quote_id": "q_1", "option_id": "x", "order_id": "o-2"}',
     "order_id"),
    ("close-status", "POST", "/v1/orders/o-1/close",
     b'{"status": "cancelled", "status": "fulfilled"}', "status"),
    ("inventory-on-hand", "PUT", LANTERN, b'{"on_hand": 1, "on_hand": 500}', "on_hand"),
    ("inventory-lot-quantity", "PUT", LANTERN,
     b'{"inbound": [{"quantity": 5, "earliest": "2026-12-01", "latest": "2026-12-02", '
     b'"quantity": 50}]}', "inbound.0.quantity"),
    ("product-grams", "PUT", "/v1/products/LANTERN", b'{"grams": 400, "grams": 4}', "grams"),
]


@pytest.mark.parametrize(("method", "path", "raw", "where"),
                         [case[1:] for case in REPEATED_KEYS],
                         ids=[case[0] for case in REPEATED_KEYS])
def test_a_key_given_twice_is_refused_naming_where_it_is(client, method, path, raw, where):
    error = refused(send(client, method, path, Sent(raw=raw), ADMIN), 422, {where: [TWICE]},
                    code="invalid_request")
    assert error["message"] == "the body gives a key more than once"


def test_a_stock_document_with_a_key_given_twice_changes_nothing(client):
    before = client.get(LANTERN, headers=ADMIN).get_json()
    send(client, "PUT", LANTERN, Sent(raw=b'{"on_hand": 1, "on_hand": 500}'), ADMIN)
    assert client.get(LANTERN, headers=ADMIN).get_json() == before


def test_a_key_given_three_times_says_so(client):
    raw = repeated(IN_STOCK, '"quantity": 2', '"quantity": 5, "quantity": 500')
    refused(send(client, "POST", "/v1/quotes", Sent(raw=raw), ADMIN), 422,
            {"lines.0.quantity": ["given 3 times in one object: give each key once"]})


def test_every_repeated_key_is_named_at_once(client):
    raw = repeated(cart(lines=[IN_STOCK["lines"][0]] * 2), '"grams": 400', '"grams": 4')
    raw = raw.replace(b'"reference": "cart-1001"',
                      b'"reference": "cart-1001", "reference": "cart-1002"')
    # The first line's repeat only: `repeated` edits the first occurrence of the text.
    refused(send(client, "POST", "/v1/quotes", Sent(raw=raw), ADMIN), 422,
            {"reference": [TWICE], "lines.0.grams": [TWICE]})


def test_the_same_key_in_two_objects_is_not_a_repeat(client):
    # Each line has its own `sku` and `quantity`: only a key given twice in ONE object is.
    response = send(client, "POST", "/v1/quotes", Sent(IN_STOCK), ADMIN)
    assert response.status_code == 201


def test_a_signed_callback_with_a_key_given_twice_is_refused(client):
    raw = repeated(shopify(), '"quantity": 1', '"quantity": 500')
    refused(send(client, "POST", f"/shopify/{SHOP}/rates", signed(raw)), 422,
            {"rate.items.0.quantity": [TWICE]})


def test_a_shopify_webhook_with_a_key_given_twice_is_refused(client):
    body, headers = delivery("orders/create", documented_order())
    raw = body.replace(b'"quantity": ', b'"quantity": 500, "quantity": ', 1)
    # Signed as sent: the signature is good, the body is still ambiguous.
    response = client.post(f"/shopify/{SHOP}/webhooks", data=raw,
                           headers={**headers, "X-Shopify-Hmac-Sha256": signature(raw)})
    refused(response, 422, {"line_items.0.quantity": [TWICE]})


# -- one SKU's stock listing a location or a lot twice ---------------------------------------


def lot(lot_id: str, quantity: int = 5) -> dict[str, Any]:
    return {"id": lot_id, "quantity": quantity, "earliest": "2026-12-01",
            "latest": "2026-12-02"}


STOCK_REPEATS = [
    # Reno on hand 1 and reno on hand 2 quoted as "1 available".
    ("location-twice", {"locations": [{"location": "reno", "on_hand": 1},
                                      {"location": "reno", "on_hand": 2}]},
     {"locations.1.location": ["reno appears twice"]}),
    # A position without a location is at the preferred one, reno.
    ("location-twice-one-by-default", {"locations": [{"on_hand": 1},
                                                     {"location": "reno", "on_hand": 2}]},
     {"locations.1.location": ["reno appears twice"]}),
    ("location-three-times", {"locations": [{"location": "newark"}, {"location": "reno"},
                                            {"location": "newark"}, {"location": "newark"}]},
     {"locations.2.location": ["newark appears twice"],
      "locations.3.location": ["newark appears twice"]}),
    ("lot-twice", {"inbound": [lot("PO-1"), lot("PO-2"), lot("PO-1", 9)]},
     {"inbound.2.id": ["PO-1 appears twice at reno"]}),
    ("lot-twice-in-a-location", {"locations": [
        {"location": "reno", "inbound": [lot("PO-1")]},
        {"location": "newark", "inbound": [lot("PO-7"), lot("PO-7")]}]},
     {"locations.1.inbound.1.id": ["PO-7 appears twice at newark"]}),
]


@pytest.mark.parametrize(("body", "fields"), [case[1:] for case in STOCK_REPEATS],
                         ids=[case[0] for case in STOCK_REPEATS])
def test_a_stock_document_listing_a_location_or_lot_twice_is_refused(client, body, fields):
    before = client.get(LANTERN, headers=ADMIN).get_json()
    refused(send(client, "PUT", LANTERN, Sent(body), ADMIN), 422, fields,
            code="invalid_request")
    assert client.get(LANTERN, headers=ADMIN).get_json() == before


def test_one_lot_id_at_two_locations_is_two_lots(client):
    # A purchase order split between two warehouses: each location's lots are its own.
    body = {"locations": [{"location": "reno", "inbound": [lot("PO-1", 3)]},
                          {"location": "newark", "inbound": [lot("PO-1", 4)]}]}
    response = send(client, "PUT", LANTERN, Sent(body), ADMIN)
    assert response.status_code == 200
    assert [p["inbound"][0]["quantity"] for p in response.get_json()["locations"]] == [3, 4]


def test_a_cart_lines_stock_listing_a_location_twice_is_refused_with_its_path(client):
    body = cart(lines=[IN_STOCK["lines"][0], {
        "sku": "X", "quantity": 1, "unit_price": "10.00",
        "stock": {"locations": [{"location": "reno", "on_hand": 1},
                                {"location": "reno", "on_hand": 2}]}}])
    refused(send(client, "POST", "/v1/quotes", Sent(body), ADMIN), 422,
            {"lines.1.stock.locations.1.location": ["reno appears twice"]})


# -- a path that is not UTF-8 text ---------------------------------------------------------

NOT_UTF_8 = ("must be UTF-8 text: a percent-escape such as %FF that is not part of a "
             "UTF-8 character names nothing")


@pytest.mark.parametrize("path", ["/v1/inventory/%ff", "/v1/inventory/LAN%C3TERN",
                                  "/v1/inventory/%ED%A0%80"],
                         ids=["ff", "a-cut-character", "an-encoded-surrogate"])
def test_a_sku_that_is_not_utf_8_is_not_stored(client, path):
    refused(send(client, "PUT", path, Sent({"on_hand": 1}), ADMIN), 422, {"sku": [NOT_UTF_8]},
            code="invalid_request")
    refused(send(client, "GET", path, Sent(raw=b""), ADMIN), 404, code="not_found")
    # Werkzeug reads %ff as U+FFFD: nothing was stored under that SKU instead.
    refused(client.get("/v1/inventory/%EF%BF%BD", headers=ADMIN), 404)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v1/quotes/q_%ff"), ("GET", "/v1/orders/o-%ff"),
    ("POST", "/v1/orders/o-%ff/close"), ("GET", "/v1/products/%ff"),
    ("POST", f"/shopify/{SHOP}%ff/rates"), ("GET", "/support/orders/o-%ff"),
    ("GET", "/no-such-route/%ff"),
])
def test_any_path_that_is_not_utf_8_names_nothing(client, method, path):
    refused(send(client, method, path, Sent({"status": "cancelled"}), ADMIN), 404,
            code="not_found")


def test_a_product_under_a_sku_that_is_not_utf_8_is_not_stored(client):
    refused(send(client, "PUT", "/v1/products/%ff", Sent({}), ADMIN), 422, {"sku": [NOT_UTF_8]})


def test_a_genuine_replacement_character_is_a_sku_like_any_other(client):
    # U+FFFD sent as its UTF-8 bytes is valid text: stored and read back as sent.
    put = send(client, "PUT", "/v1/inventory/A%EF%BF%BD", Sent({"on_hand": 3}), ADMIN)
    assert put.status_code == 200
    assert put.get_json()["sku"] == "A\ufffd"
    read = client.get("/v1/inventory/A%EF%BF%BD", headers=auth(Role.SUPPORT))
    assert read.get_json()["sku"] == "A\ufffd"
