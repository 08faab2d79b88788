"""The instant a cart is quoted at, and how one is written.

A saved cart (a rule test, a diff corpus, `rates quote CART`) is quoted at a fixed
instant, or its dates would move with today: `--at` if given, else the cart's own
`ordered_at`, else now. An instant always carries its offset: without one, the same words
mean different instants in Reno and Newark.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset; ValueError, saying how to write one, if not."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not an ISO 8601 instant: {text!r}") from None
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone offset; write e.g. 2026-11-23T09:30:00-08:00")
    return value


def ordered_at(payload: Any) -> datetime | None:
    """The cart's own `ordered_at`, if it gives a valid one (an invalid one is left for the
    request schema to report, with its field name)."""
    text = payload.get("ordered_at") if isinstance(payload, dict) else None
    if not isinstance(text, str):
        return None
    try:
        return parse_instant(text)
    except ValueError:
        return None


def quoted_at(payload: Any, at: datetime | None, now: datetime) -> datetime:
    """The instant a cart is quoted at: `at` if given, else its `ordered_at`, else `now`."""
    return at or ordered_at(payload) or now
