"""Quoting with the rule index (the normal path) gives exactly what evaluating every rule
(the explain path) gives, on every example cart."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rates.app.quoting import quote_cart
from rates.loading import load_setup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def setup():
    return load_setup(ROOT / "config.example.yaml", datetime(2026, 11, 23, tzinfo=UTC).date())


@pytest.mark.parametrize("cart", sorted(p.name for p in (ROOT / "examples/carts").glob("*.json")))
def test_indexed_and_full_rule_evaluation_agree(setup, cart):
    payload = json.loads((ROOT / "examples/carts" / cart).read_text())
    now = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)

    def shown(quote):
        return [(o.id, o.price, o.label, o.delivery, [s.price for s in o.shipments])
                for o in quote.options], quote.messages

    indexed = quote_cart(setup, payload, now=now)
    full = quote_cart(setup, payload, now=now, explain=True)
    assert shown(indexed) == shown(full)
