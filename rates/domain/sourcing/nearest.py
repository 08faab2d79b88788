"""The locations in order of their distance to a destination, for `nearest` sourcing and
for saying in a trace how far each one is.

Distance is the great circle between the location's point and the destination's postcode
centroid (`rates.domain.places`). Where either is unknown, the carriers' zones stand in:
a location the offered services reach in fewer transit days counts as nearer. Locations
known by neither keep the merchant's order, after the others, as Magento's distance
priority does with sources it cannot place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rates.domain.cart import Destination
from rates.domain.places import Gazetteer, Point, great_circle_km


@dataclass(frozen=True, slots=True, init=False)
class Distance:
    """How far `location` is from the destination: `km` by coordinates, measured from
    the destination's `precision` ("postcode", "postcode prefix", "region"), else the
    fewest transit days of the offered services (`transit_days`), else neither."""

    location: str
    km: float | None
    precision: str | None = None
    transit_days: int | None = None

    def __init__(self, location: str, km: float | None, precision: str | None = None,
                 transit_days: int | None = None) -> None:
        # Written out (rates.domain.stock.DateRange says why).
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "km", km)
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "transit_days", transit_days)

    @property
    def key(self) -> tuple[int, float]:
        if self.km is not None:
            return (0, self.km)
        if self.transit_days is not None:
            return (1, self.transit_days)
        return (2, 0)


def distances(locations: Sequence[tuple[str, Point | None]], destination: Destination,
              places: Gazetteer, transit_days: Callable[[str], int | None]) -> list[Distance]:
    """Every location's (id, point) distance, nearest first; equals keep `locations`'
    order."""
    there = places.locate(destination.country, destination.region, destination.postcode)
    found = []
    for location, point in locations:
        if there is not None and point is not None:
            found.append(Distance(location, great_circle_km(point, there.point),
                                  there.precision))
        else:
            found.append(Distance(location, None, None, transit_days(location)))
    return sorted(found, key=lambda d: d.key)
