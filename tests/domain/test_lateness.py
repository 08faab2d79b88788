"""The lateness model and what it makes of a window, with every figure worked by hand.

    December 2026            the calendars here are Monday to Friday
    Mo Tu We Th Fr Sa Su
        1  2  3  4  5  6
     7  8  9 10 11 12 13
    14 15 16 17 18 19 20
"""

from dataclasses import replace
from datetime import date
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rates.domain.calendar import BusinessCalendar
from rates.domain.catalog import Location
from rates.domain.confidence import Calibration, restocks
from rates.domain.lateness import (
    Calibrated,
    Confidence,
    Evidence,
    Lane,
    LatenessModel,
    Observations,
    Spread,
    option_confidence,
)
from rates.domain.plans import ShipmentPlan
from rates.domain.stock import Allocation, DateRange, Source
from rates.domain.window import ShipmentWindow, Step, Transit

DEC = {day: date(2026, 12, day) for day in range(1, 32)}
WEEKDAYS = BusinessCalendar("Mon-Fri", first=date(2026, 11, 1), last=date(2027, 2, 28),
                            weekdays=range(5))
LANE = Lane("ups", "ground", "reno", "US-CA")


def approx(value):
    return pytest.approx(float(value), abs=1e-9)


def test_an_empirical_spread_gives_its_shares_quantiles_and_mode():
    # Four lots: one a day early, two on their latest day, one 3 days late.
    spread = Spread.counted({-1: 1, 0: 2, 3: 1})
    assert (spread.low, spread.high) == (-1, 3)
    assert spread.weights == (0.25, 0.5, 0.0, 0.0, 0.25)
    assert spread.between(0, 3) == approx(0.75)
    assert spread.between(-5, -1) == approx(0.25)
    assert spread.between(1, 2) == 0.0
    # Cumulative: -1 -> 0.25, 0 -> 0.75, 3 -> 1.
    assert (spread.quantile(0.5), spread.quantile(0.75), spread.quantile(0.9)) == (0, 0, 3)
    assert spread.mode() == 0


def test_the_median_is_the_lower_middle_observation():
    # Seven lots, sorted: -1 0 0 [2] 3 3 5: the 4th of 7.
    evidence = Evidence.of({-1: 1, 0: 2, 2: 1, 3: 2, 5: 1})
    assert (evidence.count, evidence.median) == (7, 2)
    # Eight: -1 0 0 [2] 3 3 5 5: the lower of the middle two (2 and 3).
    assert Evidence.of({-1: 1, 0: 2, 2: 1, 3: 2, 5: 2}).median == 2


def test_sums_and_the_later_of_two_independent_days():
    coin = Spread.counted({0: 1, 1: 1})
    assert coin.plus(coin).weights == (0.25, 0.5, 0.25)
    # The later of {0 or 2, evenly} and always 1: 1 half the time, 2 the other half.
    later = Spread.counted({0: 1, 2: 1}).latest_with(Spread.on(1))
    assert (later.low, later.weights) == (1, (0.5, 0.5))


def test_twenty_lots_weigh_as_much_as_the_eta():
    # Acme's 20 lots were all 3 business days late; a lot promised over 5 business days
    # (4 before its latest) is, by its ETA alone, on any of them evenly: 1/5 each.
    model = LatenessModel(Observations({"acme": {3: 20}}, {}), shrink=20)
    spread, evidence = model.restock("acme", promised=4)
    assert evidence is not None and (evidence.count, evidence.median) == (20, 3)
    # n / (n + k) = 20 / 40: half of 1/5 on each ETA day, half on 3 days late.
    assert spread.low == -4
    assert [Fraction(w).limit_denominator(100) for w in spread.weights] == [
        Fraction(1, 10)] * 5 + [0, 0, Fraction(1, 2)]
    assert spread.between(-4, 0) == approx(0.5)


def test_two_late_lots_make_no_wild_promise():
    # Two lots 10 days late: weight 2 / 22, so the ETA still holds with 20/22 = 0.909.
    model = LatenessModel(Observations({"acme": {10: 2}}, {}))
    spread, _ = model.restock("acme", promised=0)
    assert spread.between(-100, 0) == approx(Fraction(20, 22))
    # Two hundred such lots: 200 / 220 on 10 days late.
    many = LatenessModel(Observations({"acme": {10: 200}}, {}))
    assert many.restock("acme", promised=0)[0].between(-100, 0) == approx(Fraction(20, 220))


def test_a_supplier_without_history_keeps_its_eta():
    model = LatenessModel(Observations({"acme": {3: 20}}, {}))
    spread, evidence = model.restock("zenith", promised=2)
    assert evidence is None and spread == Spread.even(-2, 0)
    assert model.restock(None, promised=2) == (Spread.even(-2, 0), None)


