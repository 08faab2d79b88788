"""Hostile requests to every door of the service: POST /v1/quotes, POST /v1/orders,
PUT /v1/inventory/{sku}, the signed Shopify callback and the console's sign-in form.

Each case is refused with a clear 4xx naming each bad field (or, for the console, a page
saying what to do), or, where the input is odd but valid (emoji, right-to-left text,
combining marks, a UTC offset of +14:00), answered correctly; and every request costs
under `CPU_SECONDS` of CPU time (a bound, not a benchmark: the naive costs of some of these
are a RecursionError or a hang; CPU time, because a busy machine slows the wall clock but
not the work). Hostile YAML (alias bombs, deep nesting in rules files) is
tests/loading/test_yamlio_hostile_input.py's; this is the same idea at the HTTP edge.

The NUL cases run on PostgreSQL too (`pg_app`): its text type refuses NUL with an error, so
a NUL that slipped past validation would be a 500 there and not on SQLite.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from rates.settings import Role
from rates.web.bodies import MAX_DEPTH
from tests.support.project import CARTS, SHOPIFY_RATE_REQUEST
from tests.support.web import KEYS, SHOP, SHOP_SECRET, auth

CPU_SECONDS = 2.0
ADMIN = auth(Role.ADMIN)
IN_STOCK = json.loads((CARTS / "in_stock.json").read_text())
TOO_BIG = 70_000  # bytes: over the example's 64 KiB body cap
# The example configures 1000 units per line and 100 lines per cart: the limits that apply.
RANGE_1_1000 = "Must be greater than or equal to 1 and less than or equal to 1000."
LINES_1_100 = "Length must be between 1 and 100."
NOT_AN_INTEGER = "Not a valid integer."
NOT_A_DECIMAL = ('not a decimal amount: digits with an optional point, such as "12.95" '
                 "(at most 12 digits before the point and 6 after, no sign)")
YEARS = "must be in the years 2000 to 2199"
NUL = "must not contain NUL (\\u0000) characters"
SURROGATE = "must be valid Unicode text (a lone surrogate escape is not)"
COUNTRY = "must be an ISO 3166-1 alpha-2 code in capitals, e.g. US"
# Emoji, Hebrew (right to left), stacked combining marks, a right-to-left override.
UNICODE = "Zelt 😀 \u05d0\u05d5\u05d4\u05dc e\u0301\u0301 \u202eRTL\u202c"


@contextmanager
def bounded() -> Iterator[None]:
    """Fails the test if the block costs this thread `CPU_SECONDS` of CPU time or more (the
    test client runs the app in this thread)."""
    started = time.thread_time()
    yield
    spent = time.thread_time() - started
    assert spent < CPU_SECONDS, f"took {spent:.2f} s of CPU"


@dataclass(frozen=True)
class Sent:
    """A hostile request: a JSON `body`, or `raw` bytes sent as `content_type`."""

    body: Any = None
    raw: bytes | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    def data(self) -> bytes:
        return self.raw if self.raw is not None else json.dumps(self.body).encode()


def send(client, method: str, path: str, sent: Sent, headers: dict[str, str] | None = None):
    with bounded():
        return client.open(path, method=method, data=sent.data(),
                           content_type=sent.content_type,
                           headers={**(headers or {}), **sent.headers})


def refused(response, status: int, fields: dict[str, list[str]] | None = None,
            code: str | None = None) -> dict[str, Any]:
    """The error of `response`, checked: its status, its fields (all of them, when given)
    and code, in the one error shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    if fields is not None:
        assert error["fields"] == fields
    if code is not None:
        assert error["code"] == code
    return error


def cart(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(IN_STOCK), **changes}


def line(**changes: Any) -> dict[str, Any]:
    """The in-stock cart with its first line changed."""
    body = cart()
    body["lines"][0].update(changes)
    return body


def deep(levels: int) -> bytes:
    return b'{"lines": ' + b"[" * levels + b"]" * levels + b"}"


