"""The facts every option of one sourcing of a cart shares, worked out once per quote.

The rules read them in each option's `Facts` (subtotal, weight, restock days, the lines);
they do not change with the plan or the service, only with where the units come from
(`rates.domain.quote.sourced`). Money facts are in the shop's currency whatever the
checkout's: a subtotal in another currency is converted once, here
(`rates.domain.exchange`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rates.domain.cart import QuoteRequest
from rates.domain.exchange import Conversion
from rates.domain.money import Money
from rates.domain.rules.facts import Facts, LineFacts
from rates.domain.stock import Allocation, StockClass, stock_class


@dataclass(frozen=True, slots=True, init=False)
class CartFacts:
    """The facts every option of one cart shares, computed once."""

    stock: StockClass
    zone: str | None
    subtotal: Money
    grams: int
    item_count: int
    restock_days: int
    line_facts: tuple[LineFacts, ...]
    rule_facts: tuple[tuple[object, ...], tuple[object, ...]] = field(repr=False,
                                                                      compare=False)
    """The `Facts` every option of the cart shares, in their order: those between the
    carrier and the shipment count (the zone to the restock days), and those between
    the locations and the distance (the customer's tags, the lines)."""

    def __init__(self, stock: StockClass, zone: str | None, subtotal: Money, grams: int,
                 item_count: int, restock_days: int, line_facts: tuple[LineFacts, ...],
                 rule_facts: tuple[tuple[object, ...], tuple[object, ...]]) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "stock", stock)
        object.__setattr__(self, "zone", zone)
        object.__setattr__(self, "subtotal", subtotal)
        object.__setattr__(self, "grams", grams)
        object.__setattr__(self, "item_count", item_count)
        object.__setattr__(self, "restock_days", restock_days)
        object.__setattr__(self, "line_facts", line_facts)
        object.__setattr__(self, "rule_facts", rule_facts)

    def facts(self, plan: str, service: str, carrier: str, shipments: int,
              locations: frozenset[str], distance_km: float | None, *,
              from_nearest: bool, guaranteed: bool) -> Facts:
        """An option's `Facts`: the cart's, with the option's own. Every option of every
        sourcing builds one, so the cart's part is laid out once, in `rule_facts`."""
        middle, tail = self.rule_facts
        return _facts(Facts, (self.stock, plan, service, carrier, *middle, shipments,
                              locations, *tail, distance_km, from_nearest, guaranteed))

    @property
    def currency(self) -> str:
        """The shop's currency: the subtotal's, and every price's until the conversion."""
        return self.subtotal.currency

    @classmethod
    def of(cls, request: QuoteRequest, allocations: Sequence[Allocation],
           today: dict[str, date], zone: str | None,
           conversion: Conversion | None = None) -> CartFacts:
        """The cart's facts; with `conversion`, the request is in its checkout currency
        and the subtotal is converted to the shop's, rounded down."""
        shipped = [0] * len(request.lines)
        backordered = [False] * len(request.lines)
        restock_days = 0
        for a in allocations:
            shipped[a.line] += a.quantity
            if not a.on_hand:
                backordered[a.line] = True
                restock_days = max(restock_days, (a.ready.latest - today[a.location]).days)
        lines, destination = request.lines, request.destination
        units = sum(line.unit_cents * n for line, n in zip(lines, shipped, strict=True))
        subtotal = (Money.of_units(units, request.currency) if conversion is None
                    else Money.of_units(conversion.subtotal(units), conversion.shop))
        grams = sum(line.grams * n for line, n in zip(lines, shipped, strict=True))
        item_count = sum(shipped)
        line_facts = tuple(LineFacts(line.sku, line.tags, backordered=b)
                           for line, b, n in zip(lines, backordered, shipped, strict=True) if n)
        return cls(
            stock=stock_class(allocations),
            zone=zone,
            subtotal=subtotal,
            grams=grams,
            item_count=item_count,
            restock_days=restock_days,
            line_facts=line_facts,
            rule_facts=((zone, destination.country, destination.region, destination.postcode,
                         subtotal, grams, item_count, restock_days),
                        (request.customer_tags, line_facts)),
        )


_facts = tuple.__new__
"""A `Facts` made from its fields' tuple, in a third of its keyword constructor's time."""
