"""What a quote request may say: the caps, sizes, patterns, codes and years that both of
its decoders enforce (`request_structs`, which decodes, and the marshmallow schemas of
`request`, which name every problem), written once so the two cannot drift apart.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from babel import Locale

from rates.domain.money import MINOR_UNITS

# Caps no configuration lifts: a config's `limits:` may only lower them (`within_caps`).
MAX_LINES = 250
MAX_QUANTITY = 10_000
MAX_GRAMS = 1_000_000

MAX_UNITS = 10_000_000
"""A stock count: units on hand, in an inbound lot, committed, a backorder limit."""
MAX_LEAD_DAYS = 730
NAME = 100
"""The longest SKU, tag, location, lot id or origin."""
REFERENCE = 200
LOCALE = 35
POSTCODE = 20
MAX_TAGS = 50
"""A line's tags, and a cart's customer tags."""
MAX_LOCATIONS = 50
MAX_LOTS = 100
"""The inbound lots of one position."""

DECIMAL = r"^[0-9]{1,12}(\.[0-9]{1,6})?$"
"""A decimal amount (`DecimalString`), as the OpenAPI description publishes it."""
REGION = r"^[A-Z0-9]{1,3}$"
SUPPLIER = r"^[A-Za-z0-9._&-]([A-Za-z0-9 ._&-]{0,98}[A-Za-z0-9._&-])?$"
"""Who restocks a SKU or sends a lot: its lateness is measured under this name, so one
supplier must not become two by a stray space or a look-alike letter."""
SUPPLIER_RULE = ("must be 1 to 100 characters: letters A-Z a-z, digits, spaces and . _ - &, "
                 "not starting or ending with a space")


def whole_text(pattern: str) -> str:
    """`pattern` (published for JSON Schema, where `$` is the end) for Python's `re`, whose
    `$` also matches before a final newline: "US\\n" is not a country."""
    return pattern.removesuffix("$") + r"\Z"


DECIMAL_TEXT = re.compile(whole_text(DECIMAL))

# Instants and dates far outside any calendar are typos or probes: the years 0001 and 9999
# overflow datetime arithmetic when moved to a location's time zone. Within these bounds
# a date outside the calendars' horizon is still refused, by the engine (400
# calendar_horizon).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
YEARS = "must be in the years 2000 to 2199"

CURRENCIES = sorted(MINOR_UNITS)


def _countries() -> list[str]:
    """ISO 3166-1 alpha-2 codes, from CLDR (through babel): the assigned ones, Kosovo (XK)
    and the exceptionally reserved islands shops ship to (AC, TA, ...), less CLDR's own
    groupings and test codes. "ZZ" or "XX" is a typo, not a place to quote."""
    not_places = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
    codes = (code for code in Locale.parse("en").territories if isinstance(code, str))
    return sorted(code for code in codes
                  if len(code) == 2 and code.isalpha() and code not in not_places)


COUNTRIES = _countries()


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored as it is, or None. PostgreSQL's text refuses NUL, and
    a lone surrogate (JSON's "\\ud800" escape decodes to one) has no UTF-8 encoding."""
    if "\x00" in text:
        return "must not contain NUL (\\u0000) characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (a lone surrogate escape is not)"
    return None


def storable(text: str) -> bool:
    return text_problem(text) is None
