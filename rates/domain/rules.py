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

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple, Protocol, TypeGuard

from rates.domain.cart import postcode_key
from rates.domain.money import Money, add_shares, format_units, percent_ratio, split

# -- what a rule can see --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineFacts:
    sku: str
    tags: frozenset[str]
    backordered: bool


class Facts(NamedTuple):
    """Everything a condition may test, for one option. Cart-wide values describe the units
    that can ship (unavailable units are neither priced nor counted). A NamedTuple, since
    every option of every quote builds one, and a tuple is built three times faster than
    a frozen dataclass."""

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
    """An option while rules shape it: one price per shipment, in minor units of the
    facts' currency (exact integers: an option meets dozens of rules per quote), a label,
    visibility."""

    facts: Facts
    cents: list[int]
    backordered: Sequence[bool]
    units: Sequence[int]
    label: str
    service_name: str
    trace: list[TraceEntry] = field(default_factory=list)
    hidden_by: str | None = None
    blocked: tuple[str, str] | None = None

    @property
    def currency(self) -> str:
        return self.facts.subtotal.currency

    @property
    def prices(self) -> list[Money]:
        return [Money.of_units(c, self.currency) for c in self.cents]

    @property
    def price(self) -> Money:
        return Money.of_units(sum(self.cents), self.currency)

    def scoped(self, scope: Scope) -> list[int]:
        if scope is Scope.ALL:
            return list(range(len(self.cents)))
        want = scope is Scope.BACKORDERED
        return [i for i, b in enumerate(self.backordered) if b == want]


def _in_units(money: Money | None) -> int | None:
    return None if money is None else money.units


@dataclass(frozen=True, slots=True)
class SetPrice:
    amount: Money
    per: Per = Per.OPTION
    _cents: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cents", self.amount.units)

    def apply(self, draft: Draft, shipments: list[int]) -> None:
        for i, part in zip(shipments, _amounts(self._cents, self.per, draft, shipments),
                           strict=True):
            draft.cents[i] = part

    def describe(self) -> str:
        return f"set {self.amount.amount}" + ("" if self.per is Per.OPTION else f" per {self.per}")


