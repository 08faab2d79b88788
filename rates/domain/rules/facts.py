"""What a rule can see: one option's facts, cart-wide and the option's own.

Conditions test these and nothing else, and the quote builds them once per option, so they
are the whole contract between the quote and the merchant's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rates.domain.money import Money


@dataclass(frozen=True, slots=True, init=False)
class LineFacts:
    """One line as the rules see it. Its methods are written out (compiled, a dataclass's
    own run as Python): a quote makes one per line and sourcing, and hashes them all in
    the key its cart's rules are kept under (`rates.domain.rules.index`)."""

    sku: str
    tags: frozenset[str]
    backordered: bool

    def __init__(self, sku: str, tags: frozenset[str], *, backordered: bool) -> None:
        object.__setattr__(self, "sku", sku)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "backordered", backordered)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LineFacts):
            return NotImplemented
        return (self.sku == other.sku and self.tags == other.tags
                and self.backordered == other.backordered)

    def __hash__(self) -> int:
        return hash((self.sku, self.tags, self.backordered))


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
    distance_km: float | None = None
    """The farthest shipment's great-circle distance to the destination (None: unknown)."""
    from_nearest: bool = True
    """Every line comes from the location nearest the destination among those that
    hold any of it: false when the strategy passed over a nearer one."""
    guaranteed: bool = False
    """The carrier file marks the option's service `guaranteed`. Not a live carrier's word
    on one rate: a rule must apply alike whether the carrier answered or its rates fell
    back to the file's tables (the quote's `guaranteed` counts that word all the same)."""
