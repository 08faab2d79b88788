"""Ship dates and delivery windows (DESIGN section 4), every date worked out by hand.

Unless a test says otherwise: the shipment leaves reno (Mon-Fri less US + Nevada holidays,
cutoff 14:00 America/Los_Angeles, handling 0-1, receiving 1) with UPS (collects Mon-Fri
less US federal holidays) to Nevada (UPS delivers Mon-Fri less US + Nevada holidays).

    November 2026:  Mo Tu We Th Fr Sa Su
                     2  3  4  5  6  7  8
                     9 10 11 12 13 14 15     (11 = Veterans Day)
                    16 17 18 19 20 21 22
                    23 24 25 26 27 28 29     (26 = Thanksgiving, 27 = Family Day in NV)
                    30
    December 2026:  Mo Tu We Th Fr Sa Su
                        1  2  3  4  5  6
                     7  8  9 10 11 12 13
                    14 15 16 17 18 19 20
                    21 22 23 24 25 26 27     (25 = Christmas; Ontario: 26 Boxing Day,
                    28 29 30 31               observed Mon 28)
"""

from __future__ import annotations

import dataclasses
from datetime import time

from rates.domain.window import Handling, Ordered, Start, shipment_window
from rates.wire.workings import detail, note
from tests.support.domain import (
    MON_FRI,
    at,
    business_calendar,
    d,
    on_hand_shipment,
    pickup_calendar,
    restock_shipment,
    span,
)


def kinds(window):
    return [step.kind for step in window.steps]


# -- weekends and cutoffs ------------------------------------------------------------------


