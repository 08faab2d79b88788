"""Which of the promise's shipments a parcel carried whole (`rates.app.parcels.covered`),
by hand: shipment 1 is two TENT-2P and two LANTERN on the shelf, shipment 2 the third
TENT-2P and a STOVE-2B, restocked; shipment 3 a TENT-2P alone."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from rates.app.parcels import covered
from rates.domain.history import ShipmentEvent, ShipmentEventType

SHIPMENTS = [
    {"units": [{"sku": "TENT-2P", "quantity": 2}, {"sku": "LANTERN", "quantity": 2}]},
    {"units": [{"sku": "TENT-2P", "quantity": 1}, {"sku": "STOVE-2B", "quantity": 1}]},
    {"units": [{"sku": "TENT-2P", "quantity": 1}]},
]
TUESDAY = datetime(2026, 11, 24, 18, 5, tzinfo=UTC)
LATER = datetime(2027, 1, 4, 19, 20, tzinfo=UTC)


def shipped(number: int, at: datetime) -> ShipmentEvent:
    return ShipmentEvent("o-1", number, ShipmentEventType.SHIPPED, at, "ups", "ground")


@pytest.mark.parametrize(("held", "numbers"), [
    ({"TENT-2P": 2, "LANTERN": 2}, [1]),
    ({"TENT-2P": 1, "STOVE-2B": 1}, [2]),
    ({"TENT-2P": 1}, [3]),                         # not 2: its stove is not in the parcel
    ({"TENT-2P": 3, "LANTERN": 2}, [1, 3]),        # two tents to 1, the third to 3
    ({"TENT-2P": 4, "LANTERN": 2, "STOVE-2B": 1}, [1, 2, 3]),
    ({"TENT-2P": 1, "LANTERN": 2}, [3]),           # shipment 1 split: only 3 is whole
    ({"LANTERN": 2, "STOVE-2B": 1}, []),           # the tents went in other parcels
    ({"TENT-4P": 2}, []),
])
def test_a_parcel_carries_the_shipments_whose_every_unit_it_holds(held, numbers):
    assert covered(SHIPMENTS, [], Counter(held), TUESDAY) == numbers


def test_a_shipment_shipped_at_another_instant_was_another_parcels():
    # One tent left on Tuesday as shipment 3; a later tent is not shipment 3 again.
    assert covered(SHIPMENTS, [shipped(3, TUESDAY)], Counter({"TENT-2P": 1}), LATER) == []


def test_the_same_parcel_told_again_finds_its_own_shipments_first():
    # Two shipments of one tent each; the parcel of LATER carried shipment 2. Told again
    # (updated, delivered), its tent is shipment 2's, not shipment 1's, which one tent
    # would complete as well.
    tents = [{"units": [{"sku": "TENT-2P", "quantity": 1}]}] * 2
    assert covered(tents, [shipped(2, LATER)], Counter({"TENT-2P": 1}), LATER) == [2]
    assert covered(tents, [], Counter({"TENT-2P": 1}), LATER) == [1]
