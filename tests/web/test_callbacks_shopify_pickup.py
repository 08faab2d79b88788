"""Shopify's rate callback offers the Toronto store's pickup to an Ontario checkout: a rate
named for the store, coded pickup/toronto, dated by when the cart is ready for collection,
saying when (and, for a restock, that it waits for one) with the store's hours.

The app's clock: Mon Nov 23 17:30 UTC, 12:30 in Toronto, before its 13:00 cutoff.

    November 2026:  Mo 23  Tu 24          December 2026:  Tu 15 .. Fr 18  Mo 21  Tu 22  We 23
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.project import SHOPIFY_RATE_REQUEST
from tests.web.test_callbacks_shopify import signed_post


def ontario_cart(*items: dict[str, Any], locale: str | None = None) -> bytes:
    body: dict[str, Any] = json.loads(SHOPIFY_RATE_REQUEST.read_text())
    body["rate"]["destination"].update(country="CA", province="ON", postal_code="M4C 1B5")
    template = body["rate"]["items"][0]
    body["rate"]["items"] = [{**template, **item} for item in items]
    if locale:
        body["rate"]["locale"] = locale
    return json.dumps(body).encode()


COOLERS = {"sku": "COOLER-45", "quantity": 6, "price": 15900, "grams": 6200}
PADS = {"sku": "SLEEPING-PAD", "quantity": 2, "price": 5995, "grams": 700}


def pickup_rate(client, body: bytes) -> dict[str, Any]:
    response = signed_post(client, body)
    assert response.status_code == 200
    rates = response.get_json()["rates"]
    # Listed after every shipping rate.
    assert rates[-1]["service_code"] == "pickup/toronto"
    return rates[-1]  # type: ignore[no-any-return]


def test_a_cart_on_the_stores_shelves_is_ready_the_same_day_or_the_next(client):
    # On hand in Toronto from Mon 23; pickup handling 0-1: Mon Nov 23 .. Tue Nov 24.
    assert pickup_rate(client, ontario_cart(PADS)) == {
        "service_name": "Pick up at Toronto, ON store",
        "service_code": "pickup/toronto",
        "total_price": "0",
        "description": "Ready for pickup Nov 23 - Nov 24; Mon-Fri 10:00-18:00",
        "currency": "USD",
        "min_delivery_date": "2026-11-23 12:00:00 +0000",
        "max_delivery_date": "2026-11-24 12:00:00 +0000",
        "phone_required": True,
    }


def test_a_cart_waiting_for_a_restock_says_when_it_is_ready(client):
    # 5 coolers on hand, the 6th from PO-1090 due Dec 15 .. 18; received in 2 working
    # days: Thu 17 .. Tue 22; handling 0-1: Thu Dec 17 .. Wed Dec 23.
    assert pickup_rate(client, ontario_cart(COOLERS)) == {
        "service_name": "Pick up at Toronto, ON store, once the restock is in",
        "service_code": "pickup/toronto",
        "total_price": "0",
        "description": "Ready from Dec 17 (restock due); Mon-Fri 10:00-18:00",
        "currency": "USD",
        "min_delivery_date": "2026-12-17 12:00:00 +0000",
        "max_delivery_date": "2026-12-23 12:00:00 +0000",
        "phone_required": True,
    }


def test_a_french_checkout_reads_the_pickup_in_french(client):
    rate = pickup_rate(client, ontario_cart(COOLERS, locale="fr"))
    assert rate["service_name"] == "Retrait au magasin de Toronto, dès l’arrivée du réassort"
    assert rate["description"] == (
        "Prêt à partir du 17 déc. (réassort attendu); Mon-Fri 10:00-18:00")


def test_a_checkout_outside_ontario_gets_no_pickup(client):
    body = json.loads(ontario_cart(PADS))
    body["rate"]["destination"].update(province="QC", postal_code="H2X 1Y4")
    rates = signed_post(client, json.dumps(body).encode()).get_json()["rates"]
    assert rates and all(rate["service_code"] != "pickup/toronto" for rate in rates)
