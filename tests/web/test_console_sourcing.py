"""The support console says where each line comes from, by the locations' names, and what
the best location not used would have done: what support reads when a customer asks "why
did it come from Nevada?"."""

from __future__ import annotations

from rates.settings import Role
from tests.support.web import KEYS, auth, sign_in
from tests.web.test_console import text

# One LANTERN to Hoboken NJ 07030, ordered Mon Nov 23 09:30 Pacific: Newark (14 km) has
# none on hand until lot PO-9 (Mon Dec 7 .. Wed Dec 9); Reno (3,847 km) has 4 on hand.
CART = {
    "reference": "cart-why-reno",
    "ordered_at": "2026-11-23T09:30:00-08:00",
    "currency": "USD",
    "destination": {"country": "US", "region": "NJ", "postcode": "07030"},
    "lines": [{"sku": "LANTERN", "quantity": 1, "unit_price": "19.50", "grams": 400,
               "stock": {"locations": [
                   {"location": "reno", "on_hand": 4},
                   {"location": "newark", "on_hand": 0, "inbound": [
                       {"id": "PO-9", "quantity": 10, "earliest": "2026-12-07",
                        "latest": "2026-12-09"}]}]}}],
}


def test_the_quote_page_says_where_each_line_comes_from_and_why(client):
    sign_in(client, KEYS[Role.SUPPORT])
    quote = client.post("/v1/quotes", json=CART, headers=auth(Role.QUOTE)).get_json()
    page = text(client.get(f"/support/quotes/{quote['id']}"))
    card = page.split("together/ups/ground", 1)[1]
    # UPS Ground from Reno: shipped Mon Nov 23 .. Tue Nov 24, 4-5 UPS days (not
    # Thanksgiving, not weekends): Mon Nov 30 .. Wed Dec 2. From Newark: received Tue Dec 8
    # .. Thu Dec 10, handled by Fri Dec 11, local 1-2 days: Wed Dec 9 .. Tue Dec 15.
    assert ("Where the items come from LANTERN Reno, NV warehouse (3,847 km): on hand, "
            "arrives Mon Nov 30 – Wed Dec 2, 2026; Newark, NJ warehouse (14 km) would "
            "arrive Wed Dec 9 – Tue Dec 15, 2026 (strategy: fastest)") in card
