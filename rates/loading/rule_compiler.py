"""A validated rule (what `RuleSchema` loads) turned into the domain's compiled `Rule`.

Kept apart from the schema because it needs the shop's currency, which the rules file
states beside the rules rather than inside each one. Conditions keep the order the schema
declares them in, which is also the order `--explain` checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rates.domain.cart import postcode_key
from rates.domain.money import Money
from rates.domain.rules.actions import (
    Action,
    Adjust,
    Block,
    Clamp,
    Hide,
    Label,
    Per,
    Scope,
    SetPrice,
)
from rates.domain.rules.conditions import (
    RANGE_FIELDS,
    SET_FIELDS,
    AllOf,
    Between,
    Condition,
    Distance,
    Is,
    Lines,
    Not,
    OneOf,
    PostcodePrefix,
    Quantifier,
)
from rates.domain.rules.evaluation import Rule
from rates.loading.fields import Adjustment

ACTIONS = ("set", "adjust", "clamp", "label", "hide", "block")


def compile_rule(spec: Mapping[str, Any], currency: str) -> Rule:
    return Rule(
        id=spec["id"],
        when=conditions(spec["when"], currency),
        action=_action(spec, currency),
        scope=Scope(spec.get("shipments", Scope.ALL)),
        stop=spec["stop"],
        leaving=frozenset(spec.get("from", ())),
    )


def conditions(when: Mapping[str, Any], currency: str) -> tuple[Condition, ...]:
    return tuple(_condition(name, value, currency) for name, value in when.items())


def _condition(name: str, value: Any, currency: str) -> Condition:
    if name in SET_FIELDS:
        return OneOf(SET_FIELDS[name], frozenset(value))
    if name in RANGE_FIELDS:
        bounds = {bound: Money(limit, currency) if isinstance(limit, Decimal) else limit
                  for bound, limit in value.items()}
        return Between(RANGE_FIELDS[name], **bounds)
    if name in ("distance_km", "distance_miles"):
        limits = {bound: float(limit) for bound, limit in value.items()}
        return Distance("km" if name == "distance_km" else "mi", limits.get("at_least"),
                        limits.get("at_most"), limits.get("below"))
    if name in ("from_nearest", "guaranteed"):
        return Is(name, value)
    if name == "postcode":
        return PostcodePrefix(tuple(postcode_key(code) for code in value))
    if name == "lines":
        [(quantifier, match)] = value.items()
        return Lines(Quantifier(quantifier),
                     skus=_some(match.get("sku")), tags=_some(match.get("tags")),
                     backordered=match.get("backordered"))
    if name == "not":
        inner = conditions(value, currency)
        return Not(inner[0] if len(inner) == 1 else AllOf(inner))
    raise ValueError(f"no condition is called {name!r}")  # the schema admits no other


def _some(values: list[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values is not None else None


def _action(spec: Mapping[str, Any], currency: str) -> Action:
    per = Per(spec.get("per", Per.OPTION))
    if "set" in spec:
        return SetPrice(Money(spec["set"], currency), per)
    if "adjust" in spec:
        change: Adjustment = spec["adjust"]
        if change.percent:
            return Adjust(percent=change.value)
        return Adjust(amount=Money(change.value, currency), per=per)
    if "clamp" in spec:
        bounds = {key: Money(limit, currency) for key, limit in spec["clamp"].items()}
        return Clamp(bounds.get("min"), bounds.get("max"))
    if "label" in spec:
        return Label(spec["label"])
    if "hide" in spec:
        return Hide()
    return Block(spec["block"])
