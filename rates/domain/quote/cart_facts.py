"""The facts every option of one cart shares, worked out once per quote.

The rules read them in each option's `Facts` (subtotal, weight, restock days, the lines),
and pricing weighs each shipment and each unit with them; neither changes with the plan or
the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rates.domain.cart import QuoteRequest
from rates.domain.money import Money, total
from rates.domain.plans import ShipmentPlan
from rates.domain.rules.facts import LineFacts
from rates.domain.stock import Allocation, StockClass, stock_class


@dataclass(frozen=True, slots=True)
class CartFacts:
    """The facts every option of one cart shares, computed once."""

    stock: StockClass
    zone: str | None
    subtotal: Money
    grams: int
    item_count: int
    restock_days: int
    line_facts: tuple[LineFacts, ...]
    unit_grams: tuple[int, ...]

    @classmethod
    def of(cls, request: QuoteRequest, allocations: Sequence[Allocation],
           today: dict[str, date], zone: str | None) -> CartFacts:
        shipped = [0] * len(request.lines)
        backordered = [False] * len(request.lines)
        restock_days = 0
        for a in allocations:
            shipped[a.line] += a.quantity
            if not a.on_hand:
                backordered[a.line] = True
                restock_days = max(restock_days, (a.ready.latest - today[a.location]).days)
        lines = request.lines
        return cls(
            stock=stock_class(allocations),
            zone=zone,
            subtotal=total((line.unit_price.times(n) for line, n in zip(lines, shipped,
                                                                         strict=True)),
                           request.currency),
            grams=sum(line.grams * n for line, n in zip(lines, shipped, strict=True)),
            item_count=sum(shipped),
            restock_days=restock_days,
            line_facts=tuple(LineFacts(line.sku, line.tags, b)
                             for line, b, n in zip(lines, backordered, shipped, strict=True)
                             if n),
            unit_grams=tuple(line.grams for line in lines),
        )

    def grams_of(self, shipment: ShipmentPlan) -> int:
        return sum(self.unit_grams[a.line] * a.quantity for a in shipment.items)