# The same malformed bodies for every JSON door: (id, request, status, code).
MALFORMED = [
    ("not-json", Sent(raw=b"{nope"), 400, "bad_request"),
    ("nan-literal", Sent(raw=b'{"currency": NaN}'), 400, "bad_request"),
    ("number-of-5000-digits", Sent(raw=b'{"n": ' + b"9" * 5000 + b"}"), 400, "bad_request"),
    ("not-utf-8", Sent(raw=b'{"reference": "\xff\xfe"}'), 400, "bad_request"),
    ("nested-30000-deep", Sent(raw=deep(30_000)), 400, "bad_request"),
    ("nested-just-too-deep", Sent(raw=deep(MAX_DEPTH)), 400, "bad_request"),
    ("text-plain", Sent(raw=b"{}", content_type="text/plain"), 415, "unsupported_media_type"),
    ("form", Sent(raw=b"a=1", content_type="application/x-www-form-urlencoded"), 415,
     "unsupported_media_type"),
    ("over-64-kib", Sent(raw=b'{"reference": "' + b"x" * TOO_BIG + b'"}'), 413,
     "request_entity_too_large"),
]


def test_nesting_below_the_cap_is_read_as_json_not_refused_as_deep(client):
    # `deep(MAX_DEPTH)` is MAX_DEPTH + 1 levels with its outer object: one too many. One
    # level less parses, and is then refused for what it says, not for its depth.
    response = send(client, "POST", "/v1/quotes", Sent(raw=deep(MAX_DEPTH - 1)), ADMIN)
    error = refused(response, 422, code="invalid_request")
    assert error["fields"] == {"currency": ["Missing data for required field."],
                               "destination": ["Missing data for required field."],
                               "lines.0._schema": ["Invalid input type."]}


ACCEPTED_CURRENCIES = ("must be USD or a currency with an exchange rate in the config "
                       "(`currencies:`): CAD, EUR, JPY")

