"""What a rule can see: one option's facts, cart-wide and the option's own.

Conditions test these and nothing else, and the quote builds them once per option, so they
are the whole contract between the quote and the merchant's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rates.domain.money import Money


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
    distance_km: float | None = None
    """The farthest shipment's great-circle distance to the destination (None: unknown)."""
    from_nearest: bool = True
    """Every line comes from the location nearest the destination among those that
    hold any of it: false when the strategy passed over a nearer one."""
    guaranteed: bool = False
    """The carrier file marks the option's service `guaranteed`. Not a live carrier's word
    on one rate: a rule must apply alike whether the carrier answered or its rates fell
    back to the file's tables (the quote's `guaranteed` counts that word all the same)."""