def test_a_lane_blends_its_transit_with_the_configured_days():
    # Configured 3-5 days. 20 parcels: 10 took 5 days, 10 took 6. Against the maximum (5):
    # 0 or +1, half each; the configured days are -2, -1, 0 evenly. Weight 20 / 40.
    model = LatenessModel(Observations({}, {LANE: {5: 10, 6: 10}}))
    spread, evidence = model.transit(LANE, (3, 5))
    assert evidence is not None and (evidence.count, evidence.median) == (20, 5)
    assert spread.low == -2
    assert [Fraction(w).limit_denominator(100) for w in spread.weights] == [
        Fraction(1, 6), Fraction(1, 6), Fraction(1, 6) + Fraction(1, 4), Fraction(1, 4)]
    assert model.transit(LANE._replace(destination="US-NV"), (3, 5)) == (
        Spread.even(-2, 0), None)


def window(earliest: date, latest: date) -> ShipmentWindow:
    delivery = DateRange(earliest, latest)
    return ShipmentWindow(DateRange.on(DEC[1]), DateRange.on(DEC[2]), delivery,
                          (Step(Transit(3, 5, "UPS delivery"), delivery),))


def restocked(supplier: str | None, ready: DateRange) -> ShipmentPlan:
    return ShipmentPlan("reno", (Allocation(0, "TENT", 1, "reno", Source.INBOUND, ready,
                                            "PO-1", supplier),))


RENO = Location("reno", "Reno", "US", "NV", ZoneInfo("America/Los_Angeles"), WEEKDAYS, {},
                handling_days=(0, 0))
"""A location that hands parcels over on the day handling starts: no handling spread."""
RENO_SOMETIMES_NEXT_DAY = replace(RENO, handling_days=(0, 1))


ACME_LATE = Observations({"acme": {3: 20}}, {})
# A shipment waiting for Acme's lot due Tue Dec 1 .. Thu Dec 3 (2 business days before its
# latest), by UPS Ground (3-5 days), delivered Mon Dec 7 .. Fri Dec 11.
#   restock X: half on the ETA (-2, -1, 0: 1/6 each), half 3 late (1/2);
#   transit Y: no history, the configured days (-2, -1, 0: 1/3 each).
#   X + Y in 18ths: -4: 1, -3: 2, -2: 3, -1: 2, 0: 1, +1: 3, +2: 3, +3: 3.
# The window spans 4 delivery days before its latest (Tue 8 .. Fri 11): -4 .. 0 = 9/18.
ACME_LOT = restocked("acme", DateRange(DEC[1], DEC[3]))


def weighed(target: float | None, observations: Observations = ACME_LATE,
            shipment: ShipmentPlan = ACME_LOT) -> ShipmentWindow:
    calibration = Calibration(LatenessModel(observations), target)
    return calibration.window(window(DEC[7], DEC[11]), restocks(shipment), RENO,
                              LANE, (3, 5), WEEKDAYS)


def test_a_window_says_how_likely_it_holds_and_its_likely_day():
    weighed_window = weighed(None)
    assert weighed_window.delivery == DateRange(DEC[7], DEC[11])
    confidence = weighed_window.confidence
    assert confidence is not None
    assert confidence.probability == approx(Fraction(9, 18))
    # The most likely sums are -2, +1, +2, +3 (3/18 each); the earliest: Fri 11 less 2
    # delivery days, Wed Dec 9.
    assert confidence.likely == DEC[9]
    step = weighed_window.steps[-1]
    assert isinstance(step.facts, Calibrated)
    assert (step.facts.widened, step.facts.target, step.facts.lane) == (0, None, None)
    assert [(name, evidence.count, evidence.median)
            for name, evidence in step.facts.suppliers] == [("acme", 20, 3)]


def test_a_target_moves_the_latest_day_until_it_is_reached():
    # 0.9: +1 -> 12/18, +2 -> 15/18, +3 -> 18/18: Fri 11 + 3 = Mon 14, Tue 15, Wed 16.
    widened = weighed(0.9)
    assert widened.delivery == DateRange(DEC[7], DEC[16])
    assert widened.confidence is not None
    assert widened.confidence.probability == approx(1)
    facts = widened.steps[-1].facts
    assert isinstance(facts, Calibrated)
    assert (facts.widened, facts.before, facts.probability) == (3, approx(0.5), approx(1))
    # 0.8: +2 reaches 15/18 = 0.833, Tue Dec 15.
    assert weighed(0.8).delivery == DateRange(DEC[7], DEC[15])
    # 0.5 is reached already: nothing moves.
    assert weighed(0.5).delivery == DateRange(DEC[7], DEC[11])


