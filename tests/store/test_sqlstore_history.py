"""What happened after a promise, recorded: the lot ledger and its receipts, shipment
events, and the calibrations a lateness model was built from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from rates.domain.history import LotReceipt, ShipmentEvent, ShipmentEventType
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock
from rates.store import Store, WebhookReceipt, open_store, schema
from tests.support.store import order, rows_in, simple

EASTERN = timezone(timedelta(hours=-5))
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DEC_1_5 = DateRange(date(2026, 12, 1), date(2026, 12, 5))
DEC_8_12 = DateRange(date(2026, 12, 8), date(2026, 12, 12))
SHIPPED, DELIVERED = ShipmentEventType.SHIPPED, ShipmentEventType.DELIVERED


def lantern(eta: DateRange, *, lot_supplier: str | None = None,
            sku_supplier: str | None = "Acme Outdoor") -> SkuStock:
    """LANTERN: lot L-1 at newark due within `eta`, and one lot without an id at reno."""
    return SkuStock("LANTERN", (
        LocationStock("newark", 0, (InboundLot(6, eta, "L-1", 2, lot_supplier),)),
        LocationStock("reno", 1, (InboundLot(3, DEC_8_12),))), supplier=sku_supplier)


def received(on: date, *, promised: DateRange = DEC_8_12, lot: str = "L-1",
             supplier: str | None = "Acme Outdoor") -> LotReceipt:
    """The receipt a caller hands in: the lot's ETA as it is now."""
    return LotReceipt("LANTERN", lot, "newark", supplier, promised, on)


def test_suppliers_are_read_back_and_old_rows_without_them_read_as_none(store: Store):
    store.put_inventory(lantern(DEC_1_5, lot_supplier="Brightway & Co."), MONDAY)
    assert store.get_inventory("LANTERN") == lantern(DEC_1_5, lot_supplier="Brightway & Co.")
    store.put_inventory(simple("MUG"), MONDAY)
    assert store.get_inventory("MUG").supplier is None


def test_a_lot_received_is_measured_against_the_eta_it_was_first_put_with(store: Store):
    store.put_inventory(lantern(DEC_1_5), MONDAY)
    store.put_inventory(lantern(DEC_8_12), TUESDAY)  # the supplier slipped a week

    receipt, new = store.receive_lot(received(date(2026, 12, 10)), TUESDAY)

    assert new is True
    assert receipt == LotReceipt("LANTERN", "L-1", "newark", "Acme Outdoor", DEC_1_5,
                                 date(2026, 12, 10))
    assert store.lot_receipts() == [receipt]
    # The stock itself is the merchant's: a receipt leaves it as last put.
    assert store.get_inventory("LANTERN") == lantern(DEC_8_12)


def test_receiving_again_returns_the_first_receipt_unchanged(store: Store):
    store.put_inventory(lantern(DEC_1_5), MONDAY)
    first, _ = store.receive_lot(received(date(2026, 12, 10)), MONDAY)

    assert store.receive_lot(received(date(2026, 12, 10)), TUESDAY) == (first, False)
    assert store.receive_lot(received(date(2026, 12, 3)), TUESDAY) == (first, False)
    assert store.lot_receipts() == [first]


def test_a_lots_receipts_are_found_by_its_id_once_it_left_the_stock(store: Store):
    store.put_inventory(lantern(DEC_1_5), MONDAY)
    assert store.receipts_of("LANTERN", "L-1") == []  # in the ledger, not received yet
    first, _ = store.receive_lot(received(date(2026, 12, 10)), MONDAY)
    store.put_inventory(SkuStock("LANTERN", (LocationStock("newark", 6),)), TUESDAY)

    assert store.receipts_of("LANTERN", "L-1") == [first]
    assert store.receipts_of("LANTERN", "L-2") == []
    assert store.receipts_of("MUG", "L-1") == []


def test_the_lot_names_its_supplier_else_the_sku_does(store: Store):
    store.put_inventory(lantern(DEC_1_5, lot_supplier="Brightway & Co."), MONDAY)
    receipt, _ = store.receive_lot(received(date(2026, 12, 4)), TUESDAY)
    assert receipt.supplier == "Brightway & Co."


def test_a_supplier_named_after_the_lot_was_first_seen_is_kept_at_receipt(store: Store):
    store.put_inventory(lantern(DEC_1_5, sku_supplier=None), MONDAY)
    receipt, _ = store.receive_lot(received(date(2026, 12, 4), supplier="Acme Outdoor"),
                                   TUESDAY)
    assert (receipt.supplier, receipt.promised) == ("Acme Outdoor", DEC_1_5)


