"""The console's Promise accuracy page in Chromium against `rates serve`: orders placed
through the API, their deliveries recorded in the server's store, and the page read as a
support person would: the headline figures, the tables, and both charts loaded as images
under the console's policy. Photographed like the other pages (`CONSOLE_SCREENSHOTS`,
else pytest's tmp_path)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import requests
from playwright.sync_api import expect

from rates.domain.history import ShipmentEvent, ShipmentEventType
from rates.store import open_store
from tests.browser.test_support_console import LAPTOP, bearer, fits, sign_in, watch
from tests.browser.test_support_console_pages import shots
from tests.support.browser import KEYS

# Each restock names its supplier: the tents' PO-1042 comes from Acme Outdoor, the stoves'
# PO-1060 from Borealis Stoves.
STOCK = {
    "TENT-2P": {"locations": [{"location": "reno", "on_hand": 2, "inbound": [
        {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-10", "latest": "2026-12-14",
         "supplier": "Acme Outdoor"}]}]},
    "STOVE-2B": {"locations": [{"location": "reno", "on_hand": 0, "inbound": [
        {"id": "PO-1060", "quantity": 8, "earliest": "2026-12-28", "latest": "2027-01-05",
         "supplier": "Borealis Stoves"}]}]},
}
TO_RENO = {"country": "US", "region": "NV", "postcode": "89501"}
# (order, ordered on, cart lines, option, days after each shipment's promised latest date
# it was delivered). Lateness: -1 +2 0 -2 +1 -1 0, sorted -2 -1 -1 0 0 1 2: the median is
# rank ceil(3.5) = 4 (0, on time), the P90 rank ceil(6.3) = 7 (2 days late); inside: 5 of 7.
ORDERS = [
    ("order-2001", "2026-11-02", {"LANTERN": 1}, "together/ups/ground", [-1]),
    ("order-2002", "2026-11-09", {"LANTERN": 1}, "together/ups/ground", [2]),
    ("order-2003", "2026-11-16", {"LANTERN": 1}, "together/ups/ground", [0]),
    ("order-2004", "2026-11-23", {"TENT-2P": 3}, "in_stock_first/ups/ground", [-2, 1]),
    ("order-2005", "2026-11-23", {"STOVE-2B": 1}, "together/ups/ground", [-1]),
    ("order-2006", "2026-11-23", {"TENT-2P": 3}, "together/ups/ground", [0]),
]


def place(api, base: str, order_id: str, day: str, lines: dict[str, int], option: str,
          ) -> list[dict]:
    """The order placed as a checkout places it; its shipments as promised."""
    cart = {"reference": f"cart-{order_id}", "currency": "USD", "destination": TO_RENO,
            "ordered_at": f"{day}T09:30:00-08:00",
            "lines": [{"sku": sku, "quantity": quantity, "unit_price": "20.00", "grams": 500}
                      for sku, quantity in lines.items()]}
    quote = api.post(f"{base}/v1/quotes", json=cart, headers=bearer("quote"), timeout=10)
    assert quote.status_code == 201, quote.text
    placed = api.post(f"{base}/v1/orders", headers=bearer("quote"), timeout=10, json={
        "order_id": order_id, "quote_id": quote.json()["id"], "option_id": option})
    assert placed.status_code == 201, placed.text
    return [shipment["promised"]["delivery"] for shipment in placed.json()["shipments"]]


def test_promise_accuracy_shows_the_figures_and_both_charts(browser, serve, example, tmp_path):
    folder = shots(tmp_path)
    server = serve(RATES_SESSION_SECRET="a-secret-for-the-browser-tests")
    base, api = server.base, requests.Session()
    for sku, stock in STOCK.items():
        put = api.put(f"{base}/v1/inventory/{sku}", json=stock, headers=bearer("admin"),
                      timeout=10)
        assert put.status_code == 200, put.text
    store = open_store(f"sqlite:///{example.parent / 'rates.db'}", default_location="reno")
    try:
        for order_id, day, lines, option, lateness in ORDERS:
            promised = place(api, base, order_id, day, lines, option)
            assert len(promised) == len(lateness), (order_id, promised)
            for number, (window, days) in enumerate(zip(promised, lateness, strict=True), 1):
                delivered = date.fromisoformat(window["latest"]) + timedelta(days=days)
                assert delivered >= date.fromisoformat(window["earliest"]), (order_id, window)
                store.record_shipment_event(ShipmentEvent(
                    order_id, number, ShipmentEventType.DELIVERED,
                    datetime.fromisoformat(f"{delivered}T14:00:00-08:00"), "ups", "ground"),
                    datetime.fromisoformat(f"{delivered}T15:00:00-08:00"))
    finally:
        store.close()

    page = browser.new_page(viewport=LAPTOP)
    problems = watch(page)
    page.goto(f"{base}/support")
    assert sign_in(page, KEYS["support"]) == 200
    page.get_by_role("link", name="Promise accuracy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Promise accuracy")
    page.get_by_label("Delivered since").fill("2026-11-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{base}/support/accuracy?since=2026-11-01")

    headline = page.locator("section.summary")
    expect(headline.get_by_role("heading")).to_have_text("Since Sun Nov 1, 2026")
    figures = headline.locator("dd")
    expect(figures.nth(0)).to_have_text("7 shipments")
    expect(figures.nth(1)).to_contain_text("71 %")
    expect(figures.nth(1)).to_contain_text("5 of 7; 0 early, 2 late")
    expect(figures.nth(2)).to_contain_text("on time")
    expect(figures.nth(3)).to_contain_text("2 days late")
    suppliers = page.get_by_role("table", name="Suppliers")
    expect(suppliers.get_by_role("row", name="Acme Outdoor")).to_contain_text("50 % (1)")
    expect(suppliers.get_by_role("row", name="Borealis Stoves")).to_contain_text("100 % (1)")
    services = page.get_by_role("table", name="Carrier services")
    expect(services.get_by_role("row", name="ups/ground")).to_contain_text("71 % (5)")

    for alt in ("Line chart by week of delivery", "Bar chart: the share of each supplier"):
        chart = page.get_by_alt_text(alt, exact=False)
        expect(chart).to_be_visible()
        chart.scroll_into_view_if_needed()
        loaded = chart.evaluate("image => image.complete ? image.naturalWidth : 0")
        assert loaded > 0, alt
    page.screenshot(path=folder / "accuracy.png", full_page=True)
    assert fits(page)
    assert problems == []


def test_a_since_that_is_no_day_is_said_on_the_page(browser, serve):
    since = "2026-02-30"
    server = serve(RATES_SESSION_SECRET="a-secret-for-the-browser-tests")
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{server.base}/support/accuracy?since={since}")
    assert sign_in(page, KEYS["support"]) == 400
    expect(page.get_by_label("Delivered since")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".alert")).to_have_text(
        f"Since: '{since}' is not a date written YYYY-MM-DD, e.g. 2026-09-01")
