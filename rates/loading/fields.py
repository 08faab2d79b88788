"""The value types of the YAML files, as marshmallow fields.

Each field accepts what a merchant should write and, for what YAML reads differently from
what was meant, says how to write it: `NO` unquoted is false, `02134` an octal number,
`14:00` the number 840, `12.95` a binary float. Names from a closed list, or defined in
another file, are checked here too, so the problem lands on the exact path with a
"did you mean". Each message that is not a plain bad value says which check it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, available_timezones

from marshmallow import ValidationError, fields, validate

from rates.domain.calendar import WEEKDAY_CODES
from rates.loading.checks import Check, Finding, on_key
from rates.loading.known import Known, known
from rates.loading.problems import did_you_mean
from rates.loading.yamlio import written

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_CODE = re.compile(r"[A-Z0-9]{1,6}")
_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_ADJUSTMENT = re.compile(r"([+-]?)(\d+(?:\.\d+)?)(%?)")
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")

NOT_EMPTY = validate.Length(min=1, error="must not be empty")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _trap(text: str) -> ValidationError:
    """A value YAML read differently from how it was meant, and how to write it."""
    return ValidationError(Finding(Check.YAML_TRAP, text))


def _unknown(text: str) -> ValidationError:
    return ValidationError(Finding(Check.UNKNOWN_REFERENCE, text))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"expected text, got {value!r}")
    return value.strip()


class Id(fields.String):
    """An identifier: letters, digits, '-', '_', '.'; no '/' since option ids join them."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _ID.fullmatch(text):
            raise ValidationError(
                f"{text!r} is not an id: use letters, digits, '-', '_' or '.'")
        return text


class Code(fields.String):
    """A country (ISO 3166-1 alpha-2) or region code, returned upper case."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool):
            # Norway (NO) and Ontario (ON) are the codes YAML 1.1 turns into booleans.
            meant = "ON" if value else "NO"
            raise _trap(f"read as {str(value).lower()}, not a code: write {meant!r} in quotes")
        if _number(value):
            raise _trap(f"write codes in quotes: '{written(value)}'")
        text = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not _CODE.fullmatch(text):
            raise ValidationError(f"{value!r} is not a country or region code (e.g. 'US', 'NV')")
        return text


class Quoted(fields.String):
    """Text that may look like a number (postcodes, SKUs), kept as written: YAML reads
    02134 unquoted as the octal number 1116, so an unquoted number is refused."""

    def __init__(self, what: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what = what

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if _number(value):
            raise _trap(f"quote {self.what}: '{written(value)}'")
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ValidationError("must not be empty")
        return text


class Postcode(Quoted):
    """A postcode or postcode prefix, as written (leading zeros matter)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("postcodes", **kwargs)


class Amount(fields.Field[Decimal]):
    """Money as a quoted decimal string ("12.95"), never negative. Floats are refused: a
    binary float cannot hold most prices exactly."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        if _number(value):
            raise _trap(f"write money as a quoted string: '{written(value)}'")
        if not isinstance(value, str):
            raise ValidationError("write money as a quoted decimal string, e.g. '12.95'")
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            raise ValidationError(f"not a decimal amount: {value!r}")
        if amount < 0:
            raise ValidationError(f"must not be negative: {value!r}")
        return amount


class ExchangeRate(fields.Field[Decimal]):
    """An exchange rate as a quoted decimal string ("1.3650"): units of a currency per one
    unit of the shop's. Positive, written out in digits (no exponent); floats are refused,
    as for money: 1.365 is not exactly representable in binary."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        if _number(value):
            raise _trap(f"write exchange rates as quoted strings: '{written(value)}'")
        if not isinstance(value, str):
            raise ValidationError("write an exchange rate as a quoted decimal string, "
                                  "e.g. '1.3650'")
        if not _DECIMAL.fullmatch(value.strip()):
            raise ValidationError(f"not a decimal rate: {value!r} (e.g. '1.3650')")
        rate = Decimal(value.strip())
        if rate <= 0:
            raise ValidationError(f"must be positive: {value!r}")
        return rate


class Adjustment(NamedTuple):
    """A signed change: an amount of money, or `percent` of the price."""

    value: Decimal
    percent: bool


class Change(fields.Field[Adjustment]):
    """A surcharge or discount: "+3.00", "-2.50", "+5%", "-15%" (no sign means +)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Adjustment:
        if _number(value):
            raise _trap(f"write money as a quoted string: '{written(value)}'")
        found = _ADJUSTMENT.fullmatch(value.strip()) if isinstance(value, str) else None
        if found is None:
            raise ValidationError(
                f"not an amount or percent: {value!r} (e.g. '+3.00', '-2.50', '+5%', '-15%')")
        sign, digits, percent = found.groups()
        return Adjustment(Decimal(sign + digits), percent == "%")


class Kilograms(fields.Field[int]):
    """A weight in kilograms, a whole number or a quoted decimal ("0.5"); returns grams."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, float):
            raise _trap(f"write fractional kilograms as a quoted decimal: '{written(value)}'")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError("write kilograms as a number or a quoted decimal, e.g. '0.5'")
        try:
            grams = Decimal(value.strip() if isinstance(value, str) else int(value)) * 1000
        except InvalidOperation:
            raise ValidationError(f"not a number of kilograms: {value!r}") from None
        if not grams.is_finite() or grams < 0:
            raise ValidationError(f"not a number of kilograms: {value!r}")
        if grams != grams.to_integral_value():
            raise ValidationError(f"{value!r} kg is more precise than a gram")
        return int(grams)


