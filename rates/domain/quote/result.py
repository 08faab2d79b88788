"""What a quote answers: its options, each a plan by one service with its shipments dated
and priced, the messages for the cart as a whole, and (when asked to explain) the options
withheld or not offered, and why.

Plain values, so that the shell (the wire document, the store, the rule tools) reads a
quote without running the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from rates.domain.cart import Destination
from rates.domain.catalog import Service
from rates.domain.exchange import Conversion
from rates.domain.lateness import option_confidence
from rates.domain.money import Money
from rates.domain.plans import PlanKind, ShipmentPlan
from rates.domain.rules.evaluation import TraceEntry
from rates.domain.sourcing.why import LineSourcing
from rates.domain.stock import DateRange, LineAllocation, StockClass
from rates.domain.window import ShipmentWindow


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """Something the shopper or merchant should know about the quote as a whole. `rule`
    names the block rule whose message it is, so the shell can reword it by locale; it
    takes no part in equality, so that a quote still says one thing once."""

    code: str
    message: str
    sku: str | None = None
    rule: str | None = field(default=None, compare=False)

    def __init__(self, code: str, message: str, sku: str | None = None,
                 rule: str | None = None) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "sku", sku)
        object.__setattr__(self, "rule", rule)


@dataclass(frozen=True, slots=True, init=False)
class ShipmentQuote:
    """One shipment of an option. `transit` is the (min, max) delivery days the window
    used: an accepted order keeps it, so its re-estimates move only with the stock.
    `base_price` (the rate) is in the shop's currency; `price` in the quote's. When they
    differ, `shop_price` is the final price in the shop's currency, before its conversion
    (`Option.conversion`); otherwise it is None and `price` is that price.
    `guaranteed`: the carrier guarantees `transit` (its leg's, `Leg.guaranteed`).
    Its `__init__` is written out (`rates.domain.stock.DateRange` says why): a quote
    builds a hundred, and compiled code then calls it directly."""

    plan: ShipmentPlan
    window: ShipmentWindow
    base_price: Money
    price: Money
    rate_detail: str
    source: str
    transit: tuple[int, int]
    shop_price: Money | None
    guaranteed: bool

    def __init__(self, plan: ShipmentPlan, window: ShipmentWindow, base_price: Money,
                 price: Money, rate_detail: str, source: str = "table",
                 transit: tuple[int, int] = (0, 0), shop_price: Money | None = None, *,
                 guaranteed: bool = False) -> None:
        object.__setattr__(self, "plan", plan)
        object.__setattr__(self, "window", window)
        object.__setattr__(self, "base_price", base_price)
        object.__setattr__(self, "price", price)
        object.__setattr__(self, "rate_detail", rate_detail)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "transit", transit)
        object.__setattr__(self, "shop_price", shop_price)
        object.__setattr__(self, "guaranteed", guaranteed)


@dataclass(frozen=True, slots=True, init=False)
class Option:
    """One way to ship the cart: a plan by one carrier service, priced and dated; or,
    with plan `pickup`, the cart collected at a store (one shipment, there).

    `hidden_by` / `blocked` are set only on options withheld by a rule, which a quote lists
    only when asked to explain itself. `conversion` is how the shipments' prices went from
    the shop's currency to the quote's (None when they are the same): `price` is the sum of
    the converted shipment prices, and `rules` trace amounts in the shop's currency.
    `rules` is the option's trace: with explain, every rule, applied or skipped and why;
    without, the label and visibility rules that applied, which is all its answer reads
    (`rates.domain.rules.evaluation.evaluate` says why).
    """

    plan: PlanKind
    service: Service
    label: str
    price: Money
    shipments: tuple[ShipmentQuote, ...]
    rules: tuple[TraceEntry, ...]
    hidden_by: str | None = None
    blocked: tuple[str, str] | None = None
    conversion: Conversion | None = None
    lines: tuple[LineAllocation, ...] = ()
    """How the cart is sourced for this option (the strategy may source plans and
    services differently; a pickup's comes from its store alone); the quote's `lines`
    are its first option's."""
    stock: StockClass | None = None
    """The stock class of the cart as this option sources it."""
    reasons: Callable[[], tuple[LineSourcing, ...]] | None = field(
        default=None, compare=False, repr=False)
    """Works out `sourced` when it is read: only a trace needs it."""
    _delivery: DateRange | None = field(default=None, init=False, compare=False,
                                        repr=False)

    def __init__(self, plan: PlanKind, service: Service, label: str, price: Money,
                 shipments: tuple[ShipmentQuote, ...], rules: tuple[TraceEntry, ...],
                 hidden_by: str | None = None, blocked: tuple[str, str] | None = None,
                 conversion: Conversion | None = None, lines: tuple[LineAllocation, ...] = (),
                 stock: StockClass | None = None,
                 reasons: Callable[[], tuple[LineSourcing, ...]] | None = None) -> None:
        # Written out (rates.domain.stock.DateRange says why): a quote builds dozens.
        object.__setattr__(self, "plan", plan)
        object.__setattr__(self, "service", service)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "price", price)
        object.__setattr__(self, "shipments", shipments)
        object.__setattr__(self, "rules", rules)
        object.__setattr__(self, "hidden_by", hidden_by)
        object.__setattr__(self, "blocked", blocked)
        object.__setattr__(self, "conversion", conversion)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "stock", stock)
        object.__setattr__(self, "reasons", reasons)
        object.__setattr__(self, "_delivery", None)

    @property
    def sourced(self) -> tuple[LineSourcing, ...]:
        """Why the lines that had a choice of location come from where they do."""
        return () if self.reasons is None else self.reasons()

    @property
    def id(self) -> str:
        """"together/ups/ground"; a pickup is its service alone, "pickup/toronto", since
        its plan and its carrier are both "pickup"."""
        if self.plan is PlanKind.PICKUP:
            return self.service.key
        return f"{self.plan}/{self.service.carrier}/{self.service.code}"

    @property
    def guaranteed(self) -> bool:
        """Every shipment's transit is the carrier's guarantee (a pickup has none)."""
        return all(shipment.guaranteed for shipment in self.shipments)

    @property
    def delivery(self) -> DateRange:
        """From the earliest any shipment may arrive to the latest the last one may;
        worked out when first read, since the quote's order, the answer's window, its
        confidence and its wording all read it."""
        found = self._delivery
        if found is None:
            first = self.shipments[0].window.delivery
            earliest, latest = first.earliest, first.latest
            for shipment in self.shipments:
                delivery = shipment.window.delivery
                earliest = min(earliest, delivery.earliest)
                latest = max(latest, delivery.latest)
            found = DateRange(earliest, latest)
            object.__setattr__(self, "_delivery", found)
        return found

    @property
    def confidence(self) -> tuple[float, date] | None:
        """(the probability that every shipment arrives inside `delivery`, the most likely
        day the last one does); None when no shipment's window was weighed."""
        delivery = self.delivery
        return option_confidence((s.window.confidence for s in self.shipments),
                                 delivery.earliest, delivery.latest)


