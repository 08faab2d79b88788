"""What a rule may test of an option's facts, each condition able to say why it failed.

A condition reads only `Facts`, so rules are tested the same way in a quote, in explain
mode and in rule tests; `wanted` and `why_not` word it in the rule file's terms for a
person reading `--explain`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any

from rates.domain.cart import postcode_key
from rates.domain.money import Money
from rates.domain.places import KM_PER_MILE
from rates.domain.rules.facts import Facts, LineFacts


class Condition:
    """What every condition can do. A base class rather than a protocol: compiled
    (docs/architecture.md, "The compiled domain"), a call through a shared base is a
    table lookup, and a rule tests thousands of conditions per quote."""

    __slots__ = ()

    def holds(self, facts: Facts) -> bool:
        raise NotImplementedError

    def wanted(self) -> str:
        """What the condition asks for, in the rule file's words."""
        raise NotImplementedError

    def why_not(self, facts: Facts) -> str:
        """The condition and the actual value, for a person reading `--explain`."""
        raise NotImplementedError


def _show(value: object) -> str:
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, frozenset | set | tuple | list):
        return "[" + ", ".join(sorted(str(v) for v in value)) + "]"
    return "none" if value is None else str(value)


def _within(value: Any, at_least: Any, at_most: Any, below: Any) -> bool:
    """`at_least` <= value, value <= `at_most`, value < `below`; each bound optional."""
    return ((at_least is None or value >= at_least) and (at_most is None or value <= at_most)
            and (below is None or value < below))


def _bounds(at_least: Any, at_most: Any, below: Any, show: Callable[[Any], str]) -> str:
    """The bounds given, in a rule file's words: "at least 150.00 and below 300.00"."""
    return " and ".join(f"{name} {show(bound)}" for name, bound in
                        (("at least", at_least), ("at most", at_most), ("below", below))
                        if bound is not None)


@dataclass(frozen=True, slots=True)
class OneOf(Condition):
    """`field` is one of `values`; for set-valued facts (locations, customer tags), any
    member is."""

    field: str
    values: frozenset[str]

    def holds(self, facts: Facts) -> bool:
        actual = getattr(facts, self.field)
        if isinstance(actual, frozenset):
            return not actual.isdisjoint(self.values)
        return actual in self.values

    def wanted(self) -> str:
        return f"{self.field} in {_show(self.values)}"

    def why_not(self, facts: Facts) -> str:
        return f"{self.field} is {_show(getattr(facts, self.field))}, wanted {_show(self.values)}"


@dataclass(frozen=True, slots=True)
class PostcodePrefix(Condition):
    """The postcode starts with one of `prefixes` (written as `postcode_key` writes them)."""

    prefixes: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        code = postcode_key(facts.postcode)
        return any(code.startswith(p) for p in self.prefixes)

    def wanted(self) -> str:
        return f"postcode starting with one of {_show(self.prefixes)}"

    def why_not(self, facts: Facts) -> str:
        return f"postcode is {_show(facts.postcode)}, wanted {self.wanted()}"


