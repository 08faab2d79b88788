"""The window invariants of DESIGN section 4, for random calendars, cutoffs and orders:

- earliest <= latest for ready, ships and delivery;
- every ship date is a day both the location works and the carrier collects;
- every delivery date is a delivery day;
- a later ready date never gives an earlier delivery;
- a later cutoff never gives a later delivery;
- a later order instant never gives an earlier delivery.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rates.domain.calendar import BusinessCalendar
from rates.domain.catalog import Location
from rates.domain.plans import ShipmentPlan
from rates.domain.stock import Allocation, DateRange, Source
from rates.domain.window import shipment_window

FIRST = date(2026, 1, 1)
LAST = date(2028, 12, 31)
PROPERTY = settings(max_examples=120, deadline=None)
ZONES = ["UTC", "America/Los_Angeles", "America/Toronto", "Europe/Berlin", "Asia/Tokyo",
         "Pacific/Auckland"]

holiday_sets = st.frozensets(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)),
                             max_size=25)
ranges = st.tuples(st.integers(0, 5), st.integers(0, 5)).map(sorted).map(tuple)
transits = st.tuples(st.integers(0, 10), st.integers(0, 10)).map(sorted).map(tuple)
order_instants = st.datetimes(min_value=datetime(2026, 1, 5), max_value=datetime(2026, 12, 20),
                              timezones=st.just(UTC))
ready_days = st.dates(min_value=date(2026, 1, 5), max_value=date(2026, 12, 20))
cutoff_times = st.none() | st.times(min_value=time(6), max_value=time(22))


def calendar(name: str, weekdays, holidays) -> BusinessCalendar:
    return BusinessCalendar(name, first=FIRST, last=LAST, weekdays=weekdays,
                            holidays={day: "holiday" for day in holidays})


@dataclasses.dataclass(frozen=True)
class Setup:
    location: Location
    pickup: BusinessCalendar
    delivery: BusinessCalendar
    transit: tuple[int, int]


@st.composite
def setups(draw) -> Setup:
    # Location and carrier share at least one weekday, so a pickup day always exists.
    shared = draw(st.integers(0, 6))
    works = draw(st.frozensets(st.integers(0, 6))) | {shared}
    collects = draw(st.frozensets(st.integers(0, 6))) | {shared}
    delivers = draw(st.frozensets(st.integers(0, 6), min_size=1))
    cal = calendar("location", works, draw(holiday_sets))
    cutoffs = {weekday: cutoff for weekday in works
               if (cutoff := draw(cutoff_times)) is not None}
    location = Location(
        id="loc", name="Location", country="XX", region=None,
        timezone=ZoneInfo(draw(st.sampled_from(ZONES))), calendar=cal, cutoffs=cutoffs,
        handling_days=draw(ranges), receiving_days=draw(st.integers(0, 3)))
    pickup = cal.intersect(calendar("carrier", collects, draw(holiday_sets)), "pickup")
    delivery = calendar("delivery", delivers, draw(holiday_sets))
    return Setup(location, pickup, delivery, draw(transits))


def on_hand(location: Location, ordered_at: datetime) -> ShipmentPlan:
    today = ordered_at.astimezone(location.timezone).date()
    return ShipmentPlan("loc", (Allocation(0, "SKU", 1, "loc", Source.ON_HAND,
                                           DateRange.on(today)),))


def restock(ready: DateRange) -> ShipmentPlan:
    return ShipmentPlan("loc", (Allocation(0, "SKU", 1, "loc", Source.INBOUND, ready, "lot"),))


@st.composite
def shipments(draw, location: Location, ordered_at: datetime) -> ShipmentPlan:
    if draw(st.booleans()):
        return on_hand(location, ordered_at)
    earliest = draw(ready_days)
    return restock(DateRange(earliest, earliest + timedelta(days=draw(st.integers(0, 20)))))


def window_for(setup: Setup, shipment: ShipmentPlan, ordered_at: datetime, location=None):
    return shipment_window(shipment, location or setup.location, setup.pickup,
                           setup.delivery, setup.transit, ordered_at)


def ends(span: DateRange) -> tuple[date, date]:
    return span.earliest, span.latest


@PROPERTY
@given(st.data(), setups(), order_instants)
def test_ranges_are_ordered_and_ship_on_pickup_days(data, setup, ordered_at):
    shipment = data.draw(shipments(setup.location, ordered_at))
    window = window_for(setup, shipment, ordered_at)
    for span in (window.ready, window.ships, window.delivery):
        assert span.earliest <= span.latest
    for day in ends(window.ships):
        assert setup.pickup.is_business_day(day)
        assert setup.location.calendar.is_business_day(day)
    assert window.ships.earliest >= window.ready.earliest
    assert window.delivery.earliest >= window.ships.earliest
    if shipment.backordered and setup.location.receiving_days:
        # a restock must be received first: never shipped on its ETA
        assert window.ships.earliest > window.ready.earliest


@PROPERTY
@given(st.data(), setups(), order_instants)
def test_every_delivery_date_is_a_delivery_day(data, setup, ordered_at):
    # Transit 0 included: a same-day service handed over on a day it does not deliver
    # still delivers on a delivery day.
    shipment = data.draw(shipments(setup.location, ordered_at))
    window = window_for(setup, shipment, ordered_at)
    for day in ends(window.delivery):
        assert setup.delivery.is_business_day(day), (
            f"{day} is not a delivery day ({setup.delivery.why_closed(day)})")


@PROPERTY
@given(setups(), order_instants, ready_days, st.integers(0, 20), st.integers(0, 30),
       st.integers(0, 30))
def test_a_later_ready_date_never_gives_an_earlier_delivery(
        setup, ordered_at, earliest, length, later_earliest, later_latest):
    ready = DateRange(earliest, earliest + timedelta(days=length))
    later = DateRange(ready.earliest + timedelta(days=later_earliest),
                      max(ready.latest + timedelta(days=later_latest),
                          ready.earliest + timedelta(days=later_earliest)))
    first = window_for(setup, restock(ready), ordered_at)
    second = window_for(setup, restock(later), ordered_at)
    assert second.ships.earliest >= first.ships.earliest
    assert second.ships.latest >= first.ships.latest
    assert second.delivery.earliest >= first.delivery.earliest
    assert second.delivery.latest >= first.delivery.latest


def latest_last(cutoff: time | None) -> tuple[bool, time]:
    """Sort key for cutoffs: no cutoff at all is the latest cutoff there is."""
    return (cutoff is None, time() if cutoff is None else cutoff)


@PROPERTY
@given(setups(), order_instants, cutoff_times, cutoff_times)
def test_a_later_cutoff_never_gives_a_later_delivery(setup, ordered_at, one, other):
    early, late = sorted((one, other), key=latest_last)
    weekday = ordered_at.astimezone(setup.location.timezone).weekday()

    def with_cutoff(cutoff):
        cutoffs = {**setup.location.cutoffs}
        cutoffs.pop(weekday, None)
        if cutoff is not None:
            cutoffs[weekday] = cutoff
        return dataclasses.replace(setup.location, cutoffs=cutoffs)

    shipment = on_hand(setup.location, ordered_at)
    sooner = window_for(setup, shipment, ordered_at, with_cutoff(early))
    later = window_for(setup, shipment, ordered_at, with_cutoff(late))
    assert later.delivery.earliest <= sooner.delivery.earliest
    assert later.delivery.latest <= sooner.delivery.latest


@PROPERTY
@given(setups(), order_instants, st.integers(0, 72 * 60))
def test_a_later_order_never_gives_an_earlier_delivery(setup, ordered_at, minutes_later):
    later_at = ordered_at + timedelta(minutes=minutes_later)
    first = window_for(setup, on_hand(setup.location, ordered_at), ordered_at)
    second = window_for(setup, on_hand(setup.location, later_at), later_at)
    assert second.ships.earliest >= first.ships.earliest
    assert second.delivery.earliest >= first.delivery.earliest
    assert second.delivery.latest >= first.delivery.latest