QUOTE_CASES = [
    ("lines-over-the-configured-limit", line() | {"lines": IN_STOCK["lines"][:1] * 101},
     {"lines": [LINES_1_100]}),
    ("lines-over-the-schema-cap", cart(lines=IN_STOCK["lines"][:1] * 251),
     {"lines": [LINES_1_100]}),
    ("no-lines", cart(lines=[]), {"lines": [LINES_1_100]}),
    ("negative-quantity", line(quantity=-1), {"lines.0.quantity": [RANGE_1_1000]}),
    ("zero-quantity", line(quantity=0), {"lines.0.quantity": [RANGE_1_1000]}),
    ("quantity-10-to-the-30", line(quantity=10**30), {"lines.0.quantity": [RANGE_1_1000]}),
    # It used to hear "<= 10000", the schema's own cap, and 1001 "at most 1000".
    ("quantity-10-to-the-4000", line(quantity=10**4000), {"lines.0.quantity": [RANGE_1_1000]}),
    ("quantity-over-the-configured-limit", line(quantity=1001),
     {"lines.0.quantity": [RANGE_1_1000]}),
    # Sent as written: Python's parser reads 1e400 as infinity.
    ("quantity-1e400", json.dumps(line(quantity=1)).replace('"quantity": 1', '"quantity": 1e400', 1)
     .encode(), {"lines.0.quantity": [NOT_AN_INTEGER]}),
    ("quantity-a-string", line(quantity="3"), {"lines.0.quantity": [NOT_AN_INTEGER]}),
    ("quantity-true", line(quantity=True), {"lines.0.quantity": [NOT_AN_INTEGER]}),
    ("quantity-fractional", line(quantity=1.5), {"lines.0.quantity": [NOT_AN_INTEGER]}),
    ("price-10-to-the-30", line(unit_price="1e30"), {"lines.0.unit_price": [NOT_A_DECIMAL]}),
    ("price-negative", line(unit_price="-5.00"), {"lines.0.unit_price": [NOT_A_DECIMAL]}),
    ("price-nan", line(unit_price="NaN"), {"lines.0.unit_price": [NOT_A_DECIMAL]}),
    ("price-a-number", line(unit_price=12.95),
     {"lines.0.unit_price": ['must be a decimal string such as "12.95", not a number']}),
    ("unknown-currency", cart(currency="XYZ"), {"currency": [ACCEPTED_CURRENCIES]}),
    ("currency-in-lower-case", cart(currency="usd"), {"currency": [ACCEPTED_CURRENCIES]}),
    ("a-currency-the-shop-does-not-quote-in", cart(currency="GBP"),
     {"currency": [ACCEPTED_CURRENCIES]}),
    ("naive-ordered-at", cart(ordered_at="2026-11-23T09:30:00"),
     {"ordered_at": ["Not a valid aware datetime."]}),
    ("ordered-in-9999", cart(ordered_at="9999-12-31T23:59:59+00:00"), {"ordered_at": [YEARS]}),
    # 0001-01-01T00:00+14:00 is 31 Dec of year 0 in UTC: it used to overflow (a 500).
    ("ordered-in-0001-at-plus-14", cart(ordered_at="0001-01-01T00:00:00+14:00"),
     {"ordered_at": [YEARS]}),
    ("offset-of-25-hours", cart(ordered_at="2026-11-23T09:30:00+25:00"),
     {"ordered_at": ["Not a valid datetime."]}),
    ("30-february", cart(ordered_at="2026-02-30T09:30:00Z"),
     {"ordered_at": ["Not a valid datetime."]}),
    ("unknown-country", cart(destination={"country": "ZZ"}),
     {"destination.country": [COUNTRY]}),
    ("country-of-three-letters", cart(destination={"country": "USA"}),
     {"destination.country": [COUNTRY]}),
    ("country-as-a-flag", cart(destination={"country": "🇺🇸"}),
     {"destination.country": [COUNTRY]}),
    ("region-with-a-newline", cart(destination={"country": "US", "region": "CA\n"}),
     {"destination.region": ["must be the subdivision code without the country, e.g. NV"]}),
    ("nul-in-reference", cart(reference="cart\u0000-1"), {"reference": [NUL]}),
    ("nul-in-sku", line(sku="TENT\u00002P"), {"lines.0.sku": [NUL]}),
    ("nul-in-a-tag", line(tags=["gift\u0000"]), {"lines.0.tags.0": [NUL]}),
    ("nul-in-postcode", cart(destination={"country": "US", "postcode": "\u0000"}),
     {"destination.postcode": [NUL]}),
    ("nul-in-locale", cart(locale="en\u0000"), {"locale": [NUL]}),
    ("nul-in-a-customer-tag", cart(customer_tags=["\u0000"]), {"customer_tags.0": [NUL]}),
    ("nul-in-a-lot-id", line(stock={"inbound": [{"id": "PO\u00001", "quantity": 1,
                                                  "earliest": "2026-12-01",
                                                  "latest": "2026-12-02"}]}),
     {"lines.0.stock.inbound.0.id": [NUL]}),
    ("nul-in-a-key", cart(**{"x\u0000": 1}), {"_schema": [f"a key {NUL}"]}),
    ("lot-in-year-1", line(stock={"inbound": [{"quantity": 1, "earliest": "0001-01-01",
                                               "latest": "0001-01-02"}]}),
     {"lines.0.stock.inbound.0.earliest": [YEARS], "lines.0.stock.inbound.0.latest": [YEARS]}),
    ("stock-at-an-unknown-location", line(stock={"location": "denver", "on_hand": 1}),
     {"stock": ["unknown location 'denver'"]}),
    ("a-list-not-an-object", [IN_STOCK], {"_schema": ["must be a JSON object"]}),
]


@pytest.mark.parametrize(("body", "fields"), [case[1:] for case in QUOTE_CASES],
                         ids=[case[0] for case in QUOTE_CASES])
def test_a_hostile_quote_request_is_refused_naming_each_bad_field(client, body, fields):
    sent = Sent(raw=body) if isinstance(body, bytes) else Sent(body)
    response = send(client, "POST", "/v1/quotes", sent, ADMIN)
    refused(response, 422, fields, code="invalid_request")


