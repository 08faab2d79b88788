"""The Shopify CarrierService callback through the app: signed requests in, rates out."""

import base64
import hashlib
import hmac
import json
from decimal import Decimal

from rates.settings import Role
from tests.support.project import SHOPIFY_RATE_REQUEST
from tests.support.web import SHOP, SHOP_SECRET, auth


def signed_post(client, body: bytes, shop=SHOP, secret=SHOP_SECRET):
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return client.post(f"/shopify/{shop}/rates", data=body, content_type="application/json",
                       headers={"X-Shopify-Hmac-Sha256": signature.decode()})


def mixed_cart_body() -> bytes:
    """The demo's mixed cart as Shopify sends it: prices in cents, SKUs from inventory."""
    body = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["destination"].update(country="US", province="CA", postal_code="94110")
    item = body["rate"]["items"][0]
    body["rate"]["items"] = [
        {**item, "sku": "TENT-2P", "quantity": 3, "price": 14900, "grams": 3200},
        {**item, "sku": "LANTERN", "quantity": 2, "price": 1950, "grams": 400},
        {**item, "sku": "STOVE-2B", "quantity": 1, "price": 8900, "grams": 4500},
    ]
    return json.dumps(body).encode()


def test_the_documented_example_is_answered_with_200(client):
    # Its one item has no SKU and is in no inventory: nothing can ship, which Shopify
    # must hear as an empty list with 200, not as an error (that triggers backup rates).
    response = signed_post(client, SHOPIFY_RATE_REQUEST.read_bytes())
    assert response.status_code == 200
    assert response.get_json() == {"rates": []}


def test_a_mixed_cart_gets_one_rate_per_plan_and_service(client):
    response = signed_post(client, mixed_cart_body())
    assert response.status_code == 200
    rates = {rate["service_code"]: rate for rate in response.get_json()["rates"]}
    assert {code.split("/")[0] for code in rates} == {"together", "in_stock_first",
                                                      "as_available"}
    first = rates["in_stock_first/ups/ground"]
    # The same cart through the JSON API: same price, in cents here.
    api = client.post("/v1/quotes", headers=auth(Role.QUOTE), json={
        "currency": "USD", "ordered_at": "2026-11-23T09:30:00-08:00",
        "destination": {"country": "US", "region": "CA", "postcode": "94110"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200},
                  {"sku": "LANTERN", "quantity": 2, "unit_price": "19.50", "grams": 400},
                  {"sku": "STOVE-2B", "quantity": 1, "unit_price": "89.00", "grams": 4500}],
    }).get_json()
    option = next(o for o in api["options"] if o["id"] == "in_stock_first/ups/ground")
    assert first["total_price"] == str(int(Decimal(option["price"]["amount"]) * 100))
    assert first["currency"] == "USD"
    assert first["service_name"] == option["label"]
    assert first["description"].startswith("2 shipments: ")
    assert first["min_delivery_date"] == f"{option['delivery']['earliest']} 12:00:00 +0000"
    assert first["max_delivery_date"] == f"{option['delivery']['latest']} 12:00:00 +0000"


def test_a_wrong_signature_is_a_401(client):
    response = signed_post(client, mixed_cart_body(), secret="not-the-secret")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_signature"


def test_an_unsigned_callback_is_a_401(client):
    response = client.post(f"/shopify/{SHOP}/rates", data=mixed_cart_body(),
                           content_type="application/json")
    assert response.status_code == 401


def test_an_unknown_shop_is_a_404(client):
    response = signed_post(client, mixed_cart_body(), shop="someone-else.myshopify.com")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_shop"


def test_a_malformed_callback_is_a_422_with_shopify_paths(client):
    body = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["items"][0]["quantity"] = "two"
    response = signed_post(client, json.dumps(body).encode())
    assert response.status_code == 422
    assert "rate.items.0.quantity" in response.get_json()["error"]["fields"]


def in_locale(locale: str) -> bytes:
    """The mixed cart in Shopify's documented request, from a shopper in `locale`."""
    body = json.loads(mixed_cart_body())
    body["rate"]["locale"] = locale
    return json.dumps(body).encode()


def test_a_french_checkout_reads_french_in_service_name_and_description(client):
    rates = {rate["service_code"]: rate
             for rate in signed_post(client, in_locale("fr")).get_json()["rates"]}
    assert rates["together/ups/ground"]["service_name"] == (
        "UPS Standard - tout ensemble (un seul colis, quand le dernier article arrive)")
    assert rates["together/ups/ground"]["description"] == (
        "Livraison du 30 déc. 2026 au 11 janv. 2027")
    assert rates["as_available/ups/ground"]["service_name"] == (
        "UPS Standard - chaque article dès son retour en stock")
    assert rates["as_available/ups/ground"]["description"] == (
        "3 envois : 4 articles arrivent du 24 nov. au 27 nov.; "
        "1 article arrive du 14 déc. au 18 déc.; "
        "1 article arrive du 30 déc. 2026 au 11 janv. 2027")


def test_a_japanese_checkout_reads_the_default_locale_whole(client):
    # The example words no ja: English words, English dates and English counting, so one
    # item "arrives" (under ja's plural rule, whose only category is "other", it would not).
    rates = {rate["service_code"]: rate
             for rate in signed_post(client, in_locale("ja")).get_json()["rates"]}
    assert rates["as_available/ups/ground"]["service_name"] == (
        "UPS Ground - each item as soon as it is back in stock")
    assert rates["as_available/ups/ground"]["description"] == (
        "3 shipments: 4 items arrive Nov 24 - Nov 27; 1 item arrives Dec 14 - Dec 18; "
        "1 item arrives Dec 30, 2026 - Jan 11, 2027")