def test_without_history_for_its_supplier_or_lane_a_window_is_as_dated():
    plain = window(DEC[7], DEC[11])
    calibration = Calibration(LatenessModel(ACME_LATE), 0.9)
    for shipment in (restocked("zenith", DateRange(DEC[1], DEC[3])),
                     restocked(None, DateRange(DEC[1], DEC[3]))):
        assert calibration.window(plain, restocks(shipment), RENO, LANE, (3, 5),
                                  WEEKDAYS) is plain


def test_units_on_hand_are_weighed_by_their_lane_alone():
    # On hand: no restock. Lane: 20 parcels all 6 days against 3-5: +1 half, -2..0 a sixth
    # each. Window Mon 7 .. Fri 11: -4 .. 0 holds 1/2; 0.9 needs +1 (1): Mon Dec 14.
    on_hand = ShipmentPlan("reno", (Allocation(0, "TENT", 1, "reno", Source.ON_HAND,
                                               DateRange.on(DEC[1])),))
    lane_late = Observations({}, {LANE: {6: 20}})
    assert weighed(None, lane_late, on_hand).confidence.probability == approx(0.5)  # type: ignore[union-attr]
    widened = weighed(0.9, lane_late, on_hand)
    assert widened.delivery == DateRange(DEC[7], DEC[14])
    facts = widened.steps[-1].facts
    assert isinstance(facts, Calibrated) and facts.lane is not None
    assert (facts.lane[0], facts.lane[1].count, facts.suppliers) == (LANE, 20, ())


def test_a_shipment_waits_for_its_last_restock():
    # Two lots: Acme's due by Thu Dec 3 (always 3 late with 1000 lots: weight 1000/1020),
    # and Zenith's (no history) due Mon Nov 30 .. Fri Dec 4. The shipment is ready by Fri
    # Dec 4; Acme's latest is 1 business day before it, so its lateness counts from -1.
    model = LatenessModel(Observations({"acme": {3: 1000}}, {}))
    shipment = ShipmentPlan("reno", (
        Allocation(0, "TENT", 1, "reno", Source.INBOUND, DateRange.on(DEC[3]), "A", "acme"),
        Allocation(1, "LAMP", 1, "reno", Source.INBOUND, DateRange(date(2026, 11, 30), DEC[4]),
                   "Z", "zenith")))
    restock, suppliers = Calibration(model)._restocks(restocks(shipment), WEEKDAYS)
    # Acme: 1000/1020 on +3 - 1 = +2, 20/1020 on 0 - 1 = -1. Zenith: -4 .. 0 evenly.
    # Later of the two: +2 with 1000/1020; else Zenith's day, or -1 if Zenith's is earlier.
    assert restock.between(2, 2) == approx(Fraction(1000, 1020))
    assert restock.between(-4, -2) == 0.0
    assert restock.between(-1, -1) == approx(Fraction(20, 1020) * Fraction(4, 5))
    assert [name for name, _ in suppliers] == ["acme"]


def test_an_option_holds_when_every_shipment_lands_in_its_window():
    # Shipment A: always its latest day, Wed Dec 9. Shipment B: its latest (Fri 11) or 2
    # days after (Tue 15), evenly. The option's window Mon 7 .. Fri 11 holds A (count -2
    # .. +2 around Wed 9) and B half the time.
    a = Confidence(1.0, DEC[9], Spread.on(0), DEC[9], WEEKDAYS)
    b = Confidence(0.5, DEC[11], Spread.counted({0: 1, 2: 1}), DEC[11], WEEKDAYS)
    assert option_confidence([a, b], DEC[7], DEC[11]) == (approx(0.5), DEC[11])
    assert option_confidence([a, b], DEC[7], DEC[15]) == (approx(1), DEC[11])
    # A shipment without history is held to its own window, inside the option's.
    assert option_confidence([None, b], DEC[7], DEC[11]) == (approx(0.5), DEC[11])
    assert option_confidence([None, None], DEC[7], DEC[11]) is None


def test_counting_business_days_both_ways():
    # Fri Dec 4 -> Mon Dec 7: one business day; back again: -1. Sat 5 -> Tue 8: Mon, Tue.
    assert WEEKDAYS.count(DEC[4], DEC[7]) == 1
    assert WEEKDAYS.count(DEC[7], DEC[4]) == -1
    assert WEEKDAYS.count(DEC[5], DEC[8]) == 2
    assert WEEKDAYS.back(DEC[7], 1) == DEC[4]
    assert WEEKDAYS.back(DEC[9], 2) == DEC[7]
    assert WEEKDAYS.back(DEC[6], 1) == DEC[4]


