"""Quoting with the rule index (the normal path) gives exactly what evaluating every rule
(the explain path) gives, on every example cart."""

import json
from datetime import UTC, datetime

import pytest

from rates.app.cart_quotes import quote_cart
from tests.support.project import CARTS


@pytest.mark.parametrize("cart", sorted(p.name for p in CARTS.glob("*.json")))
def test_indexed_and_full_rule_evaluation_agree(example_setup, cart):
    payload = json.loads((CARTS / cart).read_text())
    now = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)

    def shown(quote):
        return [(o.id, o.price, o.label, o.delivery, [s.price for s in o.shipments])
                for o in quote.options], quote.messages

    indexed = quote_cart(example_setup, payload, now=now)
    full = quote_cart(example_setup, payload, now=now, explain=True)
    assert shown(indexed) == shown(full)
