"""How the console words dates, money and delays (read out to customers on the phone)."""

import pytest

from rates.web.console_format import by_shipment, dates, day, instant, late, money, slip


def span(earliest: str, latest: str) -> dict[str, str]:
    return {"earliest": earliest, "latest": latest}


@pytest.mark.parametrize(("value", "words"), [
    (span("2026-12-10", "2026-12-14"), "Thu Dec 10 – Mon Dec 14, 2026"),
    (span("2026-12-30", "2027-01-11"), "Wed Dec 30, 2026 – Mon Jan 11, 2027"),
    (span("2026-11-23", "2026-11-23"), "Mon Nov 23, 2026"),
    (None, "not expected"),
])
def test_a_range_names_weekdays_and_its_year_once_unless_it_spans_two(value, words):
    assert dates(value) == words


def test_a_day_may_leave_out_its_year():
    assert day("2026-12-25", year=False) == "Fri Dec 25"


def test_an_instant_keeps_the_offset_it_was_recorded_with():
    assert instant("2026-11-23T09:30:00-08:00") == "Nov 23, 2026 09:30 UTC-08:00"
    assert instant(None) == "–"


def test_money_is_written_in_its_currency():
    assert money({"amount": "15.95", "currency": "USD"}) == "$15.95"
    assert money({"amount": "1200.00", "currency": "CAD"}) == "CA$1,200.00"


def test_slip_counts_days_between_the_latest_dates():
    promised = span("2026-12-10", "2026-12-14")
    assert slip(promised, span("2026-12-18", "2026-12-22")) == 8
    assert slip(promised, span("2026-12-08", "2026-12-12")) == -2
    assert slip(promised, None) is None


@pytest.mark.parametrize(("days", "words"), [
    (5, "5 days late"), (1, "1 day late"), (0, "on time"), (-1, "1 day early"),
    (-3, "3 days early"), (None, "no date")])
def test_a_delay_is_said_in_words(days, words):
    assert late(days) == words


def test_trace_steps_are_grouped_by_shipment_and_rules_left_out():
    trace = [{"step": "start", "shipment": 1, "detail": "a"},
             {"step": "ready", "shipment": 2, "detail": "b"},
             {"step": "rate", "shipment": 1, "detail": "c"},
             {"rule": "split-fee", "skipped": "no"}]
    assert by_shipment(trace) == {1: [trace[0], trace[2]], 2: [trace[1]]}
