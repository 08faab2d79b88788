"""The shipped postcode centroids (rates/data/postcodes/) as the engine reads them, and the
points a config's locations get: their own `coordinates`, else their address's centroid.

Distances here are measured on the files themselves; the hand checks of each figure are
in tests/domain/test_places.py, on the same points written out.
"""

from __future__ import annotations

from pathlib import Path
from statistics import fmean

import pytest

from rates.domain.places import Located, Point, Precision, great_circle_km
from rates.loading import Setup
from rates.loading.builder import inspect_setup
from rates.loading.places import PackedPoints, load_gazetteer
from tests.support.loading import CONFIG, TODAY, Write, load, problems

RENO_ADDRESS = '    address: {country: US, region: NV, postcode: "89502"}\n'


def locate(country: str, region: str | None, postcode: str | None) -> Located:
    found = load_gazetteer().locate(country, region, postcode)
    assert found is not None
    return found


def test_the_warehouses_and_the_customer_of_issue_19_are_placed_by_their_postcodes() -> None:
    assert locate("US", "NJ", "07030") == Located(Point(40.7445, -74.0329), Precision.POSTCODE)
    assert locate("US", "NJ", "07114") == Located(Point(40.7082, -74.1891), Precision.POSTCODE)
    assert locate("US", "NV", "89502") == Located(Point(39.4972, -119.7764), Precision.POSTCODE)
    assert locate("CA", "ON", "M5V 2T6") == Located(Point(43.6525, -79.3686),
                                                    Precision.POSTCODE)


def test_distances_between_the_shipped_centroids() -> None:
    hoboken = locate("US", "NJ", "07030").point
    newark = locate("US", "NJ", "07114").point
    reno = locate("US", "NV", "89502").point
    toronto = locate("CA", "ON", "M5V").point
    assert great_circle_km(hoboken, newark) == pytest.approx(13.768, abs=1e-3)  # 8.6 mi
    assert great_circle_km(reno, hoboken) == pytest.approx(3847.4, abs=0.1)  # 2390.7 mi
    assert great_circle_km(toronto, newark) == pytest.approx(537.7, abs=0.1)  # 334.1 mi


@pytest.mark.parametrize("postcode", ["07030-1234", "070301234"])
def test_a_zip_plus_4_is_placed_by_its_zip5(postcode: str) -> None:
    assert locate("US", "NJ", postcode) == locate("US", "NJ", "07030")


@pytest.mark.parametrize("postcode", ["m5v 2t6", "M5V2T6", "m5v"])
def test_a_canadian_postal_code_is_placed_by_its_fsa(postcode: str) -> None:
    assert locate("CA", "ON", postcode) == locate("CA", "ON", "M5V 2T6")


def test_a_zip3_centroid_is_the_mean_of_its_zip5s() -> None:
    # Prefix 070 (Newark and around: 88 ZIPs within half a degree) is small enough that
    # the spherical mean the script takes, rounded to 1e-4 degree, and the plain mean of
    # the coordinates (40.75889, -74.22868) agree within 2e-4 degree, about 20 m.
    zip5s = load_gazetteer().countries["US"].postcodes[0].points
    members = [zip5s[code] for code in zip5s if code.startswith("070")]
    found = locate("US", "NJ", "07098")  # no such ZIP, but its ZIP3 is 070
    assert found.precision is Precision.POSTCODE_PREFIX
    assert found.point.lat == pytest.approx(fmean(p.lat for p in members), abs=2e-4)
    assert found.point.lon == pytest.approx(fmean(p.lon for p in members), abs=2e-4)


def test_a_real_zip_without_coordinates_is_placed_by_its_zip3() -> None:
    # 11805, a Hicksville NY PO box ZIP, is listed at 0, 0 (no coordinates), so the table
    # leaves it out; its ZIP3, 118, is in Nassau County on Long Island.
    found = locate("US", "NY", "11805")
    assert found.precision is Precision.POSTCODE_PREFIX
    assert 40.5 < found.point.lat < 41.0 and -73.8 < found.point.lon < -73.3


@pytest.mark.parametrize(("country", "region", "box"), [
    ("US", "NJ", (38.9, 41.4, -75.6, -73.9)),
    ("US", "NV", (35.0, 42.0, -120.0, -114.0)),
    ("CA", "ON", (41.7, 56.9, -95.2, -74.3)),
])
def test_a_missing_postcode_is_placed_inside_its_region(
        country: str, region: str, box: tuple[float, float, float, float]) -> None:
    found = locate(country, region, None)
    south, north, west, east = box
    assert found.precision is Precision.REGION
    assert south < found.point.lat < north and west < found.point.lon < east


