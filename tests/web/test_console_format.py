"""How the console words dates, money and delays (read out to customers on the phone)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from rates.web.console_format import (
    Change,
    Explained,
    Places,
    Times,
    by_shipment,
    chosen_first,
    count,
    dates,
    day,
    explained,
    late,
    money,
    slip,
    why_moved,
    worded_changes,
)

RENO = ZoneInfo("America/Los_Angeles")
WINTER = datetime(2026, 12, 5, 10, 55, tzinfo=UTC)  # Sat 02:55 in Reno (PST, UTC-8)


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


def test_instants_are_written_in_the_merchants_zone_which_the_page_names_once():
    times = Times(RENO, WINTER)
    assert times.label == "Times in America/Los_Angeles (PST)"
    # Stored in UTC (acceptance), in Eastern time (a cart's ordered_at): both Reno's clock.
    assert times.at("2026-12-05T07:35:00+00:00") == "Fri Dec 4, 2026 23:35"
    assert times.at("2026-11-23T12:30:00-05:00") == "Mon Nov 23, 2026 09:30"
    assert times.at(None) == "–"


def test_an_instant_across_a_daylight_saving_change_names_its_own_abbreviation():
    assert Times(RENO, WINTER).at("2026-07-04T16:30:00+00:00") == "Sat Jul 4, 2026 09:30 PDT"


def test_a_zone_named_by_its_abbreviation_is_named_once():
    assert Times(UTC, WINTER).label == "Times in UTC"
    assert Times(UTC, WINTER).at("2026-11-23T09:30:00-08:00") == "Mon Nov 23, 2026 17:30"


def test_a_location_reads_as_its_name_and_an_unknown_one_as_stored():
    place = Places({"reno": "Reno, NV warehouse"})
    assert place("reno") == "Reno, NV warehouse"
    assert place("closed-site") == "closed-site"


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


def test_the_options_the_customer_chose_come_first_with_their_orders():
    options = [{"id": "together/ups/ground"}, {"id": "split/ups/ground"},
               {"id": "split/ups/air"}]
    orders = [{"id": "order-1001", "option_id": "split/ups/air"}]
    assert chosen_first(options, orders) == [
        (options[2], ["order-1001"]), (options[0], []), (options[1], [])]


def option(ident: str, label: str, amount: str, earliest: str, latest: str) -> dict:
    return {"id": ident, "label": label, "price": {"amount": amount, "currency": "USD"},
            "delivery": span(earliest, latest)}


def test_a_re_estimates_changes_name_options_by_label_and_write_dates_as_the_page_does():
    before = {"options": [option("split/ups/ground", "UPS Ground - split", "15.95",
                                 "2026-11-24", "2027-01-11"),
                          option("air/ups/air", "UPS Air", "44.95", "2026-11-25", "2026-11-27")]}
    after = {"options": [option("split/ups/ground", "UPS Ground - split", "17.95",
                                "2027-01-02", "2027-01-13")]}
    changes = [
        {"option": "split/ups/ground", "kind": "price", "old": "15.95 USD", "new": "17.95 USD"},
        {"option": "split/ups/ground", "kind": "delivery", "old": "2026-11-24..2027-01-11",
         "new": "2027-01-02..2027-01-13"},
        {"option": "air/ups/air", "kind": "visibility", "old": "offered", "new": "not offered"},
    ]
    assert worded_changes(changes, before, after) == [
        Change("UPS Ground - split", "Price", "$15.95", "$17.95"),
        Change("UPS Ground - split", "Delivery", "Tue Nov 24, 2026 – Mon Jan 11, 2027",
               "Sat Jan 2 – Wed Jan 13, 2027"),
        Change("UPS Air", "Visibility", "offered", "not offered"),
    ]


RENO_NAME = Places({"reno": "Reno, NV warehouse"})


@pytest.mark.parametrize(("low", "high", "words"), [
    (1, 1, "1 working day"), (0, 1, "0–1 working days"), (2, 2, "2 working days"),
    (0, 0, "0 working days")])
def test_working_days_are_counted_in_words(low, high, words):
    assert count(low, high, "working day") == words


def test_a_step_reads_with_the_warehouses_name_and_the_pages_dates():
    step = {"step": "handling", "dates": span("2026-11-25", "2026-11-30"), "detail": "x",
            "facts": {"location": "reno", "days": [0, 1]},
            "skipped": [{"date": "2026-11-26", "reason": "Thanksgiving Day"}]}
    assert explained(step, RENO_NAME) == Explained(
        "Handled", "Wed Nov 25 – Mon Nov 30, 2026",
        "0–1 working days of handling at Reno, NV warehouse",
        [("2026-11-26", "Thanksgiving Day")])


def test_a_quote_trace_step_reads_alike_with_its_skipped_days():
    step = {"step": "received", "shipment": 2, "detail": "x",
            "dates": span("2026-12-29", "2027-01-06"),
            "facts": {"location": "reno", "days": 1},
            "skipped_days": [{"date": "2027-01-02", "reason": "Saturday"}]}
    found = explained(step, RENO_NAME)
    assert found.why == "1 working day to receive it at Reno, NV warehouse"
    assert found.when == "Tue Dec 29, 2026 – Wed Jan 6, 2027"
    assert found.skipped == [("2027-01-02", "Saturday")]


@pytest.mark.parametrize(("facts", "words"), [
    # 17:30 UTC is 09:30 in Reno; the cutoff is Reno's, so the time is said in Reno's zone.
    ({"ordered_at": "2026-11-23T17:30:00+00:00", "cutoff": "14:00", "starts": "same_day"},
     "Ordered Mon Nov 23 09:30 Reno, NV warehouse time (PST), before its 14:00 cutoff: "
     "starts the same day"),
    ({"ordered_at": "2026-11-23T17:00:00-08:00", "cutoff": "14:00",
      "starts": "next_working_day"},
     "Ordered Mon Nov 23 17:00 Reno, NV warehouse time (PST), after its 14:00 cutoff: "
     "starts the next working day"),
    ({"ordered_at": "2026-11-14T10:00:00-08:00", "starts": "closed", "closed": "Saturday"},
     "Ordered Sat Nov 14 10:00 Reno, NV warehouse time (PST); Reno, NV warehouse was "
     "closed (Saturday): starts the next working day"),
])
def test_the_order_time_is_said_in_the_warehouses_own_zone_beside_its_cutoff(facts, words):
    step = {"step": "start", "dates": span("2026-11-23", "2026-11-23"), "detail": "x",
            "facts": {"location": "reno", "timezone": "America/Los_Angeles", **facts},
            "skipped": []}
    assert explained(step, RENO_NAME).why == words


@pytest.mark.parametrize(("facts", "words"), [
    ({"days": [1, 1], "calendar": "ups delivery US-NV", "guaranteed": True},
     "1 delivery day in transit, guaranteed by the carrier"),
    ({"days": [1, 1], "calendar": "ups delivery US-NV"}, "1 delivery day in transit"),
    ({"days": [1, 3], "calendar": "ups delivery US-NV"}, "1–3 delivery days in transit"),
])
def test_a_transit_says_when_the_carrier_guarantees_its_days(facts, words):
    step = {"step": "transit", "shipment": 1, "detail": "x",
            "dates": span("2026-11-24", "2026-11-25"), "facts": facts, "skipped_days": []}
    assert explained(step, RENO_NAME) == Explained(
        "Delivered", "Tue Nov 24 – Wed Nov 25, 2026", words, [])


def test_a_step_stored_without_facts_keeps_its_sentence():
    step = {"step": "handling", "shipment": 1, "detail": "handling 2026-11-23: 0-1 x"}
    assert explained(step, RENO_NAME) == Explained("handling", None, step["detail"], [])


def cause(**facts):
    return {"sku": "TENT-2P", "lot": "PO-1042", "quantity": 1, "reason": "the API's",
            "location": "reno", "promised": span("2026-12-10", "2026-12-14"), "due": None,
            "lot_quantity": None, "waits": [], **facts}


@pytest.mark.parametrize(("facts", "words"), [
    ({"delay": "lot_slipped", "due": span("2026-12-30", "2027-01-08")},
     "lot PO-1042 slipped: now due Wed Dec 30, 2026 – Fri Jan 8, 2027, promised "
     "Thu Dec 10 – Mon Dec 14, 2026"),
    ({"delay": "lot_shrank", "lot_quantity": 1, "waits": [
        {"quantity": 1, "source": "inbound", "lot": "PO-2", "ready": span("2027-01-05",
                                                                          "2027-01-08")}]},
     "lot PO-1042 shrank to 1 unit, too few for the orders before this one; the units now "
     "wait for 1 from lot PO-2 due Tue Jan 5 – Fri Jan 8, 2027"),
    ({"delay": "restock_gone", "lot": None, "waits": []},
     "the restock at Reno, NV warehouse promised for Thu Dec 10 – Mon Dec 14, 2026 no "
     "longer covers these units; they now wait for no restock is expected"),
])
def test_why_a_promise_moved_reads_with_names_and_the_pages_dates(facts, words):
    assert why_moved(cause(**facts), RENO_NAME) == words


def test_the_confidence_step_says_how_far_the_window_moved_and_on_what_evidence():
    facts = {"confidence": 0.75, "before": 0.5, "widened_days": 2, "likely": "2026-12-22",
             "target": 0.7, "transit_days": [1, 2],
             "suppliers": [{"supplier": "Acme Outdoor", "lots": 20, "median_days_late": 3,
                            "late_share": 1.0}],
             "lane": {"carrier": "ups", "service": "ground", "origin": "reno",
                      "destination": "US-NV", "parcels": 40, "median_days": 2,
                      "slower_share": 0.25}}
    step = explained({"step": "confidence", "dates": {"earliest": "2026-12-14",
                                                      "latest": "2026-12-22"},
                      "facts": facts, "skipped": []}, Places({"reno": "Reno, NV"}))
    assert step.what == "Weighed against history"
    assert step.why == (
        "Latest day moved 2 delivery days later to reach 70% (was 50%, now 75%). Lots from "
        "Acme Outdoor arrived a median 3 business days after their promised latest (20 "
        "lots, 100% late). From Reno, NV to US-NV this service took a median 2 delivery "
        "days (configured 1–2; 40 parcels, 25% slower).")
    held = explained({"step": "confidence", "dates": {"earliest": "2026-12-14",
                                                      "latest": "2026-12-18"},
                      "facts": {**facts, "widened_days": 0, "confidence": 0.93,
                                "suppliers": [], "lane": None}, "skipped": []},
                     Places({}))
    assert held.why == "93% likely to arrive in this window."
