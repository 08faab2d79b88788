"""`rates promises at-risk` on the store of a copy of the example: the same list the API
gives, as text or JSON, with exit status 1 while any promise is at risk."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from rates.cli import main
from rates.web.app import build_app

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno
QUOTE = {"Authorization": "Bearer rk_demo_quote_key_for_the_bundled_example_only"}
ADMIN = {"Authorization": "Bearer rk_demo_admin_key_for_the_bundled_example_only"}
CART = {"reference": "cart-4001", "currency": "USD",
        "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}]}


def place_order(example) -> None:
    client = build_app(example, lambda: NOW, watch=False).test_client()
    quote_id = client.post("/v1/quotes", json=CART, headers=QUOTE).get_json()["id"]
    assert client.post("/v1/orders", headers=QUOTE, json={
        "order_id": "order-9", "quote_id": quote_id,
        "option_id": "in_stock_first/ups/ground"}).status_code == 201


def at_risk(capsys, example, *args):
    status = main(["promises", "at-risk", "--config", str(example), *args])
    return status, capsys.readouterr().out


def test_no_promise_at_risk_exits_0(capsys, example):
    place_order(example)

    status, out = at_risk(capsys, example, "--at", "2026-11-23T10:00:00-08:00")

    assert (status, out) == (0, "0 order(s) at risk as of 2026-11-23T10:00:00-08:00\n")


def test_a_lot_still_inbound_after_its_eta_puts_the_promise_at_risk(capsys, example):
    place_order(example)

    # On Dec 16 PO-1042 (due Dec 10-14) is still listed as inbound: it is late, read as
    # arriving Dec 16 at the earliest. Received Thu Dec 17, handled by Fri Dec 18, UPS
    # Ground 1-2 days to Nevada: Tue Dec 22 at the latest, 4 days after the promised Dec 18.
    status, out = at_risk(capsys, example, "--at", "2026-12-16T10:00:00-08:00", "--json")

    assert status == 1
    (order,) = json.loads(out)["orders"]
    assert (order["id"], order["reference"], order["days_late"]) == ("order-9", "cart-4001", 4)
    assert order["promised"]["latest"] == "2026-12-18"
    assert order["current"]["latest"] == "2026-12-22"
    assert order["causes"][0]["reason"] == (
        "lot PO-1042 is late: due 2026-12-10..2026-12-14, still not received; "
        "promised 2026-12-10..2026-12-14")
