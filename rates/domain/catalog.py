"""The merchant's operations as the engine sees them: locations, carriers and services.

Built by `rates.loading` from YAML and handed to `quote()`; immutable once built. Calendars
that depend on a destination come from a `CalendarBook`, which the shell implements with
the `holidays` package and caches, so this module stays pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, tzinfo
from typing import NamedTuple, Protocol

from rates.domain.calendar import BusinessCalendar
from rates.domain.cart import Destination, postcode_key
from rates.domain.live_rates import LiveEndpoint
from rates.domain.money import Money
from rates.domain.places import Gazetteer, Point
from rates.domain.rate_tables import RateTable
from rates.domain.sourcing.candidates import Searched
from rates.domain.sourcing.strategy import Strategy
from rates.domain.tables import Bounded

ZONE_LIMIT = 4096
"""How many (origin, destination) zones a carrier keeps: destinations come without end."""

LEG_LIMIT = 512
"""How many (location, zone, weight) legs a service keeps: carts bring weights without end."""

CALENDARS_LIMIT = 1024
"""How many (carrier, location, destination region) pairs of calendars a catalog keeps."""


@dataclass(frozen=True, slots=True)
class DestinationPattern:
    """Matches a destination: one country, optionally some regions or postcode prefixes.

    Postcode prefixes compare case-insensitively with spaces removed ("V6B" matches
    "v6b 1a1"). Empty `regions` / `postcodes` match every region / postcode.
    """

    country: str
    regions: frozenset[str] = frozenset()
    postcodes: tuple[str, ...] = ()

    def matches(self, destination: Destination) -> bool:
        if destination.country != self.country:
            return False
        if self.regions and destination.region not in self.regions:
            return False
        if self.postcodes:
            code = postcode_key(destination.postcode)
            return any(code.startswith(prefix) for prefix in self.postcodes)
        return True


@dataclass(frozen=True, slots=True)
class Zone:
    """A named set of destinations; with `origins`, only for shipments from those locations."""

    id: str
    to: tuple[DestinationPattern, ...]
    origins: frozenset[str] = frozenset()

    def matches(self, destination: Destination, origin: str | None = None) -> bool:
        if self.origins and origin not in self.origins:
            return False
        return any(pattern.matches(destination) for pattern in self.to)


def first_zone(zones: tuple[Zone, ...], destination: Destination,
               origin: str | None = None) -> str | None:
    """The id of the first zone that matches, in file order; None when none does."""
    for zone in zones:
        if zone.matches(destination, origin):
            return zone.id
    return None


@dataclass(frozen=True, slots=True)
class Location:
    """A warehouse or store that ships. `cutoffs` maps weekday (0 = Monday) to the local
    time by which an order must arrive to start handling that day; a working day with no
    cutoff starts orders that same day whenever they arrive. `point` is where it is, for
    distances: the config's coordinates, else its address's postcode centroid; None when
    neither is known. `pickup`: how shoppers may collect there (None: they may not)."""

    id: str
    name: str
    country: str
    region: str | None
    timezone: tzinfo
    calendar: BusinessCalendar
    cutoffs: Mapping[int, time]
    handling_days: tuple[int, int] = (0, 1)
    receiving_days: int = 1
    postcode: str | None = None
    point: Point | None = None
    pickup: StorePickup | None = None


class Leg(NamedTuple):
    """One shipment by one service: transit days, base price (and the same in minor
    units, what rules work in), where the price came from: "table", "live", or
    "fallback" (the table, because the live carrier failed), and whether the carrier
    guarantees the transit days (its file says so of the service, or its live answer of
    this rate). A NamedTuple: a quote prices a hundred legs."""

    transit: tuple[int, int]
    price: Money
    detail: str
    source: str
    cents: int
    guaranteed: bool = False


@dataclass(frozen=True, slots=True)
class Service:
    """One carrier service: transit (min, max) delivery days per carrier zone, and rates.
    `guaranteed`: the carrier commits to those transit days (UPS Next Day Air, FedEx
    Priority Overnight), so a window it carries ends on a date the carrier stands behind;
    rules may test it before any price is known."""

    carrier: str
    code: str
    name: str
    transit: Mapping[str, tuple[int, int]]
    rates: RateTable
    guaranteed: bool = False
    key: str = field(init=False, repr=False, compare=False)
    """"carrier/code": what rules, offers and option ids name it by (a quote reads it
    hundreds of times, so it is written once)."""
    _legs: Bounded[tuple[str, str, int], Leg | str] = field(init=False, repr=False,
                                                            compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.carrier}/{self.code}")
        object.__setattr__(self, "_legs", Bounded(LEG_LIMIT))

    def table_leg(self, location: str, zone: str, grams: int,
                  source: str = "table") -> Leg | str:
        """A shipment of `grams` from `location` in `zone`, priced from the rate table, or
        why the service cannot carry it. A table leg depends on nothing else, so it is
        worked out once per setup (every plan and quote of a cart asks for the same)."""
        key = (location, zone, grams)
        found = self._legs.get(key) if source == "table" else None
        if found is None:
            found = self._table_leg(location, zone, grams, source)
            if source == "table":
                self._legs.keep(key, found)
        return found

    def _table_leg(self, location: str, zone: str, grams: int, source: str) -> Leg | str:
        transit = self.transit.get(zone)
        if transit is None:
            return f"{self.name} has no transit time for zone {zone}"
        priced = self.rates.price(zone, grams)
        if priced.price is None:
            return f"{self.name}: {priced.detail}"
        return Leg(transit, priced.price, f"{self.key} from {location}, {priced.detail}",
                   source, priced.price.units, self.guaranteed)


PICKUP_CARRIER = "pickup"
"""The carrier a pickup option names: rules say `carrier: pickup`, and a promise kept for a
pickup has no carrier of the catalog to look up."""

DEFAULT_PICKUP_HANDLING: tuple[int, int] = (0, 1)


@dataclass(frozen=True, slots=True)
class StorePickup:
    """Collection at a location: ready `handling_days` (min, max) working days of the
    location after its units are there, offered to destinations `to` admits. `hours` are
    for people ("Mon-Fri 10:00-18:00"); `service` is what an option and the rules name it
    by: carrier "pickup", code the location's id, named `label`."""

    location: str
    label: str
    to: tuple[DestinationPattern, ...]
    handling_days: tuple[int, int] = DEFAULT_PICKUP_HANDLING
    hours: str | None = None
    within_km: float | None = None
    """Offered only to destinations at most this far (by postcode centroid); a destination
    whose distance is unknown is then not offered it."""
    service: Service = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "service", Service(PICKUP_CARRIER, self.location,
                                                    self.label, {}, RateTable({})))

    def offered_to(self, destination: Destination, km: float | None) -> bool:
        """Whether the destination, `km` from the store (None: unknown), may collect."""
        if self.within_km is not None and (km is None or km > self.within_km):
            return False
        return any(pattern.matches(destination) for pattern in self.to)


