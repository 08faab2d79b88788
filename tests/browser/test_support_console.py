"""The support console in a real browser against a real server: a support person's day,
the protections a browser session needs, and how the order page looks on a laptop and a
phone (screenshots; `UPDATE_SCREENSHOTS=1` writes them to docs/ as well)."""

import json
import os
import re
import shutil

import requests
from playwright.sync_api import expect

from tests.support.browser import KEYS
from tests.support.project import CARTS, ROOT

OPTION = "in_stock_first/ups/ground"
# PO-1042 brings the order's third TENT-2P; it was due Dec 10-14 and now comes after the
# Christmas closures and Reno's year-end count.
SLIPPED = {"locations": [{"location": "reno", "on_hand": 0, "inbound": [
    {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-30", "latest": "2027-01-08"}]}]}
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def bearer(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


def watch(page) -> list[str]:
    """Console errors and page errors, CSP violations among them; a clean page has none."""
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def sign_in(page, key: str) -> int:
    page.get_by_label("Support API key").fill(key)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign in").click()
    return navigation.value.status


def fits(page) -> bool:
    """Nothing sticks out sideways: the page scrolls only down."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_support_journey_from_sign_in_to_a_promise_at_risk(browser, serve, tmp_path):
    server = serve(RATES_SESSION_SECRET="a-secret-for-the-browser-tests")
    base, api = server.base, requests.Session()
    page = browser.new_page(viewport=LAPTOP)
    problems = watch(page)

    page.goto(f"{base}/support")
    expect(page).to_have_url(f"{base}/support/sign-in?next=/support")
    assert sign_in(page, "rk_not_a_key") == 401
    expect(page.get_by_role("alert")).to_have_text(
        "That key was not accepted. Check it and try again.")
    assert sign_in(page, KEYS["support"]) == 200
    expect(page).to_have_url(f"{base}/support")
    expect(page.locator(".who-name")).to_have_text("demo-support")

    cart = json.loads((CARTS / "mixed.json").read_text())
    quote = api.post(f"{base}/v1/quotes", json=cart, headers=bearer("quote"), timeout=10)
    assert quote.status_code == 201, quote.text
    quote_id = quote.json()["id"]
    placed = api.post(f"{base}/v1/orders", headers=bearer("quote"), timeout=10, json={
        "order_id": "order-1001", "quote_id": quote_id, "option_id": OPTION})
    assert placed.status_code == 201, placed.text

    page.get_by_label("Find an order or a quote").fill("order-1001")
    page.get_by_label("Find an order or a quote").press("Enter")
    expect(page).to_have_url(f"{base}/support/orders/order-1001")
    expect(page.get_by_role("heading", level=1)).to_have_text("Order order-1001")
    timeline = page.get_by_role("table", name="Promised and now, stage by stage")
    expect(timeline).to_have_count(2)  # one per shipment: in stock now, the rest later
    expect(timeline.first.get_by_role("columnheader")).to_have_text(
        ["Stage", "Promised", "Now", "Change"])
    expect(timeline.last.get_by_role("row", name=re.compile("^Delivered"))).to_contain_text(
        "on time")

    page.get_by_role("button", name="Re-estimate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Re-estimate of quote {quote_id}")
    expect(page.get_by_role("heading", name=re.compile(r"^Options now \(\d+\)"))).to_be_visible()
    new_quote = page.get_by_role("link", name=re.compile(r"^q_[0-9a-f]+$")).first
    expect(new_quote).not_to_have_text(quote_id)

    slipped = api.put(f"{base}/v1/inventory/TENT-2P", json=SLIPPED, headers=bearer("admin"),
                      timeout=10)
    assert slipped.status_code == 200, slipped.text
    days_late = api.get(f"{base}/v1/orders/order-1001", headers=bearer("support"),
                        timeout=10).json()["days_late"]
    assert days_late > 0
    page.get_by_role("navigation", name="Console").get_by_role("link", name="At risk").click()
    row = page.get_by_role("row").filter(has_text="order-1001")
    expect(row).to_contain_text(f"{days_late} days late")
    expect(row).to_contain_text("PO-1042")
    row.get_by_role("link", name="order-1001").click()
    expect(page).to_have_url(f"{base}/support/orders/order-1001")
    expect(page.locator(".summary")).to_contain_text(f"{days_late} days late")
    expect(page.get_by_role("heading", name="Why it moved")).to_be_visible()
    expect(page.get_by_text("Year-end inventory count").first).to_be_visible()

    page.screenshot(path=tmp_path / "support-console.png", full_page=True)
    assert fits(page)
    page.set_viewport_size(PHONE)
    page.screenshot(path=tmp_path / "support-console-phone.png", full_page=True)
    assert fits(page)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        for name in ("support-console.png", "support-console-phone.png"):
            shutil.copy(tmp_path / name, ROOT / "docs" / name)
    assert [p for p in problems if "401" not in p] == []  # but the wrong key, on purpose


def test_forms_need_their_token_and_scripts_cannot_read_the_session(browser, serve):
    """Without RATES_SESSION_SECRET, `rates serve` makes one for all its workers, so a
    session holds whichever worker answers."""
    server = serve(RATES_SESSION_SECRET=None)
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    problems = watch(page)
    page.goto(f"{server.base}/support/sign-in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    assert sign_in(page, KEYS["support"]) == 200

    session = next(c for c in context.cookies() if c["name"] == "session")
    assert session["httpOnly"] and session["secure"] and session["sameSite"] == "Lax"
    assert session["path"] == "/support"
    assert page.evaluate("document.cookie") == ""

    # The browser sends the cookie with a form whose token is gone: refused all the same.
    page.locator("form.who input[name=csrf_token]").evaluate("field => field.remove()")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign out").click()
    assert navigation.value.status == 400
    expect(page.get_by_role("link", name="Sign in again")).to_be_visible()
    for _ in range(6):  # two workers: each must accept the other's cookie
        page.goto(f"{server.base}/support/at-risk")
        expect(page.locator(".who-name")).to_have_text("demo-support")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{server.base}/support/sign-in")
    page.goto(f"{server.base}/support")
    expect(page).to_have_url(f"{server.base}/support/sign-in?next=/support")
    assert [p for p in problems if "400" not in p] == []  # but the refused form, on purpose
    log = server.stop()
    assert "RATES_SESSION_SECRET is not set: generated one" in log
    assert "console sessions end when this process does" not in log
