"""Windows weighed against what happened, through the API: lots received late make a
supplier's next promises say so, and a merchant's target moves their latest day.

The clock is Mon 2026-11-23 09:30 in Reno. Reno and UPS work Monday to Friday.

    October 2026                December 2026
    Mo Tu We Th Fr Sa Su        Mo Tu We Th Fr Sa Su
              1  2  3  4            1  2  3  4  5  6
     5  6  7  8  9 10 11         7  8  9 10 11 12 13
                                14 15 16 17 18 19 20
                                21 22 23 24 25 26 27
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from rates.app.accuracy import PromiseAccuracy
from rates.app.calibration import widened_latest
from rates.app.history_counts import observed
from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup
from rates.domain.history import ShipmentEvent, ShipmentEventType
from rates.domain.lateness import Lane
from rates.settings import Role
from tests.support.web import NOW, auth

ACME = "Acme Outdoor"
# Twenty of Acme's lots, each promised Thu Oct 1 .. Mon Oct 5, all received Thu Oct 8:
# 3 business days after the promised latest day (Tue 6, Wed 7, Thu 8).
HISTORY = {"supplier": ACME, "locations": [{"location": "reno", "on_hand": 0, "inbound": [
    {"id": f"H-{n}", "quantity": 1, "earliest": "2026-10-01", "latest": "2026-10-05"}
    for n in range(1, 21)]}]}
# TENT-2P: 2 on hand at reno, the rest from Acme's PO-1042, due Thu Dec 10 .. Mon Dec 14.
TENTS = {"supplier": ACME, "locations": [{"location": "reno", "on_hand": 2, "inbound": [
    {"id": "PO-1042", "quantity": 10, "earliest": "2026-12-10", "latest": "2026-12-14"}]}],
    "lead_time_days": [21, 35], "lead_time_location": "reno"}
CART = {"currency": "USD", "destination": {"country": "US", "region": "NV", "postcode": "89501"},
        "lines": [{"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200}]}
OPTION = "in_stock_first/ups/ground"


def record_history(client) -> None:
    assert client.put("/v1/inventory/HIST", json=HISTORY,
                      headers=auth(Role.ADMIN)).status_code == 200
    for n in range(1, 21):
        received = client.post("/v1/inventory/HIST/receipts", headers=auth(Role.ADMIN),
                               json={"lot": f"H-{n}", "received_on": "2026-10-08"})
        assert received.status_code == 201, received.get_json()
    assert client.put("/v1/inventory/TENT-2P", json=TENTS,
                      headers=auth(Role.ADMIN)).status_code == 200


def set_target(config: Path, target: float | None) -> None:
    """The example asks for 0.9; `target` instead (None: windows weighed, never moved)."""
    text = config.read_text()
    assert "promise: {target_confidence: 0.9}" in text
    config.write_text(text.replace("promise: {target_confidence: 0.9}",
                                   "promise: {}" if target is None
                                   else f"promise: {{target_confidence: {target}}}"))


def reload(client) -> None:
    assert client.post("/v1/rules/reload", headers=auth(Role.ADMIN)).status_code == 200


def backordered(client, explain: bool = False) -> tuple[dict, dict]:
    quoted = client.post("/v1/quotes" + ("?explain=1" if explain else ""), json=CART,
                         headers=auth(Role.QUOTE))
    assert quoted.status_code == 201, quoted.get_json()
    option = next(o for o in quoted.get_json()["options"] if o["id"] == OPTION)
    return option, option["shipments"][1]


def test_without_history_windows_are_as_dated(client):
    option, shipment = backordered(client)
    assert shipment["delivery"] == {"earliest": "2026-12-14", "latest": "2026-12-18",
                                    "confidence": None, "likely": None}
    assert (option["delivery"]["confidence"], option["delivery"]["likely"]) == (None, None)


def test_a_late_supplier_lowers_the_confidence_of_its_restocks(client, example):
    record_history(client)
    set_target(example, None)
    reload(client)

    option, shipment = backordered(client)

    # Restock X against Dec 14 (2 business days of ETA before it): half the ETA's
    # (-2, -1, 0: 1/6 each), half Acme's history (+3: 1/2). Handling H against reno's
    # 0-1 days: -1 or 0, 1/2 each. Transit Y against UPS Ground's 1-2 days, no history:
    # -1 or 0, 1/2 each. X + H + Y in 24ths:
    #   -4: 1, -3: 3, -2: 4, -1: 3, 0: 1, +1: 3, +2: 6, +3: 3.
    # The window Mon Dec 14 .. Fri Dec 18 spans 4 delivery days before its latest:
    # -4 .. 0 holds 12/24. Most likely: +2: Tue Dec 22.
    assert shipment["delivery"] == {"earliest": "2026-12-14", "latest": "2026-12-18",
                                    "confidence": 0.5, "likely": "2026-12-22"}
    # The on-hand shipment has no history to weigh it: the option's window (Nov 24 ..
    # Dec 18) holds as much as its restock does.
    assert option["delivery"]["confidence"] == 0.5
    assert option["delivery"]["likely"] == "2026-12-22"


def test_a_target_moves_the_latest_day_and_the_trace_says_why(client, example):
    record_history(client)
    set_target(example, 0.7)
    reload(client)

    option, shipment = backordered(client, explain=True)

    # 0.7: +1 reaches 15/24 (0.625), +2 21/24 (0.875): Fri Dec 18 + 2 = Tue Dec 22.
    assert shipment["delivery"] == {"earliest": "2026-12-14", "latest": "2026-12-22",
                                    "confidence": 0.88, "likely": "2026-12-22"}
    assert option["delivery"]["latest"] == "2026-12-22"
    [weighed] = [step for step in option["trace"] if step.get("step") == "confidence"]
    assert weighed["facts"] == {
        "confidence": 0.875, "before": 0.5, "widened_days": 2, "likely": "2026-12-22",
        "suppliers": [{"supplier": ACME, "lots": 20, "median_days_late": 3,
                       "late_share": 1.0}],
        "transit_days": [1, 2], "target": 0.7}
    assert weighed["detail"].endswith(
        "widened 2 delivery day(s) to reach 70% (was 50%, now 88%), most likely Tue Dec 22: "
        "lots from supplier Acme Outdoor arrived a median 3 business day(s) after their "
        "promised latest over 20 lot(s), 100% late")


def test_a_stored_quote_replays_with_the_history_that_weighed_it(client, example):
    record_history(client)
    set_target(example, 0.7)
    reload(client)
    quoted = client.post("/v1/quotes", json=CART, headers=auth(Role.QUOTE)).get_json()

    # More history arrives, and the service counts it again: new quotes change, but the
    # stored quote's trace is the one its answer came from.
    for n in range(21, 41):
        client.put("/v1/inventory/HIST", headers=auth(Role.ADMIN), json={
            **HISTORY, "locations": [{**HISTORY["locations"][0], "inbound": [
                {"id": f"H-{n}", "quantity": 1, "earliest": "2026-10-01",
                 "latest": "2026-10-05"}]}]})
        client.post("/v1/inventory/HIST/receipts", headers=auth(Role.ADMIN),
                    json={"lot": f"H-{n}", "received_on": "2026-10-08"})
    reload(client)
    explained = client.get(f"/v1/quotes/{quoted['id']}?explain=1",
                           headers=auth(Role.SUPPORT)).get_json()

    option = next(o for o in explained["options"] if o["id"] == OPTION)
    assert option["delivery"] == next(
        o for o in quoted["options"] if o["id"] == OPTION)["delivery"]
    [weighed] = [step for step in option["trace"] if step.get("step") == "confidence"]
    assert weighed["facts"]["suppliers"] == [
        {"supplier": ACME, "lots": 20, "median_days_late": 3, "late_share": 1.0}]


def test_delivered_shipments_count_toward_their_lane(client, app):
    """A delivery counts its transit in delivery days from the day it shipped, at its
    origin, to the day it was delivered."""
    quoted = client.post("/v1/quotes", json=CART, headers=auth(Role.QUOTE)).get_json()
    placed = client.post("/v1/orders", headers=auth(Role.QUOTE), json={
        "order_id": "order-1", "quote_id": quoted["id"], "option_id": OPTION})
    assert placed.status_code == 201
    # Shipment 1 shipped Mon Nov 23 16:00 in Reno, delivered Wed Nov 25: 2 delivery days
    # (recorded in the store directly: the fixed clock is still Nov 23).
    service = app.config["RATES_SERVICE"]
    for kind, at in ((ShipmentEventType.SHIPPED, "2026-11-23T16:00:00-08:00"),
                     (ShipmentEventType.DELIVERED, "2026-11-25T11:00:00-08:00")):
        service.store.record_shipment_event(ShipmentEvent(
            "order-1", 1, kind, datetime.fromisoformat(at), "ups", "ground"), NOW)

    found = observed(service.store, service.reloading.current.catalog,
                     since=date(2026, 11, 1))

    assert found.observations.lanes == {Lane("ups", "ground", "reno", "US-NV"): {2: 1}}
    assert (found.observations.suppliers, found.skipped) == ({}, 0)


def test_calibrate_says_what_a_target_would_have_changed(client, app, example):
    """An order promised before any history (Dec 14 .. Dec 18 for its restock) arrives
    Mon Dec 21, late. Weighed by Acme's history at 0.7, its latest day would have been
    Tue Dec 22 (as above): it would have arrived inside, 4 calendar days later."""
    assert client.put("/v1/inventory/TENT-2P", json=TENTS,
                      headers=auth(Role.ADMIN)).status_code == 200
    quoted = client.post("/v1/quotes", json=CART, headers=auth(Role.QUOTE)).get_json()
    assert client.post("/v1/orders", headers=auth(Role.QUOTE), json={
        "order_id": "order-1", "quote_id": quoted["id"],
        "option_id": OPTION}).status_code == 201
    record_history(client)
    set_target(example, 0.7)
    reload(client)
    service = app.config["RATES_SERVICE"]
    for kind, at in ((ShipmentEventType.SHIPPED, "2026-12-17T16:00:00-08:00"),
                     (ShipmentEventType.DELIVERED, "2026-12-21T11:00:00-08:00")):
        service.store.record_shipment_event(ShipmentEvent(
            "order-1", 2, kind, datetime.fromisoformat(at), "ups", "ground"), NOW)

    setup = service.reloading.current
    calibration = service.calibrations.of(setup).calibration
    found = PromiseAccuracy(service.store, service.clock,
                            widened_latest(calibration, setup.catalog)).measure(date(2026, 11, 1))

    assert (found.report.overall.shipments, found.report.overall.inside) == (1, 0)
    widened = found.report.widened
    assert widened is not None
    assert (widened.shipments, widened.inside, widened.mean_days_added) == (1, 1, 4.0)


def test_a_reload_reaches_every_worker_once_it_follows(client, app, example):
    """`rates serve` runs several workers on one store, each with its own setup; a reload
    (and its count) reaches the one that answered it. The others take the counts kept
    last when they look."""
    first = app.config["RATES_SERVICE"]
    elsewhere = ReloadingSetup(example, lambda: NOW)
    other = ShippingService(elsewhere, first.store, lambda: NOW)
    record_history(client)
    reload(client)
    counted = first.calibrations.of(first.reloading.current).id
    assert counted is not None
    assert other.calibrations.of(elsewhere.current).id is None

    assert other.calibrations.follow() is True
    assert other.calibrations.of(elsewhere.current).id == counted
    assert other.calibrations.follow() is False