@given(st.dictionaries(st.integers(-10, 15), st.integers(1, 50), min_size=1, max_size=8),
       st.integers(0, 6), st.integers(0, 400))
def test_a_blended_spread_is_a_distribution_and_more_history_moves_it_further(
        counts, promised, shrink):
    model = LatenessModel(Observations({"acme": counts}, {}), shrink=shrink)
    spread, _ = model.restock("acme", promised)
    assert sum(spread.weights) == approx(1)
    assert all(weight >= 0 for weight in spread.weights)
    # The share on time lies between the history's and the ETA's (1).
    empirical = Spread.counted(counts).between(-100, 0)
    on_time = spread.between(-100, 0)
    assert empirical - 1e-9 <= on_time <= 1 + 1e-9


@given(st.dictionaries(st.integers(-3, 12), st.integers(1, 30), min_size=1, max_size=6),
       st.floats(0.5, 0.99))
def test_a_widened_window_reaches_its_target_and_never_moves_its_earliest_day(counts, target):
    widened = weighed(target, Observations({"acme": counts}, {}))
    assert widened.delivery.earliest == DEC[7]
    assert widened.confidence is not None
    offsets = widened.confidence.offsets
    # Deliveries before the earliest day (4 delivery days before Fri 11) stay outside: a
    # later latest day cannot reach a target they put out of reach.
    reachable = offsets.between(-4, offsets.high)
    assert widened.confidence.probability >= min(target, reachable) - 1e-9
    facts = widened.steps[-1].facts
    assert isinstance(facts, Calibrated)
    # Fewest days: one day less would not have reached it.
    if facts.widened:
        assert offsets.between(-4, facts.widened - 1) < min(target, reachable) - 1e-9


def test_a_guaranteed_transit_is_the_carriers_commitment_not_its_lanes_history():
    # The lane ran a day late every time (as above, 0.9 would move Fri 11 to Mon 14); a
    # guaranteed service's days are the carrier's word: on hand, nothing weighs it.
    on_hand = ShipmentPlan("reno", (Allocation(0, "TENT", 1, "reno", Source.ON_HAND,
                                               DateRange.on(DEC[1])),))
    lane_late = Observations({}, {LANE: {6: 20}})
    calibration = Calibration(LatenessModel(lane_late), 0.9)
    plain = window(DEC[7], DEC[11])
    assert calibration.window(plain, restocks(on_hand), RENO, LANE, (3, 5),
                              WEEKDAYS, guaranteed=True) is plain
    # Waiting for Acme's lot, its restock is weighed as before (0.9: Wed Dec 16), with the
    # configured transit.
    both = Observations({"acme": {3: 20}}, {LANE: {6: 20}})
    weighed_lot = Calibration(LatenessModel(both), 0.9).window(
        plain, restocks(ACME_LOT), RENO, LANE, (3, 5), WEEKDAYS,
        guaranteed=True)
    assert weighed_lot.delivery == DateRange(DEC[7], DEC[16])
    facts = weighed_lot.steps[-1].facts
    assert isinstance(facts, Calibrated) and facts.lane is None


def test_a_window_counts_the_most_handling_days_and_a_parcel_may_take_fewer():
    # Handling 0-1 working days: the window's latest day counts 1, and a parcel takes 0 or
    # 1 evenly, so H is -1 or 0 (1/2 each). X + Y in 18ths (as above), plus H, in 36ths:
    #   -5: 1, -4: 3, -3: 5, -2: 5, -1: 3, 0: 4, +1: 6, +2: 6, +3: 3.
    # -4 .. 0 holds 20/36; 0.8: +1 -> 26/36 (0.722), +2 -> 32/36 (0.889): Tue Dec 15.
    calibration = Calibration(LatenessModel(ACME_LATE), 0.8)
    weighed_window = calibration.window(
        window(DEC[7], DEC[11]), restocks(ACME_LOT), RENO_SOMETIMES_NEXT_DAY,
        LANE, (3, 5), WEEKDAYS)
    facts = weighed_window.steps[-1].facts
    assert isinstance(facts, Calibrated)
    assert (facts.before, facts.widened, facts.probability) == (
        approx(Fraction(20, 36)), 2, approx(Fraction(32, 36)))
    assert weighed_window.delivery == DateRange(DEC[7], DEC[15])
    # The most likely sums: +1 and +2 (6/36 each): the earlier, Mon Dec 14.
    assert facts.likely == DEC[14]
