"""Security properties the other tests do not already pin down.

Already covered elsewhere, and not repeated here: every route declares a role and refuses
a missing or wrong key (tests/web/test_api.py walks the URL map), CSRF tokens, cookie
flags and console headers (tests/web/test_console_auth.py), a bad Shopify signature
(tests/web/test_callbacks_shopify.py). `ruff check rates` runs bandit's `S` rules in
`make test`, so it is not run again from here.

Here: keys are found by their digest (nothing compares a key) and signatures are compared
in constant time, and a day's work through every
door (a quote, an order, an at-risk sweep, a console session, the Shopify callback) leaves
no personal data, key or secret in the logs, at any level.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest

from rates.platforms.shopify.signature import verify_hmac
from rates.settings import ApiKey, Role, Settings, hash_key
from rates.web.serve import JsonLines
from tests.support.project import SHOPIFY_RATE_REQUEST
from tests.support.web import KEYS, SHOP, SHOP_SECRET, auth


@pytest.fixture
def compares(monkeypatch) -> list[tuple[Any, Any]]:
    """Every call of `hmac.compare_digest` during the test, with its arguments: the
    modules under test call it through the `hmac` module, so wrapping the module's
    attribute sees each of them."""
    calls: list[tuple[Any, Any]] = []
    real: Callable[[Any, Any], bool] = hmac.compare_digest

    def counting(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    return calls


def settings_with_keys(count: int) -> tuple[Settings, list[str]]:
    plain = [f"rk_key_number_{n}_0123456789abcdef" for n in range(count)]
    keys = tuple(ApiKey(f"key-{n}", Role.SUPPORT, hash_key(key)) for n, key in enumerate(plain))
    return Settings(keys=keys), plain


@pytest.mark.parametrize("count", [1, 5, 500])
@pytest.mark.parametrize("which", ["first", "last", "none"])
def test_a_presented_key_is_found_by_its_digest_and_never_compared(compares, count, which):
    # One dictionary lookup by the key's SHA-256 digest, however many keys there are and
    # wherever the key sits among them: the time an answer takes does not depend on how
    # far down the list a key is. A lookup's timing could tell at most how much of a
    # stored digest another digest shares, and a digest that shares more is no nearer a
    # key (finding one is a preimage attack): nothing compares the key itself.
    settings, plain = settings_with_keys(count)
    presented = {"first": plain[0], "last": plain[-1], "none": "rk_not_a_key"}[which]
    found = settings.authenticate(presented)
    assert (found.name if found else None) == {
        "first": "key-0", "last": f"key-{count - 1}", "none": None}[which]
    assert compares == []


def test_only_the_key_itself_opens_not_its_digest_nor_a_part_of_it():
    settings, plain = settings_with_keys(3)
    assert settings.authenticate(plain[1]).name == "key-1"
    for near in (hash_key(plain[1]), plain[1][:-1], plain[1] + " ", plain[1].upper()):
        assert settings.authenticate(near) is None


def test_a_long_presented_key_is_refused():
    settings, _ = settings_with_keys(2)
    assert settings.authenticate("rk_" + "x" * 10_000) is None


def test_no_key_at_all_is_refused():
    settings, _ = settings_with_keys(3)
    assert settings.authenticate(None) is None and settings.authenticate("") is None


def test_api_keys_and_console_sign_in_find_the_key_by_its_digest(client, compares):
    assert client.get("/v1/rules", headers=auth(Role.SUPPORT)).status_code == 200
    assert client.get("/v1/rules", headers={"Authorization": "Bearer rk_wrong"}
                      ).status_code == 401
    assert compares == []
    page = client.get("/support/sign-in").data
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    response = client.post("/support/sign-in", data={
        "key": KEYS[Role.SUPPORT], "next": "/support", "csrf_token": token})
    assert response.status_code == 302
    # Flask-WTF checks the CSRF token with compare_digest; the key is looked up.
    assert compares and hash_key(KEYS[Role.SUPPORT]) not in {b for _, b in compares}


def test_the_shopify_signature_is_compared_in_constant_time(compares):
    body = b'{"rate": {}}'
    good = base64.b64encode(hmac.new(b"secret", body, hashlib.sha256).digest()).decode()
    assert verify_hmac(body, good, "secret")
    assert not verify_hmac(body, "A" + good[1:], "secret")
    assert len(compares) == 2


# What a day's work through every door carries that must never reach a log line.
POSTCODE = "94110-7731"
REFERENCE = "cart-PII-5551"
STREET = "1187 Privet Lane"
NAME = "Wilhelmina Testperson"
EMAIL = "wilhelmina.testperson@example.com"
PHONE = "+1 415 555 0134"
ORDER_ID = "shop-order-PII-77"
SECRETS = [*KEYS.values(), SHOP_SECRET]


def shopify_body() -> bytes:
    body = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["destination"].update(
        country="US", province="CA", postal_code=POSTCODE, address1=STREET, name=NAME,
        email=EMAIL, phone=PHONE, company_name=NAME)
    body["rate"]["items"][0].update(sku="TENT-2P", quantity=1, price=14900, grams=3200)
    return json.dumps(body).encode()


def test_no_personal_data_key_or_secret_reaches_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    cart = {"reference": REFERENCE, "currency": "USD", "customer_tags": [EMAIL],
            "destination": {"country": "US", "region": "NV", "postcode": POSTCODE},
            "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00",
                       "grams": 3200}]}
    # A quote and an order waiting for PO-1042 (2 of the 3 tents are on hand).
    quote = client.post("/v1/quotes", json=cart, headers=auth(Role.QUOTE)).get_json()
    placed = client.post("/v1/orders", headers=auth(Role.QUOTE), json={
        "order_id": ORDER_ID, "quote_id": quote["id"], "option_id": "in_stock_first/ups/ground"})
    assert placed.status_code == 201
    # The lot slips a week: the sweep finds the order at risk.
    slipped = {"locations": [{"location": "reno", "on_hand": 2, "inbound": [
        {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-17", "latest": "2026-12-21"}]}]}
    assert client.put("/v1/inventory/TENT-2P", json=slipped,
                      headers=auth(Role.ADMIN)).status_code == 200
    risk = client.get("/v1/promises/at-risk", headers=auth(Role.SUPPORT)).get_json()
    assert [entry["reference"] for entry in risk["orders"]] == [REFERENCE]
    # Support finds it by its cart reference and opens it.
    page = client.get("/support/sign-in").data
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    client.post("/support/sign-in", data={"key": KEYS[Role.SUPPORT], "next": "/support",
                                          "csrf_token": token})
    found = client.get(f"/support/search?q={REFERENCE}")
    assert ORDER_ID in found.get_data(as_text=True)  # the order and its quote
    assert REFERENCE in client.get(f"/support/orders/{ORDER_ID}").get_data(as_text=True)
    assert client.get("/support/at-risk").status_code == 200
    # Shopify asks for rates for the same address, with a name, street, email and phone.
    raw = shopify_body()
    signature = base64.b64encode(hmac.new(SHOP_SECRET.encode(), raw, hashlib.sha256).digest())
    callback = client.post(f"/shopify/{SHOP}/rates", data=raw, content_type="application/json",
                           headers={"X-Shopify-Hmac-Sha256": signature.decode()})
    assert callback.status_code == 200

    # Formatted as `rates serve` writes them, structured fields included.
    lines = [JsonLines().format(record) for record in caplog.records]
    # The requests whose URLs carried the reference and the order id were logged, by route.
    assert any('"route": "/support/search"' in line for line in lines)
    assert any('"route": "/support/orders/<ident>"' in line for line in lines)
    logged = "\n".join(lines)
    for private in [POSTCODE, REFERENCE, STREET, NAME, EMAIL, PHONE, ORDER_ID, *SECRETS]:
        assert private not in logged, f"{private!r} was logged"
