"""What the shopper asks for: a destination and lines of SKUs with prices and weights."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rates.domain.errors import InvalidRequest
from rates.domain.money import Money, total
from rates.domain.stock import SkuStock


def postcode_key(postcode: str | None) -> str:
    """A postcode as zone and rule prefixes are compared with it: upper case, no spaces
    ("m5v 2t6" is "M5V2T6"); prefixes are written the same way."""
    return (postcode or "").replace(" ", "").upper()


# The request's records write out their methods: each request is hashed and compared
# whole when a checkout asks again (`rates.app.recent_answers`), and the methods the
# dataclass would write run as Python even when the domain is compiled.


@dataclass(frozen=True, slots=True, init=False)
class Destination:
    """Where the cart goes. `country` is ISO 3166-1 alpha-2 ("US"); `region` is the
    subdivision code without the country ("NV", "ON"); both upper case."""

    country: str
    region: str | None
    postcode: str | None

    def __init__(self, country: str, region: str | None = None,
                 postcode: str | None = None) -> None:
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "region", region)
        object.__setattr__(self, "postcode", postcode)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Destination):
            return NotImplemented
        return (self.country == other.country and self.region == other.region
                and self.postcode == other.postcode)

    def __hash__(self) -> int:
        return hash((self.country, self.region, self.postcode))


@dataclass(frozen=True, slots=True, init=False)
class Line:
    """`quantity` units of one SKU at `unit_price` each, `grams` each.

    `stock` is the SKU's stock position when the caller supplies it; the shell fills it from
    the inventory source otherwise, so by the time the domain sees a line it is never None.
    """

    sku: str
    quantity: int
    unit_price: Money
    grams: int
    tags: frozenset[str]
    stock: SkuStock | None
    unit_cents: int = field(init=False, repr=False, compare=False)
    """`unit_price` in the currency's minor units: each sourcing of a quote adds up its
    subtotal, in integers."""

    def __init__(self, sku: str, quantity: int, unit_price: Money, grams: int = 0,
                 tags: frozenset[str] = frozenset(), stock: SkuStock | None = None) -> None:
        if quantity < 1:
            raise InvalidRequest(f"line {sku}: quantity must be at least 1",
                                 {"quantity": ["must be at least 1"]})
        if grams < 0:
            raise InvalidRequest(f"line {sku}: grams must not be negative",
                                 {"grams": ["must not be negative"]})
        object.__setattr__(self, "sku", sku)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "unit_price", unit_price)
        object.__setattr__(self, "grams", grams)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "stock", stock)
        object.__setattr__(self, "unit_cents", unit_price.units)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Line):
            return NotImplemented
        return (self.sku == other.sku and self.quantity == other.quantity
                and self.unit_price == other.unit_price and self.grams == other.grams
                and self.tags == other.tags and self.stock == other.stock)

    def __hash__(self) -> int:
        return hash((self.sku, self.quantity, self.unit_price, self.grams, self.tags,
                     self.stock))


@dataclass(frozen=True, slots=True, init=False)
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
    reference: str | None
    customer_tags: frozenset[str]
    origin: str | None

    def __init__(self, currency: str, destination: Destination, lines: tuple[Line, ...],
                 ordered_at: datetime, reference: str | None = None,
                 customer_tags: frozenset[str] = frozenset(),
                 origin: str | None = None) -> None:
        if ordered_at.tzinfo is None or ordered_at.utcoffset() is None:
            raise InvalidRequest(
                "ordered_at must carry a time zone offset",
                {"ordered_at": ["must be timezone-aware, e.g. 2026-11-23T09:30:00-08:00"]})
        if not lines:
            raise InvalidRequest("the cart has no lines", {"lines": ["must not be empty"]})
        for line in lines:
            if line.unit_price.currency != currency:
                raise InvalidRequest(
                    f"line {line.sku}: price is in {line.unit_price.currency}, "
                    f"the cart in {currency}",
                    {"currency": [f"lines must be priced in {currency}"]},
                )
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "destination", destination)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "ordered_at", ordered_at)
        object.__setattr__(self, "reference", reference)
        object.__setattr__(self, "customer_tags", customer_tags)
        object.__setattr__(self, "origin", origin)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuoteRequest):
            return NotImplemented
        return (self.currency == other.currency and self.destination == other.destination
                and self.lines == other.lines and self.ordered_at == other.ordered_at
                and self.reference == other.reference
                and self.customer_tags == other.customer_tags and self.origin == other.origin)

    def __hash__(self) -> int:
        return hash((self.currency, self.destination, self.lines, self.ordered_at,
                     self.reference, self.customer_tags, self.origin))

    def ordered(self, at: datetime) -> QuoteRequest:
        """The same cart ordered at `at` (an aware instant, as this one's)."""
        return QuoteRequest(self.currency, self.destination, self.lines, at, self.reference,
                            self.customer_tags, self.origin)

    @property
    def subtotal(self) -> Money:
        return total((line.unit_price.times(line.quantity) for line in self.lines), self.currency)
