"""The rule index may skip a rule only when one of its conditions fails, and may leave
untested only conditions it knows hold: for any rules and any option, the rules that hold
are exactly the candidates whose untested conditions hold, in file order."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rates.domain.money import Money
from rates.domain.rules.actions import Adjust, Block, Hide
from rates.domain.rules.conditions import Between, Is, Not, OneOf, PostcodePrefix
from rates.domain.rules.evaluation import Rule
from rates.domain.rules.facts import Facts
from rates.domain.rules.index import RuleIndex

VALUES = {
    "service": ["ups/ground", "ups/air", "usps/priority"],
    "carrier": ["ups", "usps"],
    "plan": ["together", "in_stock_first"],
    "stock": ["in_stock", "mixed", "backordered"],
    "region": ["IL", "NV", "ON"],
    "zone": ["domestic", "canada"],
    "country": ["US", "CA"],
    "customer_tags": ["vip", "wholesale"],
    "locations": ["reno", "newark"],
}
SET_VALUED = {"customer_tags", "locations"}


def usd(cents: int) -> Money:
    return Money.of_units(cents, "USD")


one_ofs = st.sampled_from(sorted(VALUES)).flatmap(
    lambda name: st.frozensets(st.sampled_from(VALUES[name]), min_size=1).map(
        lambda values: OneOf(name, values)))
# Prefixes as the loader writes them (`postcode_key`), the empty one included.
postcode_prefixes = st.lists(st.sampled_from(["", "6", "60", "606", "6060", "M5V", "T2E7"]),
                             min_size=1, max_size=3).map(lambda found: PostcodePrefix(tuple(found)))
conditions = st.one_of(
    one_ofs,
    one_ofs.map(Not),
    postcode_prefixes,
    postcode_prefixes.map(Not),
    st.integers(0, 20_000).map(lambda cents: Between("subtotal", at_least=usd(cents))),
    st.integers(1, 4).map(lambda n: Between("shipments", at_least=n)),
    # an option fact the rules are not filed under: the service's carrier-file flag
    st.booleans().map(lambda value: Is("guaranteed", value)),
)
actions = st.sampled_from([Adjust(amount=usd(100)), Hide(), Block("not here")])
rule_lists = st.lists(st.tuples(st.lists(conditions, max_size=3), actions), max_size=12).map(
    lambda rules: [Rule(f"r{i}", tuple(when), action)
                   for i, (when, action) in enumerate(rules)])


def holds(rule: Rule, facts: Facts, conditions=None) -> bool:
    return all(c.holds(facts) for c in (rule.when if conditions is None else conditions))


def in_file_order(pending, rules) -> bool:
    found = [rule for rule, _ in pending]
    return found == [rule for rule in rules if rule in found]


@st.composite
def options(draw) -> Facts:
    chosen = {name: (frozenset(draw(st.lists(st.sampled_from(values), max_size=2)))
                     if name in SET_VALUED else draw(st.sampled_from(values)))
              for name, values in VALUES.items()}
    if draw(st.booleans()):
        chosen["region"] = None
    return Facts(subtotal=usd(draw(st.integers(0, 20_000))), zone=chosen["zone"],
                 stock=chosen["stock"], plan=chosen["plan"], service=chosen["service"],
                 carrier=chosen["carrier"], country=chosen["country"], region=chosen["region"],
                 postcode=draw(st.sampled_from(["60601", "606 01", "m5v 2t6", "T2E7Z4", "", None])),
                 grams=1000, item_count=2, restock_days=10,
                 shipments=draw(st.integers(1, 4)),
                 locations=chosen["locations"], customer_tags=chosen["customer_tags"],
                 lines=(), guaranteed=draw(st.booleans()))


@settings(max_examples=400, deadline=None)
@given(rule_lists, options(), st.data())
def test_every_rule_that_holds_is_a_candidate_in_file_order(rules, facts, data):
    index = RuleIndex(rules)
    cart = index.for_cart(facts)
    # another option of the same cart: only the option-level facts differ
    other = facts._replace(
        plan=data.draw(st.sampled_from(VALUES["plan"])),
        service=data.draw(st.sampled_from(VALUES["service"])),
        carrier=data.draw(st.sampled_from(VALUES["carrier"])),
        shipments=data.draw(st.integers(1, 4)),
        guaranteed=data.draw(st.booleans()),
        locations=frozenset(data.draw(st.lists(st.sampled_from(VALUES["locations"])))))
    for option in (facts, other, facts):
        shortlist = cart.candidates(option)
        found = shortlist.prices + shortlist.visibility
        assert {rule for rule in rules if holds(rule, option)} == {
            rule for rule, untested in found if holds(rule, option, untested)}
        assert all(not rule.is_visibility for rule, _ in shortlist.prices)
        assert all(rule.is_visibility for rule, _ in shortlist.visibility)
        assert in_file_order(shortlist.prices, rules)
        assert in_file_order(shortlist.visibility, rules)


def test_rules_filed_under_cart_facts_are_found_by_each_member_of_a_set():
    vip = Rule("vip", (OneOf("customer_tags", frozenset({"vip"})),), Adjust(percent=Decimal(-5)))
    north = Rule("north", (OneOf("region", frozenset({"ON"})),), Adjust(amount=usd(100)))
    facts = Facts(subtotal=usd(0), zone=None, stock="mixed", plan="together",
                  service="ups/ground", carrier="ups", country="CA", region="ON",
                  postcode=None, grams=0, item_count=1, restock_days=0, shipments=1,
                  locations=frozenset({"reno"}), customer_tags=frozenset({"new", "vip"}),
                  lines=())
    index = RuleIndex([vip, north])
    assert index.for_cart(facts).candidates(facts).prices == ((vip, ()), (north, ()))
    elsewhere = facts._replace(region=None, customer_tags=frozenset())
    assert index.for_cart(elsewhere).candidates(elsewhere).prices == ()


@settings(max_examples=200, deadline=None)
@given(rule_lists, st.lists(options(), min_size=2, max_size=4))
def test_an_index_that_kept_other_carts_answers_as_a_fresh_one(rules, carts):
    kept = RuleIndex(rules)
    for facts in carts:
        shortlist = kept.for_cart(facts).candidates(facts)
        assert shortlist == RuleIndex(rules).for_cart(facts).candidates(facts)


def test_a_cart_rules_are_kept_for_every_later_option_with_the_same_cart_facts():
    vip = Rule("vip", (OneOf("customer_tags", frozenset({"vip"})),), Adjust(percent=Decimal(-5)))
    facts = Facts(subtotal=usd(5000), zone=None, stock="mixed", plan="together",
                  service="ups/ground", carrier="ups", country="US", region="IL",
                  postcode="60614", grams=900, item_count=1, restock_days=0, shipments=1,
                  locations=frozenset({"reno"}), customer_tags=frozenset({"vip"}), lines=())
    index = RuleIndex([vip])
    cart = index.for_cart(facts)
    # another quote's option of a cart that looks the same to the rules
    assert index.for_cart(facts._replace(plan="in_stock_first", service="usps/priority",
                                         carrier="usps", shipments=2)) is cart
    assert index.for_cart(facts._replace(subtotal=usd(5001))) is not cart
    plain = facts._replace(customer_tags=frozenset())
    assert index.for_cart(plain).candidates(plain).prices == ()
