"""Reading a platform's JSON: the few small readers every adapter needs, written once.

A platform's payload is untrusted JSON: a field may be missing, of another type, or
absurd. These read one value each and give None (or "") for anything that is not what
they read, so that each adapter can name the problem by its own path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rates.app.platform_events import PLATFORM_IDS

MAX_ID_DIGITS = 30
"""The longest numeric product or variant id read (Shopify's and BigCommerce's ids)."""


def text_of(value: Any) -> str:
    """A string field, stripped; "" for anything else."""
    return value.strip() if isinstance(value, str) else ""


def decimal_of(value: Any) -> Decimal | None:
    """A JSON number or a numeric string ("10", "12.95"), read through its text so that a
    float's shortest decimal form is kept (12.95, not 12.949999...); None if it is none,
    or not finite."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def iso_instant(value: Any) -> datetime | None:
    """An ISO 8601 instant with its UTC offset ("2021-12-31T19:00:00-05:00"); None for
    anything else, a naive instant included (it names no moment)."""
    if not isinstance(value, str):
        return None
    try:
        found = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return found if found.utcoffset() is not None else None


def numeric_ids(item: Mapping[str, Any]) -> dict[str, str]:
    """The item's `variant_id` and `product_id` as text, those it has as numbers (or
    strings of digits): by them the product catalog finds an item whose SKU it does not
    know (`rates.app.products`). Anything else (a NUL, a 10 KB string) names nothing and
    is left out."""
    found = {}
    for key in PLATFORM_IDS:
        value = item.get(key)
        text = "" if isinstance(value, bool) or not isinstance(value, int | str) else (
            str(value).strip())
        if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
            found[key] = text
    return found
