"""Under `fastest`, a setup ranks each SKU's supplies by arrival once for every cart that
would be dated alike: the same service, carrier zones from each location, delivery
region and order day. Carts to two postcodes of one zone share the ranking; a cart to
another zone is ranked anew, and every cart is quoted as a fresh setup would quote it."""

import json
from datetime import UTC, datetime

from rates.app.cart_quotes import quote_cart
from rates.loading import load_setup
from rates.wire.response import Detail, quote_document
from tests.support.project import CARTS, EXAMPLE_CONFIG, EXAMPLE_TODAY

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
HOBOKEN = json.loads((CARTS / "hoboken.json").read_text())


def to(postcode: str, region: str) -> dict:
    return {**HOBOKEN, "destination": {"country": "US", "region": region,
                                       "postcode": postcode}}


def explained(setup, cart) -> dict:
    return quote_document(quote_cart(setup, cart, now=NOW, explain=True), "q",
                          detail=Detail.EXPLAIN)


def test_carts_to_one_zone_share_their_rankings_and_quote_as_a_fresh_setup_would():
    setup = load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY)
    rankings = setup.catalog.searched.rankings
    explained(setup, to("07030", "NJ"))  # Hoboken
    ranked = len(rankings)
    assert ranked > 0
    jersey_city = explained(setup, to("07302", "NJ"))
    assert len(rankings) == ranked
    assert jersey_city == explained(load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY),
                                    to("07302", "NJ"))
    explained(setup, to("94110", "CA"))  # San Francisco: other zones, ranked anew
    assert len(rankings) > ranked
