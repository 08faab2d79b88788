"""What a rule change would do to real carts: every cart quoted under the old and the new
rules, on the same config, carriers, inventory and clock, and every difference listed.

This is the preview a merchant wants before publishing rules. An option is compared by id
("together/ups/ground"): first whether the shopper sees it (offered, withheld by which
rule, or absent), then, when it is offered under both, its price, delivery window and
label. A withheld option's would-be price is not a change anyone pays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from rates.domain.errors import RatesError
from rates.domain.money import Money, total
from rates.domain.quote.result import Option, Quote
from rates.domain.stock import DateRange
from rates.ruletools.replay import CartRefused, Replay
from rates.ruletools.visibility import OFFERED, options_by_id, visibility


class Kind(StrEnum):
    """What changed about an option, in the order a change is listed."""

    VISIBILITY = "visibility"
    PRICE = "price"
    DELIVERY = "delivery"
    LABEL = "label"


Value = Money | DateRange | str
"""A price, a delivery window, or words (a visibility or a label)."""

_ASPECTS: tuple[tuple[Kind, Callable[[Option], Value]], ...] = (
    (Kind.PRICE, lambda option: option.price),
    (Kind.DELIVERY, lambda option: option.delivery),
    (Kind.LABEL, lambda option: option.label),
)


@dataclass(frozen=True, slots=True)
class Change:
    option: str
    kind: Kind
    old: Value
    new: Value

    @property
    def delta(self) -> Money | None:
        """new - old, for a price change."""
        if isinstance(self.old, Money) and isinstance(self.new, Money):
            return self.new - self.old
        return None


@dataclass(frozen=True, slots=True)
class CartDiff:
    cart: str
    """The cart's file name."""
    reference: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    carts: int
    unchanged_carts: int
    options_changed: int
    """Distinct (cart, option) pairs with at least one change."""
    by_kind: Mapping[Kind, int]
    price_delta: Money | None
    """The sum of every price change; None when no price changed."""
    average_delta: Money | None
    """`price_delta` over the number of price changes."""


def changes(old: Quote, new: Quote) -> list[Change]:
    """Every change between two quotes of one cart, option by option (old order first,
    then options only the new quote has). Both must be made with `explain`."""
    before, after = options_by_id(old), options_by_id(new)
    found = []
    for option_id in [*before, *(key for key in after if key not in before)]:
        was, now = before.get(option_id), after.get(option_id)
        if visibility(was) != visibility(now):
            found.append(Change(option_id, Kind.VISIBILITY, visibility(was), visibility(now)))
        elif was is not None and now is not None and visibility(was) == OFFERED:
            found.extend(Change(option_id, kind, aspect(was), aspect(now))
                         for kind, aspect in _ASPECTS if aspect(was) != aspect(now))
    return found


def diff_carts(carts: Iterable[tuple[str, Any]], old: Replay, new: Replay, *,
               at: datetime | None, now: datetime) -> list[CartDiff]:
    """Each (name, payload) quoted under `old` and `new` at the same instant (`at`, else
    its `ordered_at`, else `now`). A cart the engine refuses is an error naming it."""
    diffs = []
    for name, payload in carts:
        try:
            was = old.quote(payload, at=at, now=now)
            becomes = new.quote(payload, at=at, now=now)
        except CartRefused as error:
            raise RatesError(f"{name}: {error.message}", error.fields) from error
        diffs.append(CartDiff(name, was.reference, tuple(changes(was, becomes))))
    return diffs


def summarize(diffs: Sequence[CartDiff]) -> Summary:
    every = [change for diff in diffs for change in diff.changes]
    deltas = [delta for delta in (change.delta for change in every) if delta is not None]
    price_delta = total(deltas, deltas[0].currency) if deltas else None
    return Summary(
        carts=len(diffs),
        unchanged_carts=sum(1 for diff in diffs if not diff.changes),
        options_changed=len({(diff.cart, change.option) for diff in diffs
                             for change in diff.changes}),
        by_kind={kind: sum(1 for change in every if change.kind is kind) for kind in Kind},
        price_delta=price_delta,
        average_delta=(Money(price_delta.amount / len(deltas), price_delta.currency)
                       if price_delta is not None else None),
    )