@pytest.mark.parametrize(("text", "path"), [
    (b'{"reference": "\\ud800"}', "reference"),
    (b'{"lines": [{"sku": "A\\udfff"}]}', "lines.0.sku"),
    (b'{"reference": "x\xed\xa0\x80"}', "reference"),
    ('{"reference": "\\ud800"}'.encode("utf-16-le"), "reference"),
], ids=["reference", "sku", "utf-8-bytes-of-a-surrogate", "utf-16"])
def test_a_lone_surrogate_is_refused_before_it_reaches_the_store(client, text, path):
    # JSON may escape half of a surrogate pair; the result has no UTF-8 encoding, and the
    # SKU one was a 500: the store was asked for its stock before validation. Python's
    # parser also reads a surrogate's own three UTF-8 bytes as one, with no escape, and
    # reads a body in UTF-16, where an escape's bytes are not b"\\u".
    response = send(client, "POST", "/v1/quotes", Sent(raw=text), ADMIN)
    refused(response, 422, {path: [SURROGATE]})


@pytest.mark.parametrize(("sent", "status", "code"), [case[1:] for case in MALFORMED],
                         ids=[case[0] for case in MALFORMED])
@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/quotes"), ("POST", "/v1/orders"),
                                              ("PUT", "/v1/inventory/LANTERN")])
def test_a_malformed_body_is_refused_as_a_whole(client, method, path, sent, status, code):
    refused(send(client, method, path, sent, ADMIN), status, code=code)


def test_a_cart_beyond_the_calendars_is_refused_by_the_engine_with_its_reason(client):
    # Within the years the request schema takes, but after the calendars end (they are
    # built for 2025-2029 around the fixed clock): the engine's own refusal, a 400 that
    # says which date and which calendar, without a field (see the report of this work).
    response = send(client, "POST", "/v1/quotes",
                    Sent(cart(ordered_at="2031-01-01T12:00:00+00:00")), ADMIN)
    error = refused(response, 400, {}, code="calendar_horizon")
    assert error["message"] == ("2031-01-01 is outside the reno calendar "
                                "(2025-01-01 to 2029-12-31)")


def test_unicode_in_every_string_field_is_taken_and_given_back_intact(client):
    postcode = "9\u0301😀\u05d0\u202e1"  # a postcode has at most 20 characters
    body = cart(reference=UNICODE, locale="he-IL", customer_tags=[UNICODE],
                destination={"country": "US", "region": "CA", "postcode": postcode})
    body["lines"][0].update(sku=UNICODE, tags=[UNICODE])
    response = send(client, "POST", "/v1/quotes", Sent(body), ADMIN)
    assert response.status_code == 201
    document = response.get_json()
    assert document["reference"] == UNICODE
    assert document["lines"][0]["sku"] == UNICODE
    stored = client.get(f"/v1/quotes/{document['id']}", headers=ADMIN).get_json()
    assert stored == document


def test_a_whole_quantity_written_as_a_double_is_a_quantity(client):
    response = send(client, "POST", "/v1/quotes", Sent(line(quantity=2.0)), ADMIN)
    assert response.status_code == 201
    assert response.get_json()["lines"][0]["quantity"] == 2


def explained(client, document: dict[str, Any]) -> dict[str, Any]:
    """The stored quote as support reads it: replayed with explain."""
    return client.get(f"/v1/quotes/{document['id']}?explain=1",  # type: ignore[no-any-return]
                      headers=ADMIN).get_json()


def start_step(document: dict[str, Any]) -> str:
    """The first shipment's `start` step of the first option: when handling starts, why."""
    trace = document["options"][0]["trace"]
    return next(step["detail"] for step in trace if step.get("step") == "start")


IN_RENO = {"sku": "X", "quantity": 1, "unit_price": "10.00", "stock": {"on_hand": 3}}


