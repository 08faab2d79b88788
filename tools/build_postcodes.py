"""Build rates/data/postcodes/: the postcode centroids the engine measures distances with.

    python3 tools/build_postcodes.py        # from the repository root; needs only PyPI

Why a script and not a runtime dependency: the engine must not download anything at run
time, and the packages that carry postcode coordinates are heavy to load in every worker
(zipcodes unpacks its whole dataset, 64 MB resident, on first lookup). So this script
installs them into a throwaway virtual environment, reads every row, and writes compact
files that `rates.loading.places` reads in milliseconds (docs/design/sourcing-research.md,
section 1):

- US: every ZIP5 with coordinates, from `zipcodes` (GeoNames, CC BY 4.0); ZIPs it lists
  at 0, 0 (most military APO/FPO/DPO codes, a few unique and PO box ZIPs) have none and
  are left out, so they fall back to their ZIP3;
- CA: every forward sortation area (FSA, a postal code's first three characters), from
  `pypostalcode` (Statistics Canada 2011 FSA boundary file); H0H, reserved for Santa
  Claus at the North Pole, is left out;
- per country, the centroid of each ZIP3 (US) and of each state or province: the mean of
  its postcodes' points, taken on the sphere (the mean of unit vectors), so a prefix that
  straddles the 180th meridian (Alaska's Aleutians, the Pacific islands) is not averaged
  into the wrong ocean.

Each country is one gzip file, `{CC}.bin.gz`, of sections (postcode, prefix, region). A
section is a header `<8sIB` (its name NUL-padded, the count n, the key width w), then the
n keys as ASCII, w bytes each, sorted; then n little-endian int32 latitudes and n int32
longitudes, in 1e-4 degrees (the sources' own precision). gzip's timestamp is fixed, so
the same sources give the same bytes. NOTICE beside them names the sources, their
licences and the package versions read.
"""

from __future__ import annotations

import gzip
import json
import math
import struct
import subprocess
import sys
import tempfile
import venv
from array import array
from collections import defaultdict
from pathlib import Path

SOURCES = ("zipcodes", "pypostalcode")
OUT = Path(__file__).resolve().parent.parent / "rates" / "data" / "postcodes"
SCALE = 10_000
HEADER = struct.Struct("<8sIB")

# pypostalcode names provinces in full; the engine's regions are the ISO 3166-2 codes.
PROVINCES = {
    "Alberta": "AB", "British Columbia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL", "Northwest Territory": "NT", "Nova Scotia": "NS",
    "Nunavut Territory": "NU", "Ontario": "ON", "Prince Edward Island": "PE",
    "Quebec": "QC", "Saskatchewan": "SK", "Yukon": "YT",
}
RESERVED_FSAS = {"H0H"}  # Santa Claus, at lat 90

# Runs inside the throwaway venv, given the package names: prints {"versions", "US", "CA"}
# as JSON, each country a list of [postcode, lat, lon, region] as the package holds them.
READER = """
import json, sqlite3, sys
from importlib.metadata import version
import zipcodes, pypostalcode.settings as ca
us = [[z["zip_code"], z["lat"], z["long"], z["state"]] for z in zipcodes.list_all()]
with sqlite3.connect(ca.db_location) as db:
    rows = db.execute("SELECT fsa, latitude, longitude, province FROM PostalCodes")
    fsas = [[fsa, str(lat), str(lon), province] for fsa, lat, lon, province in rows]
print(json.dumps({"versions": {name: version(name) for name in sys.argv[1:]},
                  "US": us, "CA": fsas}))
"""


def read_sources() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / "bin" / "python")
        # The venv's own python, our own code, PyPI package names: no untrusted input.
        subprocess.run([python, "-m", "pip", "install", "--quiet", *SOURCES],  # noqa: S603
                       check=True)
        found = subprocess.run([python, "-c", READER, *SOURCES],  # noqa: S603
                               check=True, capture_output=True, text=True)
    return json.loads(found.stdout)


Row = tuple[str, int, int, str]  # key, lat and lon in 1e-4 degrees, region


def _expect(holds: bool, what: str) -> None:  # noqa: FBT001
    """Stop when a source no longer looks as this script reads it."""
    if not holds:
        raise SystemExit(f"unexpected {what}: the source's format changed")


def us_rows(raw: list[list[str]]) -> list[Row]:
    rows = [(code, round(float(lat) * SCALE), round(float(lon) * SCALE), state)
            for code, lat, lon, state in raw]
    _expect(all(len(code) == 5 and code.isdigit() for code, *_ in rows), "US ZIP5s")
    return [row for row in rows if row[1:3] != (0, 0)]


