"""The Shopify callback through the app for a checkout in CAD or JPY: the example shop
prices in USD and quotes CAD at 1.3650, JPY at 156.40 (config.example.yaml).

The demo's mixed cart (tests/web/test_callbacks_shopify.py) costs USD 18.66 together by
UPS Ground and 15.95 + 0.00 in stock first. Converted half up, in Shopify's hundredths:
  CAD: 18.66 x 1.3650 = 25.4709 -> 25.47 -> "2547";  15.95 x 1.3650 = 21.77175 -> "2177"
  JPY: 18.66 x 156.40 = 2918.424 -> 2918 -> "291800"; 15.95 x 156.40 = 2494.58 -> "249500"
"""

import json

import pytest

from tests.web.test_callbacks_shopify import mixed_cart_body, signed_post

ITEM_PRICES = {  # TENT-2P, LANTERN, STOVE-2B in Shopify's hundredths of each currency
    "CAD": (20339, 2662, 12149),        # 149.00, 19.50, 89.00 x 1.3650, to the cent
    "JPY": (2330400, 305000, 1392000),  # JPY 23304, 3050, 13920 (x 100 for Shopify)
}


def body_in(currency: str) -> bytes:
    body = json.loads(mixed_cart_body())
    body["rate"]["currency"] = currency
    for item, price in zip(body["rate"]["items"], ITEM_PRICES[currency], strict=True):
        item["price"] = price
    return json.dumps(body).encode()


@pytest.mark.parametrize(("currency", "together", "in_stock_first"), [
    ("CAD", "2547", "2177"),
    ("JPY", "291800", "249500"),
])
def test_a_checkout_in_another_currency_gets_its_rates_in_it(client, currency, together,
                                                               in_stock_first):
    response = signed_post(client, body_in(currency))
    assert response.status_code == 200
    rates = {rate["service_code"]: rate for rate in response.get_json()["rates"]}
    assert {rate["currency"] for rate in rates.values()} == {currency}
    assert rates["together/ups/ground"]["total_price"] == together
    assert rates["in_stock_first/ups/ground"]["total_price"] == in_stock_first


def test_a_checkout_in_a_currency_without_a_rate_is_a_422_so_shopify_uses_its_backup(client):
    body = json.loads(mixed_cart_body())
    body["rate"]["currency"] = "GBP"
    response = signed_post(client, json.dumps(body).encode())
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["message"] == "this shop quotes in USD, CAD, EUR or JPY, not GBP"
    assert list(error["fields"]) == ["currency"]