@pytest.mark.parametrize(("ordered_at", "start"), [
    # +14:00 (Kiribati): 09:30 on Mon 23 Nov there is 19:30Z on Sun 22 Nov, 11:30 PST in
    # Reno, a Sunday: handling starts on Monday.
    ("2026-11-23T09:30:00+14:00",
     "start 2026-11-23: ordered Sun 11:30 PST at reno, closed (Sunday)"),
    # -12:00: 09:30 on Mon 23 Nov there is 21:30Z, 13:30 PST in Reno, before the 14:00
    # cutoff: handling starts the same day.
    ("2026-11-23T09:30:00-12:00",
     "start 2026-11-23: ordered Mon 13:30 PST at reno, before the 14:00 cutoff: starts "
     "the same day"),
], ids=["plus-14", "minus-12"])
def test_the_extreme_utc_offsets_are_read_as_the_instants_they_name(client, ordered_at,
                                                                    start):
    response = send(client, "POST", "/v1/quotes",
                    Sent(cart(ordered_at=ordered_at, lines=[IN_RENO])), ADMIN)
    assert response.status_code == 201
    assert response.get_json()["ordered_at"] == ordered_at
    assert start_step(explained(client, response.get_json())) == start


# Daylight saving time began in Reno (America/Los_Angeles) on Sunday 8 March 2026 at 02:00
# PST, clocks going to 03:00 PDT; the cutoff is 14:00 local.
#
#        March 2026
#   Su Mo Tu We Th Fr Sa
#    8  9 10 11 12 13 14      8: DST begins; 9: the first working day after
@pytest.mark.parametrize(("ordered_at", "start", "ships"), [
    # 14:00-07:00 is 14:00 PDT, the cutoff itself, on a Sunday: Monday.
    ("2026-03-08T14:00:00-07:00", "start 2026-03-09: ordered Sun 14:00 PDT at reno, closed "
     "(Sunday)", ("2026-03-09", "2026-03-10")),
    # 14:00-08:00 (the offset of the day before) is 22:00Z, 15:00 PDT: still Monday.
    ("2026-03-08T14:00:00-08:00", "start 2026-03-09: ordered Sun 15:00 PDT at reno, closed "
     "(Sunday)", ("2026-03-09", "2026-03-10")),
    # On Monday the stale offset crosses the cutoff: 13:30-07:00 is 13:30 PDT, before it...
    ("2026-03-09T13:30:00-07:00", "start 2026-03-09: ordered Mon 13:30 PDT at reno, before "
     "the 14:00 cutoff: starts the same day", ("2026-03-09", "2026-03-10")),
    # ...and 13:30-08:00 is 21:30Z, 14:30 PDT, after it: handling starts Tuesday.
    ("2026-03-09T13:30:00-08:00", "start 2026-03-10: ordered Mon 14:30 PDT at reno, after "
     "the 14:00 cutoff: starts the next working day", ("2026-03-10", "2026-03-11")),
], ids=["sun-pdt", "sun-pst-offset", "mon-pdt", "mon-pst-offset"])
def test_an_order_at_the_dst_change_is_quoted_at_the_instant_its_offset_names(
        client, ordered_at, start, ships):
    response = send(client, "POST", "/v1/quotes",
                    Sent(cart(ordered_at=ordered_at, lines=[IN_RENO])), ADMIN)
    assert response.status_code == 201
    document = explained(client, response.get_json())
    assert start_step(document) == start
    # Handling takes 0-1 working days at Reno: ships the start day or the next one.
    shipment = document["options"][0]["shipments"][0]
    assert (shipment["ships"]["earliest"], shipment["ships"]["latest"]) == ships


@pytest.fixture
def quote(client) -> dict[str, Any]:
    """A stored quote of the in-stock cart and its first option."""
    document = client.post("/v1/quotes", json=IN_STOCK, headers=ADMIN).get_json()
    return {"quote_id": document["id"], "option_id": document["options"][0]["id"]}


ORDER_CASES = [
    ("nul-in-order-id", {"order_id": "o-1\u0000"}, 422,
     {"order_id": [NUL]}),
    ("emoji-order-id", {"order_id": "o-😀"}, 422,
     {"order_id": ["must be 1-100 letters, digits or . _ : # - (the shop's order id)"]}),
    ("order-id-of-101", {"order_id": "o" * 101}, 422,
     {"order_id": ["must be 1-100 letters, digits or . _ : # - (the shop's order id)"]}),
    ("order-id-with-a-newline", {"order_id": "o-1\n"}, 422,
     {"order_id": ["must be 1-100 letters, digits or . _ : # - (the shop's order id)"]}),
    ("nul-in-quote-id", {"quote_id": "q_\u0000"}, 422, {"quote_id": [NUL]}),
    ("right-to-left-quote-id", {"quote_id": "q_\u202e\u0301"}, 404,
     {"quote_id": ["no quote has this id"]}),
    ("unknown-field", {"discount": "100%"}, 422, {"discount": ["Unknown field."]}),
    ("option-id-a-number", {"option_id": 7}, 422, {"option_id": ["Not a valid string."]}),
]


