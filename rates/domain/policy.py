"""The merchant's compiled policy: destination zones, offered services, plans and rules.

A `Ruleset` is immutable; a reload builds a whole new one and the shell swaps a single
reference, so a quote always sees one complete policy. `version` is a hash of the source
files, named in every quote so support can tell which policy priced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from rates.domain.catalog import Zone
from rates.domain.exchange import ExchangeRates
from rates.domain.phrases import Phrases
from rates.domain.plans import SHIPPING_PLANS, PlanKind
from rates.domain.rules.evaluation import Rule
from rates.domain.rules.index import RuleIndex
from rates.domain.tables import Bounded

DEFAULT_PLAN_LABELS: Mapping[PlanKind, str] = {
    PlanKind.TOGETHER: "ship everything together",
    PlanKind.IN_STOCK_FIRST: "in-stock items now, the rest when restocked",
    PlanKind.AS_AVAILABLE: "each item as soon as it is available",
}


@dataclass(frozen=True, slots=True)
class OfferedService:
    """A carrier service the shop offers (`carrier/code`), in `zones` only when given."""

    service: str
    zones: frozenset[str] = frozenset()

    def offered_in(self, zone: str | None) -> bool:
        return not self.zones or zone in self.zones


@dataclass(frozen=True, slots=True)
class PlanPolicy:
    """Which plans to offer, in display order, their labels, and how close two restocks
    must be (latest ETAs, in days) to share a shipment under `as_available`."""

    kinds: tuple[PlanKind, ...] = SHIPPING_PLANS
    labels: Mapping[PlanKind, str] = field(default_factory=lambda: dict(DEFAULT_PLAN_LABELS))
    merge_within_days: int = 3


VOICES = 64
"""Locale tags a ruleset keeps words for (tags come from requests: unbounded)."""


@dataclass(frozen=True, slots=True)
class Ruleset:
    """`wording` holds the merchant's shopper-facing words by locale tag ("en", "fr",
    "fr_CA"), and `wording_default` the locale a shopper without words of their own reads,
    whole; the shell words options with them, the domain only carries them.

    `currency` is the shop's: every rate table and rule amount is in it. `exchange_rates`
    (the config's `currencies:`) are the other currencies a checkout may be quoted in,
    units of each per one unit of `currency` (`rates.domain.exchange`); they belong to the
    ruleset so that a reload changes them together with the rules."""

    version: str
    currency: str
    zones: tuple[Zone, ...]
    services: tuple[OfferedService, ...]
    plans: PlanPolicy
    rules: tuple[Rule, ...]
    wording: Mapping[str, Phrases] = field(default_factory=dict)
    wording_default: str = "en"
    exchange_rates: Mapping[str, Decimal] = field(default_factory=dict)
    index: RuleIndex = field(init=False, compare=False, repr=False)
    exchange: ExchangeRates = field(init=False, compare=False, repr=False)
    voices: Bounded[str | None, object] = field(init=False, compare=False, repr=False)
    """What the shell words this ruleset's options with, by locale tag (`rates.wire.voice`):
    kept here, so it lives and dies with these words."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "voices", Bounded(VOICES))
        object.__setattr__(self, "index", RuleIndex(self.rules))
        object.__setattr__(self, "exchange", ExchangeRates(self.currency, self.exchange_rates))