def test_a_lot_the_ledger_never_saw_is_received_as_the_caller_says(store: Store):
    # Stored before the ledger existed, say: its current ETA is all there is to go by.
    receipt, new = store.receive_lot(received(date(2026, 12, 9), lot="L-9"), MONDAY)
    assert new is True
    assert receipt == LotReceipt("LANTERN", "L-9", "newark", "Acme Outdoor", DEC_8_12,
                                 date(2026, 12, 9))


def test_a_lot_is_told_apart_by_its_location(store: Store):
    store.put_inventory(SkuStock("LANTERN", (
        LocationStock("newark", 0, (InboundLot(6, DEC_1_5, "L-1"),)),
        LocationStock("reno", 0, (InboundLot(2, DEC_8_12, "L-1"),)))), MONDAY)
    at_reno, _ = store.receive_lot(
        LotReceipt("LANTERN", "L-1", "reno", None, DEC_1_5, date(2026, 12, 11)), TUESDAY)
    assert at_reno.promised == DEC_8_12
    assert store.receive_lot(received(date(2026, 12, 2), supplier=None), TUESDAY)[0] == (
        LotReceipt("LANTERN", "L-1", "newark", None, DEC_1_5, date(2026, 12, 2)))


def test_lots_without_an_id_stay_out_of_the_ledger(store: Store, store_url: str):
    store.put_inventory(lantern(DEC_1_5), MONDAY)
    assert rows_in(store_url, "lots") == 1


def test_seeding_adds_the_lots_of_the_added_skus_only(store: Store, store_url: str):
    store.put_inventory(simple("MUG"), MONDAY)
    mug = SkuStock("MUG", (LocationStock("reno", 0, (InboundLot(5, DEC_1_5, "M-1"),)),))

    assert store.seed_inventory({"LANTERN": lantern(DEC_1_5), "MUG": mug}, MONDAY) == 1

    assert rows_in(store_url, "lots") == 1
    store.put_inventory(lantern(DEC_8_12), TUESDAY)
    assert store.receive_lot(received(date(2026, 12, 6)), TUESDAY)[0].promised == DEC_1_5


def test_receipts_are_listed_oldest_first_and_since_a_day(store: Store):
    store.put_inventory(SkuStock("LANTERN", (LocationStock("newark", 0, tuple(
        InboundLot(1, DEC_1_5, f"L-{n}") for n in (1, 2, 3))),)), MONDAY)
    for lot, day in (("L-2", 9), ("L-1", 4), ("L-3", 6)):
        store.receive_lot(received(date(2026, 12, day), lot=lot, supplier=None), TUESDAY)

    assert [(r.lot, r.received_on.day) for r in store.lot_receipts()] == [
        ("L-1", 4), ("L-3", 6), ("L-2", 9)]
    assert [r.lot for r in store.lot_receipts(since=date(2026, 12, 6))] == ["L-3", "L-2"]
    assert store.lot_receipts(since=date(2026, 12, 10)) == []


def shipped(order_id: str = "o_0001", shipment: int = 1, *,
            at: datetime = datetime(2026, 12, 8, 15, 4, tzinfo=EASTERN),
            kind: ShipmentEventType = SHIPPED) -> ShipmentEvent:
    return ShipmentEvent(order_id, shipment, kind, at, "ups", "ground")


def test_a_shipment_event_is_recorded_once_per_order_shipment_and_type(store: Store):
    store.place_order(order("o_0001"), lambda *_: None)
    event, new = store.record_shipment_event(shipped(), MONDAY)
    assert new is True
    assert event == shipped()
    assert event.at.utcoffset() == timedelta(hours=-5)

    later = shipped(at=datetime(2026, 12, 9, 9, 0, tzinfo=EASTERN))
    assert store.record_shipment_event(later, TUESDAY) == (shipped(), False)
    assert store.shipment_events(order_ids=["o_0001"]) == [shipped()]


