"""What the shopper asks for: a destination and lines of SKUs with prices and weights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rates.domain.errors import InvalidRequest
from rates.domain.money import Money, total
from rates.domain.stock import SkuStock


def postcode_key(postcode: str | None) -> str:
    """A postcode as zone and rule prefixes are compared with it: upper case, no spaces
    ("m5v 2t6" is "M5V2T6"); prefixes are written the same way."""
    return (postcode or "").replace(" ", "").upper()


@dataclass(frozen=True, slots=True)
class Destination:
    """Where the cart goes. `country` is ISO 3166-1 alpha-2 ("US"); `region` is the
    subdivision code without the country ("NV", "ON"); both upper case."""

    country: str
    region: str | None = None
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """`quantity` units of one SKU at `unit_price` each, `grams` each.

    `stock` is the SKU's stock position when the caller supplies it; the shell fills it from
    the inventory source otherwise, so by the time the domain sees a line it is never None.
    """

    sku: str
    quantity: int
    unit_price: Money
    grams: int = 0
    tags: frozenset[str] = frozenset()
    stock: SkuStock | None = None

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise InvalidRequest(f"line {self.sku}: quantity must be at least 1",
                                 {"quantity": ["must be at least 1"]})
        if self.grams < 0:
            raise InvalidRequest(f"line {self.sku}: grams must not be negative",
                                 {"grams": ["must not be negative"]})


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """A cart to quote: lines to `destination`, ordered at the aware instant `ordered_at`.

    `origin`, a location id, is sourced from first among locations that can fill as many
    lines (a checkout platform names the warehouse it would ship from); None: the
    configured order of locations.
    """

    currency: str
    destination: Destination
    lines: tuple[Line, ...]
    ordered_at: datetime
    reference: str | None = None
    customer_tags: frozenset[str] = frozenset()
    origin: str | None = None

    def __post_init__(self) -> None:
        if self.ordered_at.tzinfo is None or self.ordered_at.utcoffset() is None:
            raise InvalidRequest(
                "ordered_at must carry a time zone offset",
                {"ordered_at": ["must be timezone-aware, e.g. 2026-11-23T09:30:00-08:00"]})
        if not self.lines:
            raise InvalidRequest("the cart has no lines", {"lines": ["must not be empty"]})
        for line in self.lines:
            if line.unit_price.currency != self.currency:
                raise InvalidRequest(
                    f"line {line.sku}: price is in {line.unit_price.currency}, "
                    f"the cart in {self.currency}",
                    {"currency": [f"lines must be priced in {self.currency}"]},
                )

    @property
    def subtotal(self) -> Money:
        return total((line.unit_price.times(line.quantity) for line in self.lines), self.currency)
