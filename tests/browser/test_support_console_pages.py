"""What a support person reads on each console page, in a real browser against a real
server: the option the customer chose, every time in the merchant's zone (named once, in
the header), warehouses by name, a re-estimate in the page's own words. Each page is
photographed into the directory the test prints (`CONSOLE_SCREENSHOTS`, else pytest's
tmp_path), for a person to look at."""

import json
import os
import re
from pathlib import Path

import requests
from playwright.sync_api import expect

from tests.browser.test_support_console import LAPTOP, OPTION, bearer, fits, sign_in, watch
from tests.support.browser import KEYS
from tests.support.project import CARTS

# The cart's moment as UTC: Mon Nov 23 17:30 UTC is 09:30 in Reno (PST), as the page must say.
ORDERED_UTC = "2026-11-23T17:30:00Z"
# The stove's restock, re-dated after the quote: due Mon Jan 11 - Fri Jan 15, 2027,
# received after MLK Day (Mon Jan 18), so the split options' last box arrives Fri Jan 22.
STOVE_LATE = {"locations": [{"location": "reno", "inbound": [
    {"id": "PO-1060", "quantity": 8, "earliest": "2027-01-11", "latest": "2027-01-15"}]}]}
ZONE_LABEL = re.compile(r"^Times in America/Los_Angeles \(P[SD]T\)$")  # the season's
TIME = re.compile(r"^\w{3} \w{3} \d{1,2}, \d{4} \d{2}:\d{2}$")  # no zone of its own


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"console screenshots in {folder}")  # noqa: T201 (for the person to look at)
    return folder


def test_each_page_says_what_the_customer_chose_when_and_where_in_the_merchants_words(
        browser, serve, tmp_path):
    folder = shots(tmp_path)
    server = serve(RATES_SESSION_SECRET="a-secret-for-the-browser-tests")
    base, api = server.base, requests.Session()
    cart = {**json.loads((CARTS / "mixed.json").read_text()), "ordered_at": ORDERED_UTC}
    quote = api.post(f"{base}/v1/quotes", json=cart, headers=bearer("quote"), timeout=10)
    assert quote.status_code == 201, quote.text
    quote_id = quote.json()["id"]
    labels = {option["id"]: option["label"] for option in quote.json()["options"]}
    placed = api.post(f"{base}/v1/orders", headers=bearer("quote"), timeout=10, json={
        "order_id": "order-1001", "quote_id": quote_id, "option_id": OPTION})
    assert placed.status_code == 201, placed.text

    page = browser.new_page(viewport=LAPTOP)
    problems = watch(page)
    page.goto(f"{base}/support/quotes/{quote_id}")
    assert sign_in(page, KEYS["support"]) == 200
    expect(page.locator(".zone")).to_have_text(ZONE_LABEL)
    ordered = page.locator(".facts div").filter(has_text="Ordered").locator("dd")
    expect(ordered).to_have_text("Mon Nov 23, 2026 09:30")
    expect(page.locator(".facts div").filter(has_text="Quoted").locator("dd")).to_have_text(TIME)
    lines = page.get_by_role("table", name="Where each line's units come from")
    expect(lines.get_by_role("row").filter(has_text="PO-1042")).to_contain_text(
        "Reno, NV warehouse")
    cards = page.locator("section[aria-labelledby=options-heading] article")
    expect(cards.first).to_contain_text("Chosen by the customer: order order-1001")
    expect(cards.first.get_by_role("heading", level=3)).to_contain_text(labels[OPTION])
    expect(cards.filter(has_text="Chosen by the customer")).to_have_count(1)
    expect(cards.first.get_by_role("row").nth(1)).to_contain_text("Reno, NV warehouse, in stock")
    page.screenshot(path=folder / "quote.png", full_page=True)
    assert fits(page)

    cards.first.get_by_role("link", name="order-1001").click()
    expect(page).to_have_url(f"{base}/support/orders/order-1001")
    expect(page.locator(".zone")).to_have_text(ZONE_LABEL)
    expect(page.locator(".facts div").filter(has_text="Accepted").locator("dd")).to_have_text(
        TIME)
    expect(page.get_by_role("heading", name=re.compile("^Shipment 1 of 2"))).to_contain_text(
        "in stock, from Reno, NV warehouse")
    expect(page.locator("main")).not_to_contain_text("UTC")
    page.screenshot(path=folder / "order.png", full_page=True)

    page.goto(f"{base}/support/search?q=cart-1003")
    expect(page.get_by_role("table", name="Orders (1)").get_by_role("cell").nth(2)).to_have_text(
        TIME)
    page.screenshot(path=folder / "search.png", full_page=True)

    moved = api.put(f"{base}/v1/inventory/STOVE-2B", json=STOVE_LATE,
                    headers=bearer("admin"), timeout=10)
    assert moved.status_code == 200, moved.text
    page.goto(f"{base}/support/quotes/{quote_id}")
    page.get_by_role("button", name="Re-estimate").click()
    changes = page.get_by_role("table", name="Differences from the original quote, option by "
                                             "option")
    chosen = changes.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=labels[OPTION], exact=True))
    # Re-quoted today (the server's clock), so only the restock's last day is known here.
    expect(chosen.get_by_role("cell")).to_have_text(
        ["Delivery", "Tue Nov 24, 2026 – Mon Jan 11, 2027", re.compile(r" – Fri Jan 22, 2027$")])
    expect(changes).not_to_contain_text("..")
    expect(changes).not_to_contain_text(OPTION)
    page.screenshot(path=folder / "re-estimate.png", full_page=True)
    assert fits(page)

    page.goto(f"{base}/support/at-risk")  # the stove now comes after the promised Jan 11
    expect(page.locator(".zone")).to_have_text(ZONE_LABEL)
    expect(page.get_by_role("row").filter(has_text="order-1001")).to_contain_text("PO-1060")
    as_of = page.locator("caption .as-of")
    expect(as_of).to_have_text(re.compile(r"^as of \w{3} \w{3} \d{1,2}, \d{4} \d{2}:\d{2}$"))
    page.screenshot(path=folder / "at-risk.png", full_page=True)
    assert problems == []


