"""What happened, recorded through the API: lot receipts (POST
/v1/inventory/{sku}/receipts, `received_on` in PUT /v1/inventory/{sku}) and shipment
events (POST /v1/orders/{id}/events), on a real app and SQLite store.

The clock is Mon 2026-11-23 17:30 UTC: 09:30 in Reno, so today is Nov 23 at reno."""

from __future__ import annotations

from rates.settings import Role
from tests.support.web import auth

# The example's LANTERN at newark, with lot L-1 promised for Nov 10-12 by Acme Outdoor.
LANTERN = {"supplier": "Acme Outdoor", "locations": [{"location": "newark", "on_hand": 4,
           "inbound": [{"id": "L-1", "quantity": 6, "earliest": "2026-11-10",
                        "latest": "2026-11-12"}]}]}
SLIPPED = {**LANTERN, "locations": [{**LANTERN["locations"][0], "inbound": [
    {"id": "L-1", "quantity": 6, "earliest": "2026-11-18", "latest": "2026-11-20"}]}]}
RECEIPT = {"sku": "LANTERN", "lot": "L-1", "location": "newark", "supplier": "Acme Outdoor",
           "promised": {"earliest": "2026-11-10", "latest": "2026-11-12"},
           "received_on": "2026-11-16", "days_late": 4}


def put(client, sku: str, stock: dict):
    return client.put(f"/v1/inventory/{sku}", json=stock, headers=auth(Role.ADMIN))


def receive(client, body: dict, sku: str = "LANTERN", role: Role = Role.ADMIN):
    return client.post(f"/v1/inventory/{sku}/receipts", json=body, headers=auth(role))


def test_a_receipt_is_measured_against_the_eta_first_promised(client):
    assert put(client, "LANTERN", LANTERN).status_code == 200
    assert put(client, "LANTERN", SLIPPED).status_code == 200  # the supplier slipped

    first = receive(client, {"lot": "L-1", "received_on": "2026-11-16"})

    # Promised by Nov 12, received Mon Nov 16: four calendar days late.
    assert (first.status_code, first.get_json()) == (201, RECEIPT)
    again = receive(client, {"lot": "L-1", "received_on": "2026-11-16", "location": "newark"})
    assert (again.status_code, again.get_json()) == (200, RECEIPT)
    # Recording only: the stock stays as the merchant last put it.
    stock = client.get("/v1/inventory/LANTERN", headers=auth(Role.SUPPORT)).get_json()
    assert stock["locations"][0]["inbound"][0]["earliest"] == "2026-11-18"
    assert stock["supplier"] == "Acme Outdoor"


def test_a_lot_received_again_on_another_day_is_a_conflict(client):
    put(client, "LANTERN", LANTERN)
    receive(client, {"lot": "L-1", "received_on": "2026-11-16"})

    response = receive(client, {"lot": "L-1", "received_on": "2026-11-17"})

    assert response.status_code == 409
    assert response.get_json() == {"error": {
        "code": "conflict", "message": "lot L-1 was recorded received on 2026-11-16",
        "fields": {"received_on": ["lot L-1 was recorded received on 2026-11-16"]}}}


def test_an_unknown_sku_or_lot_is_not_found(client):
    put(client, "LANTERN", LANTERN)
    unknown_sku = receive(client, {"lot": "L-1", "received_on": "2026-11-16"}, sku="NOPE")
    assert unknown_sku.status_code == 404
    assert unknown_sku.get_json()["error"]["fields"] == {
        "sku": ["no inventory record for SKU 'NOPE'"]}
    unknown_lot = receive(client, {"lot": "L-9", "received_on": "2026-11-16"})
    assert unknown_lot.status_code == 404
    assert unknown_lot.get_json()["error"]["fields"] == {
        "lot": ["SKU 'LANTERN' has no lot 'L-9'"]}
    elsewhere = receive(client, {"lot": "L-1", "received_on": "2026-11-16", "location": "reno"})
    assert elsewhere.get_json()["error"]["fields"] == {
        "lot": ["SKU 'LANTERN' has no lot 'L-1' at reno"]}


