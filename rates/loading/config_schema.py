"""The merchant's operations file (config.example.yaml): locations (`location_schema`),
inventory and product sources, sourcing strategy, store, server, keys, shops, currencies,
orders and webhooks, and where the rules and carriers live. See the comments in
config.example.yaml for the format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from rates.domain.catalog import Location
from rates.domain.money import MINOR_UNITS
from rates.domain.sourcing.strategy import Strategy
from rates.loading.checks import Check, Finding
from rates.loading.fields import (
    NOT_EMPTY,
    Amount,
    ByKey,
    Choice,
    Count,
    ExchangeRate,
    Id,
    TimeZone,
)
from rates.loading.location_schema import LocationSchema
from rates.loading.strict import Strict
from rates.settings import (
    DEFAULT_ADMIN_TOKEN_ENV,
    ApiKey,
    BigCommerceStore,
    FallbackRate,
    Limits,
    LiveRateSettings,
    OrderSettings,
    PromiseSettings,
    RetentionSettings,
    Role,
    SaleorInstance,
    ServerSettings,
    Settings,
    Shop,
    SupportSettings,
    UnknownItems,
    WebhookSettings,
)
from rates.webhooks.config import url_problem

DEFAULT_STORE = "sqlite:///rates.db"


class InventorySourceSchema(Strict):
    source = Choice("inventory source", ["file"], load_default="file")
    path = fields.String(required=True)


class ProductsSourceSchema(Strict):
    path = fields.String(required=True)


_LIVE = LiveRateSettings()


class LiveRatesSchema(Strict):
    deadline_seconds = fields.Float(load_default=_LIVE.deadline_seconds,
                                    validate=validate.Range(min=0.1, max=30))
    connect_timeout_seconds = fields.Float(load_default=_LIVE.connect_timeout_seconds,
                                           validate=validate.Range(min=0.05, max=30))
    allowed_hosts = fields.List(fields.String(validate=validate.Length(1, 253)),
                                load_default=lambda: list(_LIVE.allowed_hosts))
    cache_seconds = fields.Float(load_default=_LIVE.cache_seconds,
                                 validate=validate.Range(min=0))
    cache_entries = Count(1, load_default=_LIVE.cache_entries)
    breaker_failures = Count(1, load_default=_LIVE.breaker_failures)
    breaker_reset_seconds = fields.Float(load_default=_LIVE.breaker_reset_seconds,
                                         validate=validate.Range(min=0.1))
    retries = Count(0, load_default=_LIVE.retries)

    @post_load
    def _settings(self, data: dict[str, Any], **kwargs: Any) -> LiveRateSettings:
        return LiveRateSettings(**{**data, "allowed_hosts": tuple(data["allowed_hosts"])})


class OrdersSchema(Strict):
    quote_valid_hours = fields.Float(
        load_default=OrderSettings().quote_valid_hours,
        validate=validate.Range(min=0, min_inclusive=False, error="must be more than 0"))

    @post_load
    def _settings(self, data: dict[str, Any], **kwargs: Any) -> OrderSettings:
        return OrderSettings(**data)


class PromiseSchema(Strict):
    target_confidence = fields.Float(
        load_default=None, allow_none=True,
        validate=validate.Range(min=0.5, max=0.99,
                                error="must be from {min} to {max}: the share of "
                                      "deliveries a window should hold"))
    prior_observations = Count(1, load_default=PromiseSettings().prior_observations)
    history_days = Count(1, load_default=PromiseSettings().history_days)
    refresh_minutes = fields.Float(
        load_default=PromiseSettings().refresh_minutes,
        validate=validate.Range(min=1, error="must be at least {min} minute"))

    @post_load
    def _settings(self, data: dict[str, Any], **kwargs: Any) -> PromiseSettings:
        return PromiseSettings(**data)


_WEBHOOK = WebhookSettings("", "")
_AT_LEAST = "must be at least {min} seconds"


def _webhook_url(url: str) -> None:
    problem = url_problem(url)
    if problem:
        raise ValidationError(problem)


class WebhooksSchema(Strict):
    url = fields.String(required=True, validate=_webhook_url)
    secret_env = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z_][A-Z0-9_]*$", error="must name an environment variable, e.g. "
                                     "RATES_WEBHOOK_SECRET"))
    timeout_seconds = fields.Float(load_default=_WEBHOOK.timeout_seconds,
                                   validate=validate.Range(
                                       0.1, 60, error="must be from {min} to {max} seconds"))
    max_attempts = Count(1, load_default=_WEBHOOK.max_attempts)
    # At least a second: with full jitter, a zero ceiling would retry in a tight loop.
    first_retry_seconds = fields.Float(load_default=_WEBHOOK.first_retry_seconds,
                                       validate=validate.Range(min=1, error=_AT_LEAST))
    max_retry_seconds = fields.Float(load_default=_WEBHOOK.max_retry_seconds,
                                     validate=validate.Range(min=1, error=_AT_LEAST))
    poll_seconds = fields.Float(load_default=_WEBHOOK.poll_seconds,
                                validate=validate.Range(min=0.1, error=_AT_LEAST))

    @validates_schema
    def _retries_grow(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["max_retry_seconds"] < data["first_retry_seconds"]:
            raise ValidationError({"max_retry_seconds": [
                f"must be at least first_retry_seconds ({data['first_retry_seconds']:g})"]})

    @post_load
    def _settings(self, data: dict[str, Any], **kwargs: Any) -> WebhookSettings:
        return WebhookSettings(**data)


_RETENTION = RetentionSettings()


class StoreSchema(Strict):
    url = fields.String(required=True)
    # None: not given (the default applies), so a problem can be put on the key given.
    quote_retention_days = fields.Float(
        load_default=None,
        validate=validate.Range(min=0, min_inclusive=False, error="must be more than 0"))
    prune_interval_seconds = fields.Float(
        load_default=_RETENTION.prune_interval_seconds,
        validate=validate.Range(min=1, error=_AT_LEAST))


_SERVER, _LIMITS = ServerSettings(), Limits()


class ServerSchema(Strict):
    host = fields.String(load_default=_SERVER.host)
    port = fields.Integer(strict=True, load_default=_SERVER.port,
                          validate=validate.Range(1, 65535))
    workers = Count(1, load_default=_SERVER.workers)
    max_body_kb = Count(1, load_default=_SERVER.max_body_bytes // 1024)
    reload_interval_seconds = fields.Float(
        load_default=_SERVER.reload_interval_seconds,
        validate=validate.Range(min=0.1, error="must be at least {min}"))

    session_secret_env = fields.String(
        load_default=_SERVER.session_secret_env, validate=validate.Regexp(
            r"^[A-Z_][A-Z0-9_]*$", error="must name an environment variable, e.g. "
                                         "RATES_SESSION_SECRET"))
    secure_cookies = fields.Boolean(load_default=_SERVER.secure_cookies)

    @post_load
    def _settings(self, data: dict[str, Any], **kwargs: Any) -> ServerSettings:
        return ServerSettings(data["host"], data["port"], data["workers"],
                              data["max_body_kb"] * 1024, data["reload_interval_seconds"],
                              data["session_secret_env"], data["secure_cookies"])


class LimitsSchema(Strict):
    max_lines = Count(1, load_default=_LIMITS.max_lines)
    max_quantity = Count(1, load_default=_LIMITS.max_quantity)

    @post_load
    def _limits(self, data: dict[str, Any], **kwargs: Any) -> Limits:
        return Limits(**data)


class SourcingSchema(Strict):
    strategy = Choice("strategy", [strategy.value for strategy in Strategy],
                      load_default=Strategy.FASTEST.value)


class SupportSchema(Strict):
    timezone = TimeZone(load_default=None)


class KeySchema(Strict):
    name = Id(required=True)
    role = Choice("role", [role.value for role in Role], required=True)
    sha256 = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9a-f]{64}$", error="must be the 64 hex digits `rates keys new` prints"))

    @post_load
    def _key(self, data: dict[str, Any], **kwargs: Any) -> ApiKey:
        return ApiKey(data["name"], Role(data["role"]), data["sha256"])


class AuthSchema(Strict):
    keys = fields.List(fields.Nested(KeySchema), load_default=list)


class FallbackRateSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    price = Amount(required=True)
    description = fields.String(load_default=None, validate=validate.Length(1, 200))

    @post_load
    def _fallback(self, data: dict[str, Any], **kwargs: Any) -> FallbackRate:
        return FallbackRate(data["name"], data["price"], data["description"])


VARIABLE = r"^[A-Z_][A-Z0-9_]*$"
STORE_HASH = r"^[a-z0-9]{1,32}$"
"""A BigCommerce store's hash, as in its API path /stores/<store_hash>/."""
SALEOR_DOMAIN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$"
"""A Saleor instance's domain, as its Saleor-Domain header names it (a port allowed)."""