@pytest.mark.parametrize(("changes", "status", "fields"), [case[1:] for case in ORDER_CASES],
                         ids=[case[0] for case in ORDER_CASES])
def test_a_hostile_order_is_refused_naming_each_bad_field(client, quote, changes, status,
                                                         fields):
    body = {"order_id": "o-1", **quote, **changes}
    refused(send(client, "POST", "/v1/orders", Sent(body), ADMIN), status, fields)


STOCK_CASES = [
    ("negative-on-hand", "LANTERN", {"on_hand": -1},
     {"on_hand": ["Must be greater than or equal to 0 and less than or equal to 10000000."]}),
    ("on-hand-10-to-the-30", "LANTERN", {"on_hand": 10**30},
     {"on_hand": ["Must be greater than or equal to 0 and less than or equal to 10000000."]}),
    ("lot-of-zero", "LANTERN", {"inbound": [{"quantity": 0, "earliest": "2026-12-01",
                                             "latest": "2026-12-02"}]},
     {"inbound.0.quantity": [
         "Must be greater than or equal to 1 and less than or equal to 10000000."]}),
    ("lot-due-in-9999", "LANTERN", {"inbound": [{"quantity": 5, "earliest": "9999-12-01",
                                                 "latest": "9999-12-02"}]},
     {"inbound.0.earliest": [YEARS], "inbound.0.latest": [YEARS]}),
    ("lot-ending-before-it-starts", "LANTERN", {"inbound": [
        {"quantity": 5, "earliest": "2026-12-14", "latest": "2026-12-10"}]},
     {"inbound.0.latest": ["latest must not be before earliest"]}),
    ("lead-time-backwards", "LANTERN", {"lead_time_days": [5, 1]},
     {"lead_time_days": ["lead_time_days must be [min, max] with min <= max"]}),
    ("lead-time-of-one-number", "LANTERN", {"lead_time_days": [5]},
     {"lead_time_days": ["lead_time_days must be [min, max]: two whole numbers"]}),
    ("unknown-location", "LANTERN", {"location": "denver", "on_hand": 1},
     {"locations": ["unknown location 'denver'; known: reno, newark, toronto"]}),
    ("nul-in-the-sku", "LAN%00TERN", {"on_hand": 1}, {"sku": [NUL]}),
    ("sku-of-101", "S" * 101, {"on_hand": 1}, {"sku": ["must be at most 100 characters"]}),
    ("nul-in-a-lot-id", "LANTERN", {"inbound": [{"id": "\u0000", "quantity": 1,
                                                 "earliest": "2026-12-01",
                                                 "latest": "2026-12-02"}]},
     {"inbound.0.id": [NUL]}),
]


@pytest.mark.parametrize(("sku", "body", "fields"), [case[1:] for case in STOCK_CASES],
                         ids=[case[0] for case in STOCK_CASES])
def test_a_hostile_stock_document_is_refused_naming_each_bad_field(client, sku, body, fields):
    refused(send(client, "PUT", f"/v1/inventory/{sku}", Sent(body), ADMIN), 422, fields,
            code="invalid_request")


def test_a_unicode_sku_and_lot_are_stored_and_read_back(client):
    sku = "ZELT-😀-\u05d0-e\u0301"
    stock = {"inbound": [{"id": UNICODE, "quantity": 5, "earliest": "2026-12-01",
                          "latest": "2026-12-02"}]}
    put = send(client, "PUT", f"/v1/inventory/{sku}", Sent(stock), ADMIN)
    assert put.status_code == 200
    read = client.get(f"/v1/inventory/{sku}", headers=ADMIN).get_json()
    assert read["sku"] == sku
    assert read["locations"][0]["inbound"][0]["id"] == UNICODE


