"""The Shopify CarrierService callback through the app: signed requests in, rates out."""

import base64
import hashlib
import hmac
import json
from dataclasses import replace
from decimal import Decimal

from rates.settings import FallbackRate, Role, UnknownItems
from rates.web.app import create_app
from tests.support.project import SHOPIFY_RATE_REQUEST
from tests.support.shopify import mixed_cart
from tests.support.web import SHOP, SHOP_SECRET, auth


def signed_post(client, body: bytes, shop=SHOP, secret=SHOP_SECRET):
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return client.post(f"/shopify/{shop}/rates", data=body, content_type="application/json",
                       headers={"X-Shopify-Hmac-Sha256": signature.decode()})


def refusals(app, reason: str) -> float:
    value = app.config["RATES_METRICS"].registry.get_sample_value(
        "rates_checkout_refusals_total", {"platform": "shopify", "reason": reason})
    return value or 0.0


def mixed_cart_body() -> bytes:
    """The demo's mixed cart as Shopify sends it: prices in cents, SKUs from inventory."""
    return json.dumps(mixed_cart()).encode()


def test_shopifys_documented_example_gets_rates(client):
    """Shopify's own example request, verbatim: a 1 kg T-shirt without a SKU (variant
    258644705304), known to no inventory, from the shop's origin in Ottawa (K2P 1L4, no
    configured location) to Ottawa, ON. Under the default `unknown_items: in_stock` it is
    on hand at the first location, reno, and goes by UPS Ground in the `canada` zone:
    1 kg is the 29.95 band. Ordered Mon Nov 23 09:30 in Reno, before the cutoff:

        November 2026   Mo 23  Tu 24  We 25  Th 26  Fr 27  Mo 30  Tu 1  We 2
        ships           [--------]                                    (handling 0-1)
        transit 3-6      from Mon 23: 24, 25, 26 = Thu 26 earliest
                         from Tue 24: 25, 26, 27, 30, 1, 2 = Wed Dec 2 latest
    (US Thanksgiving, Nov 26, closes UPS in the US, not in Canada.)"""
    response = signed_post(client, SHOPIFY_RATE_REQUEST.read_bytes())
    assert response.status_code == 200
    rates = {rate["service_code"]: rate for rate in response.get_json()["rates"]}
    assert rates["together/ups/ground"] == {
        "service_name": "UPS Ground - ship everything together",
        "service_code": "together/ups/ground",
        "total_price": "2995",
        "description": "Arrives Nov 26 - Dec 2",
        "currency": "USD",
        "min_delivery_date": "2026-11-26 12:00:00 +0000",
        "max_delivery_date": "2026-12-02 12:00:00 +0000",
    }


def test_an_unknown_item_under_refuse_gets_no_rate_and_is_counted(client, app):
    stores = app.config["RATES_STORES"]
    stores["shopify", SHOP] = replace(stores["shopify", SHOP], unknown_items=UnknownItems.REFUSE)
    response = signed_post(client, SHOPIFY_RATE_REQUEST.read_bytes())
    assert response.get_json() == {"rates": []}
    assert refusals(app, "unknown_item") == 1


def test_units_nobody_can_supply_get_no_rate_not_a_cheaper_one(client, app):
    """TENT-4P x10 to NJ: only 5 can be supplied (reno's stock, its lot and the backorder
    limit). A rate for 5 would undercharge and promise a date for goods that cannot ship."""
    body = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["destination"].update(country="US", province="NJ", postal_code="07030")
    body["rate"]["items"] = [{**body["rate"]["items"][0], "sku": "TENT-4P", "quantity": 10,
                              "price": 34900, "grams": 6800}]
    response = signed_post(client, json.dumps(body).encode())
    assert response.get_json() == {"rates": []}
    assert refusals(app, "unsuppliable") == 1
    body["rate"]["items"][0]["quantity"] = 5
    assert signed_post(client, json.dumps(body).encode()).get_json()["rates"]


def test_a_shop_may_name_a_fallback_rate_for_such_carts(client, app):
    stores = app.config["RATES_STORES"]
    stores["shopify", SHOP] = replace(
        stores["shopify", SHOP], unknown_items=UnknownItems.REFUSE,
        fallback_rate=FallbackRate("Contact us for delivery", Decimal("0.00"),
                                   "We will call you with a date"))
    response = signed_post(client, SHOPIFY_RATE_REQUEST.read_bytes())
    assert response.get_json() == {"rates": [{
        "service_name": "Contact us for delivery", "service_code": "fallback",
        "total_price": "0", "currency": "USD",
        "description": "We will call you with a date"}]}


def test_shopifys_origin_selects_the_location_it_matches(client):
    """A LANTERN (on hand at reno, newark and toronto, 400 g) from the shop's origin
    M5V 2T6, CA: toronto's address, so toronto ships it, by UPS Ground's `local` zone to
    Ottawa (0 kg band: 9.45). Ordered 12:30 in Toronto, before its 13:00 cutoff:

        November 2026   Mo 23  Tu 24  We 25  Th 26  Fr 27
        handling 1-2     start  ready  ready
        transit 1-2             +1 ->  25 earliest;  from 25: 26, 27 latest
    From reno it would be the `canada` zone, 24.95, Nov 26 - Dec 2."""
    body = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["origin"].update(postal_code="M5V2T6", city="Toronto")
    body["rate"]["items"] = [{**body["rate"]["items"][0], "sku": "LANTERN", "grams": 400,
                              "price": 1950}]
    rates = {rate["service_code"]: rate for rate in
             signed_post(client, json.dumps(body).encode()).get_json()["rates"]}
    ground = rates["together/ups/ground"]
    assert (ground["total_price"], ground["description"]) == ("945", "Arrives Nov 25 - Nov 27")

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


def test_a_shop_whose_secret_variable_is_empty_is_unknown(app, monkeypatch):
    # An empty secret verifies nothing: the shop is left out, as if its variable were unset,
    # rather than answering 401 to every callback as if Shopify had signed them wrong.
    monkeypatch.setenv("RATES_SHOPIFY_SECRET", "")
    built = create_app(app.config["RATES_SETTINGS"], app.config["RATES_SERVICE"])
    assert ("shopify", SHOP) not in built.config["RATES_STORES"]
    response = signed_post(built.test_client(), mixed_cart_body(), secret="")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_shop"


def test_each_shop_secret_is_read_from_its_variable(app, monkeypatch):
    monkeypatch.setenv("RATES_SHOPIFY_SECRET", SHOP_SECRET)
    built = create_app(app.config["RATES_SETTINGS"], app.config["RATES_SERVICE"])
    assert ("shopify", SHOP) in built.config["RATES_STORES"]
    assert signed_post(built.test_client(), mixed_cart_body()).status_code == 200


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

