"""Guaranteed services: a shipment is guaranteed when its service is (the carrier file's
word), and an option when every shipment is; rules see the service's flag.

Catalog (conftest) with UPS Air added: guaranteed, 2-2 days to us-west, 12.00 from 0 g,
UPS's Mon-Fri delivery less US and Nevada holidays. Two lanterns on hand at reno, ordered
Mon 2026-11-23 09:30 PST (before the 14:00 cutoff) to Reno, NV:

    November 2026:  Mo Tu We Th Fr Sa Su
                    23 24 25 26 27 28 29      (26 Thanksgiving, 27 Family Day in NV)
                    30

  handed over [Mon 23, Tue 24] (handling 0-1);
  UPS Air 2-2: Mon 23 + 2 = Tue 24, Wed 25 -> Wed 25; Tue 24 + 2 = Wed 25, then Thu 26
    and Fri 27 are holidays and the weekend follows: Mon 30 -> [Nov 25, Nov 30];
  UPS Ground 1-3: Tue 24 .. Tue 24 + 3 = Wed 25, Mon 30, Tue Dec 1 -> [Nov 24, Dec 1].
"""

from __future__ import annotations

import dataclasses

import pytest

from rates.domain.catalog import Service
from rates.domain.policy import OfferedService
from rates.domain.quote.pipeline import quote
from rates.domain.rate_tables import RateTable
from rates.domain.rules.actions import Adjust
from rates.domain.rules.conditions import Is
from rates.domain.rules.evaluation import Rule, RuleApplied, RuleSkipped
from tests.domain.quote.test_pipeline import LANTERN, NOW, request
from tests.support.domain import bands, span, usd

AIR = Service("ups", "air", "UPS Air", {"us-west": (2, 2)},
              RateTable({"us-west": bands((0, "12.00"))}), guaranteed=True)
SURCHARGE = Rule("guaranteed-surcharge", (Is("guaranteed", True),), Adjust(amount=usd("2.00")))


@pytest.fixture(scope="module")
def air_catalog(catalog):
    ups = catalog.carriers["ups"]
    ups = dataclasses.replace(ups, services={**ups.services, "air": AIR})
    return dataclasses.replace(catalog, carriers={**catalog.carriers, "ups": ups})


@pytest.fixture(scope="module")
def air_ruleset(ruleset):
    return dataclasses.replace(ruleset, services=(
        OfferedService("ups/ground"), OfferedService("ups/air")), rules=(SURCHARGE,))


def by_id(result, option_id):
    return next(o for o in result.options if o.id == option_id)


def test_a_guaranteed_services_shipments_and_option_are_guaranteed(air_catalog, air_ruleset):
    result = quote(request(LANTERN), air_catalog, air_ruleset, NOW)
    air, ground = by_id(result, "together/ups/air"), by_id(result, "together/ups/ground")
    assert air.delivery == span("2026-11-25", "2026-11-30")
    assert [s.guaranteed for s in air.shipments] == [True]
    assert air.guaranteed
    assert ground.delivery == span("2026-11-24", "2026-12-01")
    assert [s.guaranteed for s in ground.shipments] == [False]
    assert not ground.guaranteed


def test_a_rule_on_guaranteed_applies_to_the_guaranteed_service_only(air_catalog,
                                                                     air_ruleset):
    result = quote(request(LANTERN), air_catalog, air_ruleset, NOW)
    assert by_id(result, "together/ups/air").price == usd("14.00")     # 12.00 + 2.00
    assert by_id(result, "together/ups/ground").price == usd("8.00")   # as the table says
    explained = quote(request(LANTERN), air_catalog, air_ruleset, NOW, explain=True)
    assert by_id(explained, "together/ups/air").rules == (
        RuleApplied("guaranteed-surcharge", 200, 1400, "USD", SURCHARGE.action),)
    assert by_id(explained, "together/ups/ground").rules == (
        RuleSkipped("guaranteed-surcharge", "guaranteed is false, wanted true"),)


def test_a_rule_on_not_guaranteed_applies_to_the_others(air_catalog, air_ruleset):
    others = Rule("others", (Is("guaranteed", False),), Adjust(amount=usd("1.00")))
    result = quote(request(LANTERN), air_catalog,
                   dataclasses.replace(air_ruleset, rules=(others,)), NOW)
    assert by_id(result, "together/ups/air").price == usd("12.00")
    assert by_id(result, "together/ups/ground").price == usd("9.00")