class Count(fields.Integer):
    """A whole number, at least `minimum`; true and false are not numbers here."""

    def __init__(self, minimum: int = 0, **kwargs: Any) -> None:
        super().__init__(strict=True, validate=validate.Range(
            min=minimum, error="must be at least {min}"), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return int(super()._deserialize(value, attr, data, **kwargs))


class DayRange(fields.Field[tuple[int, int]]):
    """[min, max] whole days, 0 <= min <= max; `order_check` is the check that min > max
    fails (a transit range has its own)."""

    def __init__(self, order_check: Check = Check.BAD_VALUE, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.order_check = order_check

    def _deserialize(self, value: Any, attr: Any, data: Any,
                     **kwargs: Any) -> tuple[int, int]:
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                           for v in value)):
            raise ValidationError(f"write [min, max] in whole days, e.g. [1, 3]; got {value!r}")
        low, high = int(value[0]), int(value[1])
        if low > high:
            why = f"min {low} is more than max {high}"
            raise ValidationError(Finding(self.order_check, why))
        return low, high


class Weekday(fields.Field[int]):
    """mon, tue, ... sun; returns 0 (Monday) to 6."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        text = _text(value).lower()
        if text not in WEEKDAY_CODES:
            raise _unknown(f"unknown weekday {value!r}{did_you_mean(text, WEEKDAY_CODES)} "
                           f"(write {', '.join(WEEKDAY_CODES)})")
        return WEEKDAY_CODES.index(text)


class Day(fields.Field[date]):
    """A date, YYYY-MM-DD (quoted or not: YAML reads an unquoted one as a date)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValidationError(f"not a date: {value!r} (write YYYY-MM-DD)") from None


class ClockTime(fields.Field[time]):
    """A local time of day, "HH:MM" in quotes."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> time:
        if _number(value):
            raise _trap(f"write times in quotes: '{written(value)}'")
        found = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
        if found is None:
            raise ValidationError(f"not a time of day: {value!r} (write 'HH:MM', e.g. '14:00')")
        return time(int(found[1]), int(found[2]))


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


class TimeZone(fields.Field[ZoneInfo]):
    """An IANA time zone name, e.g. America/Los_Angeles."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> ZoneInfo:
        name = _text(value)
        if name not in _zone_names():
            raise _unknown(f"unknown time zone {name!r}{did_you_mean(name, _zone_names())}")
        return ZoneInfo(name)


Choices = Collection[str] | Callable[[Known], Collection[str] | None]


class Choice(fields.String):
    """A name from a closed list: fixed, or defined by an earlier file (read from `Known`;
    unchecked while that file's names are unknown)."""

    def __init__(self, what: str, choices: Choices, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what = what
        self.choices = choices

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        name = super()._deserialize(value, attr, data, **kwargs)
        options = self.choices(known()) if callable(self.choices) else self.choices
        if options is None or name in options:
            return name
        hint = did_you_mean(name, options)
        if not hint and len(options) <= 10:
            hint = f" (one of: {', '.join(sorted(options))})"
        raise _unknown(f"unknown {self.what} {name!r}{hint}")


class OneOrMany(fields.List[Any]):
    """One value or a list of them; a single value's problems are reported at the key."""

    def __init__(self, inner: fields.Field[Any], **kwargs: Any) -> None:
        super().__init__(inner, validate=NOT_EMPTY, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, list):
            return super()._deserialize(value, attr, data, **kwargs)
        return [self.inner.deserialize(value, **kwargs)]


class ByKey(fields.Dict):
    """A mapping whose problems are reported at `path.key`, without marshmallow's extra
    "key" / "value" level; a problem with the key itself is placed at the key."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[Any, Any]:
        try:
            # marshmallow leaves Mapping._deserialize unannotated.
            loaded: dict[Any, Any] = super()._deserialize(  # type: ignore[no-untyped-call]
                value, attr, data, **kwargs)
        except ValidationError as error:
            if not isinstance(error.messages, dict):
                raise
            flat = {str(key): [*map(on_key, _listed(parts.get("key"))),
                               *_listed(parts.get("value"))]
                    for key, parts in error.messages.items()}
            raise ValidationError(flat, valid_data=error.valid_data) from None
        return loaded


def _listed(messages: Any) -> list[Any]:
    if messages is None:
        return []
    return messages if isinstance(messages, list) else [messages]


class Flag(fields.Field[bool]):
    """true or false, nothing else: a quoted "false" or a 0 is a mistake, not a value."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"write true or false, not {value!r}")
        return value