# PO-1042 (the order's backordered tent) re-dated after the order: Wed Dec 30 - Fri Jan 8.
TENT_SLIPPED = {"locations": [{"location": "reno", "on_hand": 0, "inbound": [
    {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-30", "latest": "2027-01-08"}]}]}


def test_the_steps_and_why_it_moved_read_as_the_rest_of_the_page(browser, serve, tmp_path):
    folder = shots(tmp_path)
    server = serve(RATES_SESSION_SECRET="a-secret-for-the-browser-tests")
    base, api = server.base, requests.Session()
    cart = {**json.loads((CARTS / "mixed.json").read_text()), "ordered_at": ORDERED_UTC}
    quote_id = api.post(f"{base}/v1/quotes", json=cart, headers=bearer("quote"),
                        timeout=10).json()["id"]
    assert api.post(f"{base}/v1/orders", headers=bearer("quote"), timeout=10, json={
        "order_id": "order-1001", "quote_id": quote_id, "option_id": OPTION}).status_code == 201
    assert api.put(f"{base}/v1/inventory/TENT-2P", json=TENT_SLIPPED, headers=bearer("admin"),
                   timeout=10).status_code == 200

    page = browser.new_page(viewport=LAPTOP)
    problems = watch(page)
    page.goto(f"{base}/support/quotes/{quote_id}")
    assert sign_in(page, KEYS["support"]) == 200
    chosen = page.locator("section[aria-labelledby=options-heading] article").first
    chosen.get_by_text("How these dates and this price were worked out").click()
    steps = chosen.locator("details ol.steps").first
    expect(steps).to_be_visible()
    # 17:30 UTC is 09:30 in Reno, whose 14:00 cutoff it beat.
    expect(steps).to_contain_text("Ordered Mon Nov 23 09:30 Reno, NV warehouse time (PST), "
                                  "before its 14:00 cutoff: starts the same day")
    expect(steps).to_contain_text("0–1 working days of handling at Reno, NV warehouse")
    for details in chosen.locator("details ol.steps li").filter(
            has=page.locator("span.when")).all():
        expect(details).not_to_contain_text("at reno")
        expect(details).not_to_contain_text("..")
    chosen.screenshot(path=folder / "steps-quote.png")  # the chosen option, its steps open

    page.goto(f"{base}/support/orders/order-1001")
    moved = page.locator("ul.causes")
    expect(moved).to_contain_text("lot PO-1042 slipped: now due Wed Dec 30, 2026 – Fri Jan 8, "
                                  "2027, promised Thu Dec 10 – Mon Dec 14, 2026")
    expect(moved).not_to_contain_text("2026-12-30..2027")
    worked = page.locator("ol.steps")
    expect(worked.last).to_contain_text("1 working day to receive it at Reno, NV warehouse")
    for part in [moved, *worked.all()]:
        expect(part).not_to_contain_text("at reno")
        expect(part).not_to_contain_text("..")
    page.screenshot(path=folder / "steps-order.png", full_page=True)
    assert fits(page)
    assert problems == []