def test_order_before_cutoff_on_friday_ships_friday_and_delivers_after_the_weekend(
        reno, ups_pickup_reno, ups_delivery_nv):
    # Fri 13 10:00 PST, before the 14:00 cutoff: start Fri 13.
    # handling 0-1 on reno: [Fri 13, Mon 16]; UPS collects both days.
    # transit 1-2 UPS days: Fri 13 + 1 = Mon 16; Mon 16 + 2 = Wed 18.
    window = shipment_window(on_hand_shipment("reno", "2026-11-13"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-13T10:00:00-08:00"))
    assert window.ready == span("2026-11-13")
    assert window.ships == span("2026-11-13", "2026-11-16")
    assert window.delivery == span("2026-11-16", "2026-11-18")


def test_order_one_minute_before_cutoff_starts_the_same_day(
        reno, ups_pickup_reno, ups_delivery_nv):
    window = shipment_window(on_hand_shipment("reno", "2026-11-13"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-13T13:59:00-08:00"))
    assert window.steps[0].kind == "start"
    assert window.steps[0].dates == span("2026-11-13")
    assert window.ships == span("2026-11-13", "2026-11-16")
    assert window.delivery == span("2026-11-16", "2026-11-18")


def test_order_at_the_cutoff_starts_next_working_day(reno, ups_pickup_reno, ups_delivery_nv):
    # Fri 13 14:00 PST is not before the cutoff: start Mon 16 (the weekend is skipped).
    # handling [Mon 16, Tue 17]; transit: Mon 16 + 1 = Tue 17, Tue 17 + 2 = Thu 19.
    window = shipment_window(on_hand_shipment("reno", "2026-11-13"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-13T14:00:00-08:00"))
    assert window.steps[0].dates == span("2026-11-16")
    assert window.steps[0].facts == Ordered("reno", at("2026-11-13T14:00:00-08:00"),
                                            time(14, 0), Start.NEXT_DAY)
    assert "after the 14:00 cutoff" in note(window.steps[0].facts)
    assert window.ships == span("2026-11-16", "2026-11-17")
    assert window.delivery == span("2026-11-17", "2026-11-19")


def test_order_on_a_saturday_starts_monday(reno, ups_pickup_reno, ups_delivery_nv):
    # Sat 14: reno is closed, start Mon 16; then as above: ships [16, 17], delivery [17, 19].
    window = shipment_window(on_hand_shipment("reno", "2026-11-14"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-14T10:00:00-08:00"))
    assert window.steps[0].dates == span("2026-11-16")
    assert window.steps[0].facts == Ordered("reno", at("2026-11-14T10:00:00-08:00"),
                                            None, Start.CLOSED, "Saturday")
    assert "closed (Saturday)" in note(window.steps[0].facts)
    assert window.ships == span("2026-11-16", "2026-11-17")
    assert window.delivery == span("2026-11-17", "2026-11-19")


def test_a_working_day_without_cutoff_starts_whenever_the_order_arrives(
        reno, ups_pickup_reno, ups_delivery_nv):
    # Same Friday 23:30: with no cutoff that day the order still starts Fri 13.
    no_friday_cutoff = dataclasses.replace(
        reno, cutoffs={weekday: time(14, 0) for weekday in range(4)})
    window = shipment_window(on_hand_shipment("reno", "2026-11-13"), no_friday_cutoff,
                             ups_pickup_reno, ups_delivery_nv, (1, 2),
                             at("2026-11-13T23:30:00-08:00"))
    assert window.ships == span("2026-11-13", "2026-11-16")


# -- public holidays -------------------------------------------------------------------------


def test_thanksgiving_and_nevada_family_day_are_skipped(
        reno, ups_pickup_reno, ups_delivery_nv):
    # Wed 25 09:00 PST: start Wed 25.
    # handling 0-1: Wed 25 .. next reno day after Wed 25: Thu 26 Thanksgiving, Fri 27
    # Family Day, weekend -> Mon 30. UPS collects on both (Family Day is not federal, but
    # reno is shut, and the pickup calendar needs both).
    # transit 1-3 in NV: Wed 25 + 1 -> Mon 30 (26, 27 are NV holidays);
    #                    Mon 30 + 3 -> Tue Dec 1, Wed 2, Thu 3.
    window = shipment_window(on_hand_shipment("reno", "2026-11-25"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 3), at("2026-11-25T09:00:00-08:00"))
    assert window.ships == span("2026-11-25", "2026-11-30")
    assert window.delivery == span("2026-11-30", "2026-12-03")
    handling = next(step for step in window.steps if step.kind == "handling")
    assert handling.facts == Handling("reno", 0, 1)
    assert detail(handling) == (
        "handling 2026-11-25..2026-11-30: 0-1 working day(s) at reno; skipped "
        "Thu Nov 26 (Thanksgiving Day), Fri Nov 27 (Family Day), "
        "Sat Nov 28 (Saturday), Sun Nov 29 (Sunday)")


def test_christmas_on_a_friday_pushes_both_handling_and_transit(
        reno, ups_pickup_reno, ups_delivery_nv):
    # Wed Dec 23 15:00 PST, after the cutoff: start Thu 24 (Christmas Eve is a working day).
    # handling 0-1: [Thu 24, next day after Thu 24: Fri 25 Christmas, weekend -> Mon 28].
    # transit 1-3: Thu 24 + 1 -> Mon 28; Mon 28 + 3 -> Tue 29, Wed 30, Thu 31.
    window = shipment_window(on_hand_shipment("reno", "2026-12-23"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 3), at("2026-12-23T15:00:00-08:00"))
    assert window.steps[0].dates == span("2026-12-24")
    assert window.ships == span("2026-12-24", "2026-12-28")
    assert window.delivery == span("2026-12-28", "2026-12-31")


def test_ontario_boxing_day_observed_on_monday_is_skipped(
        toronto, ups_pickup_toronto, ups_delivery_on):
    # toronto: cutoff 15:00 America/Toronto, handling 1-2.
    # Thu Dec 24 10:00 EST: start Thu 24.
    # handling: Thu 24 + 1 -> Fri 25 Christmas, Sat 26, Sun 27, Mon 28 Boxing Day (observed)
    #           -> Tue 29; Thu 24 + 2 -> Wed 30.
    # transit 1-2 in Ontario: Tue 29 + 1 = Wed 30; Wed 30 + 2 -> Thu 31, Fri Jan 1 New Year,
    #           weekend -> Mon Jan 4 2027.
    window = shipment_window(on_hand_shipment("toronto", "2026-12-24"), toronto,
                             ups_pickup_toronto, ups_delivery_on, (1, 2),
                             at("2026-12-24T10:00:00-05:00"))
    assert window.ships == span("2026-12-29", "2026-12-30")
    assert window.delivery == span("2026-12-30", "2027-01-04")


def test_order_after_cutoff_before_canada_day_starts_after_the_holiday(
        toronto, ups_pickup_toronto, ups_delivery_on):
    #   July 2026:  Mo Tu We Th Fr Sa Su
    #              29 30  1  2  3  4  5      (Wed 1 = Canada Day)
    #               6  7  8
    # Tue Jun 30 16:00 EDT, after the 15:00 cutoff: next toronto day after Tue 30 is Thu 2.
    # handling 1-2: Thu 2 + 1 = Fri 3; Thu 2 + 2 = Mon 6.
    # transit 1-2: Fri 3 + 1 = Mon 6; Mon 6 + 2 = Wed 8.
    window = shipment_window(on_hand_shipment("toronto", "2026-06-30"), toronto,
                             ups_pickup_toronto, ups_delivery_on, (1, 2),
                             at("2026-06-30T16:00:00-04:00"))
    assert window.steps[0].dates == span("2026-07-02")
    assert window.ships == span("2026-07-03", "2026-07-06")
    assert window.delivery == span("2026-07-06", "2026-07-08")


# -- time zones -----------------------------------------------------------------------------


def test_cutoff_applies_in_the_locations_time_zone_not_the_orders(
        reno, ups_pickup_reno, ups_delivery_nv):
    # 16:30 in New York (-05:00) is 13:30 in Reno: before the 14:00 cutoff, start Mon 23.
    # handling [Mon 23, Tue 24]; transit 1-2: Mon 23 + 1 = Tue 24;
    # Tue 24 + 2 -> Wed 25, (Thu 26, Fri 27 NV holidays, weekend) Mon 30.
    window = shipment_window(on_hand_shipment("reno", "2026-11-23"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-23T16:30:00-05:00"))
    assert window.steps[0].dates == span("2026-11-23")
    assert window.ships == span("2026-11-23", "2026-11-24")
    assert window.delivery == span("2026-11-24", "2026-11-30")


def test_an_hour_later_in_new_york_is_after_the_reno_cutoff(
        reno, ups_pickup_reno, ups_delivery_nv):
    # 17:30 -05:00 = 14:30 in Reno: start Tue 24; handling [Tue 24, Wed 25];
    # transit 1-2: Tue 24 + 1 = Wed 25; Wed 25 + 2 -> Mon 30, Tue Dec 1.
    window = shipment_window(on_hand_shipment("reno", "2026-11-23"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-23T17:30:00-05:00"))
    assert window.steps[0].dates == span("2026-11-24")
    assert window.ships == span("2026-11-24", "2026-11-25")
    assert window.delivery == span("2026-11-25", "2026-12-01")


def test_order_on_the_next_utc_day_counts_on_the_local_date(
        reno, ups_pickup_reno, ups_delivery_nv):
    # 2026-11-24T01:00Z is Mon Nov 23 17:00 in Reno. With no cutoff, a working day starts
    # the order whenever it arrives, so handling starts Mon 23 (the UTC date, Tue 24, would
    # give a day later). handling [Mon 23, Tue 24]; delivery [Tue 24, Mon 30] as above.
    no_cutoff = dataclasses.replace(reno, cutoffs={})
    window = shipment_window(on_hand_shipment("reno", "2026-11-23"), no_cutoff,
                             ups_pickup_reno, ups_delivery_nv, (1, 2),
                             at("2026-11-24T01:00:00+00:00"))
    assert window.steps[0].dates == span("2026-11-23")
    assert window.ships == span("2026-11-23", "2026-11-24")
    assert window.delivery == span("2026-11-24", "2026-11-30")


def test_friday_evening_in_reno_is_still_friday_though_saturday_in_utc(
        reno, ups_pickup_reno, ups_delivery_nv):
    # 2026-11-21T05:00Z (a Saturday) is Fri Nov 20 21:00 in Reno; no cutoff: start Fri 20.
    # handling [Fri 20, Mon 23]; transit 1-2: Fri 20 + 1 = Mon 23; Mon 23 + 2 = Wed 25.
    no_cutoff = dataclasses.replace(reno, cutoffs={})
    window = shipment_window(on_hand_shipment("reno", "2026-11-20"), no_cutoff,
                             ups_pickup_reno, ups_delivery_nv, (1, 2),
                             at("2026-11-21T05:00:00+00:00"))
    assert window.ships == span("2026-11-20", "2026-11-23")
    assert window.delivery == span("2026-11-23", "2026-11-25")


def test_late_evening_in_reno_with_cutoff_starts_the_next_local_working_day(
        reno, ups_pickup_reno, ups_delivery_nv):
    # 2026-11-24T01:00Z = Mon 23 17:00 in Reno, after the cutoff: start Tue 24.
    window = shipment_window(on_hand_shipment("reno", "2026-11-23"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-24T01:00:00+00:00"))
    assert window.steps[0].dates == span("2026-11-24")
    assert window.steps[0].facts.at == at("2026-11-23T17:00:00-08:00")  # Reno's own minute
    assert "Mon 17:00" in note(window.steps[0].facts)


# -- delivery days ---------------------------------------------------------------------------


def test_saturday_delivery_service_delivers_a_day_earlier_over_the_weekend(
        reno, ups_pickup_reno, ups_delivery_nv, fedex_delivery_nv):
    # Thu 12 10:00 PST: start Thu 12, handling [Thu 12, Fri 13], ships [12, 13].
    # Mon-Fri, transit 1-2: Thu 12 + 1 = Fri 13; Fri 13 + 2 -> Mon 16, Tue 17.
    # Mon-Sat, transit 1-2: Thu 12 + 1 = Fri 13; Fri 13 + 2 -> Sat 14, Mon 16.
    order = at("2026-11-12T10:00:00-08:00")
    shipment = on_hand_shipment("reno", "2026-11-12")
    weekdays_only = shipment_window(shipment, reno, ups_pickup_reno, ups_delivery_nv,
                                    (1, 2), order)
    saturdays = shipment_window(shipment, reno, ups_pickup_reno, fedex_delivery_nv,
                                (1, 2), order)
    assert weekdays_only.ships == saturdays.ships == span("2026-11-12", "2026-11-13")
    assert weekdays_only.delivery == span("2026-11-13", "2026-11-17")
    assert saturdays.delivery == span("2026-11-13", "2026-11-16")


def test_same_day_transit_handed_over_on_a_destination_holiday_delivers_next_day(
        reno, ups_pickup_reno, ups_delivery_on):
    #   July 2026:  Mo Tu We Th Fr
    #              29 30  1  2  3      (Wed 1 = Canada Day: Ontario shut, Reno and UPS work)
    # Reno, handling 0-0, Wed Jul 1 09:00 PDT: handed over Wed 1, to Ontario, transit 0-1.
    # "Every delivery date is a delivery day" (DESIGN 4): 0 days cannot mean Canada Day, so
    # earliest = first Ontario delivery day on or after Wed 1 = Thu 2; latest = Wed 1 + 1 =
    # Thu 2.
    same_day = dataclasses.replace(reno, handling_days=(0, 0))
    window = shipment_window(on_hand_shipment("reno", "2026-07-01"), same_day,
                             ups_pickup_reno, ups_delivery_on, (0, 1),
                             at("2026-07-01T09:00:00-07:00"))
    assert window.ships == span("2026-07-01")
    assert window.delivery == span("2026-07-02")


def test_transit_counts_delivery_days_strictly_after_hand_over(
        reno, ups_pickup_reno, ups_delivery_nv):
    # handling 0-0 and transit 0-0: delivered the day it is handed over (Mon Nov 2);
    # transit 1-1: the next delivery day, Tue Nov 3.
    same_day = dataclasses.replace(reno, handling_days=(0, 0))
    shipment = on_hand_shipment("reno", "2026-11-02")
    order = at("2026-11-02T09:00:00-08:00")
    zero = shipment_window(shipment, same_day, ups_pickup_reno, ups_delivery_nv, (0, 0), order)
    one = shipment_window(shipment, same_day, ups_pickup_reno, ups_delivery_nv, (1, 1), order)
    assert zero.ships == zero.delivery == span("2026-11-02")
    assert one.delivery == span("2026-11-03")


# -- restocks --------------------------------------------------------------------------------


def test_restock_due_on_friday_is_received_on_monday(reno, ups_pickup_reno, ups_delivery_nv):
    # ETA Fri Dec 4; receiving 1 working day -> Mon Dec 7.
    # handling 0-1: [Mon 7, Tue 8]; transit 1-2: Mon 7 + 1 = Tue 8; Tue 8 + 2 = Thu 10.
    window = shipment_window(restock_shipment("reno", "2026-12-04"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-23T09:30:00-08:00"))
    assert kinds(window)[:2] == ["ready", "received"]
    assert window.ready == span("2026-12-04")
    assert window.steps[1].dates == span("2026-12-07")
    assert window.ships == span("2026-12-07", "2026-12-08")
    assert window.delivery == span("2026-12-08", "2026-12-10")


def test_restock_with_no_receiving_days_starts_on_its_eta(
        reno, ups_pickup_reno, ups_delivery_nv):
    # receiving 0: start Fri Dec 4 itself; handling [Fri 4, Mon 7];
    # transit 1-2: Fri 4 + 1 = Mon 7; Mon 7 + 2 = Wed 9.
    same_day = dataclasses.replace(reno, receiving_days=0)
    window = shipment_window(restock_shipment("reno", "2026-12-04"), same_day,
                             ups_pickup_reno, ups_delivery_nv, (1, 2),
                             at("2026-11-23T09:30:00-08:00"))
    assert window.ships == span("2026-12-04", "2026-12-07")
    assert window.delivery == span("2026-12-07", "2026-12-09")


def test_restock_due_on_saturday_with_no_receiving_days_starts_monday(
        reno, ups_pickup_reno, ups_delivery_nv):
    same_day = dataclasses.replace(reno, receiving_days=0)
    window = shipment_window(restock_shipment("reno", "2026-12-05"), same_day,
                             ups_pickup_reno, ups_delivery_nv, (1, 2),
                             at("2026-11-23T09:30:00-08:00"))
    assert window.steps[1].dates == span("2026-12-07")


def test_two_receiving_days_after_a_friday_eta_is_tuesday(
        reno, ups_pickup_reno, ups_delivery_nv):
    # Fri Dec 4 + 2 -> Mon 7, Tue 8; handling [Tue 8, Wed 9]; delivery [Wed 9, Fri 11].
    slow = dataclasses.replace(reno, receiving_days=2)
    window = shipment_window(restock_shipment("reno", "2026-12-04"), slow, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-23T09:30:00-08:00"))
    assert window.ships == span("2026-12-08", "2026-12-09")
    assert window.delivery == span("2026-12-09", "2026-12-11")


def test_restock_eta_range_gives_a_ship_and_delivery_range(
        reno, ups_pickup_reno, ups_delivery_nv):
    # ETA [Thu Dec 10, Mon Dec 14]; received [Fri 11, Tue 15]; handling 0-1: [Fri 11, Wed 16];
    # transit 1-3: Fri 11 + 1 = Mon 14; Wed 16 + 3 -> Thu 17, Fri 18, Mon 21.
    window = shipment_window(restock_shipment("reno", "2026-12-10", "2026-12-14"), reno,
                             ups_pickup_reno, ups_delivery_nv, (1, 3),
                             at("2026-11-23T09:30:00-08:00"))
    assert window.steps[1].dates == span("2026-12-11", "2026-12-15")
    assert window.ships == span("2026-12-11", "2026-12-16")
    assert window.delivery == span("2026-12-14", "2026-12-21")


def test_restock_ignores_the_order_cutoff(reno, ups_pickup_reno, ups_delivery_nv):
    # The cutoff concerns units on hand; a restock's start comes from its ETA.
    before = shipment_window(restock_shipment("reno", "2026-12-04"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-23T09:30:00-08:00"))
    after = shipment_window(restock_shipment("reno", "2026-12-04"), reno, ups_pickup_reno,
                            ups_delivery_nv, (1, 2), at("2026-11-23T23:30:00-08:00"))
    assert before.delivery == after.delivery == span("2026-12-08", "2026-12-10")


# -- handling and pickup ----------------------------------------------------------------------


def test_handling_range_counts_working_days_and_skips_veterans_day(
        reno, ups_pickup_reno, ups_delivery_nv):
    # handling 2-4; Mon Nov 9 09:00: start Mon 9.
    # Mon 9 + 2 -> Tue 10, (Wed 11 Veterans Day) Thu 12; Mon 9 + 4 -> 10, 12, 13, Mon 16.
    # transit 1-2: Thu 12 + 1 = Fri 13; Mon 16 + 2 = Wed 18.
    slow = dataclasses.replace(reno, handling_days=(2, 4))
    window = shipment_window(on_hand_shipment("reno", "2026-11-09"), slow, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-11-09T09:00:00-08:00"))
    assert window.ships == span("2026-11-12", "2026-11-16")
    assert window.delivery == span("2026-11-13", "2026-11-18")


def test_carrier_collecting_fewer_days_than_the_warehouse_works_moves_hand_over(
        reno, ups_delivery_nv):
    # A carrier collecting Tue and Thu only; handling 0-2.
    # Mon 16 09:00: start Mon 16; handled [Mon 16, Wed 18]; first pickup day on or after
    # each: [Tue 17, Thu 19]. transit 1-2: Tue 17 + 1 = Wed 18; Thu 19 + 2 -> Fri 20, Mon 23.
    slow = dataclasses.replace(reno, handling_days=(0, 2))
    tue_thu = pickup_calendar(slow, (1, 3), "LTL pickup at reno")
    window = shipment_window(on_hand_shipment("reno", "2026-11-16"), slow, tue_thu,
                             ups_delivery_nv, (1, 2), at("2026-11-16T09:00:00-08:00"))
    handling = next(step for step in window.steps if step.kind == "handling")
    assert handling.dates == span("2026-11-16", "2026-11-18")
    assert kinds(window) == ["start", "handling", "pickup", "transit"]
    assert window.ships == span("2026-11-17", "2026-11-19")
    assert window.delivery == span("2026-11-18", "2026-11-23")


def test_carrier_holiday_on_a_warehouse_working_day_delays_pickup(
        reno, ups_pickup_reno, ups_delivery_nv):
    #   October 2026:  Mo Tu We Th Fr
    #                  12 13 14 15 16      (12 = Columbus Day: UPS shut, Nevada works)
    # Mon Oct 12 09:00 PDT: start Mon 12; handled [Mon 12, Tue 13]; UPS first collects
    # Tue 13 -> ships [13, 13]. transit 1-2: Wed 14, Thu 15.
    window = shipment_window(on_hand_shipment("reno", "2026-10-12"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-10-12T09:00:00-07:00"))
    assert window.steps[0].dates == span("2026-10-12")
    assert window.ships == span("2026-10-13")
    assert window.delivery == span("2026-10-14", "2026-10-15")


def test_pickup_step_names_the_carrier_holiday_it_waited_over(
        reno, ups_pickup_reno, ups_delivery_nv):
    # Handed over Mon Oct 12, collected Tue 13: the explanation must say why (Columbus Day).
    window = shipment_window(on_hand_shipment("reno", "2026-10-12"), reno, ups_pickup_reno,
                             ups_delivery_nv, (1, 2), at("2026-10-12T09:00:00-07:00"))
    pickup = next(step for step in window.steps if step.kind == "pickup")
    assert pickup.skipped() == [(d("2026-10-12"), "Columbus Day")]
    assert "Mon Oct 12 (Columbus Day)" in detail(pickup)


def test_merchant_closure_is_not_a_working_day(reno, ups_delivery_nv):
    # Closed Thu Nov 19 for a stocktake. Wed 18 15:00, after the cutoff: the next working
    # day after Wed 18 is Fri 20. handled [Fri 20, Mon 23]; transit 1-2: Fri 20 + 1 = Mon 23;
    # Mon 23 + 2 = Wed 25.
    closed = dataclasses.replace(reno, calendar=business_calendar(
        "reno", MON_FRI, "US", "NV", closures={d("2026-11-19"): "stocktake"}))
    pickup = pickup_calendar(closed, MON_FRI, "UPS pickup at reno")
    window = shipment_window(on_hand_shipment("reno", "2026-11-18"), closed, pickup,
                             ups_delivery_nv, (1, 2), at("2026-11-18T15:00:00-08:00"))
    assert window.steps[0].dates == span("2026-11-20")
    assert "Thu Nov 19 (closed: stocktake)" in detail(window.steps[0])
    assert window.ships == span("2026-11-20", "2026-11-23")
    assert window.delivery == span("2026-11-23", "2026-11-25")


def test_order_on_a_closure_day_before_cutoff_starts_the_next_working_day(
        reno, ups_delivery_nv):
    closed = dataclasses.replace(reno, calendar=business_calendar(
        "reno", MON_FRI, "US", "NV", closures={d("2026-11-19"): "stocktake"}))
    pickup = pickup_calendar(closed, MON_FRI, "UPS pickup at reno")
    window = shipment_window(on_hand_shipment("reno", "2026-11-19"), closed, pickup,
                             ups_delivery_nv, (1, 2), at("2026-11-19T09:00:00-08:00"))
    assert window.steps[0].dates == span("2026-11-20")
    assert "closed (closed: stocktake)" in note(window.steps[0].facts)
