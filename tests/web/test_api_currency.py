"""POST /v1/quotes in a checkout currency: the example shop prices in USD and quotes CAD
at 1.3650, EUR at 0.9210 and JPY at 156.40 (config.example.yaml's `currencies:`).

examples/carts/mixed.json in USD (tests/e2e/golden/mixed.json) costs, per shipment:
  together:       ground 18.66        2nd_day_air 57.76
  in_stock_first: ground 15.95 + 0    2nd_day_air 44.95 + 0   (backorder free over 100)
  as_available:   ground 15.95 + 0+0  2nd_day_air 44.95 + 0+0
In CAD each shipment is that times 1.3650, rounded half up to the cent:
  18.66 -> 25.4709 -> 25.47    57.76 -> 78.8424 -> 78.84
  15.95 -> 21.77175 -> 21.77   44.95 -> 61.35675 -> 61.36    0.00 -> 0.00
The cart's lines in CAD: 149.00 -> 203.39, 19.50 -> 26.62, 89.95 -> 122.78; its subtotal
3 x 203.39 + 2 x 26.62 + 122.78 = CAD 786.19 is USD 575.9634 -> 575.96 for the rules
(USD 575.95 in USD: every subtotal rule decides alike).
"""

from __future__ import annotations

import json
from decimal import Decimal

from rates.settings import Role
from rates.wire import documents as docs
from tests.support.project import CARTS
from tests.support.web import auth

MIXED = json.loads((CARTS / "mixed.json").read_text())
CAD_PRICES = {"TENT-2P": "203.39", "LANTERN": "26.62", "STOVE-2B": "122.78"}
MIXED_CAD = {**MIXED, "currency": "CAD", "lines": [
    {**line, "unit_price": CAD_PRICES[line["sku"]]} for line in MIXED["lines"]]}


def post_quote(client, cart, query=""):
    return client.post(f"/v1/quotes{query}", json=cart, headers=auth(Role.QUOTE))


def prices(document):
    return {o["id"]: (o["price"], [s["price"]["amount"] for s in o["shipments"]])
            for o in document["options"]}


def cad(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "CAD"}


def test_a_cad_quote_prices_every_option_and_shipment_in_cad(client):
    # Shipments' prices are in the full document (explain), not a checkout's answer.
    response = post_quote(client, MIXED_CAD, "?explain=1")
    assert response.status_code == 201
    document = response.get_json()
    assert document["currency"] == "CAD"
    assert docs.QuoteDoc().validate(document) == {}
    assert prices(document) == {
        "together/ups/ground": (cad("25.47"), ["25.47"]),
        "together/ups/2nd_day_air": (cad("78.84"), ["78.84"]),
        "in_stock_first/ups/ground": (cad("21.77"), ["21.77", "0.00"]),
        "in_stock_first/ups/2nd_day_air": (cad("61.36"), ["61.36", "0.00"]),
        "as_available/ups/ground": (cad("21.77"), ["21.77", "0.00", "0.00"]),
        "as_available/ups/2nd_day_air": (cad("61.36"), ["61.36", "0.00", "0.00"]),
    }
    for option in document["options"]:
        assert option["price"]["amount"] == str(sum(
            Decimal(s["price"]["amount"]) for s in option["shipments"]))
        assert {s["price"]["currency"] for s in option["shipments"]} == {"CAD"}


def test_explain_shows_each_conversion_after_the_rules_in_the_shops_currency(client):
    document = post_quote(client, MIXED_CAD, "?explain=1").get_json()
    ground = next(o for o in document["options"] if o["id"] == "together/ups/ground")
    # The rate and the rules in USD, as in the golden USD quote, then the conversion.
    assert {"rule": "patience-discount", "effect": "-3.29", "price": "18.66"} in ground["trace"]
    assert {"rule": "ground-within-bounds", "effect": "clamp 4.95..49.95",
            "price": "18.66"} in ground["trace"]
    assert ground["trace"][-1] == {"step": "exchange", "shipment": 1,
                                   "detail": "USD 18.66 at 1.3650 = CAD 25.47"}
    split = next(o for o in document["options"] if o["id"] == "as_available/ups/ground")
    assert [step["detail"] for step in split["trace"] if step.get("step") == "exchange"] == [
        "USD 15.95 at 1.3650 = CAD 21.77", "USD 0.00 at 1.3650 = CAD 0.00",
        "USD 0.00 at 1.3650 = CAD 0.00"]


