"""Live carrier rates as data: what to ask carriers, and what they answered.

The domain never calls a carrier. `rate_requests()` names the distinct questions a quote
needs (one per live carrier, origin, destination and set of parcels); the shell asks them
all concurrently under one deadline and hands the answers to `quote()` as a mapping. A
question with no answer, or a failed one, is priced from the carrier's fallback table and
the quote says so: a carrier that failed is a fact in the quote, never an exception.

Parcels are packed first-fit decreasing by weight under the carrier's parcel limit: simple,
deterministic, and close to what a packer does for boxes of similar size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rates.domain.cart import Destination
from rates.domain.money import Money

PROTOCOLS = ("generic", "easypost")
"""The live rate protocols the shell has adapters for (`rates.carriers.registry`)."""


@dataclass(frozen=True, slots=True)
class LiveEndpoint:
    """Where and how the shell asks a live carrier; data only, the domain never calls it.

    `services` maps the carrier's own service names to our service codes where they differ
    (EasyPost says "NextDayAir" for our `next_day_air`); `api_key_env` names the
    environment variable holding the credential, which never sits in a file.
    """

    protocol: str
    url: str
    api_key_env: str | None = None
    services: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Parcel:
    grams: int


@dataclass(frozen=True, slots=True)
class RateRequest:
    """One question to one carrier. Hashable: it is the key of the answers mapping, and of
    the shell's short-lived cache, so two plans shipping the same parcels ask once."""

    carrier: str
    origin: str
    origin_country: str
    origin_region: str | None
    origin_postcode: str | None
    destination: Destination
    parcels: tuple[Parcel, ...]
    currency: str


@dataclass(frozen=True, slots=True)
class LiveRate:
    """A carrier's price for one of its services (our service `code`), with its own
    transit days when it gives them."""

    service: str
    price: Money
    transit_days: tuple[int, int] | None = None
    guaranteed: bool = False


@dataclass(frozen=True, slots=True)
class LiveAnswer:
    """The rates a carrier gave, or why it gave none ("timed out after 2.5 s")."""

    rates: tuple[LiveRate, ...] = ()
    failure: str | None = None

    def rate_for(self, service: str) -> LiveRate | None:
        return next((rate for rate in self.rates if rate.service == service), None)


def pack(unit_grams: Iterable[int], max_parcel_grams: int | None) -> tuple[Parcel, ...]:
    """Units into parcels, first-fit decreasing, each parcel at most `max_parcel_grams`
    (a unit heavier than that travels alone). No limit: one parcel."""
    weights = sorted(unit_grams, reverse=True)
    if max_parcel_grams is None:
        return (Parcel(sum(weights)),)
    parcels: list[int] = []
    for grams in weights:
        for index, load in enumerate(parcels):
            if load + grams <= max_parcel_grams:
                parcels[index] = load + grams
                break
        else:
            parcels.append(grams)
    return tuple(Parcel(grams) for grams in parcels)


def parcels_weight(parcels: Sequence[Parcel]) -> int:
    return sum(parcel.grams for parcel in parcels)
