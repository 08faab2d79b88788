"""What orders cost, in-process through the Flask app on the bundled example (a SQLite file
store, as `rates serve` has): placing an order, reading an order with its current
estimate, a quote while orders wait in the backorder queue, and the at-risk sweep of every
open order, as the number of open orders grows.

    .venv/bin/python benchmarks/orders.py            # 10, 100 and 1000 open orders
    .venv/bin/python benchmarks/orders.py --smoke    # 5 orders, for `make test`
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup
from rates.settings import ApiKey, Role, hash_key
from rates.store import open_store
from rates.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno
KEY = "rk_bench_admin_key_0123456789abcdef"
HEADERS = {"Authorization": f"Bearer {KEY}"}
# Two tents on hand, the third backordered: each order queues one unit on PO-1042, then,
# once its ten units are taken, on the supplier's lead time.
CART = {"reference": "bench", "currency": "USD",
        "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}]}
SLIPPED = {"locations": [{"location": "reno", "on_hand": 2, "inbound": [
    {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-17", "latest": "2026-12-21"}]}],
    "lead_time_days": [21, 35]}


def client_on(folder: Path) -> FlaskClient:
    for name in ("rules", "carriers", "examples"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "config.example.yaml", folder / "config.example.yaml")
    live = ReloadingSetup(folder / "config.example.yaml", lambda: NOW)
    store = open_store(f"sqlite:///{folder / 'rates.db'}", default_location="reno")
    store.seed_inventory(live.current.inventory, NOW)
    settings = replace(live.current.settings,
                       keys=(ApiKey("bench", Role.ADMIN, hash_key(KEY)),))
    return create_app(settings, ShippingService(live, store, lambda: NOW),
                      environ={}).test_client()


def call(client: FlaskClient, method: str, path: str, body: Any = None,
         status: int = 200) -> Any:
    response = client.open(path, method=method, json=body, headers=HEADERS)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def median_ms(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def place(client: FlaskClient, order_id: str) -> None:
    quoted = call(client, "POST", "/v1/quotes", CART, status=201)
    call(client, "POST", "/v1/orders", {"order_id": order_id, "quote_id": quoted["id"],
                                        "option_id": "in_stock_first/ups/ground"}, status=201)


def row(client: FlaskClient, orders: int, runs: int) -> list[float]:
    """Median ms of: quote + place an order, read an order, quote with the queue, sweep."""
    count = iter(range(10**9))
    placing = median_ms(lambda: place(client, f"o-{orders}-{next(count)}"), runs)
    for n in range(orders - runs):
        place(client, f"fill-{orders}-{n}")
    reading = median_ms(lambda: call(client, "GET", f"/v1/orders/o-{orders}-0"), runs)
    quoting = median_ms(lambda: call(client, "POST", "/v1/quotes", CART, status=201), runs)
    call(client, "PUT", "/v1/inventory/TENT-2P", SLIPPED)
    sweeping = median_ms(lambda: call(client, "GET", "/v1/promises/at-risk"), max(3, runs // 5))
    return [placing, reading, quoting, sweeping]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="5 orders: checks it still works")
    args = parser.parse_args()
    sizes, runs = ((5,), 3) if args.smoke else ((10, 100, 1000), 10)
    print(f"{'open orders':>12}{'quote+order':>14}{'read order':>12}{'quote':>10}"
          f"{'at-risk sweep':>15}   (median ms)")
    for orders in sizes:
        with tempfile.TemporaryDirectory() as folder:
            figures = row(client_on(Path(folder)), orders, runs)
        print(f"{orders:>12}" + "".join(f"{ms:>{w}.1f}" for ms, w in
                                          zip(figures, (14, 12, 10, 15), strict=True)))


if __name__ == "__main__":
    main()