def test_a_country_without_data_is_not_placed() -> None:
    assert load_gazetteer().locate("GB", None, "SW1A 1AA") is None


def test_the_data_is_read_once_per_process() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_a_packed_table_reads_like_a_mapping() -> None:
    fsas = load_gazetteer().countries["CA"].postcodes[0].points
    assert isinstance(fsas, PackedPoints)
    keys = list(fsas)
    assert keys == sorted(keys) and len(keys) == len(fsas) > 1600
    assert fsas["M5V"] == Point(43.6525, -79.3686)
    assert "H0H" not in fsas  # reserved for Santa Claus, at the North Pole
    for missing in ("M5", "M5V2", "É5V", "ZZZ"):
        assert missing not in fsas


# -- a config's locations ------------------------------------------------------------------


def test_the_example_locations_are_placed_by_their_postcodes(example_setup: Setup) -> None:
    locations = example_setup.catalog.locations
    assert locations["reno"].point == Point(39.4972, -119.7764)     # 89502
    assert locations["newark"].point == Point(40.7082, -74.1891)    # 07114
    assert locations["toronto"].point == Point(43.6525, -79.3686)   # M5V 2T6
    assert example_setup.catalog.places is load_gazetteer()


def test_coordinates_in_the_config_place_a_location(write: Write) -> None:
    config = CONFIG.replace(RENO_ADDRESS, RENO_ADDRESS + "    coordinates: [39.53, -119.81]\n")
    assert load(write(config=config)).catalog.locations["reno"].point == Point(39.53, -119.81)


def test_a_location_without_a_postcode_is_placed_by_its_region(write: Write) -> None:
    config = CONFIG.replace(RENO_ADDRESS, "    address: {country: US, region: NV}\n")
    nevada = locate("US", "NV", None).point
    assert load(write(config=config)).catalog.locations["reno"].point == nevada


@pytest.mark.parametrize(("written", "column", "message"), [
    ("[95, -119.8]", 18, "latitude 95 is outside -90..90"),
    ("[39.5, 200]", 18, "longitude 200 is outside -180..180"),
    ("[39.5]", 18, "write [latitude, longitude] in degrees, e.g. [39.4972, -119.7764]; "
                   "got [39.5]"),
    ('"39.5, -119.8"', 18, "write [latitude, longitude] in degrees, e.g. "
                           "[39.4972, -119.7764]; got '39.5, -119.8'"),
    ("[true, 1]", 18, "write [latitude, longitude] in degrees, e.g. [39.4972, -119.7764]; "
                      "got [True, 1]"),
])
def test_coordinates_out_of_range_or_misshapen_are_refused_where_written(
        write: Write, written: str, column: int, message: str) -> None:
    config = CONFIG.replace(RENO_ADDRESS, RENO_ADDRESS + f"    coordinates: {written}\n")
    assert problems(write(config=config)) == [f"config.yaml:4:{column}: error: {message} "
                                              "[bad-value]"]


LONDON = """\
  - id: london
    address: {country: GB, postcode: "EC1A 1BB"}
    timezone: Europe/London
    calendar:
      weekdays: [mon, tue, wed, thu, fri]
"""


def warnings(path: Path) -> list[str]:
    return [str(p) for p in inspect_setup(path, TODAY).problems]


def test_a_second_location_no_table_places_is_a_warning_at_its_address(write: Write) -> None:
    """No postcode table knows GB: beside Reno, London has no distance, so `nearest`
    falls back to transit days and distance rules never match it; the config still
    loads, and `rates check` says how to mend it."""
    config = CONFIG.replace("inventory:", LONDON + "inventory:")
    assert load(write(config=config)).catalog.locations["london"].point is None
    assert warnings(write(config=config)) == [
        "config.yaml:9:14: warning: london cannot be placed on the map (no postcode table "
        "knows GB EC1A 1BB): `nearest` ranks it by the carriers' transit days, distance "
        "rules never match its shipments and a pickup's within_km never offers it; give "
        "it `coordinates: [latitude, longitude]` [unplaced-location]"]


def test_coordinates_or_a_single_location_need_no_place(write: Write) -> None:
    placed = LONDON.replace("    timezone:", "    coordinates: [51.52, -0.10]\n    timezone:")
    assert warnings(write(config=CONFIG.replace("inventory:", placed + "inventory:"))) == []
    alone = CONFIG.replace(RENO_ADDRESS, '    address: {country: GB, postcode: "EC1A 1BB"}\n')
    assert warnings(write(config=alone)) == []
