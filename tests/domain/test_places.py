"""Points, great-circle distance, and how a gazetteer places a destination: by its postcode,
else the postcode's prefix, else its region.

The points below are the shipped centroids (rates/data/postcodes/, read from GeoNames via
the zipcodes package, and from Statistics Canada via pypostalcode), written out so these
tests need no data file; tests/loading/test_places.py checks the same figures on the file.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rates.domain.places import (
    EARTH_RADIUS_KM,
    CountryPlaces,
    Gazetteer,
    Located,
    Point,
    PostcodeTable,
    Precision,
    great_circle_km,
)

HOBOKEN_07030 = Point(40.7445, -74.0329)
NEWARK_07114 = Point(40.7082, -74.1891)
RENO_89502 = Point(39.4972, -119.7764)
TORONTO_M5V = Point(43.6525, -79.3686)
PREFIX_070 = Point(40.759, -74.2287)
NEW_JERSEY = Point(40.388, -74.5145)
ONTARIO = Point(44.2036, -79.8306)

MILE_KM = 1.609344


def test_one_degree_along_the_equator_is_the_circumference_over_360() -> None:
    # 2 * pi * 6371.0088 / 360 = 111.1951 km
    assert great_circle_km(Point(0, 0), Point(0, 1)) == pytest.approx(111.1951, abs=1e-4)


def test_the_equator_to_the_pole_is_a_quarter_circumference() -> None:
    # pi * 6371.0088 / 2 = 10007.557 km, whatever the longitude at the pole
    assert great_circle_km(Point(0, 30), Point(90, -150)) == pytest.approx(10007.557, abs=1e-3)


def test_hoboken_to_newark_is_under_nine_miles() -> None:
    # So close together the Earth is flat: 0.0363 deg of latitude is 4.036 km, and 0.1562
    # deg of longitude at latitude 40.726 is 0.1562 * cos(40.726 deg) * 111.1951 = 13.163
    # km; sqrt(4.036^2 + 13.163^2) = 13.768 km = 8.555 mi (the "10 miles" is the
    # drive).
    km = great_circle_km(HOBOKEN_07030, NEWARK_07114)
    assert km == pytest.approx(13.768, abs=1e-3)
    assert km / MILE_KM == pytest.approx(8.555, abs=1e-3)


def test_reno_to_hoboken_is_about_2400_miles() -> None:
    # Spherical law of cosines: cos d = sin(39.4972) sin(40.7445) + cos(39.4972)
    # cos(40.7445) cos(45.7435) = 0.63604 * 0.65269 + 0.77166 * 0.75763 * 0.69787 = 0.82313,
    # d = 0.60389 rad * 6371.0088 = 3847.4 km = 2390.7 mi.
    km = great_circle_km(RENO_89502, HOBOKEN_07030)
    assert km == pytest.approx(3847.4, abs=0.1)
    assert km / MILE_KM == pytest.approx(2390.7, abs=0.1)


def test_toronto_to_newark_is_about_334_miles() -> None:
    # Law of cosines as above, on (43.6525, -79.3686) and (40.7082, -74.1891): 537.7 km.
    km = great_circle_km(TORONTO_M5V, NEWARK_07114)
    assert km == pytest.approx(537.7, abs=0.1)
    assert km / MILE_KM == pytest.approx(334.1, abs=0.1)


# -- properties ----------------------------------------------------------------------------

points = st.builds(Point, st.floats(-90, 90), st.floats(-180, 180))
HALF_CIRCUMFERENCE_KM = math.pi * EARTH_RADIUS_KM  # 20015.1 km


@given(points, points)
def test_distance_is_symmetric(a: Point, b: Point) -> None:
    assert great_circle_km(a, b) == pytest.approx(great_circle_km(b, a), abs=1e-9)


@given(points)
def test_a_point_is_no_distance_from_itself(a: Point) -> None:
    assert great_circle_km(a, a) == 0.0


@given(points, points, points)
def test_no_detour_is_shorter_than_the_great_circle(a: Point, b: Point, c: Point) -> None:
    # 1 m of slack: near antipodes, haversine's asin(sqrt(h)) keeps ~1e-8 rad.
    assert great_circle_km(a, c) <= great_circle_km(a, b) + great_circle_km(b, c) + 1e-3


@given(points, points)
def test_no_two_points_are_further_apart_than_half_the_circumference(a: Point,
                                                                    b: Point) -> None:
    assert 0.0 <= great_circle_km(a, b) <= HALF_CIRCUMFERENCE_KM


# -- the gazetteer -------------------------------------------------------------------------

GAZETTEER = Gazetteer({
    "US": CountryPlaces(
        postcodes=(PostcodeTable(Precision.POSTCODE, 5, {"07030": HOBOKEN_07030,
                                                         "07114": NEWARK_07114}),
                   PostcodeTable(Precision.POSTCODE_PREFIX, 3, {"070": PREFIX_070})),
        regions={"NJ": NEW_JERSEY}),
    "CA": CountryPlaces(
        postcodes=(PostcodeTable(Precision.POSTCODE, 3, {"M5V": TORONTO_M5V}),),
        regions={"ON": ONTARIO}),
})


@pytest.mark.parametrize("postcode", ["07030", "07030-1234", "070301234", " 07030 "])
def test_a_zip5_or_zip_plus_4_is_placed_by_its_zip5(postcode: str) -> None:
    assert GAZETTEER.locate("US", "NJ", postcode) == Located(HOBOKEN_07030, Precision.POSTCODE)


@pytest.mark.parametrize("postcode", ["M5V 2T6", "m5v 2t6", "M5V2T6", "m5v", " M5V  2T6 "])
def test_a_canadian_postal_code_is_placed_by_its_fsa_whatever_its_case_and_spaces(
        postcode: str) -> None:
    assert GAZETTEER.locate("CA", "ON", postcode) == Located(TORONTO_M5V, Precision.POSTCODE)


def test_a_zip_the_table_lacks_is_placed_by_its_zip3() -> None:
    assert GAZETTEER.locate("US", "NJ", "07099") == Located(PREFIX_070,
                                                            Precision.POSTCODE_PREFIX)


@pytest.mark.parametrize("postcode", [None, "", "99999", "7030", "ABCDE"])
def test_a_missing_or_unknown_postcode_is_placed_by_its_region(postcode: str | None) -> None:
    # "7030" is 07030 with its leading zero lost: not cut to prefix 703 (Louisiana).
    assert GAZETTEER.locate("US", "NJ", postcode) == Located(NEW_JERSEY, Precision.REGION)


def test_a_canadian_postal_code_the_table_lacks_is_placed_by_its_province() -> None:
    assert GAZETTEER.locate("CA", "ON", "K1A 0B1") == Located(ONTARIO, Precision.REGION)


def test_codes_are_compared_upper_case() -> None:
    assert GAZETTEER.locate("us", "nj", None) == Located(NEW_JERSEY, Precision.REGION)


@pytest.mark.parametrize(("country", "region", "postcode"), [
    ("GB", None, "SW1A 1AA"),  # a country without data
    ("US", "NV", "99999"),     # neither the postcode, its prefix nor the region known
    ("US", None, None),        # nothing to go on
])
def test_nothing_matches_and_nothing_is_guessed(country: str, region: str | None,
                                                postcode: str | None) -> None:
    assert GAZETTEER.locate(country, region, postcode) is None


def test_an_empty_gazetteer_places_nothing() -> None:
    assert Gazetteer().locate("US", "NJ", "07030") is None