@dataclass(frozen=True, slots=True, init=False)
class Unoffered:
    """An option that could not be built, and why (explain mode only)."""

    option_id: str
    reason: str

    def __init__(self, option_id: str, reason: str) -> None:  # written out: as Option's
        object.__setattr__(self, "option_id", option_id)
        object.__setattr__(self, "reason", reason)


@dataclass(frozen=True, slots=True, init=False)
class Withheld:
    """An option a hide or block rule withholds, known before pricing; without explain it
    is not priced at all, and only a block's message reaches the quote."""

    option_id: str
    blocked: tuple[str, str] | None
    """(the blocking rule, its message), or None when a hide rule withheld it."""

    def __init__(self, option_id: str, blocked: tuple[str, str] | None) -> None:
        object.__setattr__(self, "option_id", option_id)  # written out: as Option's
        object.__setattr__(self, "blocked", blocked)


@dataclass(frozen=True, slots=True, init=False)
class Quote:
    created_at: datetime
    ordered_at: datetime
    ruleset: str
    currency: str
    destination: Destination
    stock: StockClass | None
    lines: tuple[LineAllocation, ...]
    options: tuple[Option, ...]
    messages: tuple[Message, ...]
    withheld: tuple[Option, ...] = ()
    unoffered: tuple[Unoffered, ...] = ()
    reference: str | None = None

    def __init__(self, created_at: datetime, ordered_at: datetime, ruleset: str, currency: str,
                 destination: Destination, stock: StockClass | None,
                 lines: tuple[LineAllocation, ...], options: tuple[Option, ...],
                 messages: tuple[Message, ...], withheld: tuple[Option, ...] = (),
                 unoffered: tuple[Unoffered, ...] = (), reference: str | None = None) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "created_at", created_at)
        object.__setattr__(self, "ordered_at", ordered_at)
        object.__setattr__(self, "ruleset", ruleset)
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "destination", destination)
        object.__setattr__(self, "stock", stock)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "messages", messages)
        object.__setattr__(self, "withheld", withheld)
        object.__setattr__(self, "unoffered", unoffered)
        object.__setattr__(self, "reference", reference)
