"""The merchant's operations file (config.example.yaml): locations, inventory, store, and
where the rules and carriers live. See the comments in config.example.yaml for the format.

Locations are built here into domain `Location`s, calendars included (through the
`HolidayCalendarBook` in `Known`), since everything a location needs is in this file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from rates.domain.calendar import WEEKDAY_CODES
from rates.domain.catalog import Location
from rates.domain.money import MINOR_UNITS
from rates.loading.checks import Check, Finding
from rates.loading.fields import (
    NOT_EMPTY,
    Amount,
    ByKey,
    Choice,
    ClockTime,
    Code,
    Count,
    Day,
    DayRange,
    ExchangeRate,
    Id,
    Postcode,
    TimeZone,
    Weekday,
)
from rates.loading.holidays import holiday_place_problem
from rates.loading.known import known
from rates.loading.strict import Strict
from rates.settings import (
    DEFAULT_ADMIN_TOKEN_ENV,
    ApiKey,
    FallbackRate,
    Limits,
    LiveRateSettings,
    OrderSettings,
    Role,
    ServerSettings,
    Settings,
    Shop,
    UnknownItems,
    WebhookSettings,
)
from rates.webhooks.config import url_problem

DEFAULT_STORE = "sqlite:///rates.db"


class AddressSchema(Strict):
    country = Code(required=True)
    region = Code(load_default=None)
    postcode = Postcode(load_default=None)


class HolidaySourceSchema(Strict):
    country = Code(required=True)
    subdiv = Code(load_default=None)

    @validates_schema
    def _known_place(self, data: dict[str, Any], **kwargs: Any) -> None:
        problem = holiday_place_problem(data["country"], data["subdiv"])
        if problem:
            raise ValidationError({problem[0]: [problem[1]]})


@dataclass(frozen=True, slots=True)
class HolidaySource:
    """Whose public holidays close a location; `country` None for none at all."""

    country: str | None
    subdiv: str | None = None


class Holidays(fields.Nested):
    """`{country, subdiv}`, or the word `none` for a location that works on holidays."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(HolidaySourceSchema, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     partial: Any = None, **kwargs: Any) -> HolidaySource:
        if value == "none":
            return HolidaySource(None)
        place = super()._deserialize(value, attr, data, partial, **kwargs)
        return HolidaySource(place["country"], place["subdiv"])


class ClosureSchema(Strict):
    """One day (`date`) or an inclusive span (`from`, `to`) the location is shut."""

    day = Day(data_key="date")
    first = Day(data_key="from")
    last = Day(data_key="to")
    name = fields.String(load_default="closed")

    @validates_schema
    def _one_day_or_span(self, data: dict[str, Any], **kwargs: Any) -> None:
        given = {"day", "first", "last"} & data.keys()
        if given not in ({"day"}, {"first", "last"}):
            raise ValidationError("give either `date`, or both `from` and `to`")
        if "first" in given and data["last"] < data["first"]:
            raise ValidationError({"to": [f"{data['last']} is before `from` {data['first']}"]})

    @post_load
    def _days(self, data: dict[str, Any], **kwargs: Any) -> dict[date, str]:
        first, last = (data["day"], data["day"]) if "day" in data else \
            (data["first"], data["last"])
        return {first + timedelta(days=n): data["name"]
                for n in range((last - first).days + 1)}


class CalendarSchema(Strict):
    weekdays = fields.List(Weekday(), required=True, validate=NOT_EMPTY)
    holidays = Holidays()
    closures = fields.List(fields.Nested(ClosureSchema), load_default=list)


class Cutoffs(fields.Field[time | Mapping[int, time]]):
    """One time for every working day ("14:00"), or one per weekday ({mon: "15:00"})."""

    _one = ClockTime()
    _each = ByKey(keys=Weekday(), values=ClockTime())

    def _deserialize(self, value: Any, attr: Any, data: Any,
                     **kwargs: Any) -> time | Mapping[int, time]:
        if isinstance(value, Mapping):
            each: Mapping[int, time] = self._each.deserialize(value)
            return each
        one: time = self._one.deserialize(value)
        return one


