"""The public Python API: quote carts and check a setup from Python, without HTTP.

A merchant's own code, a notebook or a batch job gets exactly what the `rates` command
prints, because the command is built on this class:

    import rates
    engine = rates.load("config.example.yaml")
    document = engine.quote(cart)          # == `rates quote CART --json`
    problems = engine.check()              # == what `rates check` prints

`cart` is the JSON quote request as a dict (DESIGN section 7); `at`, an aware datetime, is
the order instant (`--at`). A setup's calendars cover a few years around the day it is
loaded for (`rates.loading.load_setup`), so the engine keeps one loaded setup per year of
the instants it is asked about: quoting a season of carts loads the files once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rates.app.cart_quotes import quote_cart, voice
from rates.app.instants import quoted_at
from rates.app.quoting import new_quote_id
from rates.domain.quote.result import Quote
from rates.loading import Setup, load_setup
from rates.loading.builder import Inspection, inspect_setup
from rates.loading.problems import Problem
from rates.wire.response import Detail, quote_document


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Engine:
    """The setup at `config` (with the rules at `rules`, a directory or file, in place of
    the config's own when given), quoted on the instants `clock` gives."""

    config: Path
    rules: Path | None = None
    clock: Callable[[], datetime] = _utc_now
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    """Where `check()` looks for the secrets the config names (a test passes its own)."""
    _setups: dict[int, Setup] = field(default_factory=dict, init=False, repr=False)

    def setup_for(self, day: date) -> Setup:
        """The setup whose calendars cover `day`; raises `ConfigError` if it is broken."""
        if day.year not in self._setups:
            self._setups[day.year] = load_setup(self.config, day, rules=self.rules)
        return self._setups[day.year]

    def quote(self, cart: Mapping[str, Any], at: datetime | None = None, *,
              explain: bool = False) -> dict[str, Any]:
        """The quote document of `cart` ordered at `at` (default: the cart's `ordered_at`,
        else now), as `rates quote CART --json [--at AT] [--explain]` prints it: every
        shipment in full (a merchant reads it, not a checkout), and with `explain` the
        trace. Raises `InvalidRequest` naming each bad field of the cart."""
        setup, result = self._quoted(cart, at, explain=explain)
        return quote_document(result, new_quote_id(), voice(setup, cart),
                              detail=Detail.EXPLAIN if explain else Detail.FULL)

    def quote_result(self, cart: Mapping[str, Any], at: datetime | None = None, *,
                     explain: bool = False) -> Quote:
        """The domain `Quote` behind `quote()`: for tools that read options and traces
        as objects (the quote table, rule tests, rule diffs)."""
        return self._quoted(cart, at, explain=explain)[1]

    def check(self) -> list[Problem]:
        """Every problem of the setup's files, errors and warnings, as `rates check`
        reports them (files relative to the config's directory), and a warning for each
        shop whose secret `environ` lacks. Never raises for a broken file: a broken file
        is what it reports."""
        return list(self.inspect().problems)

    def inspect(self) -> Inspection:
        """`check()`'s problems and the files the setup reads, so a report can be narrowed
        to some of them (`rates check PATHS`)."""
        return inspect_setup(self.config, self.clock().date(), rules=self.rules,
                             environ=self.environ)

    def _quoted(self, cart: Mapping[str, Any], at: datetime | None, *,
                explain: bool) -> tuple[Setup, Quote]:
        now = self.clock()
        setup = self.setup_for(quoted_at(cart, at, now).date())
        return setup, quote_cart(setup, cart, now=now, at=at, explain=explain)


def load(config_path: str | os.PathLike[str], *, rules: str | os.PathLike[str] | None = None,
         clock: Callable[[], datetime] = _utc_now) -> Engine:
    """The engine for the setup at `config_path`, loaded and validated now: raises
    `ConfigError` listing every problem if a file is broken."""
    engine = Engine(Path(config_path), Path(rules) if rules is not None else None, clock)
    engine.setup_for(clock().date())
    return engine
