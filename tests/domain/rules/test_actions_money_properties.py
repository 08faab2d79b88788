"""Properties of money and of rule evaluation.

- spread(): the parts add up to the amount exactly, and each is within one minor unit
  of its proportional share;
- Money never accepts a float; it rounds to the currency's minor unit, half up;
- after rules.evaluate(), the shipments' prices add up to the option's price and none is
  negative, for any sequence of set / adjust / clamp / label actions.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rates.domain.errors import InvalidMoney
from rates.domain.money import Money, add_shares, format_units, percent_ratio, spread
from rates.domain.rules.actions import (
    Adjust,
    Block,
    Clamp,
    Draft,
    Hide,
    Label,
    Per,
    Scope,
    SetPrice,
)
from rates.domain.rules.conditions import OneOf
from rates.domain.rules.evaluation import Rule, RuleApplied, evaluate
from rates.domain.rules.facts import Facts
from tests.support.domain import split

PROPERTY = settings(max_examples=200, deadline=None)
QUANTUM = {"USD": Decimal("0.01"), "JPY": Decimal(1), "KWD": Decimal("0.001")}

currencies = st.sampled_from(sorted(QUANTUM))
weights = st.lists(st.integers(0, 10_000_000), min_size=1, max_size=8)


# -- money ----------------------------------------------------------------------------------


@PROPERTY
@given(st.integers(-10_000_000, 10_000_000), weights)
def test_split_parts_add_up_exactly_and_stay_within_a_unit_of_their_share(units, shares):
    parts = split(units, shares)
    assert len(parts) == len(shares)
    assert sum(parts) == units
    weight_sum = sum(shares)
    for part, weight in zip(parts, shares, strict=True):
        exact = (Fraction(units * weight, weight_sum) if weight_sum
                 else Fraction(units, len(shares)))
        assert abs(part - exact) < 1
        # a part never has the opposite sign of the amount
        assert part * units >= 0


@PROPERTY
@given(st.integers(-10_000_000, 10_000_000), weights)
def test_split_gives_the_leftover_units_to_the_largest_remainders_earlier_first(units,
                                                                               shares):
    # Worked out the long way, in exact fractions: floors toward zero, then one unit
    # each to the parts with the largest remainders, the earlier part on a tie.
    weight_sum = sum(shares) or len(shares)
    exact = [Fraction(abs(units) * (w if sum(shares) else 1), weight_sum) for w in shares]
    floors = [int(share) for share in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:abs(units) - sum(floors)]:
        floors[i] += 1
    assert split(units, shares) == [part if units >= 0 else -part for part in floors]


@PROPERTY
@given(st.integers(-10_000_000, 10_000_000), weights, st.data(), st.booleans())
def test_spread_puts_or_adds_the_split_in_place_and_leaves_the_rest(units, values, data, add):
    # A rule's amount over some of an option's shipments, as spread over their copy.
    positions = data.draw(st.lists(st.sampled_from(range(len(values))), unique=True))
    parts = split(units, [values[i] for i in positions])
    spread_over = list(values)
    spread(spread_over, positions, units, add=add)
    expected = list(values)
    for part, i in zip(parts, positions, strict=True):
        expected[i] = expected[i] + part if add else part
    assert spread_over == expected


@PROPERTY
@given(st.integers(-10_000_000, 10_000_000), st.decimals(-1000, 1000, places=3))
def test_a_percent_share_is_exact_rounded_half_away_from_zero(units, percent):
    exact = Fraction(units) * Fraction(percent) / 100
    shared = [units]
    added = add_shares(shared, [0], *percent_ratio(percent))
    part = shared[0] - units
    assert added == part
    assert abs(part - exact) <= Fraction(1, 2)
    if abs(part - exact) == Fraction(1, 2):
        assert abs(part) > abs(exact)


@PROPERTY
@given(st.floats(allow_nan=True, allow_infinity=True), currencies)
def test_money_never_accepts_a_float(value, currency):
    with pytest.raises(InvalidMoney):
        Money(value, currency)
    with pytest.raises(InvalidMoney):
        Money.parse(value, currency)


@PROPERTY
@given(st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False,
                   allow_infinity=False), currencies)
def test_money_rounds_half_up_to_the_minor_unit(value, currency):
    quantum = QUANTUM[currency]
    rounded = Money(value, currency).amount
    # a whole number of minor units, the nearest one; ties go away from zero
    assert rounded % quantum == 0
    assert abs(rounded - value) <= quantum / 2
    if abs(rounded - value) == quantum / 2:
        assert abs(rounded) > abs(value)


@PROPERTY
@given(st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False,
                   allow_infinity=False))
def test_money_parse_reads_back_what_it_prints(value):
    money = Money(value, "USD")
    assert Money.parse(str(money.amount), "USD") == money


# -- rules ----------------------------------------------------------------------------------

FACTS = Facts(
    stock="mixed", plan="in_stock_first", service="ups/ground", carrier="ups",
    zone="domestic", country="US", region="NV", postcode="89501",
    subtotal=Money(Decimal("45.00"), "USD"), grams=3600, item_count=3, restock_days=12,
    shipments=2, locations=frozenset({"reno"}), customer_tags=frozenset(), lines=())

cents = st.integers(0, 10_000).map(lambda c: Money(Decimal(c) / 100, "USD"))
signed_cents = st.integers(-5_000, 5_000).map(lambda c: Money(Decimal(c) / 100, "USD"))
percents = st.integers(-10_000, 10_000).map(lambda p: Decimal(p) / 100)
pers = st.sampled_from(list(Per))


@st.composite
def clamps(draw):
    low, high = sorted((draw(cents), draw(cents)))
    return Clamp(draw(st.none() | st.just(low)), draw(st.none() | st.just(high)))


price_actions = st.one_of(
    st.builds(SetPrice, cents, pers),
    st.builds(Adjust, amount=signed_cents, per=pers),
    st.builds(Adjust, percent=percents),
    clamps(),
    st.builds(Label, st.sampled_from(["{label}!", "{service} ({plan})", "fast"])),
)
conditions = st.sampled_from([(), (OneOf("stock", frozenset({"mixed"})),),
                              (OneOf("stock", frozenset({"in_stock"})),)])


@st.composite
def rule_lists(draw):
    rules = []
    for index in range(draw(st.integers(0, 8))):
        action = draw(price_actions | st.sampled_from([Hide(), Block("no")]))
        rules.append(Rule(f"r{index}", draw(conditions), action,
                          scope=draw(st.sampled_from(list(Scope))), stop=draw(st.booleans())))
    return rules


@st.composite
def drafts(draw):
    n = draw(st.integers(1, 4))
    return Draft(
        facts=FACTS,
        cents=[p.units for p in draw(st.lists(cents, min_size=n, max_size=n))],
        backordered=draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        units=draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)),
        label="UPS Ground",
        service_name="UPS Ground",
    )


@PROPERTY
@given(rule_lists(), drafts())
def test_shipment_prices_always_add_up_to_the_option_price_and_never_go_negative(
        rules, draft):
    shipments = len(draft.prices)
    twin = dataclasses.replace(draft, cents=list(draft.cents), trace=[])
    result, explained = evaluate(rules, draft), evaluate(rules, twin, explain=True)
    for priced in (result, explained):
        assert len(priced.prices) == shipments
        assert all(p.currency == "USD" for p in priced.prices)
        assert all(p.amount >= 0 for p in priced.prices)
        assert priced.price.amount == sum((p.amount for p in priced.prices), Decimal(0))
        assert priced.price.amount >= 0
    assert (result.prices, result.label) == (explained.prices, explained.label)
    steps = [e for e in explained.trace if isinstance(e, RuleApplied)]
    if steps:
        assert steps[-1].price == explained.price
    # Without explain, the trace keeps the label and visibility rules explain applied.
    assert result.trace == [e for e in steps if isinstance(e.action, Label | Hide | Block)]


@PROPERTY
@given(drafts(), cents, st.sampled_from(list(Scope)))
def test_set_on_the_option_makes_the_scoped_shipments_add_up_to_the_amount(
        draft, amount, scope):
    scoped = draft.scoped(scope)
    untouched = {i: p for i, p in enumerate(draft.prices) if i not in scoped}
    result = evaluate([Rule("set", (), SetPrice(amount), scope=scope)], draft)
    if scoped:
        assert sum((result.prices[i].amount for i in scoped), Decimal(0)) == amount.amount
    assert {i: p for i, p in enumerate(result.prices) if i not in scoped} == untouched


@PROPERTY
@given(price_actions, drafts(), st.sampled_from(list(Scope)))
def test_an_action_changes_only_its_shipments_and_says_by_how_much_the_price_moved(
        action, draft, scope):
    # `apply` is told the option's price so that an action over every shipment need not
    # add them up: what it returns must still be the price after less the price before,
    # whether it covers every shipment or some of them. (An option with no shipment of
    # the scope meets no action: `evaluate` skips the rule.)
    shipments = draft.scoped(scope)
    assume(shipments)
    before = list(draft.cents)
    change = action.apply(draft, shipments, sum(before))
    assert change == sum(draft.cents) - sum(before)
    assert [c for i, c in enumerate(draft.cents) if i not in shipments] == [
        c for i, c in enumerate(before) if i not in shipments]


@PROPERTY
@given(drafts(), cents)
def test_a_surcharge_on_the_option_raises_its_price_by_exactly_the_amount(draft, amount):
    before = draft.price
    result = evaluate([Rule("fee", (), Adjust(amount=amount))], draft)
    assert result.price == before + amount


@PROPERTY
@given(drafts(), clamps())
def test_clamp_keeps_the_total_within_its_bounds(draft, clamp):
    result = evaluate([Rule("clamp", (), clamp)], draft)
    if clamp.minimum is not None:
        assert result.price >= clamp.minimum
    if clamp.maximum is not None:
        assert result.price <= clamp.maximum


@PROPERTY
@given(drafts(), percents)
def test_a_percent_adjustment_moves_each_shipment_by_its_rounded_share(draft, percent):
    before = list(draft.prices)
    result = evaluate([Rule("pct", (), Adjust(percent=percent))], draft)
    for old, new in zip(before, result.prices, strict=True):
        exact = old.amount * (1 + percent / 100)
        assert abs(new.amount - exact) <= Decimal("0.005")


@PROPERTY
@given(st.integers(-10**12, 10**12), currencies)
def test_format_units_writes_what_the_decimal_amount_prints(units, currency):
    assert format_units(units, currency) == str(Money.of_units(units, currency).amount)