class LocationSchema(Strict):
    id = Id(required=True)
    name = fields.String(load_default=None)
    address = fields.Nested(AddressSchema, required=True)
    timezone = TimeZone(required=True)
    calendar = fields.Nested(CalendarSchema, required=True)
    cutoff = Cutoffs(load_default=dict)
    handling_days = DayRange(load_default=(0, 1))
    receiving_days = Count(load_default=1)

    @validates_schema
    def _consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        address, calendar = data["address"], data["calendar"]
        if "holidays" not in calendar:
            problem = holiday_place_problem(address["country"], address["region"])
            if problem:
                key = "country" if problem[0] == "country" else "region"
                errors["address"] = {key: [Finding(Check.UNKNOWN_REFERENCE,
                                                   problem[1] + " (or set calendar.holidays)")]}
        cutoffs = data["cutoff"]
        if isinstance(cutoffs, Mapping) and cutoffs:
            days = set(calendar["weekdays"])
            missing = [WEEKDAY_CODES[d] for d in sorted(days - set(cutoffs))]
            extra = [WEEKDAY_CODES[d] for d in sorted(set(cutoffs) - days)]
            if missing:
                errors.setdefault("cutoff", []).append(
                    f"no cutoff for {', '.join(missing)}: give every working day a time")
            if extra:
                errors.setdefault("cutoff", []).append(
                    f"{', '.join(extra)} is not a working day in calendar.weekdays")
        if errors:
            raise ValidationError(errors)

    @post_load
    def _location(self, data: dict[str, Any], **kwargs: Any) -> Location:
        address, calendar = data["address"], data["calendar"]
        source = calendar.get("holidays", HolidaySource(address["country"], address["region"]))
        closures: dict[date, str] = {}
        for closure in reversed(calendar["closures"]):  # the first listed names a shared day
            closures.update(closure)
        weekdays = frozenset(calendar["weekdays"])
        cutoffs = data["cutoff"]
        if isinstance(cutoffs, time):
            cutoffs = dict.fromkeys(weekdays, cutoffs)
        return Location(
            id=data["id"],
            name=data["name"] or data["id"],
            country=address["country"],
            region=address["region"],
            timezone=data["timezone"],
            calendar=known().book.location_calendar(
                data["id"], weekdays, source.country, source.subdiv, closures),
            cutoffs=cutoffs,
            handling_days=data["handling_days"],
            receiving_days=data["receiving_days"],
            postcode=address["postcode"],
        )


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


class StoreSchema(Strict):
    url = fields.String(required=True)


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


class ShopSchema(Strict):
    domain = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$", error="must be like my-shop.myshopify.com"))
    secret_env = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z_][A-Z0-9_]*$", error="must name an environment variable, e.g. SHOPIFY_SECRET"))
    admin_token_env = fields.String(load_default=DEFAULT_ADMIN_TOKEN_ENV, validate=validate.Regexp(
        r"^[A-Z_][A-Z0-9_]*$", error="must name an environment variable, e.g. "
                                     "SHOPIFY_ADMIN_TOKEN"))

    unknown_items = Choice("policy", [policy.value for policy in UnknownItems],
                           load_default=UnknownItems.IN_STOCK.value)
    fallback_rate = fields.Nested(FallbackRateSchema, load_default=None)

    @post_load
    def _shop(self, data: dict[str, Any], **kwargs: Any) -> Shop:
        return Shop(data["domain"], data["secret_env"], data["admin_token_env"],
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
    live_rates = fields.Nested(LiveRatesSchema, load_default=LiveRateSettings)
    orders = fields.Nested(OrdersSchema, load_default=OrderSettings)
    webhooks = fields.Nested(WebhooksSchema, load_default=None)
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

    @post_load
    def _config(self, data: dict[str, Any], **kwargs: Any) -> ConfigFile:
        return ConfigFile(
            locations={location.id: location for location in data["locations"]},
            settings=Settings(
                store_url=data["store"]["url"] if data["store"] else DEFAULT_STORE,
                server=data["server"],
                limits=data["limits"],
                keys=tuple(data["auth"]["keys"]),
                shops=tuple(data["shops"]),
                live_rates=data["live_rates"],
                orders=data["orders"],
                webhook=data["webhooks"],
            ),
            currencies=data["currencies"],
        )


CONFIG = ConfigSchema()