def test_a_receipt_dated_after_today_at_the_lot_is_refused(client):
    put(client, "LANTERN", LANTERN)
    response = receive(client, {"lot": "L-1", "received_on": "2026-11-24"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "received_on": ["is after today (2026-11-23 at newark)"]}
    assert receive(client, {"lot": "L-1", "received_on": "2026-11-23"}).status_code == 201


def test_a_lot_id_at_two_locations_needs_the_location(client):
    put(client, "LANTERN", {"locations": [
        {"location": "newark", "inbound": [{"id": "L-1", "quantity": 1,
                                            "earliest": "2026-11-10", "latest": "2026-11-12"}]},
        {"location": "reno", "inbound": [{"id": "L-1", "quantity": 1, "supplier": "Brightway",
                                          "earliest": "2026-11-20", "latest": "2026-11-21"}]}]})
    response = receive(client, {"lot": "L-1", "received_on": "2026-11-16"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "location": ["lot L-1 is at newark, reno: say which was received"]}

    at_reno = receive(client, {"lot": "L-1", "received_on": "2026-11-19", "location": "reno"})
    assert at_reno.get_json() == {
        "sku": "LANTERN", "lot": "L-1", "location": "reno", "supplier": "Brightway",
        "promised": {"earliest": "2026-11-20", "latest": "2026-11-21"},
        "received_on": "2026-11-19", "days_late": -2}


def test_a_receipt_is_malformed_field_by_field(client):
    put(client, "LANTERN", LANTERN)
    response = receive(client, {"lot": "", "received_on": "16/11/2026", "extra": 1})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "lot": ["Length must be between 1 and 100."], "received_on": ["Not a valid date."],
        "extra": ["Unknown field."]}


def test_receiving_needs_the_admin_role(client):
    put(client, "LANTERN", LANTERN)
    assert receive(client, {"lot": "L-1", "received_on": "2026-11-16"},
                   role=Role.SUPPORT).status_code == 403


def test_a_put_records_the_receipts_its_lots_carry(client):
    put(client, "LANTERN", LANTERN)
    received = {**SLIPPED, "locations": [{**SLIPPED["locations"][0], "inbound": [
        {**SLIPPED["locations"][0]["inbound"][0], "received_on": "2026-11-16"}]}]}

    response = put(client, "LANTERN", received)

    assert response.status_code == 200
    assert response.get_json()["receipts"] == [RECEIPT]
    assert put(client, "LANTERN", received).get_json()["receipts"] == [RECEIPT]
    # The stock stored is the document's, without its receipts.
    stored = client.get("/v1/inventory/LANTERN", headers=auth(Role.SUPPORT)).get_json()
    assert stored["locations"][0]["inbound"] == [
        {"id": "L-1", "quantity": 6, "committed": 0, "earliest": "2026-11-18",
         "latest": "2026-11-20"}]
    assert "receipts" not in stored


def test_a_put_whose_receipt_conflicts_stores_nothing(client):
    put(client, "LANTERN", LANTERN)
    receive(client, {"lot": "L-1", "received_on": "2026-11-16"})
    before = client.get("/v1/inventory/LANTERN", headers=auth(Role.SUPPORT)).get_json()
    conflicting = {**SLIPPED, "locations": [{**SLIPPED["locations"][0], "on_hand": 9,
                                             "inbound": [{**SLIPPED["locations"][0]["inbound"][0],
                                                          "received_on": "2026-11-18"}]}]}

    response = put(client, "LANTERN", conflicting)

    assert response.status_code == 409
    assert response.get_json()["error"]["fields"] == {
        "locations.0.inbound.0.received_on": ["lot L-1 was recorded received on 2026-11-16"]}
    assert client.get("/v1/inventory/LANTERN", headers=auth(Role.SUPPORT)).get_json() == before


def test_a_put_receipt_after_today_is_refused_at_its_path(client):
    future = {"location": "reno", "inbound": [{"id": "L-7", "quantity": 1, "earliest":
              "2026-11-20", "latest": "2026-11-21", "received_on": "2026-11-24"}]}
    response = put(client, "LANTERN", future)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "inbound.0.received_on": ["is after today (2026-11-23 at reno)"]}


def test_a_receipt_sent_again_after_the_lot_left_the_stock_answers_as_before(client):
    """The merchant's system received L-1 and then put the SKU's stock without it; a
    retried receipt finds it in the ledger: the same day is the first answer again,
    another day a conflict. A lot never received and gone from the stock is not found."""
    put(client, "LANTERN", LANTERN)
    assert receive(client, {"lot": "L-1", "received_on": "2026-11-16"}).status_code == 201
    shelved = {**LANTERN, "locations": [{"location": "newark", "on_hand": 10, "inbound": []}]}
    assert put(client, "LANTERN", shelved).status_code == 200

    again = receive(client, {"lot": "L-1", "received_on": "2026-11-16"})
    assert (again.status_code, again.get_json()) == (200, RECEIPT)
    other_day = receive(client, {"lot": "L-1", "received_on": "2026-11-17"})
    assert other_day.status_code == 409
    never = receive(client, {"lot": "L-2", "received_on": "2026-11-16"})
    assert never.status_code == 404
