"""A carrier file (carriers/*.yaml): one carrier, its zones, services, transit and rates.
See the comments in carriers/ups.yaml for the format.

Zone names in `transit` and `rates` are checked against the file's own zones. `observes`
names, per country, the holidays of that country's national calendar the carrier closes
on; each name is checked against that one calendar over the setup's horizon, and every
country the carrier picks up or delivers in must have an entry, since a misspelt name or a
forgotten country would silently make a holiday a working day.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from rates.domain.catalog import Carrier, Observance, Service, Zone
from rates.domain.live_rates import PROTOCOLS, LiveEndpoint
from rates.domain.money import MINOR_UNITS, Money
from rates.domain.rate_tables import RateBand, RateTable
from rates.loading.checks import Check, Finding
from rates.loading.fields import (
    NOT_EMPTY,
    Amount,
    ByKey,
    Choice,
    Code,
    DayRange,
    Flag,
    Id,
    Kilograms,
    Weekday,
)
from rates.loading.holidays import holiday_place_problem
from rates.loading.known import known
from rates.loading.problems import did_you_mean
from rates.loading.strict import Strict
from rates.loading.zone_schema import CarrierZoneSchema


class BandSchema(Strict):
    from_kg = Kilograms(required=True)
    price = Amount(required=True)


def _rate_table(bands: list[dict[str, Any]]) -> None:
    """Bands start at 0 kg and ascend, each weight once. Prices are looked up by bisecting
    the starts, so a band out of order or listed twice would silently price the wrong band,
    and without a 0 kg band the lightest parcels would have no price at all."""
    errors: dict[int, dict[str, list[str]]] = {}

    def flag(index: int, why: str) -> None:
        errors.setdefault(index, {}).setdefault("from_kg", []).append(
            Finding(Check.RATE_TABLE, why))

    starts = [band["from_kg"] for band in bands]
    if starts and 0 not in starts:
        flag(0, f"no band starts at 0 kg: shipments under {_kg(min(starts))} would have "
                "no price")
    seen: set[int] = set()
    highest = 0
    for index, grams in enumerate(starts):
        if grams in seen:
            flag(index, f"{_kg(grams)} is already the start of an earlier band")
        elif grams < highest:
            flag(index, f"{_kg(grams)} comes after {_kg(highest)}: list bands in "
                        "ascending order of from_kg")
        seen.add(grams)
        highest = max(highest, grams)
    if errors:
        raise ValidationError(errors)


def _kg(grams: int) -> str:
    return f"{grams / 1000:g} kg"


class ServiceSchema(Strict):
    code = Id(required=True)
    name = fields.String(required=True)
    transit = ByKey(keys=fields.String(), values=DayRange(Check.TRANSIT_RANGE), required=True)
    max_kg = Kilograms(load_default=None)
    per_extra_kg = Amount(load_default=None)
    guaranteed = Flag(load_default=False)
    rates = ByKey(keys=fields.String(),
                  values=fields.List(fields.Nested(BandSchema),
                                     validate=[NOT_EMPTY, _rate_table]),
                  required=True)

    @validates_schema
    def _same_zones(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, dict[str, list[str]]] = {}
        for zone in data["transit"].keys() - data["rates"].keys():
            errors.setdefault("rates", {})[zone] = [Finding(
                Check.MISSING_KEY, f"no rates for zone {zone!r}, which has a transit time")]
        for zone in data["rates"].keys() - data["transit"].keys():
            errors.setdefault("transit", {})[zone] = [Finding(
                Check.MISSING_KEY, f"no transit time for zone {zone!r}, which has rates")]
        if errors:
            raise ValidationError(errors)


def _weekdays() -> fields.List[int]:
    return fields.List(Weekday(), required=True, validate=NOT_EMPTY)


class LiveEndpointSchema(Strict):
    protocol = Choice("protocol", PROTOCOLS, required=True)
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    api_key_env = fields.String(load_default=None, validate=validate.Regexp(
        r"^[A-Z_][A-Z0-9_]*$", error="must name an environment variable, e.g. RATES_UPS_KEY"))
    services = fields.Dict(keys=fields.String(validate=validate.Length(1, 100)),
                           values=Id(), load_default=dict)

    @post_load
    def _endpoint(self, data: dict[str, Any], **kwargs: Any) -> LiveEndpoint:
        return LiveEndpoint(data["protocol"], data["url"], data["api_key_env"],
                            dict(data["services"]))


class ObservanceSchema(Strict):
    calendar = Code(required=True)
    holidays = fields.List(fields.String(validate=validate.Length(1, 200)), load_default=None)
    regional = Flag(load_default=False)

    @validates_schema
    def _names_of_that_calendar(self, data: dict[str, Any], **kwargs: Any) -> None:
        country = data["calendar"]
        problem = holiday_place_problem(country, None)
        if problem:
            raise ValidationError({"calendar": [problem[1]]})
        book = known().book
        names = book.national_names(country)
        errors: dict[int, list[Finding]] = {}
        for index, name in enumerate(data["holidays"] or ()):
            if name not in names:
                errors[index] = [Finding(
                    Check.UNKNOWN_REFERENCE,
                    f"{country}'s national calendar has no holiday {name!r} in "
                    f"{book.first.year}-{book.last.year}{did_you_mean(name, names)}")]
            elif name in data["holidays"][:index]:
                errors[index] = [Finding(Check.DUPLICATE_ID, f"{name!r} is listed twice")]
        if errors:
            raise ValidationError({"holidays": errors})

    @post_load
    def _observance(self, data: dict[str, Any], **kwargs: Any) -> Observance:
        names = data["holidays"]
        return Observance(data["calendar"], frozenset(names) if names is not None else None,
                          data["regional"])


class Observances(fields.List):  # type: ignore[type-arg]
    """`observes`: one entry per country. The older form, a bare list of holiday names, is
    refused with the way to write it: names of which calendar is the very question."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.Nested(ObservanceSchema), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, list) and any(isinstance(item, str) for item in value):
            raise ValidationError(
                "name holidays per country's calendar: - {calendar: US, holidays: "
                "[\"New Year's Day\", ...]} (a bare list of names is no longer read)")
        return super()._deserialize(value, attr, data, **kwargs)


