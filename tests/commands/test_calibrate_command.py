"""`rates calibrate` on the store of a copy of the example: an order placed through the
API, its deliveries recorded in the store, the report printed for a merchant or as JSON.

order-9 (3 tents, in_stock_first/ups/ground, placed Mon Nov 23): shipment 1 (on hand)
promised Nov 24-27, delivered Wed Nov 25; shipment 2 (PO-1042, from the tents' supplier
Summit Tents) promised Dec 14-18, delivered Tue Dec 22, 4 days late.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from rates.app.accuracy import Accuracy
from rates.cli import main
from rates.commands.calibrate import document, render
from rates.commands.common import configured_store
from rates.domain.accuracy import ShipmentKey, accuracy_report
from rates.domain.history import ShipmentEvent, ShipmentEventType
from tests.commands.test_promises_command import NOW, place_order
from tests.domain.test_accuracy import SHIPMENTS, dec


def deliver(example, *deliveries: tuple[int, str]) -> None:
    _, store = configured_store(example, NOW)
    try:
        for shipment, at in deliveries:
            store.record_shipment_event(ShipmentEvent(
                "order-9", shipment, ShipmentEventType.DELIVERED, datetime.fromisoformat(at),
                "ups", "ground"), NOW)
    finally:
        store.close()


def calibrate(capsys, example, *args):
    status = main(["calibrate", "--config", str(example), *args])
    return status, capsys.readouterr().out


def test_the_report_prints_shares_lateness_and_weeks_for_a_merchant(capsys, example):
    place_order(example)
    deliver(example, (1, "2026-11-25T11:00:00-08:00"), (2, "2026-12-22T16:00:00-08:00"))

    status, out = calibrate(capsys, example, "--since", "2026-11-01")

    # Lateness -2 and +4: the median is rank 1 (-2), the P90 rank 2 (+4). Promised: Nov 23
    # -> Nov 27 = 4 days and -> Dec 18 = 25; taken: 2 (Nov 25) and 29 (Dec 22).
    assert status == 0
    assert out == """\
Shipments delivered since 2026-11-01: 2
Inside the promised window: 1 of 2 (50%); 0 early, 1 late
Days after the promised latest date (negative: early): median -2, P90 4

By supplier (a shipment counts for each supplier of its backordered units)
  SUPPLIER       DELIVERED  INSIDE   SHARE  EARLY  LATE  MEDIAN  P90
  Summit Tents           1       0      0%      0     1       4    4

By carrier service
  SERVICE      DELIVERED  INSIDE   SHARE  EARLY  LATE  MEDIAN  P90
  ups/ground           2       1     50%      0     1      -2    4

By plan
  PLAN             DELIVERED  INSIDE   SHARE  EARLY  LATE  MEDIAN  P90
  in_stock_first           2       1     50%      0     1      -2    4

By week of delivery (days from the order to the promised latest date, and to the delivery)
  WEEK      MONDAY       DELIVERED  INSIDE   SHARE  PROMISED  TAKEN
  2026-W48  2026-11-23           1       1    100%       4.0    2.0
  2026-W52  2026-12-21           1       0      0%      25.0   29.0
"""


def test_json_gives_the_same_report_for_programs(capsys, example):
    place_order(example)
    deliver(example, (1, "2026-11-25T11:00:00-08:00"), (2, "2026-12-22T16:00:00-08:00"))

    status, out = calibrate(capsys, example, "--since", "2026-11-25", "--json")

    report = json.loads(out)
    assert status == 0
    assert (report["since"], report["skipped_events"], report["widened"]) == (
        "2026-11-25", 0, None)
    assert report["overall"] == {"shipments": 2, "inside": 1, "early": 0, "late": 1,
                                 "share": 0.5, "median_lateness_days": -2,
                                 "p90_lateness_days": 4}
    assert report["by_service"] == [{"name": "ups/ground", **report["overall"]}]
    assert report["weeks"][1] == {"week": "2026-W52", "monday": "2026-12-21", "shipments": 1,
                                  "inside": 0, "share": 0.0, "mean_promised_days": 25.0,
                                  "mean_actual_days": 29.0}


def test_with_nothing_delivered_it_says_so_and_exits_0(capsys, example):
    place_order(example)
    deliver(example, (1, "2026-11-25T11:00:00-08:00"))

    status, out = calibrate(capsys, example, "--since", "2026-11-26")

    assert (status, out) == (0, "Shipments delivered since 2026-11-26: none, so there is "
                                "nothing to measure yet. Delivered events are recorded with "
                                "POST /v1/orders/{id}/events.\n")


def test_a_since_not_written_yyyy_mm_dd_is_refused_with_how_to_write_it(capsys, example):
    with pytest.raises(SystemExit) as exit_:
        main(["calibrate", "--config", str(example), "--since", "01/11/2026"])

    assert exit_.value.code == 2
    assert ("argument --since: '01/11/2026' is not a date written YYYY-MM-DD, e.g. "
            "2026-09-01") in capsys.readouterr().err


def test_the_text_names_each_supplier_and_what_later_latest_dates_would_have_done():
    # The five shipments of tests/domain/test_accuracy.py, with o1 #2 widened to Dec 12 and
    # o4 #1 to Dec 17: the figures counted by hand there.
    widened = [(ShipmentKey("o1", 2), dec(12)), (ShipmentKey("o4", 1), dec(17))]
    found = Accuracy(date(2026, 11, 27), NOW, accuracy_report(SHIPMENTS, widened), skipped=1,
                     target=0.9)

    assert render(found) == """\
Shipments delivered since 2026-11-27: 5
Inside the promised window: 2 of 5 (40%); 1 early, 2 late
Days after the promised latest date (negative: early): median 0, P90 5

By supplier (a shipment counts for each supplier of its backordered units)
  SUPPLIER   DELIVERED  INSIDE   SHARE  EARLY  LATE  MEDIAN  P90
  Acme               2       0      0%      1     1      -3    2
  Borealis           2       1     50%      1     0      -3    0

By carrier service
  SERVICE      DELIVERED  INSIDE   SHARE  EARLY  LATE  MEDIAN  P90
  fedex/home           1       0      0%      1     0      -3   -3
  ups/ground           4       2     50%      0     2       0    5

By plan
  PLAN             DELIVERED  INSIDE   SHARE  EARLY  LATE  MEDIAN  P90
  in_stock_first           3       1     33%      0     2       2    5
  ship_together            2       1     50%      1     0      -3    0

By week of delivery (days from the order to the promised latest date, and to the delivery)
  WEEK      MONDAY       DELIVERED  INSIDE   SHARE  PROMISED  TAKEN
  2026-W49  2026-11-30           1       1    100%       6.0    5.0
  2026-W50  2026-12-07           2       0      0%      11.5   11.0
  2026-W51  2026-12-14           2       1     50%       7.5   10.0

Weighed to a target confidence of 90% by today's history:
  3 of 5 inside (60%), the windows 0.8 days longer on average

Left out: 1 delivered event(s) of orders not stored, cancelled, or without that shipment"""
    assert document(found)["widened"] == {"shipments": 5, "inside": 3, "share": 0.6,
                                          "mean_days_added": 0.8}
