"""Merchant rules: conditions, actions and evaluation with a trace (DESIGN section 5).

Unless a test says otherwise the option under test is a mixed cart, plan in_stock_first by
ups/ground to Reno NV 89501: subtotal 45.00, 3600 g, 3 items, restock in 12 days, two
shipments (the first in stock, the second backordered), lines TENT (oversize,
backordered) and LANTERN (in stock), customer tagged vip.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

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
from rates.domain.rules.conditions import (
    AllOf,
    Between,
    Lines,
    Not,
    OneOf,
    PostcodePrefix,
    Quantifier,
)
from rates.domain.rules.evaluation import Rule, RuleApplied, RuleSkipped, evaluate
from rates.domain.rules.facts import Facts, LineFacts
from tests.support.domain import usd

FACTS = Facts(
    stock="mixed", plan="in_stock_first", service="ups/ground", carrier="ups",
    zone="domestic", country="US", region="NV", postcode="89501", subtotal=usd("45.00"),
    grams=3600, item_count=3, restock_days=12, shipments=2,
    locations=frozenset({"reno"}), customer_tags=frozenset({"vip"}),
    lines=(LineFacts("TENT", frozenset({"oversize"}), backordered=True),
           LineFacts("LANTERN", frozenset(), backordered=False)),
)


def facts(**changes) -> Facts:
    return FACTS._replace(**changes)


def draft(*prices: str, backordered=(False, True), units=(2, 1), **changes) -> Draft:
    return Draft(facts=facts(**changes),
                 cents=[usd(p).units for p in prices or ("6.00", "4.00")],
                 backordered=list(backordered), units=list(units),
                 label="UPS Ground - in-stock items now", service_name="UPS Ground")


def rule(rule_id: str, action, *when, scope=Scope.ALL, stop=False) -> Rule:
    return Rule(rule_id, tuple(when), action, scope=scope, stop=stop)


def cents(value) -> str:
    """USD shown with two decimals. Display of amounts is tested in test_money_values; here
    only the value matters."""
    return f"{value.amount:.2f}"


def prices(result: Draft) -> list[str]:
    return [cents(p) for p in result.prices]


def applied(result: Draft) -> list[tuple[str, str, str]]:
    return [(e.rule, e.effect, cents(e.price)) for e in result.trace
            if isinstance(e, RuleApplied)]


# -- conditions ----------------------------------------------------------------------------


def test_one_of_matches_a_single_valued_fact():
    assert OneOf("stock", frozenset({"mixed", "backordered"})).holds(FACTS)
    condition = OneOf("stock", frozenset({"in_stock"}))
    assert not condition.holds(FACTS)
    assert condition.why_not(FACTS) == "stock is mixed, wanted [in_stock]"


def test_one_of_on_a_set_valued_fact_matches_any_member():
    assert OneOf("locations", frozenset({"toronto", "reno"})).holds(FACTS)
    # An option shipping from reno and toronto matches "location: reno".
    assert OneOf("locations", frozenset({"reno"})).holds(
        facts(locations=frozenset({"reno", "toronto"})))
    assert OneOf("customer_tags", frozenset({"vip"})).holds(FACTS)
    assert not OneOf("customer_tags", frozenset({"wholesale"})).holds(FACTS)


def test_one_of_never_matches_a_missing_zone():
    condition = OneOf("zone", frozenset({"domestic"}))
    assert not condition.holds(facts(zone=None))
    assert condition.why_not(facts(zone=None)) == "zone is none, wanted [domestic]"


def test_postcode_prefix_ignores_case_and_spaces():
    assert PostcodePrefix(("895",)).holds(FACTS)
    assert not PostcodePrefix(("896",)).holds(FACTS)
    assert PostcodePrefix(("V6B",)).holds(facts(postcode="v6b 1a1"))
    assert not PostcodePrefix(("V6B",)).holds(facts(postcode=None))


def test_between_bounds_at_least_and_at_most_inclusive_below_exclusive():
    assert Between("subtotal", at_least=usd("45.00")).holds(FACTS)
    assert not Between("subtotal", at_least=usd("45.01")).holds(FACTS)
    assert Between("subtotal", at_most=usd("45.00")).holds(FACTS)
    assert not Between("subtotal", below=usd("45.00")).holds(FACTS)
    assert Between("grams", at_least=3000, below=3601).holds(FACTS)
    assert not Between("item_count", below=3).holds(FACTS)


def test_between_explains_the_actual_value():
    assert Between("subtotal", at_least=usd("50.00")).why_not(FACTS) == (
        "subtotal is 45.00, wanted subtotal at least 50.00")
    assert Between("restock_days", at_least=14).why_not(FACTS) == (
        "restock_days is 12, wanted restock_days at least 14")


def test_lines_any_all_none():
    assert Lines(Quantifier.ANY, skus=frozenset({"TENT"})).holds(FACTS)
    assert not Lines(Quantifier.ANY, skus=frozenset({"STOVE"})).holds(FACTS)
    assert Lines(Quantifier.ANY, tags=frozenset({"oversize"}), backordered=True).holds(FACTS)
    assert not Lines(Quantifier.ANY, tags=frozenset({"oversize"}),
                     backordered=False).holds(FACTS)
    assert not Lines(Quantifier.ALL, backordered=True).holds(FACTS)
    assert Lines(Quantifier.ALL, skus=frozenset({"TENT", "LANTERN"})).holds(FACTS)
    assert not Lines(Quantifier.NONE, tags=frozenset({"oversize"})).holds(FACTS)
    assert Lines(Quantifier.NONE, tags=frozenset({"fragile"})).holds(FACTS)


def test_lines_explain_which_lines_matched():
    condition = Lines(Quantifier.ALL, backordered=True)
    assert condition.why_not(FACTS) == (
        "wanted all lines with backordered True; lines matching: [TENT] of 2")
    nothing = Lines(Quantifier.ANY, skus=frozenset({"STOVE"}))
    assert nothing.why_not(FACTS) == (
        "wanted any lines with sku [STOVE]; lines matching: none of 2")


def test_not_inverts_a_condition():
    mixed = OneOf("stock", frozenset({"mixed"}))
    assert not Not(mixed).holds(FACTS)
    assert Not(mixed).why_not(FACTS) == "wanted not stock in [mixed], but it holds"
    assert Not(OneOf("stock", frozenset({"in_stock"}))).holds(FACTS)


def test_all_of_names_its_first_failing_condition():
    condition = AllOf((OneOf("carrier", frozenset({"ups"})),
                       Between("grams", at_most=1000),
                       OneOf("stock", frozenset({"in_stock"}))))
    assert not condition.holds(FACTS)
    assert condition.why_not(FACTS) == "grams is 3600, wanted grams at most 1000"


# -- actions --------------------------------------------------------------------------------


def test_set_on_the_option_spreads_the_price_over_shipments_by_their_prices():
    # 5.00 over 6.00 : 4.00 -> 3.00 and 2.00.
    result = evaluate([rule("flat", SetPrice(usd("5.00")))], draft("6.00", "4.00"),
                      explain=True)
    assert prices(result) == ["3.00", "2.00"]
    assert applied(result) == [("flat", "-5.00", "5.00")]


def test_set_on_the_option_keeps_the_total_exact_when_cents_do_not_divide():
    # 12.00 over 9.95 : 5.00 = 798.66 : 401.34 cents -> floors 798 + 401, the leftover cent
    # to the larger remainder (0.66) -> 7.99 and 4.01.
    result = evaluate([rule("flat", SetPrice(usd("12.00")))], draft("9.95", "5.00"))
    assert prices(result) == ["7.99", "4.01"]
    assert result.price == usd("12.00")


def test_set_per_shipment_and_per_item():
    per_shipment = evaluate([rule("r", SetPrice(usd("4.00"), per=Per.SHIPMENT))], draft())
    assert prices(per_shipment) == ["4.00", "4.00"]
    # 1.50 per unit; units 2 and 1 -> 3.00 and 1.50.
    per_item = evaluate([rule("r", SetPrice(usd("1.50"), per=Per.ITEM))], draft())
    assert prices(per_item) == ["3.00", "1.50"]


def test_surcharge_on_the_option_is_spread_by_price():
    # +3.00 over 6.00 : 4.00 -> +1.80 and +1.20.
    result = evaluate([rule("split-fee", Adjust(amount=usd("3.00")))], draft(), explain=True)
    assert prices(result) == ["7.80", "5.20"]
    assert applied(result) == [("split-fee", "+3.00", "13.00")]


def test_percent_adjusts_each_scoped_shipment():
    # +20 % of 9.95 = 1.99 -> 11.94; of 5.00 = 1.00 -> 6.00.
    result = evaluate([rule("peak", Adjust(percent=Decimal(20)))], draft("9.95", "5.00"))
    assert prices(result) == ["11.94", "6.00"]
    # -10 % of 9.95 = -0.995, rounded half up (away from zero) to -1.00 -> 8.95.
    discount = evaluate([rule("promo", Adjust(percent=Decimal(-10)))], draft("9.95", "5.00"))
    assert prices(discount) == ["8.95", "4.50"]


def test_surcharge_per_shipment_on_backordered_shipments_only():
    result = evaluate([rule("restock-fee", Adjust(amount=usd("2.00"), per=Per.SHIPMENT),
                            scope=Scope.BACKORDERED)], draft())
    assert prices(result) == ["6.00", "6.00"]


def test_surcharge_per_item_counts_the_units_of_each_scoped_shipment():
    # 0.50 x 3 units on the backordered shipment.
    result = evaluate([rule("r", Adjust(amount=usd("0.50"), per=Per.ITEM),
                            scope=Scope.BACKORDERED)], draft(units=(2, 3)))
    assert prices(result) == ["6.00", "5.50"]


def test_discount_on_in_stock_shipments_only():
    result = evaluate([rule("r", Adjust(amount=usd("-1.00")), scope=Scope.IN_STOCK)], draft())
    assert prices(result) == ["5.00", "4.00"]


def test_clamp_raises_to_the_minimum_and_lowers_to_the_maximum():
    # 3.00 + 1.00 = 4.00 < 5.00 -> 5.00 spread 3 : 1 -> 3.75, 1.25.
    raised = evaluate([rule("min", Clamp(minimum=usd("5.00")))], draft("3.00", "1.00"))
    assert prices(raised) == ["3.75", "1.25"]
    # 4.00 > 2.00 -> 2.00 spread 3 : 1 -> 1.50, 0.50.
    lowered = evaluate([rule("max", Clamp(maximum=usd("2.00")))], draft("3.00", "1.00"))
    assert prices(lowered) == ["1.50", "0.50"]


def test_clamp_within_range_changes_nothing_and_says_so():
    result = evaluate([rule("cap", Clamp(usd("1.00"), usd("10.00")))], draft("3.00", "1.00"),
                      explain=True)
    assert prices(result) == ["3.00", "1.00"]
    assert applied(result) == [("cap", "clamp 1.00..10.00", "4.00")]


def test_clamp_on_backordered_shipments_only():
    result = evaluate([rule("cap", Clamp(maximum=usd("2.50")), scope=Scope.BACKORDERED)],
                      draft("6.00", "4.00"))
    assert prices(result) == ["6.00", "2.50"]


def test_label_fills_in_the_current_label_service_and_plan():
    result = evaluate([rule("xmas", Label("{label} (before Christmas)")),
                       rule("id", Label("{label} [{service}, {plan}]"))], draft())
    assert result.label == (
        "UPS Ground - in-stock items now (before Christmas) [UPS Ground, in_stock_first]")
    assert applied(result)[0] == ("xmas", "label '{label} (before Christmas)'", "10.00")


def test_hide_withholds_the_option_silently():
    result = evaluate([rule("no-ltl", Hide(), OneOf("carrier", frozenset({"ups"})))], draft())
    assert result.hidden_by == "no-ltl"
    assert result.blocked is None
    assert applied(result) == [("no-ltl", "hide", "10.00")]


def test_block_withholds_the_option_with_a_message_first_block_wins():
    result = evaluate([rule("po-box", Block("no PO boxes")),
                       rule("oversize", Block("oversize items ship by freight"))], draft())
    assert result.blocked == ("po-box", "no PO boxes")


def test_hide_and_block_run_after_every_price_rule_whatever_their_place():
    result = evaluate([rule("hide-first", Hide()),
                       rule("fee", Adjust(amount=usd("1.00")))], draft(), explain=True)
    assert [e.rule for e in result.trace] == ["fee", "hide-first"]
    assert applied(result)[-1] == ("hide-first", "hide", "11.00")


def test_stop_ends_the_price_rules_but_not_the_visibility_rules():
    rules = [rule("vip", Adjust(amount=usd("-1.00")), OneOf("customer_tags",
                                                            frozenset({"vip"})), stop=True),
             rule("fee", Adjust(amount=usd("2.00"))),
             rule("hide", Hide())]
    result = evaluate(rules, draft(), explain=True)
    assert result.price == usd("9.00")
    assert result.hidden_by == "hide"
    assert RuleSkipped("fee", "after stop in vip") in result.trace


def test_stop_on_a_rule_that_did_not_apply_stops_nothing():
    rules = [rule("wholesale", SetPrice(usd("0.00")),
                  OneOf("customer_tags", frozenset({"wholesale"})), stop=True),
             rule("fee", Adjust(amount=usd("2.00")))]
    assert evaluate(rules, draft()).price == usd("12.00")


def test_price_rules_run_in_file_order():
    set_then_raise = [rule("a", SetPrice(usd("10.00"))), rule("b", Adjust(percent=Decimal(10)))]
    raise_then_set = [rule("b", Adjust(percent=Decimal(10))), rule("a", SetPrice(usd("10.00")))]
    # 10.00 (as 6.00 + 4.00) then +10 % -> 11.00; +10 % then set -> 10.00.
    assert evaluate(set_then_raise, draft("5.00", "5.00")).price == usd("11.00")
    assert evaluate(raise_then_set, draft("5.00", "5.00")).price == usd("10.00")


def test_a_discount_larger_than_the_price_makes_it_free_never_negative():
    # -20.00 over 5.00 : 3.00 -> -12.50, -7.50 -> both floored at 0.00; effect -8.00.
    result = evaluate([rule("promo", Adjust(amount=usd("-20.00")))], draft("5.00", "3.00"),
                      explain=True)
    assert prices(result) == ["0.00", "0.00"]
    assert applied(result) == [("promo", "-8.00", "0.00")]


def test_each_step_floors_at_zero_before_the_next_rule():
    # -10.00 -> both shipments 0.00 (floored), then +5.00 over 0 : 0 splits evenly:
    # 2.50 + 2.50. Without the floor after the first rule the total would be 3.00.
    result = evaluate([rule("promo", Adjust(amount=usd("-10.00"))),
                       rule("fee", Adjust(amount=usd("5.00")))], draft("5.00", "3.00"))
    assert prices(result) == ["2.50", "2.50"]


def test_a_discount_of_more_than_the_whole_price_is_floored_before_the_next_rule():
    # -150 %: 6.00 -> -3.00, 4.00 -> -2.00, both floored at 0.00 (effect -10.00); then
    # +5.00 over 0 : 0 splits evenly.
    result = evaluate([rule("clearance", Adjust(percent=Decimal(-150))),
                       rule("fee", Adjust(amount=usd("5.00")))], draft(), explain=True)
    assert prices(result) == ["2.50", "2.50"]
    assert applied(result) == [("clearance", "-10.00", "0.00"), ("fee", "+5.00", "5.00")]


@pytest.mark.parametrize(("action", "lowers"), [
    (Adjust(percent=Decimal(-100)), False),  # a share is at most the price itself
    (Adjust(percent=Decimal("-100.01")), True),
    (Adjust(percent=Decimal(15)), False),
    (Adjust(amount=usd("-0.01")), True),
    (Adjust(amount=usd("2.00"), per=Per.ITEM), False),
    (SetPrice(usd("0.00")), False),
    (Clamp(usd("5.00"), usd("60.00")), False),
    (Label("{label}!"), False),
])
def test_an_action_says_whether_it_can_take_a_price_below_zero(action, lowers):
    assert action.lowers is lowers
    assert rule("r", action).lowers is lowers


@pytest.mark.parametrize(("action", "shipments", "after", "change"), [
    # 6.00 and 4.00, 2 and 1 units; each returns how much the option's price moved.
    (Adjust(percent=Decimal("12.5")), [0, 1], [675, 450], 125),
    (Adjust(amount=usd("1.00"), per=Per.ITEM), [0, 1], [800, 500], 300),
    (Adjust(amount=usd("1.00"), per=Per.SHIPMENT), [1], [600, 500], 100),
    (Adjust(amount=usd("-0.99")), [0, 1], [541, 360], -99),
    (SetPrice(usd("1.00"), per=Per.SHIPMENT), [0, 1], [100, 100], -800),
    (Clamp(maximum=usd("7.00")), [0, 1], [420, 280], -300),
    (Clamp(minimum=usd("1.00")), [0, 1], [600, 400], 0),
    (Label("{label}!"), [0, 1], [600, 400], 0),
])
def test_an_action_returns_how_much_it_moved_the_price(action, shipments, after, change):
    option = draft()
    assert action.apply(option, shipments, sum(option.cents)) == change
    assert option.cents == after


@pytest.mark.parametrize(("action", "after", "change"), [
    # 6.00, 4.00 and 2.00; the action covers the first and the last: 8.00 between them.
    # +1.00 over 6.00 : 2.00 -> 0.75 + 0.25.
    (Adjust(amount=usd("1.00")), [675, 400, 225], 100),
    # 1.00 over 6.00 : 2.00 -> 0.75 + 0.25, in place of 8.00.
    (SetPrice(usd("1.00")), [75, 400, 25], -700),
    # 8.00 capped at 4.00 -> 3.00 + 1.00.
    (Clamp(maximum=usd("4.00")), [300, 400, 100], -400),
    (Clamp(minimum=usd("8.00")), [600, 400, 200], 0),
])
def test_an_action_over_some_shipments_adds_up_only_theirs(action, after, change):
    # The option's price (12.00) is passed along; only an action over every shipment
    # may take it for the sum of its own.
    option = draft("6.00", "4.00", "2.00", backordered=(False, True, False), units=(1, 1, 1))
    assert action.apply(option, [0, 2], 1200) == change
    assert option.cents == after


def test_an_applied_rule_compares_and_hashes_by_what_it_did():
    # +2.00 over 6.00 : 4.00 -> 1.20 + 0.80; the option goes from 10.00 to 12.00.
    fee = rule("fee", Adjust(amount=usd("2.00")))
    first = evaluate([fee], draft(), explain=True).trace
    again = evaluate([fee], draft(), explain=True).trace
    assert first == again == [RuleApplied("fee", 200, 1200, "USD", fee.action)]
    assert hash(first[0]) == hash(again[0])
    assert first[0] != RuleApplied("fee", 200, 1200, "CAD", fee.action)
    assert repr(first[0]).startswith(
        "RuleApplied(rule='fee', change=200, cents=1200, currency='USD', action=Adjust(")


def test_without_explain_the_trace_keeps_only_the_label_rules_a_rewording_replays():
    # +1.00 over 6.00 : 4.00 -> 6.60 + 4.40; the label; a cap of 20.00 that changes nothing.
    rules = [rule("fee", Adjust(amount=usd("1.00"))),
             rule("xmas", Label("{label} (before Christmas)")),
             rule("cap", Clamp(maximum=usd("20.00")))]
    quick, explained = evaluate(rules, draft()), evaluate(rules, draft(), explain=True)
    assert prices(quick) == prices(explained) == ["6.60", "4.40"]
    assert quick.label == explained.label
    assert quick.label.endswith(" (before Christmas)")
    assert [e.rule for e in quick.trace] == ["xmas"]
    assert applied(explained) == [("fee", "+1.00", "11.00"),
                                  ("xmas", "label '{label} (before Christmas)'", "11.00"),
                                  ("cap", "clamp -..20.00", "11.00")]


def test_explain_names_the_failing_condition_and_the_actual_value():
    rules = [rule("free-over-50", SetPrice(usd("0.00")),
                  OneOf("country", frozenset({"US"})), Between("subtotal", at_least=usd("50.00")))]
    result = evaluate(rules, draft(), explain=True)
    assert result.trace == [RuleSkipped(
        "free-over-50", "subtotal is 45.00, wanted subtotal at least 50.00")]
    assert evaluate(rules, draft()).trace == []


def test_a_rule_with_no_shipment_in_its_scope_is_skipped():
    result = evaluate([rule("restock-fee", Adjust(amount=usd("2.00")),
                            scope=Scope.BACKORDERED)],
                      draft(backordered=(False, False)), explain=True)
    assert result.price == usd("10.00")
    assert result.trace == [RuleSkipped("restock-fee", "no backordered shipments")]


def test_visibility_rules_explain_why_they_did_not_apply():
    result = evaluate([rule("hide-canada", Hide(), OneOf("country", frozenset({"CA"})))],
                      draft(), explain=True)
    assert result.hidden_by is None
    assert result.trace == [RuleSkipped("hide-canada", "country is US, wanted [CA]")]


@pytest.mark.parametrize(("action", "text"), [
    (SetPrice(usd("5.00")), "set 5.00"),
    (SetPrice(usd("1.00"), per=Per.ITEM), "set 1.00 per item"),
    (Adjust(amount=usd("3.00")), "adjust +3.00"),
    (Adjust(amount=usd("-1.50"), per=Per.SHIPMENT), "adjust -1.50 per shipment"),
    (Adjust(percent=Decimal(-10)), "adjust -10%"),
    (Clamp(minimum=usd("4.00")), "clamp 4.00..-"),
    (Block("no PO boxes"), "block: no PO boxes"),
])
def test_actions_describe_themselves_in_the_rule_files_words(action, text):
    assert action.describe() == text


def test_the_rule_index_keeps_only_rules_the_options_facts_admit_in_file_order():
    from rates.domain.rules.index import RuleIndex

    ground_only = rule("ground", SetPrice(usd("1.00")),
                       OneOf("service", frozenset({"ups/ground"})))
    mixed_together = rule("patience", Adjust(percent=Decimal(-10)),
                          OneOf("plan", frozenset({"together"})),
                          OneOf("stock", frozenset({"mixed"})))
    anything = rule("any", Clamp(maximum=usd("50.00")), Not(OneOf("zone", frozenset({"x"}))))
    big_cart = rule("big", SetPrice(usd("0.00")), Between("subtotal", at_least=usd("1000.00")))
    index = RuleIndex([ground_only, mixed_together, anything, big_cart])
    cart = index.for_cart(facts())  # subtotal below 1000: "big" is out for every option

    def found(option: Facts) -> list[Rule]:
        return [rule for rule, _ in cart.candidates(option).prices]

    assert found(facts()) == [ground_only, anything]  # in_stock_first, mixed
    assert found(facts(plan="together")) == [ground_only, mixed_together, anything]
    assert found(facts(service="fedex/home", carrier="fedex")) == [anything]
