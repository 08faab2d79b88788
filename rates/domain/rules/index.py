"""Which rules can apply to an option, found without testing all of them.

A ruleset of a thousand rules, most of them aimed at other carts, postcodes or services,
must not cost a quote a thousand tests per option: rules are filed under one of their
membership or postcode conditions, and what can be known once per cart (or per plan,
service, carrier and stock) is tested once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TypeGuard

from rates.domain.cart import postcode_key
from rates.domain.rules.conditions import (
    AllOf,
    Between,
    Condition,
    Distance,
    Is,
    Not,
    OneOf,
    PostcodePrefix,
)
from rates.domain.rules.evaluation import Rule, Shortlist
from rates.domain.rules.facts import Facts
from rates.domain.tables import Bounded

INDEXED_FIELDS = ("plan", "service", "carrier", "stock")
OPTION_FIELDS = frozenset({"plan", "service", "carrier", "shipments", "locations",
                           "distance_km", "from_nearest", "guaranteed"})
"""Facts that differ between the options of one quote; every other fact is the cart's."""

BUCKET_FIELDS = ("customer_tags", "postcode", "service", "region", "zone", "carrier", "plan",
                 "country", "stock")
"""Facts a rule can be filed under, the usually most selective first: membership facts,
and the postcode, filed by prefix. Each is either the cart's or an indexed option fact, so
one quote's options that agree on the indexed facts find the same rules."""

OPTION_BUCKETS = tuple(name for name in BUCKET_FIELDS if name in OPTION_FIELDS)
"""The option facts rules are filed under: each option looks up its own values there."""

CART_FACTS = tuple(i for i, name in enumerate(Facts._fields) if name not in OPTION_FIELDS)
"""The positions in `Facts` of the cart-wide facts: what decides a cart's rules."""

CARTS_LIMIT = 64
"""How many carts' rules an index keeps for later quotes (carts come without end)."""


def _option_level(condition: Condition) -> bool:
    """Whether `condition` can hold for one option of a cart and fail for another."""
    if isinstance(condition, OneOf | Between | Distance | Is):
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

Place = tuple[str, str | None]
"""Where rules are filed: a fact and one of its values (a postcode prefix, for the
postcode). A cart's own value may be None (no region, no zone): no rule is filed there."""

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
                 "entries", "filed", "_carts")

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
        filed: dict[Place, list[int]] = {}
        for position, rule in enumerate(self.rules):
            under = _filed_under(rule)
            for key in ([(under[0], value) for value in under[1]] if under else [UNFILED]):
                filed.setdefault(key, []).append(position)
        self.filed: dict[Place, tuple[int, ...]] = {
            key: tuple(positions) for key, positions in filed.items()}
        self._carts: Bounded[tuple[object, ...], CartRules] = Bounded(CARTS_LIMIT)

    @staticmethod
    def cart_places(facts: Facts) -> list[Place]:
        """Where the rules that may apply to `facts`' cart are filed, leaving out the
        option facts (`OPTION_BUCKETS`): the same for every option of a quote."""
        found: list[Place] = [UNFILED]
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
        """The rules for `facts`' cart: any option of it will do. Kept per cart-wide
        facts, with the shortlists found for its options: a later quote of a cart with
        the same facts (the same cart to the same place, or another that looks the same
        to the rules) finds them made."""
        key = tuple(facts[i] for i in CART_FACTS)
        found = self._carts.get(key)
        if found is None:
            found = self._carts.keep(key, CartRules(self, facts))
        return found


class CartRules:
    """One cart's rules: each place's rules whose cart-wide conditions hold, found once
    per cart-wide facts (the index keeps them for later quotes) and grouped by what they
    need of the indexed option facts; candidates kept per plan, service, carrier and
    stock."""

    __slots__ = ("_index", "_facts", "_admitted", "_memo", "_cart_groups")

    def __init__(self, index: RuleIndex, facts: Facts) -> None:
        self._index = index
        self._facts = facts
        self._admitted: dict[Place, Groups] = {}
        self._memo: dict[tuple[str, ...], Shortlist] = {}
        # Filed under the cart's own facts (or nothing): every option of the quote meets
        # them. (A cart may have several tags and postcode prefixes a rule is filed under.)
        self._cart_groups = self._grouped(
            {p for place in index.cart_places(facts) for p in self._holding(place)})

    def _holding(self, place: Place) -> list[int]:
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

    def _admitted_at(self, place: Place) -> Groups:
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