@dataclass(frozen=True, slots=True)
class Observance:
    """The public holidays a carrier closes on in one country.

    Holidays come from one calendar that names them the same everywhere: the country's
    national one (`holidays` picks its holidays by that calendar's own names, None: all of
    them). A region's calendar may rename a national holiday ("Indigenous Peoples' Day /
    Columbus Day" in Rhode Island) or move it, so names are never matched across
    calendars. With `regional`, the carrier also closes on the region's own holidays there
    (the days the region's calendar adds to the national one), as a postal service that
    follows provincial holidays does.
    """

    country: str
    holidays: frozenset[str] | None = None
    regional: bool = False


@dataclass(frozen=True, slots=True)
class Carrier:
    """A carrier: its zones from our locations, the days it collects and delivers, and
    which public holidays it observes, per country (`observes` None: every public holiday
    of every place, national and regional; else the `Observance` of the place's country,
    and none in a country it has none for, which the loader does not let happen).

    A carrier with a `live` endpoint is asked for rates at quote time (by the shell, see
    `domain.live`); its services' rate tables are then the fallback. `max_parcel_grams` is
    how heavy one of its parcels may be when a shipment is packed for a live request.
    """

    id: str
    name: str
    zones: tuple[Zone, ...]
    services: Mapping[str, Service]
    pickup_weekdays: frozenset[int]
    delivery_weekdays: frozenset[int]
    observes: Mapping[str, Observance] | None = None
    live: LiveEndpoint | None = None
    max_parcel_grams: int | None = None
    _zones: Bounded[tuple[str, str, str | None, str | None], tuple[str | None]] = field(
        init=False, repr=False, compare=False)
    """Each (location, destination)'s zone, in a tuple: one lookup finds a kept None."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_zones", Bounded(ZONE_LIMIT))

    def zone(self, origin: str, destination: Destination) -> str | None:
        """`first_zone` of the carrier's zones from `origin` to `destination`, worked out
        once per setup for each (location, destination): every quote to the same place
        asks it again for every service and plan."""
        key = (origin, destination.country, destination.region, destination.postcode)
        found = self._zones.get(key)
        if found is None:
            found = self._zones.keep(key, (first_zone(self.zones, destination,
                                                      origin=origin),))
        return found[0]

    def collects_at(self, location: str) -> bool:
        """True when some zone starts at `location` (a zone without origins starts at
        every location); elsewhere the carrier never picks up."""
        return any(not zone.origins or location in zone.origins for zone in self.zones)


class CalendarBook(Protocol):
    """Calendars that combine a carrier with a place; implementations cache them."""

    def pickup(self, carrier: Carrier, location: Location) -> BusinessCalendar:
        """Days `carrier` collects at `location`: both the carrier and the location work."""
        ...

    def delivery(self, carrier: Carrier, destination: Destination) -> BusinessCalendar:
        """Days `carrier` delivers at `destination`, with that country's (and region's)
        public holidays."""
        ...


@dataclass(frozen=True, slots=True)
class Catalog:
    """Locations in priority order (most preferred first) and carriers by id. `places`
    locates destinations for distances; it is the package's data, not the merchant's, so
    it takes no part in comparing or printing a catalog."""

    locations: Mapping[str, Location]
    carriers: Mapping[str, Carrier]
    calendars: CalendarBook
    places: Gazetteer = field(default_factory=Gazetteer, compare=False, repr=False)
    sourcing: Strategy = Strategy.PRIORITY
    """How each unit's location is chosen; `priority` keeps `locations`' order (a config
    file says `fastest` unless it names another)."""
    searched: Searched = field(default_factory=Searched, init=False, compare=False,
                               repr=False)
    """What this setup's quotes found under `fastest` (and `cheapest`): each SKU's supplies
    by arrival, each cart's candidates."""
    _calendar_pairs: Bounded[tuple[str, str, str, str | None],
                             tuple[BusinessCalendar, BusinessCalendar]] = field(
        default_factory=lambda: Bounded(CALENDARS_LIMIT), init=False, compare=False,
        repr=False)

    @property
    def asks_live(self) -> bool:
        """Whether a quote asks a carrier for live rates (its answers may change any
        second, so such a quote is never reused)."""
        return any(carrier.live is not None for carrier in self.carriers.values())

    def carrier_calendars(self, carrier: Carrier, location: Location,
                          destination: Destination) -> tuple[BusinessCalendar,
                                                             BusinessCalendar]:
        """`carrier`'s pickup calendar at `location` and delivery calendar at
        `destination`, as `calendars` gives them, kept for the setup's next quotes: every
        quote asks for a dozen, and `calendars` is the shell's code, run as Python."""
        key = (carrier.id, location.id, destination.country, destination.region)
        found = self._calendar_pairs.get(key)
        if found is None:
            found = self._calendar_pairs.keep(key, (
                self.calendars.pickup(carrier, location),
                self.calendars.delivery(carrier, destination)))
        return found

    def service(self, key: str) -> Service | None:
        carrier_id, _, code = key.partition("/")
        carrier = self.carriers.get(carrier_id)
        return carrier.services.get(code) if carrier else None
