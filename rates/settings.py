"""Typed settings for the service, loaded once from the config file and the environment.

These do not change on a rules reload (locations, carriers and rules do): a new server
address or key list needs a restart, as with any service.

API keys are stored as SHA-256 hex digests, never in clear. A plain hash is enough because
keys are 32 random bytes, not passwords: there is nothing to guess, so a slow hash would
only slow every request down.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    """What a key may do; each role includes the ones before it."""

    QUOTE = "quote"
    SUPPORT = "support"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str
    role: Role
    sha256: str


KEY_PREFIX = "rk_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class UnknownItems(StrEnum):
    """What a checkout's item that no inventory record knows is quoted as."""

    IN_STOCK = "in_stock"
    """On hand at the checkout's origin location (else the first location), as ShipperHQ
    does: a shop need not push every product before it can ship it."""
    REFUSE = "refuse"
    """No rate for the cart: the shop ships only what its inventory knows."""


@dataclass(frozen=True, slots=True)
class FallbackRate:
    """The one rate a checkout gets when the cart cannot be quoted whole (units nobody
    can supply, or an item refused): e.g. "Contact us for delivery". Off unless set."""

    name: str
    price: Decimal
    description: str | None = None


DEFAULT_ADMIN_TOKEN_ENV = "RATES_SHOPIFY_ADMIN_TOKEN"  # noqa: S105 (a variable name)
"""Where `rates shopify register` looks for a shop's Admin API token when its entry names
no `admin_token_env`: one shop per config is the common case, and it needs no edit."""


