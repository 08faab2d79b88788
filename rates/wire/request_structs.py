"""The quote request as msgspec types: the decoder every valid request goes through.

`msgspec.convert` checks types, required and unknown fields, lengths, ranges and codes in
C, and each struct's `__post_init__` checks the little a type cannot say (dates, text that
can be stored, whole numbers written 3.0, one stock shape); a ValueError there is msgspec's
ValidationError, so a struct that exists is a checked one. It accepts exactly what the
marshmallow schemas of `rates.wire.request` accept (tests/wire/test_request_decoders.py
generates near-valid requests to show it), from the bounds both read in `request_bounds`.
It stops at the first problem and words it its own way: those schemas name every
problem of a refused request.

Fields are typed as they are once checked: a whole number is an int (JSON may write it
3.0: msgspec reads `int | float`), `ordered_at` an aware datetime and a lot's dates dates
(read by Python's `fromisoformat` as marshmallow reads them, which takes more ISO 8601
forms than msgspec's RFC 3339, or taken as they are from a YAML file's timestamps).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, cast

from msgspec import UNSET, Meta, Struct, UnsetType, ValidationError, defstruct

from rates.settings import Limits
from rates.wire.request_bounds import (
    COUNTRIES,
    CURRENCIES,
    DECIMAL,
    EARLIEST,
    LATEST,
    LOCALE,
    MAX_GRAMS,
    MAX_LEAD_DAYS,
    MAX_LINES,
    MAX_LOCATIONS,
    MAX_LOTS,
    MAX_QUANTITY,
    MAX_TAGS,
    MAX_UNITS,
    NAME,
    POSTCODE,
    REFERENCE,
    REGION,
    SUPPLIER,
    YEARS,
    text_problem,
    whole_text,
)

REFUSALS = (ValidationError, UnicodeEncodeError)
"""What `msgspec.convert` raises for a request it will not read: text with a lone surrogate
where anything but text was expected is an encoding error, not a ValidationError."""


def _whole(least: int, most: int) -> Any:
    """A whole number from `least` to `most`, which JSON may write as 3 or 3.0."""
    return (Annotated[int, Meta(ge=least, le=most)]
            | Annotated[float, Meta(ge=least, le=most)])


Name = Annotated[str, Meta(min_length=1, max_length=NAME)]
Amount = Annotated[str, Meta(pattern=whole_text(DECIMAL))]
Region = Annotated[str, Meta(pattern=whole_text(REGION))]
Supplier = Annotated[str, Meta(pattern=whole_text(SUPPLIER))]

if TYPE_CHECKING:  # what a field holds once its struct is checked
    Count: TypeAlias = int
    Units: TypeAlias = int
    LeadDays: TypeAlias = int
    Grams: TypeAlias = int
    Quantity: TypeAlias = int
    Country: TypeAlias = str
    Currency: TypeAlias = str
    Instant: TypeAlias = datetime
    Day: TypeAlias = date
else:  # what msgspec is told to read
    Count, Units = _whole(1, MAX_UNITS), _whole(0, MAX_UNITS)
    LeadDays, Grams = _whole(0, MAX_LEAD_DAYS), _whole(0, MAX_GRAMS)
    Quantity = _whole(1, MAX_QUANTITY)
    Country, Currency = Literal[tuple(COUNTRIES)], Literal[tuple(CURRENCIES)]
    Instant = Day = Any


def _integral(number: int | float) -> int:
    """`number` as an int: 3.0 is 3, 1.5 is refused (as marshmallow's strict Integer)."""
    if number.__class__ is int:
        return number
    if isinstance(number, float) and number.is_integer():
        return int(number)
    raise ValueError("Expected a whole number")


def _storable(*texts: str) -> None:
    """Refuses text `text_problem` refuses; ASCII without NUL, the usual text, is looked at
    no further."""
    text = "".join(texts)
    if not text.isascii() or "\x00" in text:
        problem = text_problem(text)
        if problem:
            raise ValueError(f"text {problem}")


def _instant(value: Any) -> datetime:
    """As marshmallow's AwareDateTime and `Range` read it: a datetime as it is, else ISO
    8601 text; aware, and in the years 2000 to 2199."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if when.tzinfo is None or when.tzinfo.utcoffset(when) is None:
        raise ValueError("Expected an aware datetime")
    if not EARLIEST <= when < LATEST:
        raise ValueError(YEARS)
    return when


def _day(value: Any) -> date:
    """As marshmallow's Date and `Range` read it: a date as it is, else ISO 8601 text; in
    the years 2000 to 2199."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    if not EARLIEST.date() <= day < LATEST.date():
        raise ValueError(YEARS)
    return day


class Inbound(Struct, forbid_unknown_fields=True):
    quantity: Count
    earliest: Day
    latest: Day
    id: Name | UnsetType = UNSET
    committed: Units = 0
    supplier: Supplier | UnsetType = UNSET
    received_on: Day | UnsetType = UNSET

    def __post_init__(self) -> None:
        self.quantity, self.committed = _integral(self.quantity), _integral(self.committed)
        self.earliest, self.latest = _day(self.earliest), _day(self.latest)
        if self.earliest > self.latest:
            raise ValueError("Expected latest on or after earliest")
        if self.id is not UNSET:
            _storable(self.id)
        if self.received_on is not UNSET:
            self.received_on = _day(self.received_on)


class Position(Struct, forbid_unknown_fields=True):
    location: Name | UnsetType = UNSET
    on_hand: Units | UnsetType = UNSET
    inbound: Annotated[list[Inbound], Meta(max_length=MAX_LOTS)] | UnsetType = UNSET

    def __post_init__(self) -> None:
        if self.on_hand is not UNSET:
            self.on_hand = _integral(self.on_hand)
        if self.location is not UNSET:
            _storable(self.location)


class Stock(Position):
    """One SKU's stock: one position given inline, or `locations`, never both."""

    locations: Annotated[list[Position], Meta(max_length=MAX_LOCATIONS)] | UnsetType = UNSET
    lead_time_days: (Annotated[list[LeadDays], Meta(min_length=2, max_length=2)]
                     | UnsetType) = UNSET
    lead_time_location: Name | UnsetType = UNSET
    backorder_limit: Units | None = None
    supplier: Supplier | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.locations is not UNSET and (self.location is not UNSET
                                            or self.on_hand is not UNSET
                                            or self.inbound is not UNSET):
            raise ValueError("Expected `locations` or one position, not both")
        if self.lead_time_days is not UNSET:
            least, most = self.lead_time_days = [_integral(days) for days in self.lead_time_days]
            if least > most:
                raise ValueError("Expected lead_time_days [min, max] with min <= max")
        if self.backorder_limit is not None:
            self.backorder_limit = _integral(self.backorder_limit)
        if self.lead_time_location is not UNSET:
            _storable(self.lead_time_location)

    @property
    def positions(self) -> list[tuple[str, Position]]:
        """Each position with its path ("locations.1." or, for the one position given
        inline, ""): `locations: [...]` (possibly empty: a SKU only the supplier has),
        else one position given inline, else none at all."""
        if self.locations is not UNSET:
            return [(f"locations.{index}.", p) for index, p in enumerate(self.locations)]
        if (self.location is not UNSET or self.on_hand is not UNSET
                or self.inbound is not UNSET):
            return [("", self)]
        return []


class Line(Struct, forbid_unknown_fields=True):
    sku: Name
    quantity: Quantity
    unit_price: Amount
    grams: Grams = 0
    tags: Annotated[list[Name], Meta(max_length=MAX_TAGS)] = []
    stock: Stock | UnsetType = UNSET

    def __post_init__(self) -> None:
        if self.quantity.__class__ is not int or self.grams.__class__ is not int:
            self.quantity, self.grams = _integral(self.quantity), _integral(self.grams)
        _storable(self.sku, *self.tags)


class Destination(Struct, forbid_unknown_fields=True):
    country: Country
    region: Region | UnsetType = UNSET
    postcode: Annotated[str, Meta(min_length=1, max_length=POSTCODE)] | UnsetType = UNSET

    def __post_init__(self) -> None:
        if self.postcode is not UNSET:
            _storable(self.postcode)


class Cart(Struct, forbid_unknown_fields=True):
    currency: Currency
    destination: Destination
    lines: Annotated[list[Line], Meta(min_length=1, max_length=MAX_LINES)]
    reference: Annotated[str, Meta(min_length=1, max_length=REFERENCE)] | UnsetType = UNSET
    locale: Annotated[str, Meta(min_length=1, max_length=LOCALE)] | UnsetType = UNSET
    ordered_at: Instant | UnsetType = UNSET
    customer_tags: Annotated[list[Name], Meta(max_length=MAX_TAGS)] = []
    origin: Name | UnsetType = UNSET

    def __post_init__(self) -> None:
        if self.ordered_at is not UNSET:
            self.ordered_at = _instant(self.ordered_at)
        texts = [text for text in (self.reference, self.locale, self.origin)
                 if text is not UNSET]
        _storable(*texts, *self.customer_tags)


@cache
def cart_type(limits: Limits) -> type[Cart]:
    """The quote request with `limits` (already within the caps) as its bounds: one type
    per configuration, built on first use."""
    line = defstruct("Line", [("quantity", _whole(1, limits.max_quantity))], bases=(Line,))
    lines = Annotated[list[line], Meta(min_length=1, max_length=limits.max_lines)]  # type: ignore[valid-type]
    return cast("type[Cart]", defstruct("Cart", [("lines", lines)], bases=(Cart,)))
