"""The facts a cart's options share, laid out once (`CartFacts.facts`).

A cart of two lines to Reno NV 89501, tagged vip: 2 TENT at 149.00 (3200 g each, one on
hand at reno, one inbound there, ready 2026-11-30, 7 days after 2026-11-23) and one
LANTERN at 19.50 (400 g, on hand).
"""

from __future__ import annotations

from rates.domain.cart import Destination, Line, QuoteRequest
from rates.domain.quote.cart_facts import CartFacts
from rates.domain.rules.facts import Facts, LineFacts
from rates.domain.stock import Allocation, DateRange, Source, StockClass
from tests.support.domain import at, d, usd

REQUEST = QuoteRequest(
    "USD", Destination("US", "NV", "89501"),
    (Line("TENT", 2, usd("149.00"), 3200, frozenset({"oversize"})),
     Line("LANTERN", 1, usd("19.50"), 400)),
    at("2026-11-23T09:30:00-08:00"), customer_tags=frozenset({"vip"}))
NOW_READY = DateRange(d("2026-11-23"), d("2026-11-23"))
ALLOCATIONS = (
    Allocation(0, "TENT", 1, "reno", Source.ON_HAND, NOW_READY),
    Allocation(0, "TENT", 1, "reno", Source.INBOUND,
               DateRange(d("2026-11-28"), d("2026-11-30")), "PO-1"),
    Allocation(1, "LANTERN", 1, "reno", Source.ON_HAND, NOW_READY),
)


def test_an_options_facts_are_its_carts_with_its_own():
    cart = CartFacts.of(REQUEST, ALLOCATIONS, {"reno": d("2026-11-23")}, "domestic")
    facts = cart.facts("in_stock_first", "ups/ground", "ups", 2, frozenset({"reno"}), 12.5,
                       from_nearest=False, guaranteed=True)
    assert facts == Facts(
        stock=StockClass.MIXED, plan="in_stock_first", service="ups/ground", carrier="ups",
        zone="domestic", country="US", region="NV", postcode="89501",
        subtotal=usd("317.50"), grams=6800, item_count=3, restock_days=7, shipments=2,
        locations=frozenset({"reno"}), customer_tags=frozenset({"vip"}),
        lines=(LineFacts("TENT", frozenset({"oversize"}), backordered=True),
               LineFacts("LANTERN", frozenset(), backordered=False)),
        distance_km=12.5, from_nearest=False, guaranteed=True)
    assert type(facts) is Facts
    assert facts.subtotal == usd("317.50") and facts.restock_days == 7
