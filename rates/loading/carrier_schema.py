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

from marshmallow import ValidationError, fields, post_load, validates_schema

from rates.domain.catalog import Carrier, Service, Zone
from rates.domain.money import MINOR_UNITS, Money
from rates.domain.pricing import RateBand, RateTable
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


def _ascending_from_zero(bands: list[dict[str, Any]]) -> None:
    starts = [band["from_kg"] for band in bands]
    if starts and starts[0] != 0:
        raise ValidationError("the first band must start at from_kg 0")
    for low, high in zip(starts, starts[1:], strict=False):
        if high <= low:
            raise ValidationError(
                f"bands must ascend by from_kg: {high / 1000:g} kg comes after {low / 1000:g} kg")


class ServiceSchema(Strict):
    code = Id(required=True)
    name = fields.String(required=True)
    transit = ByKey(keys=fields.String(), values=DayRange(), required=True)
    max_kg = Kilograms(load_default=None)
    per_extra_kg = Amount(load_default=None)
    rates = ByKey(keys=fields.String(),
                  values=fields.List(fields.Nested(BandSchema),
                                     validate=[NOT_EMPTY, _ascending_from_zero]),
                  required=True)

    @validates_schema
    def _same_zones(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, dict[str, list[str]]] = {}
        for zone in data["transit"].keys() - data["rates"].keys():
            errors.setdefault("rates", {})[zone] = [f"no rates for zone {zone!r}, which has "
                                                    "a transit time"]
        for zone in data["rates"].keys() - data["transit"].keys():
            errors.setdefault("transit", {})[zone] = [f"no transit time for zone {zone!r}, "
                                                      "which has rates"]
        if errors:
            raise ValidationError(errors)


def _weekdays() -> fields.List[int]:
    return fields.List(Weekday(), required=True, validate=NOT_EMPTY)


class CarrierSchema(Strict):
    id = Id(required=True)
    name = fields.String(required=True)
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
                found["code"] = [f"service {service['code']!r} is listed twice"]
            codes.add(service["code"])
            for key in ("transit", "rates"):
                unknown = {zone: [f"unknown zone {zone!r}{did_you_mean(zone, zone_ids)}"]
                           for zone in service[key] if zone not in zone_ids}
                if unknown:
                    found[key] = unknown
            if found:
                errors[index] = found
        if errors:
            raise ValidationError({"services": errors})

    @validates_schema
    def _observes_known_holidays(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["observes"] is None:
            return
        countries = _countries(data["zones"])
        names = frozenset().union(*(known().book.holiday_names(c) for c in countries))
        errors = {index: [f"{name!r} is not a holiday the holidays package names in "
                          f"{', '.join(countries)}{did_you_mean(name, names)}"]
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
