"""The support console's pages on the real app: quotes and orders are placed through the
JSON API, then read back the way a support person would."""

import json
import re
import sqlite3

import pytest

from rates.settings import Role
from tests.support.project import CARTS
from tests.support.web import KEYS, auth, sign_in, token

MIXED = json.loads((CARTS / "mixed.json").read_text())
OPTION = "in_stock_first/ups/ground"
# PO-1042 (one TENT-2P of the order) was due Thu Dec 10 - Mon Dec 14; it now comes after
# the Christmas closures and Reno's year-end count (Dec 31 - Jan 1).
SLIPPED = {"locations": [{"location": "reno", "on_hand": 0, "inbound": [
    {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-30", "latest": "2027-01-08"}]}]}


@pytest.fixture
def console(client):
    """A client signed in with the support key."""
    sign_in(client, KEYS[Role.SUPPORT])
    return client


def place_quote(client, cart=MIXED) -> dict:
    response = client.post("/v1/quotes", json=cart, headers=auth(Role.QUOTE))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def place_order(client, order_id="order-1001") -> dict:
    quote = place_quote(client)
    response = client.post("/v1/orders", headers=auth(Role.QUOTE), json={
        "order_id": order_id, "quote_id": quote["id"], "option_id": OPTION})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def text(response) -> str:
    """The page's visible words, tags dropped and spaces collapsed, for phrase checks."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", words.replace("&amp;", "&"))


def test_home_has_the_search_box_and_says_when_nothing_is_at_risk(console):
    page = console.get("/support")
    assert page.status_code == 200
    assert '<label for="q">Find an order or a quote</label>' in page.get_data(as_text=True)
    assert "No promise is at risk" in text(page)


def test_a_quote_page_shows_allocations_options_shipments_and_the_steps(console):
    quote = place_quote(console)
    page = text(console.get(f"/support/quotes/{quote['id']}"))
    assert "cart-1003" in page
    assert ("TENT-2P 1 of 3 Restock lot PO-1042 Reno, NV warehouse Thu Dec 10 – Mon Dec 14, "
            "2026") in page
    assert "TENT-2P 2 of 3 On hand Reno, NV warehouse Mon Nov 23, 2026" in page
    ground = next(o for o in quote["options"] if o["id"] == OPTION)
    assert ground["label"] in page and "$15.95" in page
    steps = page.split("How these dates and this price were worked out", 1)[1]
    assert ("Handled Mon Nov 23 – Tue Nov 24, 2026 0–1 working days of handling at Reno, NV "
            "warehouse") in steps
    assert ("Ordered Mon Nov 23 09:30 Reno, NV warehouse time (PST), before its 14:00 "
            "cutoff: starts the same day") in steps
    assert "patience-discount" in page  # the rules, with what each did
    assert "Re-estimate" in page


def test_a_quote_whose_setup_version_is_gone_says_so_and_how_to_go_on(console, app,
                                                                      tmp_path):
    quote = place_quote(console)
    service = app.config["RATES_SERVICE"]
    with sqlite3.connect(tmp_path / "rates.db") as connection:
        connection.execute("DELETE FROM setups")
    service.versions._loaded.clear()  # noqa: SLF001 - as a process that never loaded it
    page = console.get(f"/support/quotes/{quote['id']}")
    assert page.status_code == 409
    assert "that served this quote is not in the store: quote the cart again" in text(page)


def test_re_estimate_quotes_the_cart_again_and_lists_what_changed(console):
    quote = place_quote(console)
    page = console.get(f"/support/quotes/{quote['id']}").data
    # The cart brings its own TENT-2P stock; the stove's comes from the inventory.
    stove = {"locations": [{"location": "reno", "inbound": [
        {"id": "PO-1060", "quantity": 8, "earliest": "2027-01-11", "latest": "2027-01-15"}]}]}
    console.put("/v1/inventory/STOVE-2B", json=stove, headers=auth(Role.ADMIN))
    response = console.post(f"/support/quotes/{quote['id']}/refresh",
                            data={"csrf_token": token(page)})
    assert response.status_code == 200
    words = text(response)
    new_id = re.search(r"as quote (q_[0-9a-f]+)", words).group(1)
    assert new_id != quote["id"] and console.get(f"/support/quotes/{new_id}").status_code == 200
    # The stove's restock moved (due Jan 11-15, received after MLK Day, Mon Jan 18), and
    # the option's latest date with it; the row says so in the page's words.
    ground = next(o for o in quote["options"] if o["id"] == OPTION)
    assert (f"{ground['label']} Delivery Tue Nov 24, 2026 – Mon Jan 11, 2027 "
            "Tue Nov 24, 2026 – Fri Jan 22, 2027") in words
    assert OPTION not in words.split("Options now")[0]  # no id, no ISO range in the table
    assert "2027-01-" not in words.split("Options now")[0]
    assert "Options now (" in words


def test_a_quote_page_puts_the_option_the_customer_chose_first_with_a_link_to_its_order(
        console):
    order = place_order(console)
    page = console.get(f"/support/quotes/{order['quote_id']}").get_data(as_text=True)
    offered = page.split('id="options-heading"')[1]
    first = offered.split("</article>")[0]
    assert "Chosen by the customer" in first and OPTION in first
    assert '<a href="/support/orders/order-1001">order-1001</a>' in first
    assert offered.count("Chosen by the customer") == 1  # the quote's other five are not
    assert "Order order-1001" in text(console.get(f"/support/quotes/{order['quote_id']}"))


def test_every_time_is_the_merchants_named_once_in_the_header(console):
    """NOW is 17:30 UTC, 09:30 in Reno: the accepted order (stored in UTC) and the cart's
    ordered_at (sent as -08:00) read alike, and no value carries a zone of its own."""
    order = place_order(console)
    for path in ["/support/orders/order-1001", f"/support/quotes/{order['quote_id']}",
                 "/support/search?q=cart-1003", "/support/at-risk"]:
        page = text(console.get(path))
        assert page.count("Times in America/Los_Angeles (PST)") == 1, path
        assert "UTC" not in page and "+00:00" not in page, path
    assert "Accepted Mon Nov 23, 2026 09:30 " in text(console.get("/support/orders/order-1001"))
    quote = text(console.get(f"/support/quotes/{order['quote_id']}"))
    assert "Ordered Mon Nov 23, 2026 09:30 Quoted Mon Nov 23, 2026 09:30 " in quote


def test_locations_read_as_their_names(console):
    place_order(console)
    page = text(console.get("/support/orders/order-1001"))
    assert "Shipment 1 of 2 in stock, from Reno, NV warehouse" in page


def test_re_estimate_without_the_form_token_is_refused(console):
    quote = place_quote(console)
    assert console.post(f"/support/quotes/{quote['id']}/refresh").status_code == 400


def test_search_opens_the_one_order_or_quote_it_finds(console):
    order = place_order(console)
    found = console.get("/support/search?q=order-1001")
    assert found.status_code == 302 and found.location == "/support/orders/order-1001"
    by_quote = console.get(f"/support/search?q={order['quote_id']}")
    assert by_quote.location == f"/support/quotes/{order['quote_id']}"  # the exact id


def test_search_lists_everything_a_cart_reference_names(console):
    place_order(console)
    place_quote(console)
    page = text(console.get("/support/search?q=cart-1003"))
    assert "Orders (1)" in page and "Quotes (2)" in page and "order-1001" in page


def test_search_says_when_nothing_matches(console):
    page = console.get("/support/search?q=nothing-like-it")
    assert page.status_code == 200
    assert "No order or quote matches “nothing-like-it”" in text(page)
    assert console.get("/support/search?q=").location == "/support"


def test_an_order_page_sets_each_shipment_promised_beside_now(console):
    place_order(console)
    page = text(console.get("/support/orders/order-1001"))
    assert "Shipment 1 of 2" in page and "Shipment 2 of 2" in page
    assert "Ready Mon Nov 23, 2026 Mon Nov 23, 2026 on time" in page
    assert "days late" not in page and "day late" not in page
    assert "Re-estimate" in page


def test_a_slipped_lot_puts_the_order_at_risk_with_its_cause_and_delay(console):
    place_order(console)
    assert "No promise is at risk" in text(console.get("/support/at-risk"))
    response = console.put("/v1/inventory/TENT-2P", json=SLIPPED, headers=auth(Role.ADMIN))
    assert response.status_code == 200
    order = console.get("/v1/orders/order-1001", headers=auth(Role.SUPPORT)).get_json()
    assert order["at_risk"] and order["days_late"] > 0
    late = f"{order['days_late']} days late"

    at_risk = console.get("/support/at-risk")
    assert 'href="/support/orders/order-1001"' in at_risk.get_data(as_text=True)
    assert late in text(at_risk) and "lot PO-1042" in text(at_risk)
    assert late in text(console.get("/support"))

    page = text(console.get("/support/orders/order-1001"))
    assert late in page and "Why it moved" in page and "PO-1042" in page
    assert "Year-end inventory count" in page  # a skipped day, by name
    slipped = ("lot PO-1042 slipped: now due Wed Dec 30, 2026 – Fri Jan 8, 2027, promised "
               "Thu Dec 10 – Mon Dec 14, 2026")
    assert slipped in page and slipped in text(at_risk)
    assert "1 working day to receive it at Reno, NV warehouse" in page


def test_the_steps_and_the_reasons_name_no_warehouse_id_and_no_iso_range(console):
    """The engine's facts worded as the rest of the page: names, page-style dates."""
    order = place_order(console)
    console.put("/v1/inventory/TENT-2P", json=SLIPPED, headers=auth(Role.ADMIN))
    order_page = text(console.get("/support/orders/order-1001"))
    explained = order_page.split("Why it moved")[1]
    quote_page = text(console.get(f"/support/quotes/{order['quote_id']}"))
    steps = [part.split(" rate ")[0]  # each shipment's calendar steps, before its rate
             for part in quote_page.split("Shipment ")[1:] if "Handled" in part]
    for section in [explained, text(console.get("/support/at-risk")), *steps]:
        assert " reno" not in section
        assert not re.search(r"\d{4}-\d\d-\d\d", section)
        assert ".." not in section and "day(s)" not in section


@pytest.mark.parametrize(("path", "says"), [("/support/quotes/q_nope", "No quote “q_nope”"),
                                            ("/support/orders/nope", "No order “nope”")])
def test_an_unknown_id_is_a_404_page(console, path, says):
    response = console.get(path)
    assert response.status_code == 404 and says in text(response)


def test_every_page_is_accessible_and_self_contained(console):
    """lang, a skip link to <main>, a label for every input, captions and header scopes on
    every table; no scripts, no inline styles (the CSP forbids them), no outside assets."""
    order = place_order(console)
    paths = ["/support", "/support/at-risk", "/support/orders/order-1001",
             f"/support/quotes/{order['quote_id']}", "/support/search?q=cart-1003",
             "/support/orders/nope", "/support/accuracy", "/support/accuracy?since=bad"]
    pages = [console.get(path).get_data(as_text=True) for path in paths]
    console.post("/support/sign-out", data={"csrf_token": token(pages[0].encode())})
    pages.append(console.get("/support/sign-in").get_data(as_text=True))
    for path, page in zip([*paths, "/support/sign-in"], pages, strict=True):
        assert page.startswith("<!doctype html>") and '<html lang="en">' in page, path
        assert '<a class="skip" href="#main">' in page and '<main id="main"' in page, path
        assert "<script" not in page and "style=" not in page, path
        assert "http://" not in page and "https://" not in page, path
        for field in re.findall(r"<input\b[^>]*>", page):
            if 'type="hidden"' not in field:
                ident = re.search(r'id="([^"]+)"', field).group(1)
                assert f'<label for="{ident}"' in page, (path, field)
        assert page.count("<table") == page.count("<caption>"), path
        assert "<th>" not in page, path  # every header cell says what it heads