class CarrierSchema(Strict):
    id = Id(required=True)
    name = fields.String(required=True)
    kind = Choice("kind", ["table", "http"], load_default="table")
    live = fields.Nested(LiveEndpointSchema, load_default=None)
    max_parcel_kg = Kilograms(load_default=None)
    pickup_days = _weekdays()
    delivery_days = _weekdays()
    observes = Observances(load_default=None)
    currency = Choice("currency", MINOR_UNITS, required=True)
    zones = fields.List(fields.Nested(CarrierZoneSchema), required=True,
                        validate=NOT_EMPTY)
    services = fields.List(fields.Nested(ServiceSchema), required=True,
                           validate=NOT_EMPTY)

    @validates_schema
    def _services_name_known_zones(self, data: dict[str, Any], **kwargs: Any) -> None:
        zone_ids = [zone.id for zone in data["zones"]]
        errors: dict[int, dict[str, Any]] = {}
        codes: set[str] = set()
        for index, service in enumerate(data["services"]):
            found: dict[str, Any] = {}
            if service["code"] in codes:
                found["code"] = [Finding(Check.DUPLICATE_ID,
                                         f"service {service['code']!r} is listed twice")]
            codes.add(service["code"])
            for key in ("transit", "rates"):
                unknown = {zone: [Finding(Check.UNKNOWN_REFERENCE, f"unknown zone {zone!r}"
                                          f"{did_you_mean(zone, zone_ids)}", at_key=True)]
                           for zone in service[key] if zone not in zone_ids}
                if unknown:
                    found[key] = unknown
            if found:
                errors[index] = found
        if errors:
            raise ValidationError({"services": errors})

    @validates_schema
    def _live_matches_kind(self, data: dict[str, Any], **kwargs: Any) -> None:
        """`kind: http` needs a `live:` endpoint, and only it may have one; the services'
        rate tables stay required either way: for a live carrier they are the fallback."""
        if data["kind"] == "http" and data["live"] is None:
            raise ValidationError({"live": [Finding(
                Check.MISSING_KEY, "a carrier of kind http needs live: {protocol, url}")]})
        if data["kind"] == "table" and data["live"] is not None:
            raise ValidationError({"kind": [
                "live: is set, so write kind: http (or remove live:)"]})
        if data["live"] is not None and data["live"].protocol == "easypost" \
                and data["live"].api_key_env is None:
            raise ValidationError({"live": {"api_key_env": [Finding(
                Check.MISSING_KEY, "EasyPost needs an API key: name the environment "
                                   "variable that holds it, e.g. RATES_EASYPOST_KEY")]}})
        if data["live"] is not None:
            codes = {service["code"] for service in data["services"]}
            unknown = {name: [Finding(Check.UNKNOWN_REFERENCE,
                                      f"unknown service {code!r}{did_you_mean(code, codes)}")]
                       for name, code in data["live"].services.items() if code not in codes}
            if unknown:
                raise ValidationError({"live": {"services": unknown}})

    @validates_schema
    def _observes_every_country_served(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Each country once, and every country the carrier picks up or delivers in."""
        if data["observes"] is None:
            return
        seen: set[str] = set()
        errors: dict[int, Any] = {}
        for index, observance in enumerate(data["observes"]):
            if observance.country in seen:
                errors[index] = {"calendar": [Finding(
                    Check.DUPLICATE_ID, f"{observance.country} has an entry already")]}
            seen.add(observance.country)
        if errors:
            raise ValidationError({"observes": errors})
        missing = [country for country in _countries(data["zones"]) if country not in seen]
        if missing:
            raise ValidationError({"observes": [Finding(
                Check.MISSING_KEY,
                f"{data['id']} serves {', '.join(missing)} but observes no calendar there; "
                f"add an entry for each, e.g. - {{calendar: {missing[0]}}} (every national "
                f"holiday) or - {{calendar: {missing[0]}, holidays: []}} (none)",
                at_key=True)]})

    @post_load
    def _carrier(self, data: dict[str, Any], **kwargs: Any) -> Carrier:
        currency = data["currency"]
        services = {spec["code"]: _service(data["id"], spec, currency)
                    for spec in data["services"]}
        observes = data["observes"]
        return Carrier(
            id=data["id"],
            name=data["name"],
            zones=tuple(data["zones"]),
            services=services,
            pickup_weekdays=frozenset(data["pickup_days"]),
            delivery_weekdays=frozenset(data["delivery_days"]),
            observes={o.country: o for o in observes} if observes is not None else None,
            live=data["live"],
            max_parcel_grams=data["max_parcel_kg"],
        )


def _countries(zones: Sequence[Zone]) -> list[str]:
    """Where this carrier picks up (its zones' origins, or every location when a zone has
    none) and delivers (its zones' countries): the places whose holidays it may observe."""
    locations = known().locations or {}
    origins: set[str] = set(locations)
    if all(zone.origins for zone in zones):
        origins = {origin for zone in zones for origin in zone.origins}
    return sorted({pattern.country for zone in zones for pattern in zone.to}
                  | {locations[o].country for o in origins if o in locations})


def _service(carrier: str, spec: dict[str, Any], currency: str) -> Service:
    def money(amount: Decimal) -> Money:
        return Money(amount, currency)

    extra = spec["per_extra_kg"]
    table = RateTable(
        zones={zone: tuple(RateBand(band["from_kg"], money(band["price"])) for band in bands)
               for zone, bands in spec["rates"].items()},
        max_grams=spec["max_kg"],
        per_extra_kg=money(extra) if extra is not None else None,
    )
    return Service(carrier, spec["code"], spec["name"], spec["transit"], table,
                   spec["guaranteed"])


CARRIER = CarrierSchema()
