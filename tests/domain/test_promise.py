"""A promise's current estimate: same location, carrier, transit and order instant; only
the stock moves it. Every expected date below is worked out by hand in the comments."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from rates.domain.backorders import queue
from rates.domain.cart import Destination
from rates.domain.promise import Promise, PromisedShipment, PromisedUnit, estimate
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock, Source
from rates.wire.workings import reason

PACIFIC = ZoneInfo("America/Los_Angeles")
ORDERED = datetime(2026, 11, 23, 9, 30, tzinfo=PACIFIC)   # Monday, before reno's 14:00 cutoff
TODAY = {"reno": date(2026, 11, 22), "toronto": date(2026, 11, 22)}


def span(first: tuple[int, int, int], last: tuple[int, int, int]) -> DateRange:
    return DateRange(date(*first), date(*last))


PO1_ETA = span((2026, 12, 10), (2026, 12, 14))
# Lanterns on hand: start Mon Nov 23, handling 0-1 -> Nov 23..24, UPS transit 1-2 delivery
# days: Nov 24 .. (Nov 25, then Thanksgiving Nov 26 and Nevada's Family Day Nov 27 closed,
# the weekend) Mon Nov 30.
ON_HAND = PromisedShipment(
    "reno", "ups", (1, 2), (PromisedUnit("LANTERN", 2, Source.ON_HAND, "reno",
                                         DateRange.on(date(2026, 11, 23))),),
    DateRange.on(date(2026, 11, 23)), span((2026, 11, 23), (2026, 11, 24)),
    span((2026, 11, 24), (2026, 11, 30)))
# The tent from PO-1 (Thu Dec 10 .. Mon Dec 14): received one working day later Fri Dec 11
# .. Tue Dec 15; handling 0-1 -> Dec 11 .. Wed Dec 16; transit 1-2 -> Mon Dec 14 .. Fri Dec 18.
RESTOCK = PromisedShipment(
    "reno", "ups", (1, 2), (PromisedUnit("TENT", 1, Source.INBOUND, "reno", PO1_ETA, "PO-1"),),
    PO1_ETA, span((2026, 12, 11), (2026, 12, 16)), span((2026, 12, 14), (2026, 12, 18)))
PROMISE = Promise("order-1", ORDERED, Destination("US", "NV", "89501"), (ON_HAND, RESTOCK))


def tent(*lots: InboundLot) -> SkuStock:
    return SkuStock("TENT", (LocationStock("reno", 0, lots),), lead_time_days=(21, 35))


def estimate_with(stock: SkuStock, catalog):
    claims = PROMISE.claims(catalog)
    placements = queue(stock, claims, TODAY).of("order-1")
    return estimate(PROMISE, placements, {"TENT": stock}, catalog)


def test_unchanged_stock_gives_back_the_promise(catalog):
    found = estimate_with(tent(InboundLot(10, PO1_ETA, "PO-1")), catalog)

    assert not found.at_risk and found.days_late == 0
    for shipment in found.shipments:
        assert shipment.window is not None
        assert (shipment.window.ready, shipment.window.ships, shipment.window.delivery) == (
            shipment.promised.ready, shipment.promised.ships, shipment.promised.delivery)
        assert shipment.causes == ()
    assert found.delivery == span((2026, 11, 24), (2026, 12, 18))


def test_a_slipped_lot_moves_its_shipment_and_names_the_lot(catalog):
    # PO-1 now Thu Dec 17 .. Mon Dec 21: received Fri Dec 18 .. Tue Dec 22; handling to
    # Wed Dec 23; transit: Dec 18 + 1 = Mon Dec 21 (weekend skipped); Dec 23 + 2 = Thu Dec 24,
    # then Christmas and the weekend -> Mon Dec 28. 10 days after the promised Dec 18.
    found = estimate_with(tent(InboundLot(10, span((2026, 12, 17), (2026, 12, 21)), "PO-1")),
                          catalog)

    on_hand, restock = found.shipments
    assert on_hand.days_late == 0 and not on_hand.at_risk
    assert restock.window is not None
    assert restock.window.delivery == span((2026, 12, 21), (2026, 12, 28))
    assert restock.days_late == 10 and found.days_late == 10 and found.at_risk
    assert [reason(c) for c in restock.causes] == [
        "lot PO-1 slipped: now due 2026-12-17..2026-12-21, promised 2026-12-10..2026-12-14"]
    transit = restock.window.steps[-1]
    assert transit.kind == "transit"
    assert [(d.isoformat(), why) for d, why in transit.skipped()] == [
        ("2026-12-19", "Saturday"), ("2026-12-20", "Sunday"), ("2026-12-25", "Christmas Day"),
        ("2026-12-26", "Saturday"), ("2026-12-27", "Sunday")]


def test_a_cancelled_lot_sends_the_units_to_the_supplier_from_today(catalog):
    # Nov 22 + 21..35 days = Sun Dec 13 .. Sun Dec 27: received Mon Dec 14 .. Mon Dec 28;
    # handling to Tue Dec 29; transit Tue Dec 15 .. Thu Dec 31: 13 days late.
    found = estimate_with(tent(), catalog)

    restock = found.shipments[1]
    assert restock.window is not None
    assert restock.window.delivery == span((2026, 12, 15), (2026, 12, 31))
    assert restock.days_late == 13
    assert [reason(c) for c in restock.causes] == [
        "lot PO-1 was cancelled; the units now wait for 1 from the supplier's lead time, "
        "ready 2026-12-13..2026-12-27"]


def test_a_shrunk_lot_serves_earlier_orders_first(catalog):
    # PO-1 shrank to 1 unit, and order-0 was accepted before order-1 and took it.
    stock = tent(InboundLot(1, PO1_ETA, "PO-1"), InboundLot(5, span((2027, 1, 5), (2027, 1, 8)),
                                                             "PO-2"))
    earlier = PROMISE.claims(catalog)[0]
    claims = [type(earlier)("order-0", "TENT", "reno", 1, PO1_ETA, "PO-1"),
              *PROMISE.claims(catalog)]

    found = estimate(PROMISE, queue(stock, claims, TODAY).of("order-1"), {"TENT": stock},
                     catalog)

    assert [reason(c) for c in found.shipments[1].causes] == [
        "lot PO-1 shrank to 1 unit(s), too few for the orders before this one; the units "
        "now wait for 1 from lot PO-2 due 2027-01-05..2027-01-08"]


def test_units_with_no_restock_leave_the_shipment_without_a_date(catalog):
    stock = SkuStock("TENT", (LocationStock("reno", 0, ()),))   # no lot, no lead time

    found = estimate(PROMISE, queue(stock, PROMISE.claims(catalog), TODAY).of("order-1"),
                     {"TENT": stock}, catalog)

    assert found.at_risk and found.days_late is None and found.delivery is None
    assert found.shipments[1].window is None
    assert reason(found.shipments[1].causes[0]) == (
        "lot PO-1 was cancelled; the units now wait for 1 with no restock expected")


@pytest.mark.parametrize("source, lead_from", [(Source.INBOUND, None),
                                               (Source.LEAD_TIME, date(2026, 11, 23))])
def test_claims_anchor_lead_time_on_the_order_date_only_when_quoted_on_lead_time(
        catalog, source, lead_from):
    unit = PromisedUnit("TENT", 1, source, "reno", PO1_ETA, "PO-1" if source is Source.INBOUND
                        else None)
    promise = Promise("o", ORDERED, PROMISE.destination,
                      (PromisedShipment("reno", "ups", (1, 2), (unit,), PO1_ETA, PO1_ETA,
                                        PO1_ETA),))

    (claim,) = promise.claims(catalog)

    assert (claim.sku, claim.location, claim.quantity, claim.lead_time_from) == (
        "TENT", "reno", 1, lead_from)
