"""Quoting saved carts again, on a chosen rule set at a chosen instant.

Rule tests and rule diffs quote carts from files, not from a checkout: the instant must be
fixed (or dates would move with today), the setup's calendars must cover that instant, and
withheld options must be visible (explain mode) since "hidden by which rule" is part of
what they compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rates.app.quoting import quote_cart
from rates.domain.errors import RatesError
from rates.domain.quote.result import Quote
from rates.loading import Setup, load_setup


class CartRefused(RatesError):
    """The engine refused a saved cart (malformed, wrong currency, ...): the cart's fault,
    not the setup's, so callers can say which cart or test it was."""

    code = "cart_refused"


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset; ValueError, saying how to write one, if not.
    Without an offset the same words mean different instants in Reno and Newark."""
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


@dataclass
class Replay:
    """Quotes carts on the config at `config` with the rules at `rules` (a directory or
    file; None: the config's own). Calendars span a few years around the day a setup is
    loaded for (see `load_setup`), so one setup is loaded per year of the instants asked
    for: a corpus from one season loads once."""

    config: Path
    rules: Path | None = None
    _setups: dict[int, Setup] = field(default_factory=dict, init=False, repr=False)

    def setup_for(self, day: date) -> Setup:
        """The setup whose calendars cover `day`; raises `ConfigError` if it is broken."""
        if day.year not in self._setups:
            self._setups[day.year] = load_setup(self.config, day, rules=self.rules)
        return self._setups[day.year]

    def quote(self, payload: Any, *, at: datetime | None, now: datetime) -> Quote:
        """Quote `payload` in explain mode (withheld options listed) at `quoted_at`.
        Raises `CartRefused` if the engine refuses the cart, `ConfigError` if the setup
        is broken."""
        setup = self.setup_for(quoted_at(payload, at, now).date())
        try:
            return quote_cart(setup, payload, now=now, at=at, explain=True)
        except RatesError as error:
            raise CartRefused(error.message, error.fields) from error
