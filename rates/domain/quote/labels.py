"""An option's label, and the same label in other words.

A quote labels each option in the shop's own words ("UPS Ground - ship everything
together", then each `label` rule in turn). A shopper in another locale reads the label
the rules would have made from that locale's words: the same `label` rules, in the order
they applied (the option's trace records them), filled with the locale's service name,
plan label and rule texts. Replaying the trace rather than quoting again keeps one quote
for every locale, with the same prices and the same rules applied.
"""

from __future__ import annotations

from collections.abc import Mapping

from rates.domain.quote.result import Option
from rates.domain.rules.actions import Label
from rates.domain.rules.evaluation import RuleApplied


def base_label(service_name: str, plan_label: str | None) -> str:
    """An option's label before any `label` rule: "UPS Ground - ship everything together";
    a pickup's (no plan label) is its service's name, "Pick up at Toronto, ON store"."""
    return service_name if plan_label is None else f"{service_name} - {plan_label}"


def relabel(option: Option, service_name: str, plan_label: str | None,
            texts: Mapping[str, str]) -> str:
    """`option`'s label made from these words: `texts` holds a `label` rule's text by rule
    id; a rule not in it keeps its own text."""
    label = base_label(service_name, plan_label)
    for entry in option.rules:
        if isinstance(entry, RuleApplied) and isinstance(entry.action, Label):
            text = texts.get(entry.rule, entry.action.text)
            label = Label.fill(text, service_name, option.plan, label)
    return label