def signed(body: bytes, content_type: str = "application/json") -> Sent:
    """`body` signed with the test shop's secret, as Shopify signs its callbacks."""
    signature = base64.b64encode(hmac.new(SHOP_SECRET.encode(), body, hashlib.sha256).digest())
    return Sent(raw=body, content_type=content_type,
                headers={"X-Shopify-Hmac-Sha256": signature.decode()})


def shopify(**changes: Any) -> dict[str, Any]:
    """Shopify's documented request with `item` changes to its one item, others to `rate`."""
    body = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["items"][0].update(changes.pop("item", {}))
    body["rate"].update(changes)
    return body


SHOPIFY_CASES = [
    ("negative-quantity", shopify(item={"quantity": -1}), 422,
     {"rate.items.0.quantity": ["must be at least 1"]}),
    ("zero-quantity", shopify(item={"quantity": 0}), 422,
     {"rate.items.0.quantity": ["must be at least 1"]}),
    ("quantity-10-to-the-30", shopify(item={"quantity": 10**30}), 422,
     {"rate.items.0.quantity": ["must be at most 1000"]}),
    ("quantity-10-to-the-4000", shopify(item={"quantity": 10**4000}), 422,
     {"rate.items.0.quantity": ["must be at most 1000"]}),
    ("quantity-over-the-configured-limit", shopify(item={"quantity": 1001}), 422,
     {"rate.items.0.quantity": ["must be at most 1000"]}),
    ("items-over-the-configured-limit", shopify(items=[shopify()["rate"]["items"][0]] * 101),
     422, {"rate.items": ["at most 100 items may require shipping"]}),
    # 10**30 hundredths did not fit the decimal context when converted: it was a 500.
    ("price-10-to-the-30", shopify(item={"price": 10**30}), 422,
     {"rate.items.0.price": ["must be at most 99999999999999"]}),
    ("unknown-currency", shopify(currency="XYZ"), 422,
     {"rate.currency": ["'XYZ' is not a currency this engine knows"]}),
    ("unknown-country", shopify(destination={"country": "ZZ"}), 422,
     {"destination.country": [COUNTRY]}),
    ("nul-in-sku", shopify(item={"sku": "LAN\u0000TERN"}), 422,
     {"rate.items.0.sku": [NUL]}),
    ("nul-in-postcode", shopify(destination={"country": "US", "postal_code": "9\u0000"}), 422,
     {"rate.destination.postal_code": [NUL]}),
    ("items-not-a-list", shopify(items={"sku": "LANTERN"}), 422,
     {"rate.items": ["must be a list of at least one item"]}),
]


@pytest.mark.parametrize(("body", "status", "fields"), [case[1:] for case in SHOPIFY_CASES],
                         ids=[case[0] for case in SHOPIFY_CASES])
def test_a_hostile_signed_callback_is_refused_naming_each_bad_field(client, body, status,
                                                                   fields):
    response = send(client, "POST", f"/shopify/{SHOP}/rates",
                    signed(json.dumps(body).encode()))
    refused(response, status, fields)


SHOPIFY_MALFORMED = [case for case in MALFORMED if case[0] != "form"]


@pytest.mark.parametrize(("sent", "status", "code"),
                         [case[1:] for case in SHOPIFY_MALFORMED],
                         ids=[case[0] for case in SHOPIFY_MALFORMED])
def test_a_malformed_signed_callback_is_refused_as_a_whole(client, sent, status, code):
    refused(send(client, "POST", f"/shopify/{SHOP}/rates",
                 signed(sent.data(), sent.content_type)), status, code=code)


def test_a_unicode_sku_in_a_callback_is_quoted_not_an_error(client):
    # No inventory holds it: under the shop's default `unknown_items: in_stock` it is on
    # hand at the first location, and Shopify hears 200 with rates, never an error.
    response = send(client, "POST", f"/shopify/{SHOP}/rates",
                    signed(json.dumps(shopify(item={"sku": UNICODE})).encode()))
    assert response.status_code == 200
    rates = response.get_json()["rates"]
    assert rates and all(rate["service_code"].count("/") == 2 for rate in rates)


