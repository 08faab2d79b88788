"""The package's postcode centroids (rates/data/postcodes/), read once per process into a
`Gazetteer`.

The files are packed (tools/build_postcodes.py says the layout): each table stays the
bytes it was read as, and a lookup is a binary search over its sorted keys, so the 42,000
US ZIPs cost half a megabyte and a few milliseconds per worker, not a dict of objects.
"""

from __future__ import annotations

import gzip
import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files

from rates.domain.places import CountryPlaces, Gazetteer, Point, PostcodeTable, Precision
from rates.domain.tables import Bounded

_HEADER = struct.Struct("<8sIB")
_SCALE = 10_000  # the files hold 1e-4 degrees
_POSTCODE_TABLES = {b"postcode": Precision.POSTCODE, b"prefix": Precision.POSTCODE_PREFIX}


FOUND_LIMIT = 512
"""How many points of one table a process keeps at hand (destinations come without end)."""


class PackedPoints(Mapping[str, Point]):
    """Points by fixed-width ASCII key, as stored: `keys` sorted and concatenated, their
    latitudes and longitudes in 1e-4 degrees."""

    __slots__ = ("_keys", "_lats", "_lons", "width", "_found")

    def __init__(self, keys: bytes, width: int, lats: array[int], lons: array[int]) -> None:
        self._keys, self.width, self._lats, self._lons = keys, width, lats, lons
        # The points looked up lately: a bisection calls `_key` a dozen times, and every
        # quote places its destination.
        self._found: Bounded[str, Point] = Bounded(FOUND_LIMIT)

    def _key(self, index: int) -> bytes:
        return self._keys[index * self.width:(index + 1) * self.width]

    def __getitem__(self, key: str) -> Point:
        found = self._found.get(key)
        if found is not None:
            return found
        if len(key) != self.width or not key.isascii():
            raise KeyError(key)
        wanted = key.encode()
        index = bisect_left(range(len(self)), wanted, key=self._key)
        if index == len(self) or self._key(index) != wanted:
            raise KeyError(key)
        return self._found.keep(key, Point(self._lats[index] / _SCALE,
                                           self._lons[index] / _SCALE))

    def __iter__(self) -> Iterator[str]:
        return (self._key(index).decode() for index in range(len(self)))

    def __len__(self) -> int:
        return len(self._lats)

    def __repr__(self) -> str:
        return f"PackedPoints({len(self)} points)"


def read_tables(packed: bytes) -> dict[bytes, PackedPoints]:
    """The sections of one country's file, by name."""
    tables: dict[bytes, PackedPoints] = {}
    offset = 0
    while offset < len(packed):
        name, count, width = _HEADER.unpack_from(packed, offset)
        offset += _HEADER.size
        keys = packed[offset:offset + count * width]
        offset += count * width
        lats, lons = array("i"), array("i")
        for column in (lats, lons):
            column.frombytes(packed[offset:offset + 4 * count])
            offset += 4 * count
            if sys.byteorder == "big":
                column.byteswap()
        tables[name.rstrip(b"\0")] = PackedPoints(keys, width, lats, lons)
    return tables


def country_places(packed: bytes) -> CountryPlaces:
    tables = read_tables(packed)
    return CountryPlaces(
        postcodes=tuple(PostcodeTable(precision, tables[name].width, tables[name])
                        for name, precision in _POSTCODE_TABLES.items() if name in tables),
        regions=tables[b"region"],
    )


@cache
def load_gazetteer() -> Gazetteer:
    """Every country the package has data for. Cached: the data never changes while the
    process runs, and each gunicorn worker reads it once."""
    folder = files("rates") / "data" / "postcodes"
    return Gazetteer({
        entry.name.removesuffix(".bin.gz"): country_places(gzip.decompress(entry.read_bytes()))
        for entry in folder.iterdir() if entry.name.endswith(".bin.gz")
    })
