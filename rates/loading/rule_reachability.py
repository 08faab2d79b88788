"""Price rules that can never apply, because an earlier rule always stops first.

A price rule with `stop` ends the price rules for an option when it applies (DESIGN
section 5). A later price rule is unreachable when, whenever its own conditions hold, an
earlier stop rule certainly applies too. That is certain only when the earlier rule:
- is a price rule (hide and block ignore `stop`, and run after the price rules anyway);
- acts on every shipment (`shipments: backordered` or `in_stock` applies only to options
  that have such shipments, and stops nothing otherwise);
- asks nothing the later rule does not: each of its conditions is implied by one of the
  later rule's (the same condition, or one that asks for less: a subset of the values, a
  narrower range, a longer postcode prefix). No conditions at all stops every option.
Anything subtler (conditions implied only together, through `not`, or by what the cart
can be) is not claimed: a warning is always a rule that truly never applies; a rule that
never applies for a subtler reason may go unflagged. Hide and block rules are never
unreachable: `stop` does not reach them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rates.domain.rules.actions import Scope
from rates.domain.rules.conditions import Between, Condition, OneOf, PostcodePrefix
from rates.domain.rules.evaluation import Rule


def stopped_by(rules: Sequence[Rule]) -> Iterator[tuple[int, int]]:
    """(index, the index of the first earlier rule that always stops before it could
    apply) for each rule that can never apply, in order. Only the stop rules are compared,
    so a file of a thousand rules and a few stops is read in linear time."""
    stoppers: list[int] = []
    for index, rule in enumerate(rules):
        if rule.is_visibility:
            continue
        stopper = next((i for i in stoppers if _implied(rules[i], rule)), None)
        if stopper is not None:
            yield index, stopper
        if rule.stop and rule.scope is Scope.ALL and not rule.leaving:
            stoppers.append(index)


def _implied(earlier: Rule, later: Rule) -> bool:
    """Whether each of `earlier`'s conditions holds whenever `later`'s all do."""
    return all(any(implies(mine, theirs) for mine in later.when) for theirs in earlier.when)


def implies(given: Condition, wanted: Condition) -> bool:
    """True when every option for which `given` holds also satisfies `wanted`; False when
    that is not certain from the two conditions alone."""
    if given == wanted:
        return True
    if isinstance(given, OneOf) and isinstance(wanted, OneOf):
        # For set-valued facts (locations, tags) "any member is in values": still implied.
        return given.field == wanted.field and given.values <= wanted.values
    if isinstance(given, Between) and isinstance(wanted, Between):
        return given.field == wanted.field and _within(given, wanted)
    if isinstance(given, PostcodePrefix) and isinstance(wanted, PostcodePrefix):
        return all(prefix.startswith(wanted.prefixes) for prefix in given.prefixes)
    return False


def _within(inner: Between, outer: Between) -> bool:
    """Every value `inner` admits, `outer` admits: each bound of `outer` is met by one of
    `inner`'s (at_least <= v; v <= at_most; v < below)."""
    low = outer.at_least is None or (inner.at_least is not None
                                      and outer.at_least <= inner.at_least)
    most = outer.at_most is None or (
        (inner.at_most is not None and inner.at_most <= outer.at_most)
        or (inner.below is not None and inner.below <= outer.at_most))
    below = outer.below is None or (
        (inner.below is not None and inner.below <= outer.below)
        or (inner.at_most is not None and inner.at_most < outer.below))
    return low and most and below