def test_a_quote_in_the_shops_currency_shows_no_conversion(client):
    document = post_quote(client, MIXED, "?explain=1").get_json()
    assert document["currency"] == "USD"
    assert not [step for option in document["options"] for step in option["trace"]
                if step.get("step") == "exchange"]


def one_sleeping_bag(currency: str, price: str) -> dict:
    """One sleeping bag on hand at reno, 1100 g, to Reno: in stock, so the example's
    free-ground-over-150 rule (subtotal at least USD 150.00) may apply."""
    return {"currency": currency, "ordered_at": "2026-11-23T09:30:00-08:00",
            "destination": {"country": "US", "region": "NV", "postcode": "89501"},
            "lines": [{"sku": "SLEEPING-BAG-20", "quantity": 1, "unit_price": price,
                       "grams": 1100}]}


def ground_price(client, cart) -> dict[str, str]:
    document = post_quote(client, cart).get_json()
    return next(o["price"] for o in document["options"] if o["id"] == "together/ups/ground")


def test_free_ground_over_usd_150_means_the_same_cart_value_in_cad(client):
    # USD: 150.00 meets the threshold; 149.99 pays the ground rate, USD 10.95.
    assert ground_price(client, one_sleeping_bag("USD", "150.00")) == {
        "amount": "0.00", "currency": "USD"}
    assert ground_price(client, one_sleeping_bag("USD", "149.99")) == {
        "amount": "10.95", "currency": "USD"}
    # CAD 204.75 / 1.3650 = USD 150.00: free. CAD 204.74 / 1.3650 = USD 149.9927, rounded
    # down to 149.99: not free, and 10.95 x 1.3650 = 14.94675 -> CAD 14.95.
    assert ground_price(client, one_sleeping_bag("CAD", "204.75")) == cad("0.00")
    assert ground_price(client, one_sleeping_bag("CAD", "204.74")) == cad("14.95")


def test_yen_prices_have_no_decimals(client):
    # 10.95 x 156.40 = 1712.58 -> JPY 1713; the bag at JPY 23459 is USD 149.9936 -> 149.99.
    assert ground_price(client, one_sleeping_bag("JPY", "23459")) == {
        "amount": "1713", "currency": "JPY"}


def test_a_currency_without_a_rate_is_a_422_naming_the_field_and_the_accepted_ones(client):
    response = post_quote(client, {**MIXED, "currency": "GBP"})
    assert response.status_code == 422
    assert response.get_json() == {"error": {
        "code": "invalid_request",
        "message": "this shop quotes in USD, CAD, EUR or JPY, not GBP",
        "fields": {"currency": ["must be USD or a currency with an exchange rate in the "
                                "config (`currencies:`): CAD, EUR, JPY"]}}}


def test_an_order_keeps_the_currency_its_promise_was_quoted_in(client, reloading, example):
    quoted = post_quote(client, MIXED_CAD).get_json()
    placed = client.post("/v1/orders", json={
        "order_id": "order-cad", "quote_id": quoted["id"],
        "option_id": "in_stock_first/ups/ground"}, headers=auth(Role.QUOTE))
    assert placed.status_code == 201
    assert placed.get_json()["price"] == cad("21.77")
    # The CAD rate changes (a reload swaps it with the rules): new quotes use it, the
    # order keeps its promise. 15.95 x 1.4000 = 22.33.
    example.write_text(example.read_text().replace('CAD: "1.3650"', 'CAD: "1.4000"'))
    reloading.reload()
    requoted = post_quote(client, MIXED_CAD).get_json()
    assert requoted["ruleset"] != quoted["ruleset"]
    assert next(o["price"] for o in requoted["options"]
                if o["id"] == "in_stock_first/ups/ground") == cad("22.33")
    order = client.get("/v1/orders/order-cad", headers=auth(Role.SUPPORT)).get_json()
    assert order["price"] == cad("21.77")


def test_a_code_no_currency_has_hears_the_accepted_ones_too(client):
    for written in ("XYZ", "cad"):
        response = post_quote(client, {**MIXED, "currency": written})
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {"currency": [
            "must be USD or a currency with an exchange rate in the config (`currencies:`): "
            "CAD, EUR, JPY"]}
    missing = post_quote(client, {key: value for key, value in MIXED.items()
                                  if key != "currency"})
    assert missing.get_json()["error"]["fields"] == {
        "currency": ["Missing data for required field."]}