def csrf_token(client) -> str:
    page = client.get("/support/sign-in").data
    found = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1).decode()


@pytest.mark.parametrize("key", [
    "rk_\u0000", KEYS[Role.SUPPORT] + "\u0000", "k" * 60_000, UNICODE,
    "\u202e" + KEYS[Role.SUPPORT],
], ids=["nul", "a-good-key-and-nul", "60000-characters", "unicode", "rtl-override"])
def test_a_hostile_key_at_sign_in_gets_the_plain_refusal(client, key):
    with bounded():
        response = client.post("/support/sign-in", data={
            "key": key, "next": "/support", "csrf_token": csrf_token(client)})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "That key was not accepted. Check it and try again." in page
    assert 'aria-invalid="true"' in page  # the key field is the one marked
    assert client.get("/support").status_code == 302  # not signed in


@pytest.mark.parametrize(("data", "content_type", "status", "says"), [
    (b"key=" + b"k" * TOO_BIG, "application/x-www-form-urlencoded", 413,
     "Request Entity Too Large"),
    (b'{"key": "x"}', "application/json", 400, "The form could not be accepted."),
    (b"\xff\xfe\x00=\x00", "application/x-www-form-urlencoded", 400,
     "The form could not be accepted."),
    (b"--x\r\n", "multipart/form-data; boundary=x", 400, "The form could not be accepted."),
], ids=["over-64-kib", "json", "bytes-not-utf-8", "truncated-multipart"])
def test_a_malformed_sign_in_form_gets_a_page_saying_what_to_do(client, data, content_type,
                                                               status, says):
    with bounded():
        response = client.post("/support/sign-in", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert says in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path", "sent", "fields"), [
    ("POST", "/v1/quotes", Sent(cart(reference="\u0000")), {"reference": [NUL]}),
    ("POST", "/v1/orders", Sent({"order_id": "o-1", "quote_id": "\u0000", "option_id": "x"}),
     {"quote_id": [NUL]}),
    ("PUT", "/v1/inventory/A%00", Sent({"on_hand": 1}), {"sku": [NUL]}),
    ("POST", f"/shopify/{SHOP}/rates", signed(json.dumps(shopify(item={"sku": "\u0000"}))
                                              .encode()), {"rate.items.0.sku": [NUL]}),
], ids=["quote", "order", "inventory", "shopify"])
def test_a_nul_never_reaches_postgresql(pg_app, method, path, sent, fields):
    client = pg_app.test_client()
    refused(send(client, method, path, sent, ADMIN), 422, fields)


@pytest.mark.parametrize("path", ["/v1/quotes/q_%00", "/v1/orders/o-%00",
                                  "/v1/inventory/A%00"])
def test_a_lookup_of_an_id_with_a_nul_is_not_found_on_postgresql(pg_app, path):
    refused(send(pg_app.test_client(), "GET", path, Sent(raw=b""), ADMIN), 404,
            code="not_found")


def test_the_console_finds_nothing_for_a_nul_on_postgresql(pg_app):
    client = pg_app.test_client()
    client.post("/support/sign-in", data={"key": KEYS[Role.SUPPORT], "next": "/support",
                                          "csrf_token": csrf_token(client)})
    with bounded():
        search = client.get("/support/search?q=cart%00-1")
        page = client.get("/support/quotes/q_%00")
    assert search.status_code == 200
    assert "No order or quote matches “cart-1”" in search.get_data(as_text=True)
    assert page.status_code == 404


def test_unicode_is_stored_and_read_back_on_postgresql(pg_app):
    client = pg_app.test_client()
    created = send(client, "POST", "/v1/quotes", Sent(cart(reference=UNICODE)), ADMIN)
    assert created.status_code == 201
    stored = client.get(f"/v1/quotes/{created.get_json()['id']}", headers=ADMIN).get_json()
    assert stored["reference"] == UNICODE
