"""BusinessCalendar against a plain day-by-day reference, for random calendars.

The reference walks one day at a time, which is obviously right and obviously slow; the
calendar bisects a precomputed array. They must agree everywhere, including where the
count runs past the horizon (both raise, neither wraps).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rates.domain.calendar import BusinessCalendar
from rates.domain.errors import CalendarHorizonError

FIRST = date(2026, 1, 1)
LAST = date(2027, 12, 31)
PROPERTY = settings(max_examples=150, deadline=None)

days_in_horizon = st.dates(min_value=FIRST, max_value=LAST)
weekday_masks = st.frozensets(st.integers(0, 6))
day_sets = st.frozensets(days_in_horizon, max_size=60)


@st.composite
def calendars(draw):
    weekdays = draw(weekday_masks)
    holidays = {day: "holiday" for day in draw(day_sets)}
    closures = {day: "closure" for day in draw(day_sets)}
    return BusinessCalendar("random", first=FIRST, last=LAST, weekdays=weekdays,
                            holidays=holidays, closures=closures)


def is_open(cal: BusinessCalendar, day: date) -> bool:
    """The definition, written out independently of the calendar's array."""
    return (day.weekday() in cal.weekdays and day not in cal.holidays
            and day not in cal.closures)


def reference_add(cal: BusinessCalendar, day: date, n: int) -> date:
    if not FIRST <= day <= LAST:
        raise CalendarHorizonError("outside")
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if day > LAST:
            raise CalendarHorizonError("past the end")
        if is_open(cal, day):
            counted += 1
    return day


def reference_on_or_after(cal: BusinessCalendar, day: date) -> date:
    if not FIRST <= day <= LAST:
        raise CalendarHorizonError("outside")
    while not is_open(cal, day):
        day += timedelta(days=1)
        if day > LAST:
            raise CalendarHorizonError("past the end")
    return day


def outcome(function, *args):
    try:
        return function(*args)
    except CalendarHorizonError:
        return "horizon"


@PROPERTY
@given(calendars(), days_in_horizon, st.integers(0, 300))
def test_add_equals_counting_day_by_day(cal, day, n):
    assert outcome(cal.add, day, n) == outcome(reference_add, cal, day, n)


@PROPERTY
@given(calendars(), days_in_horizon)
def test_on_or_after_equals_walking_day_by_day(cal, day):
    assert outcome(cal.on_or_after, day) == outcome(reference_on_or_after, cal, day)


@PROPERTY
@given(calendars(), days_in_horizon)
def test_is_business_day_matches_the_definition(cal, day):
    assert cal.is_business_day(day) == is_open(cal, day)
    assert (cal.why_closed(day) is None) == is_open(cal, day)


@PROPERTY
@given(calendars(), days_in_horizon, st.integers(1, 300))
def test_add_never_lands_on_a_closed_day_and_moves_forward(cal, day, n):
    try:
        result = cal.add(day, n)
    except CalendarHorizonError:
        return
    assert day < result <= LAST
    assert cal.is_business_day(result)
    # exactly n business days in (day, result]
    between = [day + timedelta(days=i) for i in range(1, (result - day).days + 1)]
    assert sum(cal.is_business_day(x) for x in between) == n


@PROPERTY
@given(calendars(), days_in_horizon, st.integers(0, 299))
def test_add_is_one_step_at_a_time(cal, day, n):
    # add(d, n + 1) == add(add(d, n), 1): counting never skips or repeats a business day.
    assert outcome(cal.add, day, n + 1) == outcome(lambda: cal.add(cal.add(day, n), 1))


@PROPERTY
@given(calendars(), st.integers(1, 400), st.integers(0, 300))
def test_a_day_outside_the_horizon_raises_instead_of_wrapping(cal, offset, n):
    before, after = FIRST - timedelta(days=offset), LAST + timedelta(days=offset)
    for day in (before, after):
        with pytest.raises(CalendarHorizonError):
            cal.add(day, n)
        with pytest.raises(CalendarHorizonError):
            cal.on_or_after(day)
        with pytest.raises(CalendarHorizonError):
            cal.is_business_day(day)


@PROPERTY
@given(weekday_masks, day_sets, st.integers(1, 300))
def test_counting_past_the_last_business_day_raises(weekdays, closures, n):
    cal = BusinessCalendar("random", first=FIRST, last=LAST, weekdays=weekdays,
                           closures={day: "closed" for day in closures})
    open_days = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    open_days = [day for day in open_days if is_open(cal, day)]
    if len(open_days) < n:
        with pytest.raises(CalendarHorizonError):
            cal.add(FIRST, n)
    else:
        # Only n - 1 business days follow the n-th from last: n more run past the end.
        with pytest.raises(CalendarHorizonError):
            cal.add(open_days[-n], n)
        if len(open_days) > n:
            assert cal.add(open_days[-n - 1], n) == open_days[-1]


@PROPERTY
@given(calendars(), calendars(), days_in_horizon)
def test_intersection_is_open_exactly_where_both_are(left, right, day):
    both = left.intersect(right, "both")
    assert both.is_business_day(day) == (left.is_business_day(day)
                                         and right.is_business_day(day))


@PROPERTY
@given(calendars(), days_in_horizon, days_in_horizon)
def test_closed_between_lists_each_closed_day_in_the_span_with_its_reason(cal, after, through):
    expected = []
    day = after + timedelta(days=1)
    while day <= through:
        if not is_open(cal, day):
            why = ("closed: closure" if day in cal.closures else "holiday"
                   if day in cal.holidays else day.strftime("%A"))
            expected.append((day, why))
        day += timedelta(days=1)
    assert cal.closed_between(after, through) == expected
