"""A rule, and how an option's rules apply to it, with a trace of what each did.

Evaluation of one option (DESIGN section 5):
- price rules (`set`, `adjust`, `clamp`, `label`) run top to bottom in file order; a rule
  whose conditions all hold applies, and with `stop` it ends the price rules for the option;
- then every `hide` and `block` rule is tested, whatever `stop` said: visibility is policy,
  not price;
- a price never goes below zero: each step floors every shipment's price at zero, so a
  discount larger than the price makes the shipment free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from rates.domain.money import Money, add_up, format_units
from rates.domain.rules.actions import Action, Block, Draft, Hide, Label, PriceAction, Scope
from rates.domain.rules.conditions import Condition
from rates.domain.rules.facts import Facts


@dataclass(frozen=True, slots=True)
class Rule:
    """`when` all hold -> `action` on the shipments in `scope`. `source` is "file:line"."""

    id: str
    when: tuple[Condition, ...]
    action: Action
    scope: Scope = Scope.ALL
    stop: bool = False
    source: str = ""
    leaving: frozenset[str] = frozenset()
    """With locations, the action prices only the shipments that leave from them."""
    within: tuple[Scope, frozenset[str]] | None = field(init=False, repr=False, compare=False)
    """(scope, leaving), or None for every shipment: what `evaluate` asks of an option
    once for all the rules that share it, worked out once per rule."""
    price: PriceAction | None = field(init=False, repr=False, compare=False)
    """The action of a price rule, typed as one (None for `hide` and `block`):
    `evaluate` calls it with no test of its kind per rule."""
    lowers: bool = field(init=False, repr=False, compare=False)
    """Whether the action can take a shipment's price below zero (see `actions`)."""
    labels: bool = field(init=False, repr=False, compare=False)
    """Whether the action is a `Label`, whose applying a checkout's trace records."""

    def __post_init__(self) -> None:
        everywhere = self.scope is Scope.ALL and not self.leaving
        object.__setattr__(self, "within", None if everywhere else (self.scope, self.leaving))
        action = self.action
        price = None if isinstance(action, Hide | Block) else action
        object.__setattr__(self, "price", price)
        object.__setattr__(self, "lowers", price is not None and price.lowers)
        object.__setattr__(self, "labels", isinstance(action, Label))

    @property
    def is_visibility(self) -> bool:
        return self.price is None


class RuleApplied:
    """A rule that applied: how much it changed the option's price and the price after
    it, in minor units, and its action.

    A plain class, its equality written out: a quote of stacked rules records a thousand
    of these. Compiled (docs/architecture.md, "The compiled domain") it is built in place,
    in a fifth of a named tuple's time (`tuple.__new__` is a Python-level call); run as
    Python it costs what the named tuple did, where a frozen dataclass's written-out
    `__init__` (`object.__setattr__`) costs four times as much. Compiled, its `Final`
    fields are read-only.
    """

    __slots__ = ("rule", "change", "cents", "currency", "action")

    def __init__(self, rule: str, change: int, cents: int, currency: str,
                 action: Action) -> None:
        self.rule: Final = rule
        self.change: Final = change
        self.cents: Final = cents
        self.currency: Final = currency
        self.action: Final = action

    def _fields(self) -> tuple[str, int, int, str, Action]:
        return self.rule, self.change, self.cents, self.currency, self.action

    def __eq__(self, other: object) -> bool:
        """Equal fields, as the named tuple was: an option's trace compares by value."""
        return isinstance(other, RuleApplied) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"RuleApplied(rule={self.rule!r}, change={self.change!r}, "
                f"cents={self.cents!r}, currency={self.currency!r}, action={self.action!r})")

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

    With `explain`, the trace holds every rule: each that applied, and each that did not
    with why. Without, it holds only the `label` rules that applied, which are what
    rewording the label in another locale replays (`rates.domain.quote.labels`): prices
    and labels are the same either way, and a checkout's quote does not record the
    hundreds of rules a stacked setup applies (a sixth of a thousand-rule quote's time,
    with the garbage collector's passes over them).
    An option meets dozens of rules per quote, so the loop keeps the option's price as a
    running total (each action says by how much it moved it), floors the shipments only
    after an action that can take one below zero, and asks for each scope's shipments
    once.
    """
    shortlist = rules if isinstance(rules, Shortlist) else Shortlist.of(rules)
    facts, trace, currency, cents = draft.facts, draft.trace, draft.currency, draft.cents
    every = list(range(len(cents)))
    scopes: dict[tuple[Scope, frozenset[str]], list[int]] = {}
    stopped_by: str | None = None
    total = add_up(cents)
    unsure = any(c < 0 for c in cents)  # floored by the first rule applied, as ever
    for rule, untested in shortlist.prices:
        if stopped_by is not None:
            if explain:
                trace.append(RuleSkipped(rule.id, f"after stop in {stopped_by}"))
            continue
        if untested and not _holds(rule, untested, facts, trace, explain=explain):
            continue
        within = rule.within
        if within is None:
            shipments = every
        else:
            scoped = scopes.get(within)
            if scoped is None:
                scoped = scopes[within] = draft.scoped(*within)
            shipments = scoped
            if not shipments:
                if explain:
                    leaving = (f" from {', '.join(sorted(rule.leaving))}" if rule.leaving
                               else "")
                    trace.append(RuleSkipped(rule.id, f"no {rule.scope} shipments{leaving}"))
                continue
        before = total
        action = rule.price
        assert action is not None  # noqa: S101 - a price rule's, by the shortlist
        total += action.apply(draft, shipments, total)
        if (unsure or rule.lowers) and any(c < 0 for c in cents):
            cents[:] = [max(c, 0) for c in cents]
            total = add_up(cents)
        unsure = False
        if explain or rule.labels:
            trace.append(RuleApplied(rule.id, total - before, total, currency, action))
        if rule.stop:
            stopped_by = rule.id
    for rule, untested in shortlist.visibility:
        if untested and not _holds(rule, untested, facts, trace, explain=explain):
            continue
        if isinstance(rule.action, Block):
            draft.blocked = draft.blocked or (rule.id, rule.action.message)
        else:
            draft.hidden_by = draft.hidden_by or rule.id
        trace.append(RuleApplied(rule.id, 0, total, currency, rule.action))
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
