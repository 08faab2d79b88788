"""The merchant's compiled rules: typed conditions, one action each, evaluated with a trace.

Evaluation of one option (DESIGN section 5):
- price rules (`set`, `adjust`, `clamp`, `label`) run top to bottom in file order; a rule
  whose conditions all hold applies, and with `stop` it ends the price rules for the option;
- then every `hide` and `block` rule is tested, whatever `stop` said: visibility is policy,
  not price;
- a price never goes below zero: each step floors every shipment's price at zero, so a
  discount larger than the price makes the shipment free.
Option-wide amounts are spread over the shipments in proportion to their prices, so the
shipments always add up to the option's price.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from rates.domain.money import Money, distribute, total

# -- what a rule can see --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineFacts:
    sku: str
    tags: frozenset[str]
    backordered: bool


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything a condition may test, for one option. Cart-wide values describe the units
    that can ship (unavailable units are neither priced nor counted)."""

    stock: str
    plan: str
    service: str
    carrier: str
    zone: str | None
    country: str
    region: str | None
    postcode: str | None
    subtotal: Money
    grams: int
    item_count: int
    restock_days: int
    shipments: int
    locations: frozenset[str]
    customer_tags: frozenset[str]
    lines: tuple[LineFacts, ...]


class Condition(Protocol):
    def holds(self, facts: Facts) -> bool: ...

    def wanted(self) -> str:
        """What the condition asks for, in the rule file's words."""
        ...

    def why_not(self, facts: Facts) -> str:
        """The condition and the actual value, for a person reading `--explain`."""
        ...


def _show(value: object) -> str:
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, frozenset | set | tuple | list):
        return "[" + ", ".join(sorted(str(v) for v in value)) + "]"
    return "none" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class OneOf:
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
class PostcodePrefix:
    prefixes: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        code = (facts.postcode or "").replace(" ", "").upper()
        return any(code.startswith(p) for p in self.prefixes)

    def wanted(self) -> str:
        return f"postcode starting with one of {_show(self.prefixes)}"

    def why_not(self, facts: Facts) -> str:
        return f"postcode is {_show(facts.postcode)}, wanted {self.wanted()}"


@dataclass(frozen=True, slots=True)
class Between:
    """`at_least` <= value, value <= `at_most`, value < `below`; each bound optional.

    Works for money (subtotal), grams (weight) and whole numbers alike."""

    field: str
    at_least: Any = None
    at_most: Any = None
    below: Any = None

    def holds(self, facts: Facts) -> bool:
        value = getattr(facts, self.field)
        return ((self.at_least is None or value >= self.at_least)
                and (self.at_most is None or value <= self.at_most)
                and (self.below is None or value < self.below))

    def wanted(self) -> str:
        bounds = [f"{name} {_show(bound)}" for name, bound in
                  (("at least", self.at_least), ("at most", self.at_most),
                   ("below", self.below)) if bound is not None]
        return f"{self.field} {' and '.join(bounds)}"

    def why_not(self, facts: Facts) -> str:
        return f"{self.field} is {_show(getattr(facts, self.field))}, wanted {self.wanted()}"


class Quantifier(StrEnum):
    ANY = "any"
    ALL = "all"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Lines:
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
class AllOf:
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
class Not:
    condition: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.condition.holds(facts)

    def wanted(self) -> str:
        return f"not {self.condition.wanted()}"

    def why_not(self, facts: Facts) -> str:
        return f"wanted {self.wanted()}, but it holds"


# -- what a rule can do -----------------------------------------------------------------


class Scope(StrEnum):
    """Which of an option's shipments an action changes."""

    ALL = "all"
    BACKORDERED = "backordered"
    IN_STOCK = "in_stock"


class Per(StrEnum):
    """What an amount counts against: the scoped shipments together, each, or each unit."""

    OPTION = "option"
    SHIPMENT = "shipment"
    ITEM = "item"


@dataclass(slots=True)
class Draft:
    """An option while rules shape it: one price per shipment, a label, visibility."""

    facts: Facts
    prices: list[Money]
    backordered: list[bool]
    units: list[int]
    label: str
    service_name: str
    trace: list[TraceEntry] = field(default_factory=list)
    hidden_by: str | None = None
    blocked: tuple[str, str] | None = None

    @property
    def price(self) -> Money:
        return total(self.prices, self.facts.subtotal.currency)

    def scoped(self, scope: Scope) -> list[int]:
        if scope is Scope.ALL:
            return list(range(len(self.prices)))
        want = scope is Scope.BACKORDERED
        return [i for i, b in enumerate(self.backordered) if b == want]


