"""The use cases the CLI and the web share, so both quote a cart the same way.

A `QuoteService` holds one loaded `Setup` (catalog, ruleset, inventory) and a clock. It
never reads the time itself: the clock is passed in, which is what lets tests and
`rates quote --at` ask "what would this cart have been quoted on Black Friday?".
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from rates.domain.quote import Quote, quote
from rates.loading import Setup
from rates.wire.request import parse_quote_request


def new_quote_id() -> str:
    """An opaque, unguessable quote id: support reads it back, shoppers must not enumerate."""
    return "q_" + secrets.token_hex(8)


@dataclass(frozen=True, slots=True)
class QuoteService:
    setup: Setup
    clock: Callable[[], datetime]

    def quote(self, payload: Any, *, at: datetime | None = None,
              explain: bool = False) -> Quote:
        """Quote a wire request. `at`, when given, is both the clock and the order instant
        (overriding the cart's `ordered_at`)."""
        now = at or self.clock()
        request = parse_quote_request(
            payload,
            default_location=next(iter(self.setup.catalog.locations)),
            now=now,
            inventory=self.setup.inventory.get,
        )
        if at is not None:
            request = replace(request, ordered_at=at)
        return quote(request, self.setup.catalog, self.setup.ruleset, now, explain=explain)
