"""BigCommerce's and Saleor's checkouts to promise on a real `rates serve`: gunicorn workers
on 127.0.0.1, spoken to over HTTP, their stores in the config and their secrets in the
environment, as tests/e2e/test_shopify_webhooks.py does for Shopify.

Each asks for rates as its platform does at checkout, then delivers the order's webhook
naming the chosen rate: the order is promised that rate's window. BigCommerce's order is
read from its Orders API stand-in, and Saleor's signatures verified against its JWKS
stand-in, both on 127.0.0.1 (tests/support/bigcommerce.py, tests/support/saleor.py). No
name, street, email or postcode of the payloads reaches the log. The inventory is set
relative to today, since the server runs on the real clock.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.bigcommerce import (
    CREDENTIAL,
    ENVIRON,
    ORDER,
    STORE_HASH,
    bigcommerce_api,
    callback,
    order_for,
    rate_request,
)
from tests.support.project import RATES
from tests.support.saleor import (
    DOMAIN,
    fixture,
    order_created,
    saleor_instance,
    webhook_headers,
)
from tests.support.windows import dates

ADMIN = {"Authorization": "Bearer rk_demo_admin_key_for_the_bundled_example_only"}
SUPPORT = {"Authorization": "Bearer rk_demo_support_key_for_the_bundled_example_only"}
CHOSEN = "in_stock_first/ups/ground"
RENO = {"country_iso2": "US", "state_iso2": "NV", "zip": "89501"}
PERSONAL = ("Trishy", "Smith", "666 Sussex St", "Jane", "555 East Street",
            "janedoe@example.com", "Bethany", "59179 Bruce Gardens", "89501")
"""Names, streets, emails and the destination's postcode, which the payloads carry."""

needs_rates = pytest.mark.skipif(not RATES.exists(),
                                 reason="the console script is installed by make")


def tents(session: requests.Session, base: str) -> None:
    """TENT-2P: two on hand at reno, ten more due in 5 to 9 days: three tents are two
    now and one backordered."""
    today = date.today()
    stock = {"locations": [{"location": "reno", "on_hand": 2, "inbound": [
        {"id": "PO-1042", "quantity": 10,
         "earliest": (today + timedelta(days=5)).isoformat(),
         "latest": (today + timedelta(days=9)).isoformat()}]}],
        "lead_time_days": [21, 35]}
    answer = session.put(f"{base}/v1/inventory/TENT-2P", json=stock, headers=ADMIN,
                         timeout=10)
    assert answer.status_code == 200, answer.text


def webhook_lines(log: str, platform: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.splitlines() if line.startswith("{")
            and f'"message": "{platform} webhook"' in line]


@needs_rates
def test_a_bigcommerce_checkout_becomes_a_promise(serve, example: Path):
    with bigcommerce_api() as api:
        with example.open("a") as config:
            config.write(f"bigcommerce:\n  - {{store_hash: {STORE_HASH}, secret_env: "
                         f"{list(ENVIRON)[0]}, api_token_env: {list(ENVIRON)[1]}, "
                         f"api_url: '{api.base}'}}\n")
        server = serve(**ENVIRON)
        session = requests.Session()
        tents(session, server.base)

        request = rate_request((("TENT-2P", 3, 3200, "149.00"),), destination=RENO)
        answered = session.post(f"{server.base}/bigcommerce/{STORE_HASH}/rate",
                                json=request, timeout=10)
        assert answered.status_code == 200, answered.text
        [group] = answered.json()["carrier_quotes"]
        chosen = {quote["code"]: quote for quote in group["quotes"]}[CHOSEN]

        api.orders[ORDER] = order_for(request, chosen, state="Nevada",
                                      created=format_datetime(datetime.now(UTC)))
        placed = session.post(f"{server.base}/bigcommerce/{STORE_HASH}/webhooks",
                              json=callback(), timeout=10,
                              headers={"X-Rates-Webhook-Token": CREDENTIAL})
        assert placed.status_code == 200, placed.text
        assert placed.json() == {"outcome": "promised",
                                 "order_id": f"bigcommerce-{STORE_HASH}-{ORDER}"}
        order = session.get(f"{server.base}/v1/orders/bigcommerce-{STORE_HASH}-{ORDER}",
                            headers=SUPPORT, timeout=10).json()
        log = server.stop()

    assert (order["option_id"], order["status"], order["promise_source"]) == (
        CHOSEN, "open", "quote")
    # The chosen quote's dispatch date and transit add up to the promise's last day.
    latest = date.fromisoformat(chosen["dispatch_date"]) + timedelta(
        days=chosen["transit_time"]["duration"])
    assert order["promised"]["latest"] == latest.isoformat()
    assert [(line["topic"], line["outcome"]) for line in webhook_lines(log, "bigcommerce")
            ] == [("store/order/created", "promised")]
    for personal in PERSONAL:
        assert personal not in log


@needs_rates
def test_a_saleor_checkout_becomes_a_promise(serve, example: Path):
    with saleor_instance() as instance:
        with example.open("a") as config:
            config.write(f"saleor:\n  - {{domain: {DOMAIN}, "
                         f"jwks_url: '{instance.jwks_url}'}}\n")
        server = serve()
        session = requests.Session()
        tents(session, server.base)
        url = f"{server.base}/saleor/{DOMAIN}/webhooks"

        payload = fixture("list_methods_payload.json")
        checkout = payload["checkout"]
        checkout["shippingAddress"] = {
            "country": {"code": "US"}, "countryArea": "NV", "postalCode": "89501",
            "firstName": "Bethany", "streetAddress1": "59179 Bruce Gardens"}
        checkout["lines"] = checkout["lines"][:1]  # three TENT-2P
        body = json.dumps(payload).encode()
        listed = session.post(url, data=body, timeout=10, headers=webhook_headers(
            "shipping_list_methods_for_checkout", body, instance.key))
        assert listed.status_code == 200, listed.text
        chosen = {method["id"]: method for method in listed.json()}[CHOSEN]

        event = json.dumps(order_created(chosen, checkout, created=datetime.now(
            UTC).isoformat())).encode()
        placed = session.post(url, data=event, timeout=10, headers=webhook_headers(
            "order_created", event, instance.key))
        assert placed.status_code == 200, placed.text
        order_id = placed.json()["order_id"]
        assert placed.json()["outcome"] == "promised"
        order = session.get(f"{server.base}/v1/orders/{order_id}", headers=SUPPORT,
                            timeout=10).json()
        log = server.stop()

    assert (order["option_id"], order["status"], order["promise_source"]) == (
        CHOSEN, "open", "quote")
    # The method's delivery days count from the day its quote was made, as it was made.
    listed_on = date.fromisoformat(order["ordered_at"][:10])
    assert dates(order["promised"]) == {
        "earliest": str(listed_on + timedelta(days=chosen["minimum_delivery_days"])),
        "latest": str(listed_on + timedelta(days=chosen["maximum_delivery_days"]))}
    assert [(line["topic"], line["outcome"]) for line in webhook_lines(log, "saleor")] == [
        ("order_created", "promised")]
    for personal in PERSONAL:
        assert personal not in log
