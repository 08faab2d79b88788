"""The support console reads a pickup as what it is: collected at the store, ready for
collection on its dates, with the store's hours; its order page sets those stages promised
beside now (no carrier hand-over, no delivery)."""

from __future__ import annotations

from rates.settings import Role
from tests.support.web import KEYS, auth, sign_in
from tests.web.test_console import text

# 6 coolers to Ontario: 5 on Toronto's shelf, 1 from PO-1090 (Dec 15 .. 18), received in
# 2 working days (Thu Dec 17 .. Tue Dec 22), ready for collection Thu Dec 17 .. Wed Dec 23.
CART = {
    "reference": "cart-cooler",
    "currency": "USD",
    "destination": {"country": "CA", "region": "ON", "postcode": "M4C 1B5"},
    "lines": [{"sku": "COOLER-45", "quantity": 6, "unit_price": "159.00", "grams": 6200}],
}


def test_a_pickup_reads_as_collected_at_the_store_on_the_quote_and_order_pages(client):
    sign_in(client, KEYS[Role.SUPPORT])
    quote = client.post("/v1/quotes", json=CART, headers=auth(Role.QUOTE)).get_json()
    page = text(client.get(f"/support/quotes/{quote['id']}"))
    card = page.split("Pick up at Toronto, ON store, once the restock is in pickup/toronto",
                      1)[1]
    assert "collected at the store Thu Dec 17 – Wed Dec 23, 2026" in card
    assert ("Ready for collection Thu Dec 17 – Wed Dec 23, 2026 The customer collects it at "
            "Toronto, ON store, open Mon-Fri 10:00-18:00") in card

    placed = client.post("/v1/orders", headers=auth(Role.QUOTE), json={
        "order_id": "order-p1", "quote_id": quote["id"], "option_id": "pickup/toronto"})
    assert placed.status_code == 201, placed.get_json()
    order = text(client.get("/support/orders/order-p1"))
    assert "Shipping Pick up at Toronto, ON store, $0.00" in order
    assert ("Ready for collection Thu Dec 17 – Wed Dec 23, 2026 Thu Dec 17 – Wed Dec 23, 2026 "
            "on time") in order
    assert "Ships" not in order and "Delivered" not in order
