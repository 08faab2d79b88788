"""The fetcher with the real protocol adapters from the registry, end to end against a
real server speaking the generic protocol."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rates.carriers.registry import ADAPTERS
from rates.domain.live_rates import LiveRate
from rates.domain.money import Money
from tests.support.carriers import live_carrier, rate_request


@pytest.mark.parametrize(("behaviour", "rates", "failure"), [
    ("ok", (LiveRate("ground", Money(Decimal("12.34"), "USD"), (1, 3)),), None),
    ("500", (), "HTTP 500"),
    ("malformed", (), "malformed JSON"),
])
def test_the_generic_adapter_through_the_fetcher(fetcher_for, carrier_server,
                                                 behaviour, rates, failure):
    server = carrier_server(behaviour)
    question = rate_request("acme")
    answers = fetcher_for(adapters=ADAPTERS).fetch(
        [question], {"acme": live_carrier("acme", server.url)})
    assert (answers[question].rates, answers[question].failure) == (rates, failure)
    assert server.bodies[0]["packages"] == [{"weight_grams": 2000}]
