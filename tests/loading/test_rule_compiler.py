"""Every condition and action of the rules format becomes the domain object it names."""

from __future__ import annotations

from decimal import Decimal

from rates.domain.money import Money
from rates.domain.plans import SHIPPING_PLANS, PlanKind
from rates.domain.policy import DEFAULT_PLAN_LABELS
from rates.domain.rules.actions import Adjust, Block, Clamp, Hide, Label, Per, Scope, SetPrice
from rates.domain.rules.conditions import (
    AllOf,
    Between,
    Is,
    Lines,
    Not,
    OneOf,
    PostcodePrefix,
    Quantifier,
)
from tests.support.loading import RULES, Write, load

EVERY_CONDITION = RULES + """\
  - id: everything
    when:
      stock: [backordered, mixed]
      plan: together
      zone: home
      country: us
      region: [NV, "ON"]
      postcode: ["v6b 1", "895"]
      service: ups/ground
      carrier: ups
      location: reno
      customer_tags: vip
      weight: {at_least: "0.5", below: 20}
      item_count: {at_most: 3}
      guaranteed: true
      lines: {none: {tags: [oversize], backordered: true}}
      not: {subtotal: {below: "10.00"}, restock_days: {at_least: 30}}
    shipments: backordered
    adjust: "+1.50"
    per: item
    stop: true
  - id: not-one
    when: {not: {plan: as_available}}
    clamp: {max: "40"}
  - id: relabel
    label: "{label} via {service}"
  - id: hidden
    hide: true
  - id: blocked
    block: No.
plans:
  offer: [as_available, together]
  labels: {together: one box}
  merge_within_days: 5
"""


def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


def test_every_condition(write: Write) -> None:
    rule = load(write(rules=EVERY_CONDITION)).ruleset.rules[1]
    assert rule.when == (
        OneOf("stock", frozenset({"backordered", "mixed"})),
        OneOf("plan", frozenset({"together"})),
        OneOf("zone", frozenset({"home"})),
        OneOf("country", frozenset({"US"})),
        OneOf("region", frozenset({"NV", "ON"})),
        PostcodePrefix(("V6B1", "895")),
        OneOf("service", frozenset({"ups/ground"})),
        OneOf("carrier", frozenset({"ups"})),
        OneOf("locations", frozenset({"reno"})),
        OneOf("customer_tags", frozenset({"vip"})),
        Between("grams", at_least=500, below=20000),
        Between("item_count", at_most=3),
        Is("guaranteed", True),
        Lines(Quantifier.NONE, tags=frozenset({"oversize"}), backordered=True),
        Not(AllOf((Between("subtotal", below=usd("10.00")),
                   Between("restock_days", at_least=30)))),
    )
    assert (rule.action, rule.scope, rule.stop) == (
        Adjust(amount=usd("1.50"), per=Per.ITEM), Scope.BACKORDERED, True)


def test_every_action_and_a_single_not(write: Write) -> None:
    rules = {rule.id: rule for rule in load(write(rules=EVERY_CONDITION)).ruleset.rules}
    assert rules["free-over-100"].action == SetPrice(usd("0"), Per.OPTION)
    assert rules["not-one"].when == (Not(OneOf("plan", frozenset({"as_available"}))),)
    assert rules["not-one"].action == Clamp(None, usd("40.00"))
    assert rules["relabel"].action == Label("{label} via {service}")
    assert rules["relabel"].when == ()
    assert rules["hidden"].action == Hide()
    assert rules["blocked"].action == Block("No.")


def test_plans_in_the_order_given_with_default_labels_for_the_rest(write: Write) -> None:
    plans = load(write(rules=EVERY_CONDITION)).ruleset.plans
    assert plans.kinds == (PlanKind.AS_AVAILABLE, PlanKind.TOGETHER)
    assert plans.labels[PlanKind.TOGETHER] == "one box"
    assert plans.labels[PlanKind.AS_AVAILABLE] == DEFAULT_PLAN_LABELS[PlanKind.AS_AVAILABLE]
    assert plans.merge_within_days == 5


def test_without_plans_every_plan_is_offered(write: Write) -> None:
    plans = load(write()).ruleset.plans
    assert plans.kinds == SHIPPING_PLANS
    assert plans.merge_within_days == 3
