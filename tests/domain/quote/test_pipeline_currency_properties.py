"""Properties of a quote in a checkout currency, for any rate and any price rules:
every converted shipment price is the shop's price times the rate, rounded half up to the
checkout currency's minor unit (worked out here with Decimal, independently of the
engine's integer arithmetic); none is negative; and they add up to the option's price."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rates.domain.money import Money, minor_unit, total
from rates.domain.quote.pipeline import quote
from rates.domain.rules.actions import Adjust, Clamp, Per, Scope, SetPrice
from rates.domain.rules.evaluation import Rule
from tests.domain.quote.test_pipeline import MIXED, NOW
from tests.support.domain import usd

PROPERTY = settings(max_examples=150, deadline=None)

checkout_currencies = st.sampled_from(["CAD", "EUR", "JPY", "KWD", "CLP"])
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("20000"), places=4)
cents = st.integers(0, 5000).map(lambda c: usd(f"{c / 100:.2f}"))
actions = st.one_of(
    st.decimals(-100, 100, places=1).map(lambda p: Adjust(percent=p)),
    st.integers(-3000, 3000).map(lambda c: Adjust(amount=Money.of_units(c, "USD"),
                                                   per=Per.SHIPMENT)),
    cents.map(SetPrice),
    st.tuples(cents, cents).map(lambda b: Clamp(min(b, key=lambda m: m.amount),
                                                max(b, key=lambda m: m.amount))),
)
rules = st.lists(st.tuples(actions, st.sampled_from(list(Scope))), max_size=3)


@PROPERTY
@given(checkout_currencies, rates, rules)
def test_converted_shipments_add_up_to_the_option_and_are_never_negative(
        catalog, ruleset, currency, rate, actions_and_scopes):
    shop = dataclasses.replace(ruleset, exchange_rates={currency: rate}, rules=tuple(
        Rule(f"r{i}", (), action, scope)
        for i, (action, scope) in enumerate(actions_and_scopes)))
    cart = dataclasses.replace(MIXED, currency=currency, lines=tuple(
        dataclasses.replace(line, unit_price=Money(line.unit_price.amount, currency))
        for line in MIXED.lines))
    result = quote(cart, catalog, shop, NOW, explain=True)
    assert result.options
    for option in (*result.options, *result.withheld):
        assert option.price.currency == currency
        assert option.price == total((s.price for s in option.shipments), currency)
        for shipment in option.shipments:
            assert shipment.shop_price is not None
            assert shipment.price.amount >= 0
            expected = (shipment.shop_price.amount * rate).quantize(
                minor_unit(currency), rounding=ROUND_HALF_UP)
            assert shipment.price.amount == expected
