"""BusinessCalendar: documented behaviour on hand-checked dates.

November 2026:  Mo Tu We Th Fr Sa Su
                 2  3  4  5  6  7  8
                 9 10 11 12 13 14 15     (11 = Veterans Day)
                16 17 18 19 20 21 22
                23 24 25 26 27 28 29     (26 = Thanksgiving, 27 = Family Day in Nevada)
                30
"""

from __future__ import annotations

from datetime import date

import pytest

from rates.domain.calendar import BusinessCalendar
from rates.domain.errors import CalendarHorizonError
from tests.support.domain import MON_FRI, business_calendar


def plain(first: date, last: date, weekdays=MON_FRI, holidays=None, closures=None):
    return BusinessCalendar("plain", first=first, last=last, weekdays=weekdays,
                            holidays=holidays, closures=closures)


NOV = plain(date(2026, 11, 1), date(2026, 11, 30),
            holidays={date(2026, 11, 26): "Thanksgiving Day"},
            closures={date(2026, 11, 18): "stocktake"})


def test_add_counts_business_days_strictly_after_the_day():
    # Mon 2 + 1 = Tue 3; Mon 2 + 4 = Fri 6.
    assert NOV.add(date(2026, 11, 2), 1) == date(2026, 11, 3)
    assert NOV.add(date(2026, 11, 2), 4) == date(2026, 11, 6)


def test_add_skips_the_weekend():
    # Fri 6 + 1 = Mon 9; Thu 5 + 3 = Fri 6, Mon 9, Tue 10.
    assert NOV.add(date(2026, 11, 6), 1) == date(2026, 11, 9)
    assert NOV.add(date(2026, 11, 5), 3) == date(2026, 11, 10)


def test_add_from_a_saturday_gives_monday():
    assert NOV.add(date(2026, 11, 7), 1) == date(2026, 11, 9)


def test_add_zero_returns_the_day_itself_even_when_closed():
    assert NOV.add(date(2026, 11, 7), 0) == date(2026, 11, 7)


