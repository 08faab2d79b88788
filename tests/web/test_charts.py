"""The accuracy page's charts: the same report draws the same bytes, the words stay text,
an empty report still draws a chart that says so, and nothing pays for matplotlib until a
chart is drawn."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from math import isnan

from rates.domain.accuracy import accuracy_report
from rates.web.charts import suppliers_svg, weekly_series, weekly_svg
from tests.domain.test_accuracy import SHIPMENTS
from tests.support.project import ROOT

REPORT = accuracy_report(SHIPMENTS)


def test_the_same_report_draws_the_same_bytes_with_no_date_in_them():
    assert weekly_svg(REPORT.weeks) == weekly_svg(REPORT.weeks)
    assert suppliers_svg(REPORT.by_supplier) == suppliers_svg(REPORT.by_supplier)
    assert b"<dc:date>" not in weekly_svg(REPORT.weeks)


def test_each_bar_says_its_share_and_count_in_text():
    svg = suppliers_svg(REPORT.by_supplier).decode()

    # Acme: 0 of 2 inside; Borealis: 1 of 2 (tests/domain/test_accuracy.py).
    assert ">Acme<" in svg and ">Borealis<" in svg
    assert ">0 % (0 of 2)<" in svg and ">50 % (1 of 2)<" in svg
    assert ">100 %<" in svg  # the axis ends at 100 %
    assert "<path" in svg and "<text" in svg  # text as text, not glyph outlines


def test_an_empty_report_draws_charts_that_say_there_is_nothing():
    assert b">No delivered shipment in this period<" in weekly_svg(())
    assert b">No delivered shipment had a named supplier<" in suppliers_svg(())


def test_the_service_and_the_cli_start_without_matplotlib():
    code = ("import sys, rates.cli, rates.web.app; rates.cli.parser(); "
            "sys.exit('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT,  # noqa: S603
                          check=False).returncode == 0


def test_weeks_lie_on_a_time_axis_and_a_week_without_deliveries_breaks_the_lines():
    # Weeks of Nov 30 and Dec 14, 2026 (tests/domain/test_accuracy.py), none on Dec 7.
    weeks = (REPORT.weeks[0], REPORT.weeks[2])

    days, promised, actual = weekly_series(weeks)

    nov_30, dec_14 = date(2026, 11, 30).toordinal(), date(2026, 12, 14).toordinal()
    assert days == [nov_30, dec_14 - 7, dec_14]
    assert promised[0::2] == [6.0, 7.5] and actual[0::2] == [5.0, 10.0]
    assert isnan(promised[1]) and isnan(actual[1])
    assert weekly_series(REPORT.weeks)[0] == [nov_30, nov_30 + 7, dec_14]  # no gap, no break
