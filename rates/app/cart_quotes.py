"""The one path from a wire request to a domain `Quote`, for every caller: the HTTP API,
the platforms' callbacks, the CLI, rule tests and the replay of a stored quote.

Nothing here reads the time: the clock is passed in, which is what lets tests and `rates
quote --at` ask "what would this cart have been quoted on Black Friday?".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from rates.domain.cart import QuoteRequest
from rates.domain.catalog import Carrier
from rates.domain.confidence import Calibration
from rates.domain.errors import InvalidRequest
from rates.domain.live_rates import LiveAnswer, RateRequest
from rates.domain.policy import Ruleset
from rates.domain.quote.pipeline import quote, rate_requests
from rates.domain.quote.result import Quote
from rates.domain.stock import SkuStock
from rates.loading import Setup
from rates.wire.request import parse_quote_request
from rates.wire.voice import Voice, voice_for

Inventory = Callable[[str], SkuStock | None]
LiveRates = Callable[[Sequence[RateRequest], Mapping[str, Carrier]],
                     Mapping[RateRequest, LiveAnswer]]
"""Asks live carriers the given questions under one deadline (`rates.carriers.fetch`)."""


def quote_cart(setup: Setup, payload: Any, *, now: datetime, at: datetime | None = None,
               explain: bool = False, inventory: Inventory | None = None,
               live: LiveRates | None = None,
               calibration: Calibration | None = None) -> Quote:
    """Quote a wire request on `setup`: `cart_request`, then `quote_request`."""
    request = cart_request(setup, payload, now=at or now, at=at, inventory=inventory)
    return quote_request(setup, request, now=at or now, explain=explain, live=live,
                         calibration=calibration)


def cart_request(setup: Setup, payload: Any, *, now: datetime, at: datetime | None = None,
                 inventory: Inventory | None = None) -> QuoteRequest:
    """The domain request of a wire request on `setup`. `at`, when given, is the order
    instant (overriding the cart's `ordered_at`; absent, the cart's, else `now`). Lines
    without stock are looked up in `inventory` (default: the setup's inventory file).
    Raises `InvalidRequest` naming each bad field."""
    try:
        request = parse_quote_request(
            payload,
            default_location=next(iter(setup.catalog.locations)),
            now=now,
            inventory=inventory or setup.inventory.get,
            limits=setup.settings.limits,
        )
    except InvalidRequest as error:
        _name_accepted_currencies(error, payload, setup.ruleset)
        raise
    return request if at is None else request.ordered(at)


def quote_request(setup: Setup, request: QuoteRequest, *, now: datetime,
                  explain: bool = False, live: LiveRates | None = None,
                  calibration: Calibration | None = None) -> Quote:
    """Quote `request` on `setup` at `now`. Live carriers are asked through `live`
    first; without it they are priced from their fallback tables. `calibration` weighs
    the windows against the lateness history (`rates.app.calibration`)."""
    answers: Mapping[RateRequest, LiveAnswer] = {}
    if live is not None:
        asks = rate_requests(request, setup.catalog, setup.ruleset, setup.windows)
        answers = live(asks, setup.catalog.carriers) if asks else {}
    return quote(request, setup.catalog, setup.ruleset, now, explain=explain, live=answers,
                 windows=setup.windows, calibration=calibration)


def _name_accepted_currencies(error: InvalidRequest, payload: Any, ruleset: Ruleset) -> None:
    """A `currency` no ISO code this engine knows ("XYZ", "usd") is refused by the request's
    schema, which cannot know the shop; its problem becomes the one the quote gives any
    currency it does not accept, naming those it does, so a checkout hears one answer."""
    written = payload.get("currency") if isinstance(payload, dict) else None
    if isinstance(written, str) and "currency" in error.fields:
        error.fields["currency"] = [ruleset.exchange.requirement]


def voice(setup: Setup, payload: Any) -> Voice:
    """The merchant's words for the request's `locale` (absent: the shop's default)."""
    locale = payload.get("locale") if isinstance(payload, dict) else None
    return voice_for(setup.ruleset, locale if isinstance(locale, str) else None)
