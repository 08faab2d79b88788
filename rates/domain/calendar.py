"""Business calendars: which days a warehouse works, a carrier collects or delivers.

A calendar is a weekday mask, a table of public holidays (supplied by the shell from the
`holidays` package, so this module stays pure) and the merchant's closures. It is built once
over a fixed horizon as a sorted list of business-day ordinals, which makes `add(d, n)` a
single bisect: the same cost for n = 1 and n = 250. A date outside the horizon raises
`CalendarHorizonError`; it never wraps around or silently treats unknown days as open.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from rates.domain.errors import CalendarHorizonError

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ONE_DAY = timedelta(days=1)


class BusinessCalendar:
    """An immutable set of business days between `first` and `last` (both inclusive).

    A day is a business day when its weekday is in `weekdays` (0 = Monday) and it is neither
    in `holidays` nor in `closures` (both map a date to the name shown to people).
    """

    __slots__ = ("name", "first", "last", "weekdays", "holidays", "closures",
                 "_days", "_open", "_first_ordinal")

    def __init__(
        self,
        name: str,
        *,
        first: date,
        last: date,
        weekdays: Iterable[int],
        holidays: Mapping[date, str] | None = None,
        closures: Mapping[date, str] | None = None,
    ) -> None:
        if first > last:
            raise ValueError(f"calendar {name}: first {first} is after last {last}")
        self.name = name
        self.first = first
        self.last = last
        self.weekdays = frozenset(weekdays)
        if not self.weekdays <= set(range(7)):
            raise ValueError(f"calendar {name}: weekdays must be 0 (Monday) to 6 (Sunday)")
        self.holidays = {d: n for d, n in (holidays or {}).items() if first <= d <= last}
        self.closures = {d: n for d, n in (closures or {}).items() if first <= d <= last}
        self._first_ordinal = first.toordinal()
        span = last.toordinal() - self._first_ordinal + 1
        is_open = bytearray(span)
        days: list[int] = []
        day = first
        for offset in range(span):
            if (day.weekday() in self.weekdays and day not in self.holidays
                    and day not in self.closures):
                is_open[offset] = 1
                days.append(self._first_ordinal + offset)
            day += ONE_DAY
        self._open = bytes(is_open)
        self._days = days

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.name!r}, {self.first}..{self.last})"

    def _check(self, day: date) -> int:
        ordinal = day.toordinal()
        if not self._first_ordinal <= ordinal <= self._first_ordinal + len(self._open) - 1:
            raise CalendarHorizonError(
                f"{day} is outside the {self.name} calendar ({self.first} to {self.last})"
            )
        return ordinal

    def is_business_day(self, day: date) -> bool:
        return self._open[self._check(day) - self._first_ordinal] == 1

    def add(self, day: date, n: int) -> date:
        """The n-th business day strictly after `day`; `day` itself, unchanged, when n = 0.

        `day` need not be a business day: add(Saturday, 1) is the next Monday (if open).
        """
        if n < 0:
            raise ValueError("add() counts forward only; n must be >= 0")
        ordinal = self._check(day)
        if n == 0:
            return day
        index = bisect_right(self._days, ordinal) + n - 1
        if index >= len(self._days):
            raise CalendarHorizonError(
                f"{n} business day(s) after {day} runs past the {self.name} calendar "
                f"(ends {self.last})"
            )
        return date.fromordinal(self._days[index])

    def count(self, after: date, through: date) -> int:
        """Business days in (after, through]: how many `add` steps lead from one to the
        other; negative when `through` is before `after`."""
        if through < after:
            return -self.count(through, after)
        return (bisect_right(self._days, self._check(through))
                - bisect_right(self._days, self._check(after)))

    def back(self, day: date, n: int) -> date:
        """The n-th business day strictly before `day` (`day` itself when n = 0): `add`
        counted backwards."""
        if n < 0:
            raise ValueError("back() counts backward only; n must be >= 0")
        ordinal = self._check(day)
        if n == 0:
            return day
        index = bisect_left(self._days, ordinal) - n
        if index < 0:
            raise CalendarHorizonError(
                f"{n} business day(s) before {day} runs before the {self.name} calendar "
                f"(starts {self.first})"
            )
        return date.fromordinal(self._days[index])

    def on_or_after(self, day: date) -> date:
        """`day` if it is a business day, else the next one."""
        index = bisect_left(self._days, self._check(day))
        if index >= len(self._days):
            raise CalendarHorizonError(
                f"no business day on or after {day} in the {self.name} calendar "
                f"(ends {self.last})"
            )
        return date.fromordinal(self._days[index])

    def why_closed(self, day: date) -> str | None:
        """Why `day` is not a business day ("Thanksgiving Day", "Saturday"), None if open."""
        return None if self.is_business_day(day) else self._reason(day)

    def _reason(self, day: date) -> str:
        if day in self.closures:
            return f"closed: {self.closures[day]}"
        if day in self.holidays:
            return self.holidays[day]
        return WEEKDAY_NAMES[day.weekday()]

    def closed_between(self, after: date, through: date) -> list[tuple[date, str]]:
        """Every non-business day in (after, through], with the reason: what a count skipped.
        Found by searching the open-day table, not by testing each day of a long span."""
        if through <= after:
            return []
        start = self._check(after + ONE_DAY) - self._first_ordinal
        end = self._check(through) - self._first_ordinal + 1
        closed: list[tuple[date, str]] = []
        offset = self._open.find(0, start, end)
        while offset != -1:
            day = date.fromordinal(self._first_ordinal + offset)
            closed.append((day, self._reason(day)))
            offset = self._open.find(0, offset + 1, end)
        return closed

    def intersect(self, other: BusinessCalendar, name: str) -> BusinessCalendar:
        """The days open in both calendars, over the span both cover."""
        first, last = max(self.first, other.first), min(self.last, other.last)
        return BusinessCalendar(
            name,
            first=first,
            last=last,
            weekdays=self.weekdays & other.weekdays,
            holidays={**other.holidays, **self.holidays},
            closures={**other.closures, **self.closures},
        )