def ca_rows(raw: list[list[str]]) -> list[Row]:
    rows = [(fsa.upper(), round(float(lat) * SCALE), round(float(lon) * SCALE),
             PROVINCES[province])
            for fsa, lat, lon, province in raw if fsa.upper() not in RESERVED_FSAS]
    _expect(all(len(fsa) == 3 and fsa.isalnum() for fsa, *_ in rows), "CA FSAs")
    return rows


def spherical_mean(points: list[tuple[int, int]]) -> tuple[int, int]:
    """The direction of the mean of the points' unit vectors, in 1e-4 degrees."""
    x = y = z = 0.0
    for lat, lon in points:
        phi, lam = math.radians(lat / SCALE), math.radians(lon / SCALE)
        x += math.cos(phi) * math.cos(lam)
        y += math.cos(phi) * math.sin(lam)
        z += math.sin(phi)
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    lon = math.degrees(math.atan2(y, x))
    return round(lat * SCALE), round(lon * SCALE)


def centroids(rows: list[Row], group: int | None) -> dict[str, tuple[int, int]]:
    """The mean point of each postcode prefix of `group` characters, or of each region
    when `group` is None."""
    members: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, lat, lon, region in rows:
        members[region if group is None else code[:group]].append((lat, lon))
    return {key: spherical_mean(points) for key, points in members.items()}


def section(name: str, points: dict[str, tuple[int, int]]) -> bytes:
    keys = sorted(points)
    width = len(keys[0])
    _expect(all(len(key) == width and key.isascii() for key in keys), f"{name} keys")
    lats = array("i", (points[key][0] for key in keys))
    lons = array("i", (points[key][1] for key in keys))
    if sys.byteorder == "big":
        lats.byteswap()
        lons.byteswap()
    return (HEADER.pack(name.encode(), len(keys), width) + "".join(keys).encode()
            + lats.tobytes() + lons.tobytes())


def write_country(country: str, rows: list[Row], prefix: int | None) -> Path:
    sections = [section("postcode", {code: (lat, lon) for code, lat, lon, _ in rows})]
    if prefix is not None:
        sections.append(section("prefix", centroids(rows, prefix)))
    sections.append(section("region", centroids(rows, None)))
    path = OUT / f"{country}.bin.gz"
    with path.open("wb") as file, gzip.GzipFile(fileobj=file, mode="wb", compresslevel=9,
                                                mtime=0) as packed:
        packed.write(b"".join(sections))
    return path


NOTICE = """\
Postcode centroids used to measure distances (rates.loading.places), built by
tools/build_postcodes.py from these packages, read from PyPI:

US ZIP codes: {us} ZIP5 centroids, {zip3} ZIP3 and {states} state centroids derived from
them, read from the zipcodes package {zipcodes} (MIT). Its coordinates are from GeoNames
(https://www.geonames.org/), licensed under Creative Commons Attribution 4.0
(https://creativecommons.org/licenses/by/4.0/).

Canadian forward sortation areas: {ca} FSA centroids and {provinces} province and territory
centroids derived from them, read from the pypostalcode package {pypostalcode} (MIT). From
the "Forward Sortation Area Boundary File, 2011 Census", Statistics Canada Catalogue no.
92-179-X, used under the Statistics Canada Open Licence
(https://www.statcan.gc.ca/en/reference/licence). (c) This data includes information
copied with permission from Canada Post Corporation. It includes data from GeoNames
(https://www.geonames.org/), licensed under Creative Commons Attribution 4.0.

Changes: coordinates rounded to 1e-4 degree; codes without coordinates, and FSA H0H,
left out; ZIP3, state and province centroids are the spherical mean of their postcodes.
"""


def main() -> None:
    found = read_sources()
    us, ca = us_rows(found["US"]), ca_rows(found["CA"])
    OUT.mkdir(parents=True, exist_ok=True)
    written = [write_country("US", us, prefix=3), write_country("CA", ca, prefix=None)]
    (OUT / "NOTICE").write_text(NOTICE.format(
        us=len(us), zip3=len(centroids(us, 3)), states=len(centroids(us, None)),
        ca=len(ca), provinces=len(centroids(ca, None)), **found["versions"]))
    for path in written:
        print(f"{path.relative_to(OUT.parent.parent.parent)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