@dataclass(frozen=True, slots=True)
class Between(Condition):
    """`at_least` <= value, value <= `at_most`, value < `below`; each bound optional.

    Works for money (subtotal), grams (weight) and whole numbers alike."""

    field: str
    at_least: Any = None
    at_most: Any = None
    below: Any = None
    _position: int = dataclass_field(init=False, repr=False, compare=False)
    """Where `field` sits in `Facts`: read by position, as a tuple's item, not by name."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_position", Facts._fields.index(self.field))

    def holds(self, facts: Facts) -> bool:
        # `_within`, written out: an option tests its shipment count against dozens.
        value = facts[self._position]
        return ((self.at_least is None or value >= self.at_least)
                and (self.at_most is None or value <= self.at_most)
                and (self.below is None or value < self.below))

    def wanted(self) -> str:
        return f"{self.field} {_bounds(self.at_least, self.at_most, self.below, _show)}"

    def why_not(self, facts: Facts) -> str:
        return f"{self.field} is {_show(getattr(facts, self.field))}, wanted {self.wanted()}"


@dataclass(frozen=True, slots=True)
class Distance(Condition):
    """The farthest shipment's distance to the destination within bounds, in `unit`
    ("km" or "mi"): `at_least` <= distance, distance <= `at_most`, distance < `below`.
    An unknown distance (a destination no postcode table places) never matches."""

    unit: str
    at_least: float | None = None
    at_most: float | None = None
    below: float | None = None
    field: str = "distance_km"

    def _distance(self, facts: Facts) -> float | None:
        km = facts.distance_km
        if km is None:
            return None
        return km / KM_PER_MILE if self.unit == "mi" else km

    def holds(self, facts: Facts) -> bool:
        value = self._distance(facts)
        return value is not None and _within(value, self.at_least, self.at_most, self.below)

    def wanted(self) -> str:
        return "distance " + _bounds(self.at_least, self.at_most, self.below,
                                     lambda bound: f"{bound:g} {self.unit}")

    def why_not(self, facts: Facts) -> str:
        value = self._distance(facts)
        said = "unknown" if value is None else f"{value:,.1f} {self.unit}"
        return f"distance is {said}, wanted {self.wanted()}"


@dataclass(frozen=True, slots=True)
class Is(Condition):
    """A yes-or-no fact (`from_nearest`, `guaranteed`) is `value`."""

    field: str
    value: bool

    def holds(self, facts: Facts) -> bool:
        return bool(getattr(facts, self.field)) == self.value

    def wanted(self) -> str:
        return f"{self.field} {str(self.value).lower()}"

    def why_not(self, facts: Facts) -> str:
        return (f"{self.field} is {str(bool(getattr(facts, self.field))).lower()}, "
                f"wanted {str(self.value).lower()}")


class Quantifier(StrEnum):
    ANY = "any"
    ALL = "all"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Lines(Condition):
    """Any / all / none of the cart's lines match: SKU in `skus`, a tag in `tags`, and
    backordered (some unit not on hand) or not; unset parts match every line."""

    quantifier: Quantifier
    skus: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    backordered: bool | None = None

    def _matches(self, line: LineFacts) -> bool:
        return ((self.skus is None or line.sku in self.skus)
                and (self.tags is None or not line.tags.isdisjoint(self.tags))
                and (self.backordered is None or line.backordered == self.backordered))

    def holds(self, facts: Facts) -> bool:
        matches = [self._matches(line) for line in facts.lines]
        if self.quantifier is Quantifier.ANY:
            return any(matches)
        if self.quantifier is Quantifier.ALL:
            return all(matches)
        return not any(matches)

    def wanted(self) -> str:
        parts = ", ".join(
            f"{name} {_show(value)}" for name, value in
            (("sku", self.skus), ("tags", self.tags), ("backordered", self.backordered))
            if value is not None)
        return f"{self.quantifier} lines with {parts or 'anything'}"

    def why_not(self, facts: Facts) -> str:
        matching = [line.sku for line in facts.lines if self._matches(line)]
        return (f"wanted {self.wanted()}; lines matching: "
                f"{_show(matching) if matching else 'none'} of {len(facts.lines)}")


@dataclass(frozen=True, slots=True)
class AllOf(Condition):
    """Every condition holds: what a `when:` mapping (or a `not:` of several) means."""

    conditions: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return all(c.holds(facts) for c in self.conditions)

    def wanted(self) -> str:
        return " and ".join(c.wanted() for c in self.conditions)

    def why_not(self, facts: Facts) -> str:
        for condition in self.conditions:
            if not condition.holds(facts):
                return condition.why_not(facts)
        return f"wanted {self.wanted()}, and it holds"


@dataclass(frozen=True, slots=True)
class Not(Condition):
    condition: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.condition.holds(facts)

    def wanted(self) -> str:
        return f"not {self.condition.wanted()}"

    def why_not(self, facts: Facts) -> str:
        return f"wanted {self.wanted()}, but it holds"


RANGE_FIELDS: Mapping[str, str] = {
    "subtotal": "subtotal", "weight": "grams", "item_count": "item_count",
    "restock_days": "restock_days", "shipments": "shipments",
}
"""Range conditions by YAML name -> the `Facts` field they compare."""

SET_FIELDS: Mapping[str, str] = {
    "stock": "stock", "plan": "plan", "zone": "zone", "country": "country",
    "region": "region", "service": "service", "carrier": "carrier",
    "location": "locations", "customer_tags": "customer_tags",
}
"""Membership conditions by YAML name -> the `Facts` field they compare."""
