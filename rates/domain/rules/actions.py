"""What a rule can do to an option: set, adjust, clamp or relabel its price, or withhold it.

Actions change a `Draft`, the option while rules shape it, in exact minor units; an
amount meant for several shipments is spread over them in proportion to their prices, so
the shipments always add up to the option's price. Each price action says by how much it
changed the option's price, so that stacked rules never add the shipments up again, and
whether it can take a shipment below zero (`lowers`), so that only those are floored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from rates.domain.money import Money, add_shares, percent_ratio, spread
from rates.domain.rules.facts import Facts
from rates.domain.tables import Bounded

if TYPE_CHECKING:  # a trace entry names its action: evaluation imports this module
    from rates.domain.rules.evaluation import TraceEntry

FILLED_LIMIT = 256
"""How many fillings (service, plan, label before) a label rule keeps."""


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


@dataclass(slots=True, init=False)
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
    locations: Sequence[str]
    """Where each shipment leaves from, for rules scoped to some locations' shipments."""
    trace: list[TraceEntry]
    hidden_by: str | None
    blocked: tuple[str, str] | None

    def __init__(self, facts: Facts, cents: list[int], backordered: Sequence[bool],
                 units: Sequence[int], label: str, service_name: str,
                 locations: Sequence[str] = (), trace: list[TraceEntry] | None = None,
                 hidden_by: str | None = None, blocked: tuple[str, str] | None = None,
                 ) -> None:
        # Written out (rates.domain.stock.DateRange says why): every option makes one.
        self.facts = facts
        self.cents = cents
        self.backordered = backordered
        self.units = units
        self.label = label
        self.service_name = service_name
        self.locations = locations
        self.trace = [] if trace is None else trace
        self.hidden_by = hidden_by
        self.blocked = blocked

    @property
    def currency(self) -> str:
        return self.facts.subtotal.currency

    @property
    def prices(self) -> list[Money]:
        return [Money.of_units(c, self.currency) for c in self.cents]

    @property
    def price(self) -> Money:
        return Money.of_units(sum(self.cents), self.currency)

    def scoped(self, scope: Scope, leaving: frozenset[str] = frozenset()) -> list[int]:
        """The shipments of `scope`, and with `leaving`, only those from these locations."""
        if scope is Scope.ALL:
            found = list(range(len(self.cents)))
        else:
            want = scope is Scope.BACKORDERED
            found = [i for i, b in enumerate(self.backordered) if b == want]
        if leaving:
            found = [i for i in found if self.locations[i] in leaving]
        return found


