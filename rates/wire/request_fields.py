"""The field types every request schema of the API is written with: money as decimal
strings, whole numbers as JSON writes them, patterns that must match the whole value,
text a database can store, and the years an instant or a day may fall in. What each
accepts is what the OpenAPI description publishes for it (`rates.web.openapi`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from marshmallow import ValidationError, fields, validate

from rates.wire.request_bounds import DECIMAL, DECIMAL_TEXT, EARLIEST, LATEST, YEARS, text_problem


class DecimalString(fields.Field[Decimal]):
    """A decimal amount written as a string ("12.95"): JSON numbers are refused because
    they become binary floats in most clients, and money must not. Plain digits only (no
    sign, exponent or spaces), at most 12 before the point and 6 after: a price is never
    negative, and an amount past that is a typo or an attack, not a price (1e30 would not
    even fit the decimal context). `PATTERN` is published in the OpenAPI description, so
    what the description calls valid and what this field accepts are one rule."""

    PATTERN = DECIMAL
    default_error_messages = {
        "type": 'must be a decimal string such as "12.95", not a number',
        "invalid": 'not a decimal amount: digits with an optional point, such as "12.95" '
                   "(at most 12 digits before the point and 6 after, no sign)",
    }

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": self.PATTERN, "example": "12.95", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if not isinstance(value, str):
            raise self.make_error("type")
        if not DECIMAL_TEXT.match(value):
            raise self.make_error("invalid")
        return Decimal(value)


class WholeNumber(fields.Integer):
    """A whole number, which JSON may write as 3 or 3.0: JSON Schema's `integer` (what the
    OpenAPI description says) is both, and some clients write every number as a double.
    Never a string, a boolean or 1.5 (marshmallow's `strict` refuses those, and 3.0)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._validated(value)


class Pattern(validate.Regexp):
    """A regular expression the whole value must match. marshmallow's `Regexp` uses
    `re.match`, whose `$` also matches before a final newline, so "US\\n" passed as a
    country; JSON Schema's `pattern` (which apispec publishes from `regex`) does not."""

    def __call__(self, value: str) -> str:  # type: ignore[override]  # text only, never bytes
        if cast("re.Pattern[str]", self.regex).fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


NO_NUL = "^[^\\u0000]*$"


class Text(fields.String):
    """A string that PostgreSQL can store and UTF-8 can encode (see `text_problem`).
    Emoji, right-to-left text and combining marks are text like any other. The OpenAPI
    description carries `NO_NUL` as the field's pattern, unless a pattern or a list of
    choices already says more."""

    def __init__(self, **kwargs: Any) -> None:
        validators = kwargs.get("validate")
        patterned = any(isinstance(v, validate.Regexp | validate.OneOf)
                        for v in (validators if isinstance(validators, list) else [validators]))
        if not patterned:
            kwargs["metadata"] = {"pattern": NO_NUL, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = text_problem(text)
        if problem:
            raise ValidationError(problem)
        return text


INSTANT_YEARS = validate.Range(EARLIEST, LATEST, max_inclusive=False, error=YEARS)
DAY_YEARS = validate.Range(EARLIEST.date(), LATEST.date(), max_inclusive=False, error=YEARS)
