"""The bundled example's Toronto store pickup, quoted as a merchant's code would quote it
(`rates.load`): dated on Toronto's own calendar (its 13:00 cutoff, Ontario's holidays, its
own closures), priced and hidden by rules added to the example's.

    December 2026:  Mo Tu We Th Fr Sa Su
                        22 23 24 25 26 27      (24 Christmas Eve, closed; 25 Christmas;
                    28 29 30 31                 26 Boxing Day, observed Mon 28; 31 closed)
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import rates
from tests.support.project import CARTS, ROOT
from tests.support.project import EXAMPLE_CONFIG as CONFIG

CANADA = json.loads((CARTS / "canada.json").read_text())  # all on hand in Toronto, to ON


def pickup(document: dict) -> dict | None:
    return next((o for o in document["options"] if o["id"] == "pickup/toronto"), None)


def with_rule(tmp_path: Path, rule: str) -> Path:
    """The example's rules file with `rule` (YAML, one list item) added at the end."""
    rules = tmp_path / "rules.yaml"
    text = (ROOT / "rules" / "default.yaml").read_text()
    head, wording = text.split("\nwording_default:", 1)
    rules.write_text(f"{head.rstrip()}\n\n{rule}\nwording_default:{wording}")
    return rules


def test_after_the_cutoff_before_christmas_the_pickup_is_ready_after_the_holidays():
    # Wed Dec 23 13:30 in Toronto, after its 13:00 cutoff: the units start the next working
    # day, which is Tue Dec 29 (24 closed, 25 and 26 holidays, 27 Sunday, 28 Boxing Day
    # observed). Pickup handling 0-1: Tue Dec 29 .. Wed Dec 30.
    document = rates.load(CONFIG).quote(
        CANADA, at=datetime.fromisoformat("2026-12-23T13:30:00-05:00"), explain=True)
    option = pickup(document)
    assert option is not None
    assert option["delivery"] == {"earliest": "2026-12-29", "latest": "2026-12-30",
                                  "confidence": None, "likely": None}
    start = option["trace"][0]
    assert (start["step"], start["facts"]["starts"], start["facts"]["cutoff"]) == (
        "start", "next_working_day", "13:00")
    assert [day["date"] for day in start["skipped_days"]] == [
        "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28"]
    assert option["trace"][2]["detail"] == (
        "collect 2026-12-29..2026-12-30: ready for collection at toronto, "
        "open Mon-Fri 10:00-18:00")


def test_before_the_cutoff_the_pickup_is_ready_the_same_day_or_the_next():
    # Tue Dec 22 12:59 in Toronto, before 13:00: the units start Tue 22; handling 0-1:
    # Tue Dec 22 .. Wed Dec 23.
    document = rates.load(CONFIG).quote(
        CANADA, at=datetime.fromisoformat("2026-12-22T12:59:00-05:00"))
    option = pickup(document)
    assert option is not None
    assert option["delivery"] == {"earliest": "2026-12-22", "latest": "2026-12-23",
                                  "confidence": None, "likely": None}
    assert option["price"] == {"amount": "0.00", "currency": "USD"}


def test_a_rule_prices_the_pickup(tmp_path):
    rules = with_rule(tmp_path, """  - id: pickup-fee
    description: Holding an order at the store costs 5.00
    when: {plan: pickup}
    set: "5.00"
""")
    option = pickup(rates.load(CONFIG, rules=rules).quote(CANADA, explain=True))
    assert option is not None
    assert option["price"] == {"amount": "5.00", "currency": "USD"}
    assert {"rule": "pickup-fee", "effect": "+5.00", "price": "5.00"} in option["trace"]


def test_a_rule_hides_the_pickup_when_every_unit_is_on_the_shelf(tmp_path):
    # Shopify's own local pickup serves in-stock carts: the engine's stays for restocks.
    rules = with_rule(tmp_path, """  - id: native-pickup-for-in-stock
    when: {carrier: pickup, stock: in_stock}
    hide: true
""")
    engine = rates.load(CONFIG, rules=rules)
    document = engine.quote(CANADA, explain=True)
    assert pickup(document) is None
    [hidden] = [o for o in document["withheld"] if o["id"] == "pickup/toronto"]
    assert hidden["hidden_by"] == "native-pickup-for-in-stock"
    waiting = {**CANADA, "lines": [{"sku": "COOLER-45", "quantity": 6,
                                    "unit_price": "159.00", "grams": 6200}]}
    assert pickup(engine.quote(waiting)) is not None


def test_the_pickup_is_offered_only_within_80_km_of_the_store():
    """The example's Toronto pickup has `within_km: 80`. M4C (east Toronto) is about 7 km
    from the store's M5V; Ottawa's K2P, also in Ontario, about 350 km: no pickup there,
    and explain says why."""
    assert pickup(rates.load(CONFIG).quote(CANADA)) is not None
    ottawa = {**CANADA, "destination": {"country": "CA", "region": "ON", "postcode": "K2P 1L4"}}
    document = rates.load(CONFIG).quote(ottawa, explain=True)
    assert pickup(document) is None
    [why] = [u["reason"] for u in document["unoffered"] if u["id"] == "pickup/toronto"]
    assert why.startswith("pickup at toronto is not offered to a destination ")
    assert why.endswith(" km away (within 80 km)")
    far = float(why.split("destination ")[1].split(" km")[0].replace(",", ""))
    assert 330 < far < 370