def test_add_skips_holidays_and_closures():
    # Tue 17 + 1: Wed 18 closed (stocktake) -> Thu 19.
    assert NOV.add(date(2026, 11, 17), 1) == date(2026, 11, 19)
    # Wed 25 + 1: Thu 26 Thanksgiving -> Fri 27; + 2 -> Mon 30.
    assert NOV.add(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert NOV.add(date(2026, 11, 25), 2) == date(2026, 11, 30)


def test_add_refuses_negative_counts():
    with pytest.raises(ValueError, match="forward only"):
        NOV.add(date(2026, 11, 10), -1)


def test_on_or_after_keeps_a_business_day_and_moves_a_closed_one():
    assert NOV.on_or_after(date(2026, 11, 10)) == date(2026, 11, 10)
    assert NOV.on_or_after(date(2026, 11, 14)) == date(2026, 11, 16)   # Sat -> Mon
    assert NOV.on_or_after(date(2026, 11, 26)) == date(2026, 11, 27)   # Thanksgiving -> Fri
    assert NOV.on_or_after(date(2026, 11, 18)) == date(2026, 11, 19)   # closure -> Thu


def test_is_business_day():
    assert NOV.is_business_day(date(2026, 11, 2))
    assert not NOV.is_business_day(date(2026, 11, 1))    # Sunday
    assert not NOV.is_business_day(date(2026, 11, 26))   # holiday
    assert not NOV.is_business_day(date(2026, 11, 18))   # closure


def test_why_closed_names_the_reason():
    assert NOV.why_closed(date(2026, 11, 10)) is None
    assert NOV.why_closed(date(2026, 11, 14)) == "Saturday"
    assert NOV.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"
    assert NOV.why_closed(date(2026, 11, 18)) == "closed: stocktake"


def test_closed_between_lists_the_skipped_days_after_through_inclusive():
    # (Wed 25, Mon 30]: 26 Thanksgiving, 28 Sat, 29 Sun; 27 and 30 are open in NOV.
    assert NOV.closed_between(date(2026, 11, 25), date(2026, 11, 30)) == [
        (date(2026, 11, 26), "Thanksgiving Day"),
        (date(2026, 11, 28), "Saturday"),
        (date(2026, 11, 29), "Sunday"),
    ]
    assert NOV.closed_between(date(2026, 11, 10), date(2026, 11, 10)) == []


def test_a_day_before_the_horizon_raises():
    with pytest.raises(CalendarHorizonError):
        NOV.add(date(2026, 10, 31), 1)
    with pytest.raises(CalendarHorizonError):
        NOV.is_business_day(date(2026, 10, 31))


def test_a_day_after_the_horizon_raises():
    with pytest.raises(CalendarHorizonError):
        NOV.on_or_after(date(2026, 12, 1))
    with pytest.raises(CalendarHorizonError):
        NOV.add(date(2026, 12, 1), 0)


def test_counting_past_the_horizon_raises_instead_of_wrapping():
    # Mon 30 is the last business day: Fri 27 + 1 = Mon 30, + 2 would be in December.
    assert NOV.add(date(2026, 11, 27), 1) == date(2026, 11, 30)
    with pytest.raises(CalendarHorizonError, match="runs past"):
        NOV.add(date(2026, 11, 27), 2)
    with pytest.raises(CalendarHorizonError):
        NOV.add(date(2026, 11, 30), 1)


def test_a_calendar_with_no_business_day_raises_for_every_count():
    closed = plain(date(2026, 11, 1), date(2026, 11, 30), weekdays=())
    with pytest.raises(CalendarHorizonError):
        closed.add(date(2026, 11, 2), 1)
    with pytest.raises(CalendarHorizonError):
        closed.on_or_after(date(2026, 11, 2))


def test_a_large_count_is_exact():
    # Mon-Fri, no holidays: 250 business days = 50 full weeks = 350 calendar days.
    cal = plain(date(2026, 1, 1), date(2027, 12, 31))
    assert cal.add(date(2026, 1, 5), 250) == date(2026, 12, 21)


def test_invalid_calendars_are_refused():
    with pytest.raises(ValueError, match="after last"):
        plain(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError, match="weekdays"):
        plain(date(2026, 1, 1), date(2026, 2, 1), weekdays=(7,))


def test_holidays_outside_the_horizon_are_ignored():
    cal = plain(date(2026, 11, 1), date(2026, 11, 30),
                holidays={date(2026, 12, 25): "Christmas Day"})
    assert cal.holidays == {}


def test_intersect_is_open_only_where_both_are():
    # Warehouse Mon-Fri with a closure on Wed 18; carrier Tue and Thu with Thanksgiving.
    warehouse = plain(date(2026, 11, 1), date(2026, 11, 30),
                      closures={date(2026, 11, 18): "stocktake"})
    carrier = plain(date(2026, 11, 10), date(2026, 12, 31), weekdays=(1, 3),
                    holidays={date(2026, 11, 26): "Thanksgiving Day"})
    both = warehouse.intersect(carrier, "both")
    assert (both.first, both.last) == (date(2026, 11, 10), date(2026, 11, 30))
    open_days = [d for d in (date(2026, 11, day) for day in range(10, 31))
                 if both.is_business_day(d)]
    # Tue 10, Thu 12, Tue 17, Thu 19, Tue 24 (Thu 26 is Thanksgiving).
    assert open_days == [date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 17),
                         date(2026, 11, 19), date(2026, 11, 24)]
    assert both.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"


def test_nevada_calendar_from_the_holidays_package_closes_thanksgiving_and_family_day():
    # Wed Nov 25 2026 + 1 working day in Reno: Thu 26 Thanksgiving, Fri 27 Family Day,
    # then the weekend -> Mon Nov 30.
    reno = business_calendar("reno", MON_FRI, "US", "NV")
    assert reno.add(date(2026, 11, 25), 1) == date(2026, 11, 30)
    assert reno.why_closed(date(2026, 11, 27)) == "Family Day"


def test_ontario_calendar_observes_boxing_day_on_the_monday():
    # Boxing Day 2026 is Sat Dec 26; the holidays package observes it on Mon Dec 28.
    # Thu Dec 24 + 1: Fri 25 Christmas, Sat, Sun, Mon 28 Boxing Day (observed) -> Tue 29.
    toronto = business_calendar("toronto", MON_FRI, "CA", "ON")
    assert toronto.why_closed(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert toronto.add(date(2026, 12, 24), 1) == date(2026, 12, 29)
