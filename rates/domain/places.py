"""Where places are, and how far apart: points, great-circle distance, and a gazetteer
that finds a destination's point from its country, region and postcode.

The points are centroids of postcodes (docs/sourcing.md): good enough to tell which
warehouse is nearer a customer, or whether a store is within a few tens of kilometres.
`rates.loading.places` fills the gazetteer from the package's data; an empty one knows no
place, which is what a test that needs no distance builds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from rates.domain.cart import postcode_key

EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG), the sphere's radius that errs least on average."""

KM_PER_MILE = 1.609344
"""The international mile: merchants in the US write distances in miles."""


@dataclass(frozen=True, slots=True)
class Point:
    """A place on the Earth, in degrees: latitude -90..90 (north positive), longitude
    -180..180 (east positive)."""

    lat: float
    lon: float


def great_circle_km(a: Point, b: Point) -> float:
    """The distance along the Earth's surface, on a sphere of the mean radius (haversine,
    which stays exact for points close together). Off by at most about 0.5% from the
    ellipsoid, far less than a postcode centroid's own error."""
    phi_a, phi_b = math.radians(a.lat), math.radians(b.lat)
    half_dphi = (phi_b - phi_a) / 2
    half_dlam = math.radians(b.lon - a.lon) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(half_dlam) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


class Precision(StrEnum):
    """Which table placed a destination, in words a trace can use."""

    POSTCODE = "postcode"
    POSTCODE_PREFIX = "postcode prefix"
    REGION = "region"


@dataclass(frozen=True, slots=True, init=False)
class Located:
    """A destination's point, and how precisely it is known."""

    point: Point
    precision: Precision

    def __init__(self, point: Point, precision: Precision) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "point", point)
        object.__setattr__(self, "precision", precision)


@dataclass(frozen=True, slots=True)
class PostcodeTable:
    """Centroids of postcodes cut to their first `length` characters, written as
    `postcode_key` writes them (US ZIP5: 5; a ZIP3: 3; Canadian FSA: 3)."""

    precision: Precision
    length: int
    points: Mapping[str, Point]

    def find(self, key: str) -> Point | None:
        """The point of the postcode whose key starts `key`; None if the table lacks it."""
        return self.points.get(key[:self.length])


@dataclass(frozen=True, slots=True)
class CountryPlaces:
    """One country's tables: postcode tables, finest first, then region centroids (the
    mean of each region's postcodes). The first table's length is a whole postcode's: a
    shorter key is no postcode (a US ZIP that lost its leading zero, "7030", would
    otherwise be cut to another state's prefix, "703"), so its region places it."""

    postcodes: tuple[PostcodeTable, ...]
    regions: Mapping[str, Point]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The points of the countries it has data for, by ISO 3166-1 alpha-2 code."""

    countries: Mapping[str, CountryPlaces] = field(default_factory=dict)

    def locate(self, country: str, region: str | None,
               postcode: str | None) -> Located | None:
        """The most precise point known: the postcode's own, else its prefix's, else the
        region's (a postcode that is missing or unknown); None when the country is
        unknown or nothing matches. A US ZIP+4 is located by its ZIP5; a Canadian postal
        code by its FSA, whatever its case or spacing."""
        places = self.countries.get(country.upper())
        if places is None:
            return None
        key = postcode_key(postcode)
        whole = bool(places.postcodes) and len(key) >= places.postcodes[0].length
        for table in places.postcodes if whole else ():
            point = table.find(key)
            if point is not None:
                return Located(point, table.precision)
        point = places.regions.get((region or "").upper())
        return Located(point, Precision.REGION) if point is not None else None