@dataclass(frozen=True, slots=True)
class SetPrice:
    amount: Money
    per: Per = Per.OPTION

    def apply(self, draft: Draft, shipments: list[int]) -> None:
        for i, part in zip(shipments, _amounts(self.amount, self.per, draft, shipments),
                           strict=True):
            draft.prices[i] = part

    def describe(self) -> str:
        return f"set {self.amount.amount}" + ("" if self.per is Per.OPTION else f" per {self.per}")


@dataclass(frozen=True, slots=True)
class Adjust:
    """A surcharge or discount: a signed `amount`, or a signed `percent` of the price."""

    amount: Money | None = None
    percent: Decimal | None = None
    per: Per = Per.OPTION

    def apply(self, draft: Draft, shipments: list[int]) -> None:
        if self.percent is not None:
            for i in shipments:
                draft.prices[i] = draft.prices[i] + draft.prices[i].percent(self.percent)
            return
        assert self.amount is not None  # noqa: S101 - the loader guarantees one of the two
        for i, part in zip(shipments, _amounts(self.amount, self.per, draft, shipments),
                           strict=True):
            draft.prices[i] = draft.prices[i] + part

    def describe(self) -> str:
        if self.percent is not None:
            return f"adjust {self.percent:+}%"
        assert self.amount is not None  # noqa: S101
        per = "" if self.per is Per.OPTION else f" per {self.per}"
        return f"adjust {self.amount.signed()}{per}"


@dataclass(frozen=True, slots=True)
class Clamp:
    """Keep the scoped shipments' total price within [minimum, maximum]."""

    minimum: Money | None = None
    maximum: Money | None = None

    def apply(self, draft: Draft, shipments: list[int]) -> None:
        current = total((draft.prices[i] for i in shipments), draft.facts.subtotal.currency)
        target = current
        if self.minimum is not None and target < self.minimum:
            target = self.minimum
        if self.maximum is not None and self.maximum < target:
            target = self.maximum
        if target != current:
            SetPrice(target).apply(draft, shipments)

    def describe(self) -> str:
        low = self.minimum.amount if self.minimum else "-"
        high = self.maximum.amount if self.maximum else "-"
        return f"clamp {low}..{high}"


@dataclass(frozen=True, slots=True)
class Label:
    """A new label for shoppers; `{service}` (its name, "UPS Ground"), `{plan}` and
    `{label}` (the current label) are filled in."""

    text: str

    def apply(self, draft: Draft, shipments: list[int]) -> None:
        draft.label = self.text.format_map(
            {"service": draft.service_name, "plan": draft.facts.plan, "label": draft.label})

    def describe(self) -> str:
        return f"label {self.text!r}"


@dataclass(frozen=True, slots=True)
class Hide:
    """Withhold the option silently."""

    def describe(self) -> str:
        return "hide"


@dataclass(frozen=True, slots=True)
class Block:
    """Withhold the option and tell the shopper why (the message joins the quote's)."""

    message: str

    def describe(self) -> str:
        return f"block: {self.message}"


PriceAction = SetPrice | Adjust | Clamp | Label
Action = PriceAction | Hide | Block


def _amounts(amount: Money, per: Per, draft: Draft, shipments: list[int]) -> list[Money]:
    """`amount` turned into one part per scoped shipment, as `per` says."""
    if per is Per.SHIPMENT:
        return [amount for _ in shipments]
    if per is Per.ITEM:
        return [amount.times(draft.units[i]) for i in shipments]
    return distribute(amount, [draft.prices[i].amount for i in shipments])


# -- rules and their evaluation -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """`when` all hold -> `action` on the shipments in `scope`. `source` is "file:line"."""

    id: str
    when: tuple[Condition, ...]
    action: Action
    scope: Scope = Scope.ALL
    stop: bool = False
    source: str = ""

    @property
    def is_visibility(self) -> bool:
        return isinstance(self.action, Hide | Block)

    def first_failure(self, facts: Facts) -> Condition | None:
        for condition in self.when:
            if not condition.holds(facts):
                return condition
        return None


@dataclass(frozen=True, slots=True)
class RuleApplied:
    rule: str
    effect: str
    price: Money


@dataclass(frozen=True, slots=True)
class RuleSkipped:
    rule: str
    reason: str


TraceEntry = RuleApplied | RuleSkipped


