"""Quoting saved carts again, on a chosen rule set at a chosen instant.

Rule tests and rule diffs quote carts from files, not from a checkout: the instant must be
fixed (or dates would move with today), the setup's calendars must cover that instant, and
withheld options must be visible (explain mode) since "hidden by which rule" is part of
what they compare.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from rates.app.cart_quotes import quote_cart
from rates.app.engine import Engine
from rates.app.instants import quoted_at
from rates.domain.errors import RatesError
from rates.domain.quote.result import Quote


class CartRefused(RatesError):
    """The engine refused a saved cart (malformed, wrong currency, ...): the cart's fault,
    not the setup's, so callers can say which cart or test it was."""

    code = "cart_refused"


class Replay:
    """Quotes carts on the config at `config` with the rules at `rules` (a directory or
    file; None: the config's own), loading one setup per year asked about (`Engine`)."""

    def __init__(self, config: Path, rules: Path | None = None) -> None:
        self.engine = Engine(config, rules)

    def quote(self, payload: Any, *, at: datetime | None, now: datetime) -> Quote:
        """Quote `payload` in explain mode (withheld options listed) at `quoted_at`.
        Raises `CartRefused` if the engine refuses the cart, `ConfigError` if the setup
        is broken."""
        setup = self.engine.setup_for(quoted_at(payload, at, now).date())
        try:
            return quote_cart(setup, payload, now=now, at=at, explain=True)
        except RatesError as error:
            raise CartRefused(error.message, error.fields) from error
