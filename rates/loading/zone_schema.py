"""Destination zones, written the same way in carrier files and in the merchant's rules.

    - id: west
      from: [reno]                      # carriers only: origins; omitted = any location
      to:
        - {country: US, regions: [NV, CA]}
        - {country: CA, postcodes: ["V5", "V6"]}   # postcode prefixes

Zones match first to last, so a catch-all such as `{country: US}` goes after the specific
ones.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, post_load

from rates.domain.cart import postcode_key
from rates.domain.catalog import DestinationPattern, Zone
from rates.loading.fields import NOT_EMPTY, Choice, Code, Id, OneOrMany, Postcode
from rates.loading.strict import Strict


class DestinationSchema(Strict):
    country = Code(required=True)
    regions = OneOrMany(Code(), load_default=list)
    postcodes = OneOrMany(Postcode(), load_default=list)

    @post_load
    def _pattern(self, data: dict[str, Any], **kwargs: Any) -> DestinationPattern:
        return DestinationPattern(data["country"], frozenset(data["regions"]),
                                  tuple(postcode_key(p) for p in data["postcodes"]))


class ZoneSchema(Strict):
    id = Id(required=True)
    to = fields.List(fields.Nested(DestinationSchema), required=True,
                     validate=NOT_EMPTY)

    @post_load
    def _zone(self, data: dict[str, Any], **kwargs: Any) -> Zone:
        return Zone(data["id"], tuple(data["to"]), frozenset(data.get("origins", ())))


class CarrierZoneSchema(ZoneSchema):
    """A carrier's zone may hold only for shipments from some of the merchant's locations.
    One id may appear in several entries, one per group of origins ("local" from each
    warehouse), since transit and rates are looked up by id."""

    origins = fields.List(Choice("location", lambda known: known.locations),
                          data_key="from", load_default=list)
