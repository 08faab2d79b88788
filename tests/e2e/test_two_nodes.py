"""Two `rates serve` nodes on one PostgreSQL database, as behind a load balancer: each
sees the other's quotes and orders, and two orders racing on different nodes for the
last unit of a lot cannot both be accepted."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

KEYS = {role: {"Authorization": f"Bearer rk_demo_{role}_key_for_the_bundled_example_only"}
        for role in ("quote", "support", "admin")}
ROUNDS = 10


def cart(sku: str, quantity: int = 1) -> dict:
    return {"reference": f"cart-{sku}", "currency": "USD",
            "destination": {"country": "US", "region": "NV", "postcode": "89501"},
            "lines": [{"sku": sku, "quantity": quantity, "unit_price": "20.00", "grams": 500}]}


def quote(base: str, body: dict) -> dict:
    response = requests.post(f"{base}/v1/quotes", json=body, headers=KEYS["quote"], timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def order(base: str, order_id: str, quoted: dict) -> requests.Response:
    return requests.post(f"{base}/v1/orders", headers=KEYS["quote"], timeout=10, json={
        "order_id": order_id, "quote_id": quoted["id"],
        "option_id": quoted["options"][0]["id"]})


def at_once(orders: list[tuple[str, str, dict]]) -> list[requests.Response]:
    """Place the orders from one thread each, released together."""
    start = threading.Barrier(len(orders))

    def place(args: tuple[str, str, dict]) -> requests.Response:
        start.wait()
        return order(*args)

    with ThreadPoolExecutor(len(orders)) as pool:
        return list(pool.map(place, orders))


def test_nodes_share_quotes_and_orders_and_never_oversell_a_lot(example, postgres_url, serve):
    text = example.read_text().replace('store: {url: "sqlite:///rates.db"}',
                                       f'store: {{url: "{postgres_url}"}}')
    example.write_text(text)
    one, two = serve(example), serve(example)

    quoted = quote(one.base, cart("LANTERN"))
    seen = requests.get(f"{two.base}/v1/quotes/{quoted['id']}", headers=KEYS["support"],
                        timeout=10)
    assert seen.status_code == 200 and seen.json() == quoted
    assert order(two.base, "order-shared", quoted).status_code == 201
    placed = requests.get(f"{one.base}/v1/orders/order-shared", headers=KEYS["support"],
                          timeout=10)
    assert placed.status_code == 200 and placed.json()["quote_id"] == quoted["id"]

    for round_ in range(ROUNDS):
        sku = f"RACE-{round_}"
        last_unit = {"locations": [{"location": "reno", "on_hand": 0, "inbound": [
            {"id": f"PO-{round_}", "quantity": 1, "earliest": "2026-12-10",
             "latest": "2026-12-14"}]}]}
        assert requests.put(f"{one.base}/v1/inventory/{sku}", json=last_unit,
                            headers=KEYS["admin"], timeout=10).status_code == 200
        # Both carts are quoted before either order: both were offered the lot's last unit.
        first, second = quote(one.base, cart(sku)), quote(two.base, cart(sku))
        answers = at_once([(one.base, f"{sku}-a", first), (two.base, f"{sku}-b", second)])

        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        assert refused.json()["error"]["code"] == "stock_changed"
