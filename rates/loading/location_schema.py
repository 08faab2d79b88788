"""A location of the operations file: its address (and where that is on the map), time
zone, calendar (weekdays, whose public holidays, the merchant's closures), cutoffs,
handling, and pickup.

Built here into domain `Location`s, calendars included (through the `HolidayCalendarBook`
in `Known`), since everything a location needs is in its entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from rates.domain.calendar import WEEKDAY_CODES
from rates.domain.catalog import (
    DEFAULT_PICKUP_HANDLING,
    DestinationPattern,
    Location,
    StorePickup,
)
from rates.domain.places import KM_PER_MILE, Point
from rates.loading.checks import Check, Finding
from rates.loading.fields import (
    NOT_EMPTY,
    ByKey,
    ClockTime,
    Code,
    Count,
    Day,
    DayRange,
    Id,
    Postcode,
    TimeZone,
    Weekday,
)
from rates.loading.holidays import holiday_place_problem
from rates.loading.known import known
from rates.loading.places import load_gazetteer
from rates.loading.strict import Strict
from rates.loading.zone_schema import DestinationSchema


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


class Coordinates(fields.Field[Point]):
    """[latitude, longitude] in degrees, for a location its postcode places too roughly
    (or not at all: a country the package has no postcodes for)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Point:
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool)
                           for v in value)):
            raise ValidationError("write [latitude, longitude] in degrees, e.g. "
                                  f"[39.4972, -119.7764]; got {value!r}")
        lat, lon = float(value[0]), float(value[1])
        problems = [f"{what} {number:g} is outside {low:g}..{high:g}"
                    for what, number, low, high in (("latitude", lat, -90, 90),
                                                    ("longitude", lon, -180, 180))
                    if not low <= number <= high]
        if problems:
            raise ValidationError(problems)
        return Point(lat, lon)


class PickupSchema(Strict):
    """Shoppers may collect their order at the location: `to` the destinations it is
    offered to, in a zone's `to` format (omitted: the location's own country and region),
    and with `within_km` / `within_miles` only those that near the store."""

    label = fields.String(validate=NOT_EMPTY)
    handling_days = DayRange(load_default=DEFAULT_PICKUP_HANDLING)
    hours = fields.String(validate=NOT_EMPTY)
    to = fields.List(fields.Nested(DestinationSchema), validate=NOT_EMPTY)
    within_km = fields.Float(allow_nan=False, validate=validate.Range(
        min=0, min_inclusive=False, error="must be more than 0"))
    within_miles = fields.Float(allow_nan=False, validate=validate.Range(
        min=0, min_inclusive=False, error="must be more than 0"))

    @validates_schema
    def _one_distance(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "within_km" in data and "within_miles" in data:
            raise ValidationError({"within_miles": ["give within_km or within_miles, not both"]})


def _pickup(data: dict[str, Any], location: str, name: str, country: str,
            region: str | None) -> StorePickup:
    home = DestinationPattern(country, frozenset({region} if region else ()))
    within = data.get("within_km")
    if "within_miles" in data:
        within = data["within_miles"] * KM_PER_MILE
    return StorePickup(location, data.get("label", f"Pick up at {name}"),
                       tuple(data.get("to", (home,))), data["handling_days"],
                       data.get("hours"), within)


class LocationSchema(Strict):
    id = Id(required=True)
    name = fields.String(load_default=None)
    address = fields.Nested(AddressSchema, required=True)
    coordinates = Coordinates(load_default=None)
    timezone = TimeZone(required=True)
    calendar = fields.Nested(CalendarSchema, required=True)
    cutoff = Cutoffs(load_default=dict)
    handling_days = DayRange(load_default=(0, 1))
    receiving_days = Count(load_default=1)
    pickup = fields.Nested(PickupSchema)

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
        name = data["name"] or data["id"]
        return Location(
            id=data["id"],
            name=name,
            country=address["country"],
            region=address["region"],
            timezone=data["timezone"],
            calendar=known().book.location_calendar(
                data["id"], weekdays, source.country, source.subdiv, closures),
            cutoffs=cutoffs,
            handling_days=data["handling_days"],
            receiving_days=data["receiving_days"],
            postcode=address["postcode"],
            point=(data["coordinates"] if data["coordinates"] is not None
                   else _address_point(address)),
            pickup=_pickup(data["pickup"], data["id"], name, address["country"],
                           address["region"]) if "pickup" in data else None,
        )


def _address_point(address: Mapping[str, Any]) -> Point | None:
    """The address's postcode centroid, or its region's when the postcode is unknown."""
    located = load_gazetteer().locate(address["country"], address["region"],
                                      address["postcode"])
    return located.point if located else None