def test_shipment_events_by_order_and_since_an_instant(store: Store):
    for order_id in ("o_0001", "o_0002"):
        store.place_order(order(order_id), lambda *_: None)
    first = shipped("o_0002", at=datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    # Earlier than `first` by the clock, though written with a later hour.
    second = shipped("o_0001", at=datetime(2026, 12, 8, 12, 0, tzinfo=timezone(
        timedelta(hours=9))))
    third = shipped("o_0001", at=datetime(2026, 12, 10, 14, 0, tzinfo=UTC), kind=DELIVERED)
    fourth = shipped("o_0001", 2, at=datetime(2026, 12, 11, 8, 0, tzinfo=UTC))
    for event in (third, first, fourth, second):
        store.record_shipment_event(event, TUESDAY)

    assert store.shipment_events() == [second, first, third, fourth]
    assert store.shipment_events(order_ids=["o_0001"]) == [second, third, fourth]
    assert store.shipment_events(order_ids=["o_0002", "o_0009"]) == [first]
    assert store.shipment_events(order_ids=[]) == []
    assert store.shipment_events(since=datetime(2026, 12, 10, 14, 0, tzinfo=UTC)) == [
        third, fourth]
    assert store.shipment_events(order_ids=["o_0001"], since=datetime(
        2026, 12, 8, 4, 0, tzinfo=UTC)) == [third, fourth]


def test_a_shipment_event_records_its_webhook_delivery(store: Store):
    store.place_order(order("o_0001"), lambda *_: None)
    receipt = WebhookReceipt("shop.example", "w-1", "fulfillments/create", MONDAY,
                             "recorded", "o_0001")
    store.record_shipment_event(shipped(), MONDAY, receipt)
    assert store.webhook_receipt("shop.example", "w-1") == receipt
    # The same delivery again: nothing new, and the receipt stays as it was.
    assert store.record_shipment_event(shipped(), TUESDAY, receipt)[1] is False


def test_a_naive_event_instant_is_refused(store: Store):
    store.place_order(order("o_0001"), lambda *_: None)
    with pytest.raises(ValueError, match="time zone"):
        store.record_shipment_event(shipped(at=datetime(2026, 12, 8, 15, 4)), MONDAY)
    assert store.shipment_events() == []


def test_get_orders_reads_several_orders_at_once(store: Store):
    for order_id in ("o_0001", "o_0002", "o_0003"):
        store.place_order(order(order_id), lambda *_: None)

    found = store.get_orders(["o_0003", "o_0001", "o_0404", "o_0001"])

    assert sorted(o.id for o in found) == ["o_0001", "o_0003"]
    assert found[0] == store.get_order(found[0].id)
    assert store.get_orders([]) == []


def test_a_calibration_is_kept_once(store: Store):
    observations = {"suppliers": {"Acme Outdoor": [3, -1, 0]}, "lanes": {}}
    assert store.get_calibration("sha256:c1") is None
    store.save_calibration("sha256:c1", observations, MONDAY)
    store.save_calibration("sha256:c1", {"suppliers": {}}, TUESDAY)
    assert store.get_calibration("sha256:c1") == observations


def test_the_latest_calibration_is_the_one_kept_last(store: Store):
    """What every worker follows: counts kept again become the latest, whatever the
    offset they were kept in (09:30 UTC, written at +05:00, reads 14:30: still before
    10:00 UTC)."""
    assert store.latest_calibration() is None
    store.save_calibration("sha256:c1", {"suppliers": {}}, MONDAY)
    store.save_calibration("sha256:c2", {"suppliers": {}}, MONDAY + timedelta(hours=1))
    assert store.latest_calibration() == "sha256:c2"
    store.save_calibration("sha256:c1", {"suppliers": {}}, MONDAY + timedelta(hours=2))
    assert store.latest_calibration() == "sha256:c1"
    earlier = (MONDAY + timedelta(hours=1, minutes=30)).astimezone(timezone(timedelta(hours=5)))
    store.save_calibration("sha256:c3", {"suppliers": {}}, earlier)
    assert store.latest_calibration() == "sha256:c1"


def test_a_database_at_0007_keeps_its_stock_and_takes_receipts_once_upgraded(store_url: str):
    """Stock stored at revision 0007, before suppliers and the ledger: it reads back with
    no supplier, its lot is received as the caller says, and its next PUT fills the
    ledger."""
    engine = create_engine(store_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        command.upgrade(schema.config(connection), "0007")
        connection.execute(text(
            "INSERT INTO inventory (sku, stock, updated_at) VALUES ('LANTERN', :stock, :at)"),
            {"at": MONDAY.isoformat(), "stock": '{"locations":[{"location":"newark",'
             '"on_hand":0,"inbound":[{"id":"L-1","quantity":6,"committed":2,'
             '"earliest":"2026-12-01","latest":"2026-12-05"}]}]}'})
    engine.dispose()

    upgraded = open_store(store_url, default_location="reno")
    try:
        assert upgraded.get_inventory("LANTERN") == SkuStock("LANTERN", (
            LocationStock("newark", 0, (InboundLot(6, DEC_1_5, "L-1", 2),)),))
        assert upgraded.receive_lot(received(date(2026, 12, 10), promised=DEC_1_5,
                                             supplier=None), TUESDAY) == (
            LotReceipt("LANTERN", "L-1", "newark", None, DEC_1_5, date(2026, 12, 10)), True)
        upgraded.put_inventory(lantern(DEC_8_12), TUESDAY)
        assert [r.lot for r in upgraded.lot_receipts()] == ["L-1"]
        upgraded.place_order(order("o_0001"), lambda *_: None)
        assert upgraded.record_shipment_event(shipped(), TUESDAY)[1] is True
    finally:
        upgraded.close()