@dataclass(frozen=True, slots=True)
class Adjust:
    """A surcharge or discount: a signed `amount`, or a signed `percent` of the price."""

    amount: Money | None = None
    percent: Decimal | None = None
    per: Per = Per.OPTION
    _cents: int | None = field(init=False, repr=False, compare=False)
    _ratio: tuple[int, int] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cents", _in_units(self.amount))
        object.__setattr__(self, "_ratio", None if self.percent is None
                           else percent_ratio(self.percent))

    def apply(self, draft: Draft, shipments: list[int]) -> None:
        cents = draft.cents
        ratio = self._ratio
        if ratio is not None:
            add_shares(cents, shipments, ratio)
            return
        assert self._cents is not None  # noqa: S101 - the loader guarantees one of the two
        for i, part in zip(shipments, _amounts(self._cents, self.per, draft, shipments),
                           strict=True):
            cents[i] += part

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
    _bounds: tuple[int | None, int | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_bounds", (_in_units(self.minimum), _in_units(self.maximum)))

    def apply(self, draft: Draft, shipments: list[int]) -> None:
        current = sum(draft.cents[i] for i in shipments)
        low, high = self._bounds
        target = current
        if low is not None and target < low:
            target = low
        if high is not None and high < target:
            target = high
        if target != current:
            for i, part in zip(shipments, _amounts(target, Per.OPTION, draft, shipments),
                               strict=True):
                draft.cents[i] = part

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


def _amounts(cents: int, per: Per, draft: Draft, shipments: list[int]) -> list[int]:
    """`cents` turned into one part per scoped shipment, as `per` says."""
    if per is Per.SHIPMENT:
        return [cents] * len(shipments)
    if per is Per.ITEM:
        return [cents * draft.units[i] for i in shipments]
    return split(cents, [draft.cents[i] for i in shipments])


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


class RuleApplied(NamedTuple):
    """A rule that applied: how much it changed the option's price and the price after
    it, in minor units, and its action. A named tuple: a quote of stacked rules records a
    thousand of these, and a tuple is built in a third of a frozen dataclass's time."""

    rule: str
    change: int
    cents: int
    currency: str
    action: Action

    @property
    def effect(self) -> str:
        """What the rule did, as traces show it: the signed change of the price ("+3.00",
        "-1.50"), or the action when the price did not move ("label '...'"). Worded
        only when written: a checkout's answer shows no trace."""
        if self.change:
            return ("+" if self.change > 0 else "") + format_units(self.change, self.currency)
        return self.action.describe()

    @property
    def price(self) -> Money:
        return Money.of_units(self.cents, self.currency)

    @property
    def price_text(self) -> str:
        return format_units(self.cents, self.currency)


class RuleSkipped(NamedTuple):
    """A rule that did not apply, and why (explain mode)."""

    rule: str
    reason: str


TraceEntry = RuleApplied | RuleSkipped


Pending = tuple[tuple[Rule, tuple[Condition, ...]], ...]
"""Rules, each with the conditions still to test for the option at hand."""


@dataclass(frozen=True, slots=True)
class Shortlist:
    """The rules that may apply to one option, price rules apart from visibility rules,
    in file order, each with the conditions not yet known to hold for it."""

    prices: Pending
    visibility: Pending

    @classmethod
    def of(cls, rules: Sequence[Rule]) -> Shortlist:
        """Every rule, with every condition still to test (explain mode, rule tests)."""
        prices: list[tuple[Rule, tuple[Condition, ...]]] = []
        visibility: list[tuple[Rule, tuple[Condition, ...]]] = []
        for rule in rules:
            (visibility if rule.is_visibility else prices).append((rule, rule.when))
        return cls(tuple(prices), tuple(visibility))


def evaluate(rules: Sequence[Rule] | Shortlist, draft: Draft, *,
             explain: bool = False) -> Draft:
    """Apply `rules` to `draft` in place (see the module docstring); returns it.

    With `explain`, every rule that did not apply leaves a `RuleSkipped` saying why.
    """
    shortlist = rules if isinstance(rules, Shortlist) else Shortlist.of(rules)
    facts, trace, currency = draft.facts, draft.trace, draft.currency
    scopes: dict[Scope, list[int]] = {}
    stopped_by: str | None = None
    before = sum(draft.cents)
    for rule, untested in shortlist.prices:
        if stopped_by is not None:
            if explain:
                trace.append(RuleSkipped(rule.id, f"after stop in {stopped_by}"))
            continue
        if untested and not _holds(rule, untested, facts, trace, explain=explain):
            continue
        shipments = scopes.get(rule.scope)
        if shipments is None:
            shipments = scopes[rule.scope] = draft.scoped(rule.scope)
        if not shipments:
            if explain:
                trace.append(RuleSkipped(rule.id, f"no {rule.scope} shipments"))
            continue
        rule.action.apply(draft, shipments)  # type: ignore[union-attr]  # price rules only
        if min(draft.cents) < 0:
            draft.cents = [max(c, 0) for c in draft.cents]
        after = sum(draft.cents)
        trace.append(RuleApplied(rule.id, after - before, after, currency, rule.action))
        before = after
        if rule.stop:
            stopped_by = rule.id
    for rule, untested in shortlist.visibility:
        if untested and not _holds(rule, untested, facts, trace, explain=explain):
            continue
        if isinstance(rule.action, Block):
            draft.blocked = draft.blocked or (rule.id, rule.action.message)
        else:
            draft.hidden_by = draft.hidden_by or rule.id
        trace.append(RuleApplied(rule.id, 0, sum(draft.cents), currency, rule.action))
    return draft


def withheld_by(shortlist: Shortlist, facts: Facts) -> tuple[str | None, tuple[str, str] | None]:
    """(the first hiding rule, the first blocking rule and its message) that match `facts`,
    as `evaluate` would find them. Visibility rules read only the facts, never the price,
    so an option can be known withheld before it is priced."""
    hidden_by, blocked = None, None
    for rule, untested in shortlist.visibility:
        if all(condition.holds(facts) for condition in untested):
            if isinstance(rule.action, Block):
                blocked = blocked or (rule.id, rule.action.message)
            else:
                hidden_by = hidden_by or rule.id
    return hidden_by, blocked


def _holds(rule: Rule, untested: tuple[Condition, ...], facts: Facts,
           trace: list[TraceEntry], *, explain: bool) -> bool:
    for condition in untested:
        if not condition.holds(facts):
            if explain:
                trace.append(RuleSkipped(rule.id, condition.why_not(facts)))
            return False
    return True


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

BUCKET_FIELDS = ("customer_tags", "postcode", "service", "region", "zone", "carrier", "plan",
                 "country", "stock")
"""Facts a rule can be filed under, the usually most selective first: membership facts,
and the postcode, filed by prefix. Each is either the cart's or an indexed option fact, so
one quote's options that agree on the indexed facts find the same rules."""

OPTION_BUCKETS = tuple(name for name in BUCKET_FIELDS if name in OPTION_FIELDS)
"""The option facts rules are filed under: each option looks up its own values there."""


def _option_level(condition: Condition) -> bool:
    """Whether `condition` can hold for one option of a cart and fail for another."""
    if isinstance(condition, OneOf | Between):
        return condition.field in OPTION_FIELDS
    if isinstance(condition, Not):
        return _option_level(condition.condition)
    if isinstance(condition, AllOf):
        return any(_option_level(inner) for inner in condition.conditions)
    return False  # postcode and line conditions read the cart only


def _indexed(condition: Condition) -> TypeGuard[OneOf]:
    return isinstance(condition, OneOf) and condition.field in INDEXED_FIELDS


def _filed_under(rule: Rule) -> tuple[str, Collection[str]] | None:
    """The fact `rule` is filed under and the values it is filed by: it can apply only
    to options whose fact is among those values (or whose postcode starts with one)."""
    members: dict[str, Collection[str]] = {
        c.field: c.values for c in rule.when if isinstance(c, OneOf)}
    members.update(("postcode", c.prefixes) for c in rule.when if isinstance(c, PostcodePrefix))
    return next(((name, members[name]) for name in BUCKET_FIELDS if name in members), None)


Needs = tuple[tuple[str, Collection[str]], ...]
"""A rule's conditions on the indexed option facts: (fact, the values it may take)."""

Groups = tuple[tuple[int, tuple[int, ...]], ...]
"""Rules (their positions in the index) grouped by the number of what they need."""

UNFILED = ("", "")
"""Where a rule without a membership condition is filed: every option looks there."""


class RuleIndex:
    """Which rules can apply to an option, found without testing all of them.

    Each rule is filed under one of its membership or postcode conditions (`service:
    ups/ground`, `region: [IL, WI]`, `postcode: [606]`, ...), so an option looks up its own
    values (and every prefix of its postcode) and meets only the rules filed under them,
    plus the few filed under nothing. Of those, the conditions on cart-wide facts are
    tested once per quote (`for_cart`), and the indexed option facts once per plan,
    service, carrier and stock. Outside explain mode (which must account for every rule)
    skipping a rule whose conditions cannot all hold changes nothing but the explain trace.
    """

    __slots__ = ("rules", "shown", "needs", "need_ids", "cart_conditions", "untested",
                 "entries", "filed")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.shown = tuple(rule.is_visibility for rule in self.rules)
        # What each rule needs of the indexed option facts; rules needing the same share
        # a number, so an option tests each distinct need once, not once per rule.
        distinct: dict[Needs, int] = {}
        self.need_ids = tuple(
            distinct.setdefault(tuple((c.field, c.values) for c in rule.when if _indexed(c)),
                                len(distinct))
            for rule in self.rules)
        self.needs = tuple(distinct)
        self.cart_conditions = tuple(
            tuple(c for c in rule.when if not _option_level(c)) for rule in self.rules)
        self.untested = tuple(
            tuple(c for c in rule.when if _option_level(c) and not _indexed(c))
            for rule in self.rules)
        self.entries = tuple(zip(self.rules, self.untested, strict=True))
        filed: dict[tuple[str, str], list[int]] = {}
        for position, rule in enumerate(self.rules):
            under = _filed_under(rule)
            for key in ([(under[0], value) for value in under[1]] if under else [UNFILED]):
                filed.setdefault(key, []).append(position)
        self.filed = {key: tuple(positions) for key, positions in filed.items()}

    @staticmethod
    def cart_places(facts: Facts) -> list[tuple[str, str]]:
        """Where the rules that may apply to `facts`' cart are filed, leaving out the
        option facts (`OPTION_BUCKETS`): the same for every option of a quote."""
        found = [UNFILED]
        for name in BUCKET_FIELDS:
            if name == "postcode":
                code = postcode_key(facts.postcode)
                found.extend((name, code[:length]) for length in range(len(code) + 1))
            elif name not in OPTION_FIELDS:
                value = getattr(facts, name)
                for member in value if isinstance(value, frozenset) else (value,):
                    found.append((name, member))
        return found

    def for_cart(self, facts: Facts) -> CartRules:
        """The rules for `facts`' cart: any option of it will do."""
        return CartRules(self, facts)


class CartRules:
    """One cart's rules: each place's rules whose cart-wide conditions hold, found once
    per quote and grouped by what they need of the indexed option facts; candidates kept
    per plan, service, carrier and stock."""

    __slots__ = ("_index", "_facts", "_admitted", "_memo", "_cart_groups")

    def __init__(self, index: RuleIndex, facts: Facts) -> None:
        self._index = index
        self._facts = facts
        self._admitted: dict[tuple[str, str], Groups] = {}
        self._memo: dict[tuple[str, ...], Shortlist] = {}
        # Filed under the cart's own facts (or nothing): every option of the quote meets
        # them. (A cart may have several tags and postcode prefixes a rule is filed under.)
        self._cart_groups = self._grouped(
            {p for place in index.cart_places(facts) for p in self._holding(place)})

    def _holding(self, place: tuple[str, str]) -> list[int]:
        """The rules filed at `place` whose conditions on cart-wide facts hold."""
        index, facts = self._index, self._facts
        return [p for p in index.filed.get(place, ())
                if all(c.holds(facts) for c in index.cart_conditions[p])]

    def _grouped(self, positions: Collection[int]) -> Groups:
        groups: dict[int, list[int]] = {}
        need_ids = self._index.need_ids
        for p in positions:
            groups.setdefault(need_ids[p], []).append(p)
        return tuple((need, tuple(members)) for need, members in groups.items())

    def _admitted_at(self, place: tuple[str, str]) -> Groups:
        admitted = self._admitted.get(place)
        if admitted is None:
            admitted = self._admitted[place] = self._grouped(self._holding(place))
        return admitted

    def candidates(self, facts: Facts) -> Shortlist:
        """The rules that may apply to this option, with what is left to test of each:
        the conditions on facts that differ between options of the same plan, service,
        carrier and stock (shipments, locations)."""
        key = (facts.plan, facts.service, facts.carrier, facts.stock)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._shortlist(facts, key)
        return found

    def _shortlist(self, facts: Facts, key: tuple[str, ...]) -> Shortlist:
        known = dict(zip(INDEXED_FIELDS, key, strict=True))
        needs = self._index.needs
        met: dict[int, bool] = {}
        # A rule is filed under one fact, and an option fact has one value: no rule is
        # met twice across the cart's places and the option's.
        positions: list[int] = []
        for groups in (self._cart_groups, *(self._admitted_at((name, getattr(facts, name)))
                                            for name in OPTION_BUCKETS)):
            for need, members in groups:
                ok = met.get(need)
                if ok is None:
                    ok = met[need] = all(known[name] in values for name, values in needs[need])
                if ok:
                    positions.extend(members)
        positions.sort()
        entries, shown = self._index.entries, self._index.shown
        prices = [entries[p] for p in positions if not shown[p]]
        visibility = [entries[p] for p in positions if shown[p]]
        return Shortlist(tuple(prices), tuple(visibility))