def variable(example: str, **kwargs: Any) -> fields.String:
    """A field naming an environment variable (a secret is never in the file)."""
    return fields.String(validate=validate.Regexp(
        VARIABLE, error=f"must name an environment variable, e.g. {example}"), **kwargs)


class PlatformStoreSchema(Strict):
    """What every checkout platform's store may set: its policies for a cart that cannot
    be quoted whole (`rates.app.checkout`)."""

    unknown_items = Choice("policy", [policy.value for policy in UnknownItems],
                           load_default=UnknownItems.IN_STOCK.value)
    fallback_rate = fields.Nested(FallbackRateSchema, load_default=None)


class ShopSchema(PlatformStoreSchema):
    domain = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$", error="must be like my-shop.myshopify.com"))
    secret_env = variable("SHOPIFY_SECRET", required=True)
    admin_token_env = variable("SHOPIFY_ADMIN_TOKEN", load_default=DEFAULT_ADMIN_TOKEN_ENV)

    @post_load
    def _shop(self, data: dict[str, Any], **kwargs: Any) -> Shop:
        return Shop(data["domain"], data["secret_env"], data["admin_token_env"],
                    UnknownItems(data["unknown_items"]), data["fallback_rate"])


class BigCommerceSchema(PlatformStoreSchema):
    store_hash = fields.String(required=True, validate=validate.Regexp(
        STORE_HASH, error="must be the store hash, e.g. abc123 (from the store's "
                                   "API path /stores/abc123/)"))
    secret_env = variable("BIGCOMMERCE_RATES_TOKEN", required=True)
    api_token_env = variable("BIGCOMMERCE_API_TOKEN", required=True)
    api_url = fields.Url(load_default="https://api.bigcommerce.com", require_tld=False,
                         schemes={"https", "http"})

    @post_load
    def _store(self, data: dict[str, Any], **kwargs: Any) -> BigCommerceStore:
        return BigCommerceStore(data["store_hash"], data["secret_env"], data["api_token_env"],
                                data["api_url"].rstrip("/"),
                                UnknownItems(data["unknown_items"]), data["fallback_rate"])


