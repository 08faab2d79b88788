"""Zones that can never match: everything they name is taken by zones listed before them.

Zones match first to last, so `{country: US, regions: [NV]}` after `{country: US}` is dead
text: the merchant meant the narrow zone to win, and it never does. The check is sound: it
flags a zone only when every (origin, country, region, postcode prefix) it can match is
matched by some earlier zone, so a warning is always a zone that truly never matches. It
may miss a zone that is covered only by a union it does not split finely enough (e.g. the
postcodes of a region listed as prefixes): a missed warning, never a false one.

A zone without origins (`from`) matches shipments from every location: given the
merchant's locations, it is split into one origin each, so earlier zones that together
cover every location shadow it; without them, only an earlier zone without origins does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from rates.domain.catalog import DestinationPattern, Zone


@dataclass(frozen=True, slots=True)
class _Atom:
    """The narrowest piece of a zone: None for "any" (origin, region or postcode)."""

    origin: str | None
    country: str
    region: str | None
    prefix: str | None


def shadowed(zones: Sequence[Zone],
             locations: Collection[str] | None = None) -> dict[int, tuple[int, ...]]:
    """For each zone (by index) that can never match, the earlier zones that take all of
    it, in order. `locations`: every location id, to split zones without origins."""
    found: dict[int, tuple[int, ...]] = {}
    for index, zone in enumerate(zones):
        takers = _takers(zones[:index], zone, locations)
        if takers:
            found[index] = takers
    return found


def _takers(earlier: Sequence[Zone], zone: Zone,
            locations: Collection[str] | None) -> tuple[int, ...]:
    """The earlier zones that take each piece of `zone`; () as soon as one piece is free."""
    takers: set[int] = set()
    for atom in _atoms(zone, locations):
        taker = next((i for i, other in enumerate(earlier) if _takes(other, atom)), None)
        if taker is None:
            return ()
        takers.add(taker)
    return tuple(sorted(takers))


def _atoms(zone: Zone, locations: Collection[str] | None) -> Iterator[_Atom]:
    origins: Collection[str | None] = zone.origins or locations or [None]
    for origin in origins:
        for pattern in zone.to:
            for region in pattern.regions or [None]:
                for prefix in pattern.postcodes or [None]:
                    yield _Atom(origin, pattern.country, region, prefix)


def _takes(zone: Zone, atom: _Atom) -> bool:
    """True when `zone` matches every shipment `atom` stands for."""
    if zone.origins and atom.origin not in zone.origins:
        return False
    return any(_pattern_takes(pattern, atom) for pattern in zone.to)


def _pattern_takes(pattern: DestinationPattern, atom: _Atom) -> bool:
    if pattern.country != atom.country:
        return False
    if pattern.regions and atom.region not in pattern.regions:
        return False
    if pattern.postcodes:
        return atom.prefix is not None and atom.prefix.startswith(pattern.postcodes)
    return True
