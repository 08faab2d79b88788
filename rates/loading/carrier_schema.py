"""A carrier file (carriers/*.yaml): one carrier, its zones, services, transit and rates.
See the comments in carriers/ups.yaml for the format.

Zone names in `transit` and `rates` are checked against the file's own zones, and the
holiday names in `observes` against those the `holidays` package uses where the carrier
picks up and delivers, since a misspelt name would silently make a holiday a working day.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from rates.domain.catalog import Carrier, Service, Zone
from rates.domain.live_rates import PROTOCOLS, LiveEndpoint
from rates.domain.money import MINOR_UNITS, Money
from rates.domain.rate_tables import RateBand, RateTable
from rates.loading.checks import Check, Finding
from rates.loading.fields import (
    NOT_EMPTY,
    Amount,
    ByKey,
    Choice,
    DayRange,
    Id,
    Kilograms,
    Weekday,
)
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


class CarrierSchema(Strict):
    id = Id(required=True)
    name = fields.String(required=True)
    kind = Choice("kind", ["table", "http"], load_default="table")
    live = fields.Nested(LiveEndpointSchema, load_default=None)
    max_parcel_kg = Kilograms(load_default=None)
    pickup_days = _weekdays()
    delivery_days = _weekdays()
    observes = fields.List(fields.String(), load_default=None)
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
    def _observes_known_holidays(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["observes"] is None:
            return
        countries = _countries(data["zones"])
        book = known().book
        national = frozenset().union(*(book.holiday_names(c, regional=False) for c in countries))
        if all(name in national for name in data["observes"]):
            return
        # A regional holiday, or a mistake: only now read every region's table.
        names = frozenset().union(*(book.holiday_names(c) for c in countries))
        errors = {index: [Finding(Check.UNKNOWN_REFERENCE,
                                  f"{name!r} is not a holiday the holidays package names in "
                                  f"{', '.join(countries)}{did_you_mean(name, names)}")]
                  for index, name in enumerate(data["observes"]) if name not in names}
        if names and errors:
            raise ValidationError({"observes": errors})

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
            observes=frozenset(observes) if observes is not None else None,
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
    return Service(carrier, spec["code"], spec["name"], spec["transit"], table)


CARRIER = CarrierSchema()
