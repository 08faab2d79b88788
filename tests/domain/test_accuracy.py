"""How well promises held: shares inside the window, lateness quantiles by nearest rank,
the weekly series and what later latest dates would have changed, all counted by hand.

The five shipments below, December 2026 (Mon Nov 30, Dec 7, Dec 14 start ISO weeks 49,
50, 51):

    key    plan            service     suppliers        ordered  promised   delivered  lateness
    o1 #1  in_stock_first  ups/ground  -                Nov 27   Dec 1-3    Wed Dec 2    -1 inside
    o1 #2  in_stock_first  ups/ground  Acme             Nov 27   Dec 8-10   Sat Dec 12   +2 late
    o2 #1  ship_together   fedex/home  Acme, Borealis   Dec 1    Dec 9-11   Tue Dec 8    -3 early
    o3 #1  ship_together   ups/ground  Borealis         Dec 7    Dec 14-16  Wed Dec 16    0 inside
    o4 #1  in_stock_first  ups/ground  -                Dec 9    Dec 14-15  Sun Dec 20   +5 late
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from rates.domain.accuracy import (
    MEDIAN,
    P90,
    DeliveredShipment,
    Held,
    Row,
    ShipmentKey,
    Week,
    Widened,
    accuracy_report,
    held,
    nearest_rank,
)
from rates.domain.stock import DateRange


def dec(day: int) -> date:
    return date(2026, 12, day)


def shipment(order: str, number: int, plan: str, service: str, suppliers: tuple[str, ...],
             ordered: date, promised: tuple[int, int], delivered: date) -> DeliveredShipment:
    carrier, service_name = service.split("/")
    return DeliveredShipment(ShipmentKey(order, number), plan, carrier, service_name,
                             suppliers, DateRange(dec(promised[0]), dec(promised[1])),
                             delivered, ordered)


NOV_27 = date(2026, 11, 27)
SHIPMENTS = (
    shipment("o1", 1, "in_stock_first", "ups/ground", (), NOV_27, (1, 3), dec(2)),
    shipment("o1", 2, "in_stock_first", "ups/ground", ("Acme",), NOV_27, (8, 10), dec(12)),
    shipment("o2", 1, "ship_together", "fedex/home", ("Acme", "Borealis"), dec(1), (9, 11),
             dec(8)),
    shipment("o3", 1, "ship_together", "ups/ground", ("Borealis",), dec(7), (14, 16), dec(16)),
    shipment("o4", 1, "in_stock_first", "ups/ground", (), dec(9), (14, 15), dec(20)),
)


def test_a_shipment_is_inside_from_the_earliest_to_the_latest_day_both_included():
    assert [s.inside for s in SHIPMENTS] == [True, False, False, True, False]
    assert [s.lateness for s in SHIPMENTS] == [-1, 2, -3, 0, 5]
    assert [s.carrier_service for s in SHIPMENTS[1:3]] == ["ups/ground", "fedex/home"]


def test_nearest_rank_picks_the_value_of_rank_ceil_p_times_n():
    ten = list(range(10, 0, -1))  # 1..10, unsorted
    assert (nearest_rank(ten, MEDIAN), nearest_rank(ten, P90)) == (5, 9)  # ranks 5 and 9
    # Rank ceil(0.5 * 4) = 2 and ceil(0.9 * 4) = 4: the lower middle, and the largest.
    assert (nearest_rank([5, -1, 2, 0], MEDIAN), nearest_rank([5, -1, 2, 0], P90)) == (0, 5)
    assert (nearest_rank([7], MEDIAN), nearest_rank([7], P90)) == (7, 7)
    assert nearest_rank([], MEDIAN) is None
    assert nearest_rank([1, 2, 3], Fraction(1)) == 3
    with pytest.raises(ValueError, match="in \\(0, 1\\]"):
        nearest_rank([1], Fraction(0))


def test_the_overall_figures_count_inside_early_and_late_with_nearest_rank_quantiles():
    report = accuracy_report(SHIPMENTS)

    # Lateness sorted: -3 -1 0 2 5; median rank ceil(2.5) = 3 -> 0, P90 rank ceil(4.5) = 5.
    assert report.overall == Held(shipments=5, inside=2, early=1, late=2,
                                  median_lateness=0, p90_lateness=5)
    assert report.overall.share == 0.4
    assert report.widened is None


def test_a_shipment_counts_for_each_of_its_suppliers_and_on_hand_ones_for_none():
    report = accuracy_report(SHIPMENTS)

    # Acme: o1 #2 (+2), o2 #1 (-3). Borealis: o2 #1 (-3), o3 #1 (0). Two values: the
    # median is rank 1, the P90 rank ceil(1.8) = 2.
    assert report.by_supplier == (
        Row("Acme", Held(2, inside=0, early=1, late=1, median_lateness=-3, p90_lateness=2)),
        Row("Borealis", Held(2, inside=1, early=1, late=0, median_lateness=-3,
                             p90_lateness=0)))
    assert report.by_supplier[0].held.share == 0.0


def test_rows_by_carrier_service_and_by_plan():
    report = accuracy_report(SHIPMENTS)

    # ups/ground: -1 2 0 5 -> sorted -1 0 2 5: median rank 2 -> 0, P90 rank 4 -> 5.
    assert report.by_service == (
        Row("fedex/home", Held(1, 0, 1, 0, -3, -3)),
        Row("ups/ground", Held(4, 2, 0, 2, 0, 5)))
    # in_stock_first: -1 2 5: median rank 2 -> 2, P90 rank ceil(2.7) = 3 -> 5.
    assert report.by_plan == (
        Row("in_stock_first", Held(3, 1, 0, 2, 2, 5)),
        Row("ship_together", Held(2, 1, 1, 0, -3, 0)))


def test_the_weekly_series_says_how_long_was_promised_and_how_long_it_took():
    report = accuracy_report(SHIPMENTS)

    # W50: o1 #2 promised Nov 27 -> Dec 10 = 13 days, took Nov 27 -> Dec 12 = 15; o2 #1
    # promised Dec 1 -> Dec 11 = 10, took Dec 1 -> Dec 8 = 7. W51: o3 #1 9 and 9, o4 #1
    # Dec 9 -> Dec 15 = 6 and Dec 9 -> Dec 20 = 11.
    assert report.weeks == (
        Week(2026, 49, shipments=1, inside=1, promised_days=6.0, actual_days=5.0),
        Week(2026, 50, shipments=2, inside=0, promised_days=11.5, actual_days=11.0),
        Week(2026, 51, shipments=2, inside=1, promised_days=7.5, actual_days=10.0))
    assert [w.monday for w in report.weeks] == [date(2026, 11, 30), dec(7), dec(14)]
    assert report.weeks[2].share == 0.5


def test_new_years_day_2027_falls_in_iso_week_53_of_2026():
    thursday = shipment("o5", 1, "in_stock_first", "ups/ground", (), dec(28), (30, 31), dec(31))
    friday = shipment("o6", 1, "in_stock_first", "ups/ground", (), dec(28), (29, 30),
                      date(2027, 1, 1))

    (week,) = accuracy_report([thursday, friday]).weeks

    assert (week.year, week.week, week.monday, week.shipments, week.inside) == (
        2026, 53, dec(28), 2, 1)
    assert (week.promised_days, week.actual_days) == (2.5, 3.5)


def test_later_latest_dates_say_how_many_would_have_held_and_the_days_they_add():
    widened = [(ShipmentKey("o1", 2), dec(12)), (ShipmentKey("o4", 1), dec(17))]

    report = accuracy_report(SHIPMENTS, widened)

    # o1 #2 delivered Dec 12 is now inside; o4 #1 (Dec 20) is still after Dec 17; o2 #1
    # stays early. 2 + 2 days over 5 shipments.
    assert report.widened == Widened(shipments=5, inside=3, mean_days_added=0.8)
    assert report.widened.share == 0.6
    assert report.overall.inside == 2  # the promises themselves are measured as made


def test_no_later_dates_leave_every_window_as_promised():
    assert accuracy_report(SHIPMENTS, []).widened == Widened(5, 2, 0.0)
    assert accuracy_report([], []).widened == Widened(0, 0, 0.0)


@pytest.mark.parametrize(("widened", "problem"), [
    ([(ShipmentKey("o9", 1), dec(20))], "no delivered shipment 1 of order o9"),
    ([(ShipmentKey("o1", 2), dec(9))], "shipment 2 of order o1: 2026-12-09 is before its "
                                       "promised latest 2026-12-10"),
    ([(ShipmentKey("o1", 2), dec(11)), (ShipmentKey("o1", 2), dec(12))], "widened twice"),
])
def test_later_dates_that_do_not_widen_a_delivered_shipment_are_refused(widened, problem):
    with pytest.raises(ValueError, match=problem):
        accuracy_report(SHIPMENTS, widened)


def test_no_delivered_shipment_makes_an_empty_report():
    report = accuracy_report([])

    assert report.overall == held([]) == Held(0, 0, 0, 0, None, None)
    assert report.overall.share is None
    assert (report.by_supplier, report.by_service, report.by_plan, report.weeks) == (
        (), (), (), ())