class PriceAction:
    """What every action on the price can do: change the draft's scoped shipments, saying
    by how much it moved the option's price, and whether it can take a shipment below
    zero (`lowers`). A base class rather than a union: compiled (docs/architecture.md,
    "The compiled domain"), the call each applied rule makes is a table lookup."""

    __slots__ = ()

    @property
    def lowers(self) -> bool:
        raise NotImplementedError

    def apply(self, draft: Draft, shipments: list[int], total: int) -> int:
        """Change `shipments` (positions in `draft.cents`); `total` is the option's price
        now, all its shipments together: an action over every shipment (so over as many
        as the option has, scoped lists holding no repeats) takes it for their sum
        instead of adding them up again, as stacked rules would a thousand times."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class SetPrice(PriceAction):
    amount: Money
    per: Per = Per.OPTION
    _cents: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cents", self.amount.units)

    @property
    def lowers(self) -> bool:
        return self._cents < 0

    def apply(self, draft: Draft, shipments: list[int], total: int) -> int:
        cents = draft.cents
        before = total if len(shipments) == len(cents) else sum(cents[i] for i in shipments)
        amount, per = self._cents, self.per
        if per is Per.OPTION:
            spread(cents, shipments, amount, add=False)
            return amount - before
        units, after = draft.units, 0
        for i in shipments:
            part = amount if per is Per.SHIPMENT else amount * units[i]
            cents[i] = part
            after += part
        return after - before

    def describe(self) -> str:
        return f"set {self.amount.amount}" + ("" if self.per is Per.OPTION else f" per {self.per}")


@dataclass(frozen=True, slots=True)
class Adjust(PriceAction):
    """A surcharge or discount: a signed `amount`, or a signed `percent` of the price.

    What `apply` reads is kept in plain integers (the amount in minor units, the percent
    as a fraction `_numerator / _denominator`, 0 / 0 for an amount): compiled, they sit in
    the object itself, where an optional or a tuple would be one more object to reach
    for in each of the hundreds of rules a stacked setup applies."""

    amount: Money | None = None
    percent: Decimal | None = None
    per: Per = Per.OPTION
    _cents: int = field(init=False, repr=False, compare=False)
    _numerator: int = field(init=False, repr=False, compare=False)
    _denominator: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cents", 0 if self.amount is None else self.amount.units)
        numerator, denominator = (0, 0) if self.percent is None else percent_ratio(self.percent)
        object.__setattr__(self, "_numerator", numerator)
        object.__setattr__(self, "_denominator", denominator)

    @property
    def lowers(self) -> bool:
        """A discount of more than the price: of an amount, or of over 100 percent (a
        share is rounded to the nearest unit, so never more than the price itself)."""
        if self._denominator:
            return self._numerator < -self._denominator
        return self._cents < 0

    def apply(self, draft: Draft, shipments: list[int], total: int) -> int:
        cents = draft.cents
        if self._denominator:
            return add_shares(cents, shipments, self._numerator, self._denominator)
        amount, per = self._cents, self.per
        if per is Per.SHIPMENT:
            for i in shipments:
                cents[i] += amount
            return amount * len(shipments)
        if per is Per.ITEM:
            units, change = draft.units, 0
            for i in shipments:
                part = amount * units[i]
                cents[i] += part
                change += part
            return change
        spread(cents, shipments, amount, add=True)
        return amount

    def describe(self) -> str:
        if self.percent is not None:
            return f"adjust {self.percent:+}%"
        assert self.amount is not None  # noqa: S101
        per = "" if self.per is Per.OPTION else f" per {self.per}"
        return f"adjust {self.amount.signed()}{per}"


UNBOUNDED = 2 ** 61
"""A missing bound of a `Clamp`, in minor units: beyond any price, and still a native
integer when compiled (as `Adjust` keeps its numbers)."""


@dataclass(frozen=True, slots=True)
class Clamp(PriceAction):
    """Keep the scoped shipments' total price within [minimum, maximum]."""

    minimum: Money | None = None
    maximum: Money | None = None
    _low: int = field(init=False, repr=False, compare=False)
    _high: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_low", -UNBOUNDED if self.minimum is None
                           else self.minimum.units)
        object.__setattr__(self, "_high", UNBOUNDED if self.maximum is None
                           else self.maximum.units)

    @property
    def lowers(self) -> bool:
        return (self.minimum is not None and self._low < 0) or self._high < 0

    def apply(self, draft: Draft, shipments: list[int], total: int) -> int:
        cents = draft.cents
        current = total if len(shipments) == len(cents) else sum(cents[i] for i in shipments)
        target = self._low if current < self._low else current
        if self._high < target:
            target = self._high
        if target != current:
            spread(cents, shipments, target, add=False)
        return target - current

    def describe(self) -> str:
        low = self.minimum.amount if self.minimum else "-"
        high = self.maximum.amount if self.maximum else "-"
        return f"clamp {low}..{high}"


@dataclass(frozen=True, slots=True)
class Label(PriceAction):
    """A new label for shoppers; `{service}` (its name, "UPS Ground"), `{plan}` and
    `{label}` (the current label) are filled in. Each filling is kept: a label rule
    relabels the same few services and plans in every quote."""

    text: str
    _filled: Bounded[tuple[str, str, str], str] = field(init=False, repr=False,
                                                        compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_filled", Bounded(FILLED_LIMIT))

    @property
    def lowers(self) -> bool:
        return False

    def apply(self, draft: Draft, shipments: list[int], total: int) -> int:
        key = (draft.service_name, draft.facts.plan, draft.label)
        filled = self._filled.get(key)
        if filled is None:
            filled = self._filled.keep(key, self.fill(self.text, *key))
        draft.label = filled
        return 0

    @staticmethod
    def fill(text: str, service_name: str, plan: str, label: str) -> str:
        """`text` (this rule's, or its words in another locale) with its placeholders
        filled: one formula for the quote and for every rewording of it."""
        return text.format_map({"service": service_name, "plan": plan, "label": label})

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


Action = PriceAction | Hide | Block