class PlatformStore(Protocol):
    """A store on a checkout platform whose calls we answer: Shopify's `Shop`, a
    `BigCommerceStore`, a `SaleorInstance`. What every platform shares is here; each
    adapter reads its own fields."""

    @property
    def platform(self) -> str:
        """The platform's name: the first part of its routes and of its orders' ids."""

    @property
    def name(self) -> str:
        """The store as its platform's routes name it (a domain, a store hash)."""

    @property
    def key(self) -> str:
        """The store among all platforms' (a cart key and a webhook receipt name it)."""

    @property
    def unknown_items(self) -> UnknownItems: ...

    @property
    def fallback_rate(self) -> FallbackRate | None: ...

    def unset(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        """The fields naming a secret's variable that `environ` leaves unset or empty."""


@dataclass(frozen=True, slots=True)
class Shop:
    """A Shopify shop whose CarrierService callback we answer. Its secrets come from the
    environment, never the file: the app's shared secret, which signs each callback, from
    `secret_env`; the Admin API token, which only `rates shopify register` needs, from
    `admin_token_env` (a token is per shop, so two shops name two variables)."""

    domain: str
    secret_env: str
    admin_token_env: str = DEFAULT_ADMIN_TOKEN_ENV
    unknown_items: UnknownItems = UnknownItems.IN_STOCK
    fallback_rate: FallbackRate | None = None

    @property
    def platform(self) -> str:
        return "shopify"

    @property
    def name(self) -> str:
        return self.domain

    @property
    def key(self) -> str:
        return self.domain  # as Shopify's cart keys and receipts were named before others

    def secret(self, environ: Mapping[str, str]) -> str | None:
        """The shared secret in `environ`; None when the variable is unset or empty, since
        an empty secret verifies no signature (the shop's callbacks then answer 404)."""
        return environ.get(self.secret_env) or None

    def admin_token(self, environ: Mapping[str, str]) -> str | None:
        """The Admin API token in `environ`; None when unset or empty."""
        return environ.get(self.admin_token_env) or None

    def unset(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        return () if self.secret(environ) else ("secret_env",)


@dataclass(frozen=True, slots=True)
class BigCommerceStore:
    """A BigCommerce store whose Shipping Provider calls (`rate`,
    `check_connection_options`) and order webhooks we answer. Secrets from the
    environment: `secret_env` holds the credential the merchant enters as the carrier's
    connection option (every rate request carries it) and sets as the header of the
    store's webhooks; `api_token_env` the store's API account token, with which an
    order's details are read (v2 Orders API, at `api_url`)."""

    store_hash: str
    secret_env: str
    api_token_env: str
    api_url: str = "https://api.bigcommerce.com"
    unknown_items: UnknownItems = UnknownItems.IN_STOCK
    fallback_rate: FallbackRate | None = None

    @property
    def platform(self) -> str:
        return "bigcommerce"

    @property
    def name(self) -> str:
        return self.store_hash

    @property
    def key(self) -> str:
        return f"bigcommerce/{self.store_hash}"

    def secret(self, environ: Mapping[str, str]) -> str | None:
        return environ.get(self.secret_env) or None

    def api_token(self, environ: Mapping[str, str]) -> str | None:
        return environ.get(self.api_token_env) or None

    def unset(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(name for name, value in (("secret_env", self.secret(environ)),
                                              ("api_token_env", self.api_token(environ)))
                     if not value)


@dataclass(frozen=True, slots=True)
class SaleorInstance:
    """A Saleor instance (its domain, as its `Saleor-Domain` header names it) whose app
    webhooks we answer. Saleor signs each payload with its private key; the public keys
    are read from `jwks_url` (default: the instance's `/.well-known/jwks.json`), so no
    secret is configured here."""

    domain: str
    jwks_url: str = ""
    unknown_items: UnknownItems = UnknownItems.IN_STOCK
    fallback_rate: FallbackRate | None = None

    def __post_init__(self) -> None:
        if not self.jwks_url:
            object.__setattr__(self, "jwks_url", f"https://{self.domain}/.well-known/jwks.json")

    @property
    def platform(self) -> str:
        return "saleor"

    @property
    def name(self) -> str:
        return self.domain

    @property
    def key(self) -> str:
        return f"saleor/{self.domain}"

    def unset(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 2
    max_body_bytes: int = 64 * 1024
    reload_interval_seconds: float = 2.0
    session_secret_env: str = "RATES_SESSION_SECRET"  # noqa: S105 (a variable name)
    secure_cookies: bool = True


@dataclass(frozen=True, slots=True)
class LiveRateSettings:
    """How live carrier rates are fetched. One `deadline_seconds` covers the whole fan-out
    of a quote (Shopify waits 3 s at most for a callback); only `allowed_hosts` may be
    called; answers are cached `cache_seconds`; a carrier failing `breaker_failures` times
    in a row is not called for `breaker_reset_seconds`, then probed once."""

    deadline_seconds: float = 2.5
    connect_timeout_seconds: float = 0.5
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    cache_seconds: float = 60.0
    cache_entries: int = 10_000
    breaker_failures: int = 5
    breaker_reset_seconds: float = 30.0
    retries: int = 1


@dataclass(frozen=True, slots=True)
class Limits:
    max_lines: int = 100
    max_quantity: int = 1000


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """Events are POSTed to `url`, signed with the secret held by the environment variable
    `secret_env` (never the file). A try waits at most `timeout_seconds` to connect and
    for each read. An event is tried at most `max_attempts` times in all; the wait before a
    retry is drawn below a ceiling that starts at `first_retry_seconds` and doubles up to
    `max_retry_seconds` (`rates.webhooks.sender.retry_delay`). The dispatcher looks for
    due events every `poll_seconds`."""

    url: str
    secret_env: str
    timeout_seconds: float = 5.0
    max_attempts: int = 8
    first_retry_seconds: float = 30.0
    max_retry_seconds: float = 3600.0
    poll_seconds: float = 5.0


@dataclass(frozen=True, slots=True)
class OrderSettings:
    """Accepting options as promises. A quote older than `quote_valid_hours` cannot be
    accepted: its stock and dates may no longer hold, so the checkout must quote again."""

    quote_valid_hours: float = 24.0


@dataclass(frozen=True, slots=True)
class PromiseSettings:
    """How promises are weighed against what happened (docs/confidence.md). A window whose
    estimated confidence is below `target_confidence` has its latest day moved later
    until it reaches it (None: windows are never moved, only weighed). The configured
    ranges (a lot's ETA, a service's transit days) count as `prior_observations`
    observations against a supplier's or lane's history; the history is read
    `history_days` back, counted again every `refresh_minutes` while the service runs
    (every worker takes the counts kept last: `rates.app.calibration.Recounting`)."""

    target_confidence: float | None = None
    prior_observations: int = 20
    history_days: int = 365
    refresh_minutes: float = 60.0


@dataclass(frozen=True, slots=True)
class SupportSettings:
    """The support console. Every instant on its pages is written in `timezone`, the
    merchant's, so staff never convert an offset on the phone (the config defaults it to
    the first location's)."""

    timezone: tzinfo = UTC


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """How long the store keeps what every request adds. A quote is kept
    `quote_retention_days` (at least as long as it can be accepted: the config is refused
    otherwise), and as long as an order refers to it; removed quotes are looked for every
    `prune_interval_seconds` while the service runs (`rates.app.retention`)."""

    quote_retention_days: float = 30.0
    prune_interval_seconds: float = 60.0


@dataclass(frozen=True, slots=True)
class Settings:
    store_url: str = "sqlite:///rates.db"
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    limits: Limits = field(default_factory=Limits)
    keys: tuple[ApiKey, ...] = ()
    shops: tuple[Shop, ...] = ()
    bigcommerce: tuple[BigCommerceStore, ...] = ()
    saleor: tuple[SaleorInstance, ...] = ()
    live_rates: LiveRateSettings = field(default_factory=LiveRateSettings)
    orders: OrderSettings = field(default_factory=OrderSettings)
    promise: PromiseSettings = field(default_factory=PromiseSettings)
    webhook: WebhookSettings | None = None
    """Where events about promises at risk go; None: nowhere."""
    support: SupportSettings = field(default_factory=SupportSettings)
    _by_digest: Mapping[str, ApiKey] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_digest", {key.sha256: key for key in self.keys})

    def authenticate(self, presented: str | None) -> ApiKey | None:
        """The key whose SHA-256 digest is `presented`'s: one dictionary lookup, whatever
        the number of keys. Looking up by digest tells a caller's timing nothing of any
        key: a near-miss digest is no nearer a key (finding one is a preimage attack)."""
        if not presented:
            return None
        return self._by_digest.get(hash_key(presented))

    @property
    def stores(self) -> tuple[PlatformStore, ...]:
        """Every checkout platform's configured stores, Shopify's shops first."""
        return (*self.shops, *self.bigcommerce, *self.saleor)