class SaleorSchema(PlatformStoreSchema):
    domain = fields.String(required=True, validate=validate.Regexp(
        SALEOR_DOMAIN, error="must be the instance's domain as its Saleor-Domain header "
                             "names it, e.g. shop.saleor.cloud"))
    jwks_url = fields.Url(load_default="", require_tld=False, schemes={"https", "http"})

    @post_load
    def _instance(self, data: dict[str, Any], **kwargs: Any) -> SaleorInstance:
        return SaleorInstance(data["domain"], data["jwks_url"],
                              UnknownItems(data["unknown_items"]), data["fallback_rate"])


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """The operations file, loaded. The paths it gives (rules, carriers, inventory) are
    read by the builder as written, so other files can be checked even if this one fails.
    `currencies` are the exchange rates from the shop's currency (the rules' `currency:`)
    to the other currencies a checkout may be quoted in; the builder gives them to the
    ruleset."""

    locations: Mapping[str, Location]
    settings: Settings
    currencies: Mapping[str, Decimal] = field(default_factory=dict)
    sourcing: Strategy = Strategy.FASTEST


class ConfigSchema(Strict):
    locations = fields.List(fields.Nested(LocationSchema), required=True,
                            validate=NOT_EMPTY)
    inventory = fields.Nested(InventorySourceSchema)
    products = fields.Nested(ProductsSourceSchema)
    store = fields.Nested(StoreSchema, load_default=None)
    rules = fields.String()
    carriers = fields.String()
    server = fields.Nested(ServerSchema, load_default=ServerSettings)
    limits = fields.Nested(LimitsSchema, load_default=Limits)
    auth = fields.Nested(AuthSchema, load_default=lambda: {"keys": []})
    shops = fields.List(fields.Nested(ShopSchema), load_default=list)
    bigcommerce = fields.List(fields.Nested(BigCommerceSchema), load_default=list)
    saleor = fields.List(fields.Nested(SaleorSchema), load_default=list)
    live_rates = fields.Nested(LiveRatesSchema, load_default=LiveRateSettings)
    orders = fields.Nested(OrdersSchema, load_default=OrderSettings)
    promise = fields.Nested(PromiseSchema, load_default=PromiseSettings)
    webhooks = fields.Nested(WebhooksSchema, load_default=None)
    support = fields.Nested(SupportSchema, load_default=lambda: {"timezone": None})
    sourcing = fields.Nested(SourcingSchema, load_default=lambda: {
        "strategy": Strategy.FASTEST.value})
    currencies = ByKey(keys=Choice("currency", MINOR_UNITS), values=ExchangeRate(),
                       load_default=dict)

    @validates_schema
    def _unique_ids(self, data: dict[str, Any], **kwargs: Any) -> None:
        first: dict[str, int] = {}
        errors: dict[int, dict[str, list[str]]] = {}
        for index, location in enumerate(data["locations"]):
            if location.id in first:
                errors[index] = {"id": [Finding(Check.DUPLICATE_ID,
                                                f"location {location.id!r} is already "
                                                f"locations[{first[location.id]}]")]}
            first.setdefault(location.id, index)
        if errors:
            raise ValidationError({"locations": errors})

    @validates_schema
    def _quotes_kept_while_valid(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A quote that can still be accepted must not be pruned: the order would find no
        quote. The problem is put on the key the file sets (both: the retention)."""
        orders, given = data.get("orders"), _retention_days(data.get("store"))
        if not isinstance(orders, OrderSettings):
            return  # the orders section has its own problem
        days = _RETENTION.quote_retention_days if given is None else given
        if days * 24 >= orders.quote_valid_hours:
            return
        if given is not None:
            raise ValidationError({"store": {"quote_retention_days": [
                f"must be at least {orders.quote_valid_hours / 24:g} (orders."
                f"quote_valid_hours is {orders.quote_valid_hours:g} hours): a quote is kept "
                "while it can be accepted"]}})
        raise ValidationError({"orders": {"quote_valid_hours": [
            f"must be at most {days * 24:g} (store.quote_retention_days is {days:g} days): "
            "a quote is kept while it can be accepted"]}})

    @post_load
    def _config(self, data: dict[str, Any], **kwargs: Any) -> ConfigFile:
        return ConfigFile(
            locations={location.id: location for location in data["locations"]},
            settings=Settings(
                store_url=data["store"]["url"] if data["store"] else DEFAULT_STORE,
                retention=_retention(data["store"]),
                server=data["server"],
                limits=data["limits"],
                keys=tuple(data["auth"]["keys"]),
                shops=tuple(data["shops"]),
                bigcommerce=tuple(data["bigcommerce"]),
                saleor=tuple(data["saleor"]),
                live_rates=data["live_rates"],
                orders=data["orders"],
                promise=data["promise"],
                webhook=data["webhooks"],
                support=SupportSettings(data["support"]["timezone"]
                                        or data["locations"][0].timezone),
            ),
            currencies=data["currencies"],
            sourcing=Strategy(data["sourcing"]["strategy"]),
        )


def _retention_days(store: Any) -> float | None:
    """The store section's quote_retention_days as given; None if not given."""
    return store.get("quote_retention_days") if isinstance(store, dict) else None


def _retention(store: dict[str, Any] | None) -> RetentionSettings:
    days = _retention_days(store)
    return RetentionSettings(
        _RETENTION.quote_retention_days if days is None else days,
        store["prune_interval_seconds"] if store else _RETENTION.prune_interval_seconds)


CONFIG = ConfigSchema()