def evaluate(rules: Sequence[Rule], draft: Draft, *, explain: bool = False) -> Draft:
    """Apply `rules` to `draft` in place (see the module docstring); returns it.

    With `explain`, every rule that did not apply leaves a `RuleSkipped` saying why.
    """
    stopped_by: str | None = None
    for rule in rules:
        action = rule.action
        if isinstance(action, Hide | Block):
            continue
        if stopped_by is not None:
            if explain:
                draft.trace.append(RuleSkipped(rule.id, f"after stop in {stopped_by}"))
            continue
        if not _matches(rule, draft, explain=explain):
            continue
        shipments = draft.scoped(rule.scope)
        if not shipments:
            if explain:
                draft.trace.append(RuleSkipped(rule.id, f"no {rule.scope} shipments"))
            continue
        before = draft.price
        action.apply(draft, shipments)
        if any(p.amount < 0 for p in draft.prices):
            draft.prices = [p.floor_zero() for p in draft.prices]
        after = draft.price
        effect = (after - before).signed() if after != before else rule.action.describe()
        draft.trace.append(RuleApplied(rule.id, effect, after))
        if rule.stop:
            stopped_by = rule.id
    for rule in rules:
        if not rule.is_visibility or not _matches(rule, draft, explain=explain):
            continue
        if isinstance(rule.action, Block):
            draft.blocked = draft.blocked or (rule.id, rule.action.message)
        else:
            draft.hidden_by = draft.hidden_by or rule.id
        draft.trace.append(RuleApplied(rule.id, rule.action.describe(), draft.price))
    return draft


def withheld_by(rules: Sequence[Rule], facts: Facts) -> tuple[str | None, tuple[str, str] | None]:
    """(the first hiding rule, the first blocking rule and its message) that match `facts`,
    as `evaluate` would find them. Visibility rules read only the facts, never the price,
    so an option can be known withheld before it is priced."""
    hidden_by, blocked = None, None
    for rule in rules:
        action = rule.action
        if isinstance(action, Hide | Block) and rule.first_failure(facts) is None:
            if isinstance(action, Block):
                blocked = blocked or (rule.id, action.message)
            else:
                hidden_by = hidden_by or rule.id
    return hidden_by, blocked


def _matches(rule: Rule, draft: Draft, *, explain: bool) -> bool:
    failed = rule.first_failure(draft.facts)
    if failed is None:
        return True
    if explain:
        draft.trace.append(RuleSkipped(rule.id, failed.why_not(draft.facts)))
    return False

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


INDEXED_FIELDS = ("plan", "service", "carrier", "stock")
OPTION_FIELDS = frozenset({"plan", "service", "carrier", "shipments", "locations"})
"""Facts that differ between the options of one quote; every other fact is the cart's."""


def _option_level(condition: Condition) -> bool:
    """Whether `condition` can hold for one option of a cart and fail for another."""
    if isinstance(condition, OneOf | Between):
        return condition.field in OPTION_FIELDS
    if isinstance(condition, Not):
        return _option_level(condition.condition)
    if isinstance(condition, AllOf):
        return any(_option_level(inner) for inner in condition.conditions)
    return False  # postcode and line conditions read the cart only


class RuleIndex:
    """Which rules can apply to an option, found without testing all of them.

    Outside explain mode (which must account for every rule) a quote asks `for_cart`
    once: the conditions on cart-wide facts (stock, destination, subtotal, lines, ...)
    are the same for all its options, so they are tested once per quote, not once per
    option. The rules left are then filtered per option by plan, service, carrier and
    stock, from `OneOf` conditions indexed when the ruleset is built. Skipping a rule
    whose conditions cannot all hold changes nothing but the explain trace.
    """

    __slots__ = ("_rules", "_needs", "_cart_conditions")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = tuple(rules)
        self._needs = tuple(
            tuple((c.field, c.values) for c in rule.when
                  if isinstance(c, OneOf) and c.field in INDEXED_FIELDS)
            for rule in self._rules)
        self._cart_conditions = tuple(
            tuple(c for c in rule.when if not _option_level(c)) for rule in self._rules)

    def for_cart(self, facts: Facts) -> CartRules:
        """The rules whose cart-wide conditions hold for `facts`' cart."""
        return CartRules([
            (rule, needs) for rule, needs, conditions
            in zip(self._rules, self._needs, self._cart_conditions, strict=True)
            if all(condition.holds(facts) for condition in conditions)])


class CartRules:
    """One cart's admissible rules, with the candidates per option key kept."""

    __slots__ = ("_admitted", "_memo")

    def __init__(self, admitted: list[tuple[Rule, tuple[tuple[str, frozenset[str]], ...]]]):
        self._admitted = admitted
        self._memo: dict[tuple[str, ...], tuple[Rule, ...]] = {}

    def candidates(self, facts: Facts) -> tuple[Rule, ...]:
        """The rules that may apply to this option, in file order."""
        key = (facts.plan, facts.service, facts.carrier, facts.stock)
        found = self._memo.get(key)
        if found is None:
            known = dict(zip(INDEXED_FIELDS, key, strict=True))
            found = tuple(rule for rule, needs in self._admitted
                          if all(known[name] in values for name, values in needs))
            self._memo[key] = found
        return found
