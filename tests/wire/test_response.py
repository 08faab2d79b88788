"""The quote document (`quote_document`): whether the carrier guarantees each shipment,
each option, and a transit step of the trace.

The example setup with one service added: UPS Air Saver, Next Day Air's 1-1 days and
rates without its guarantee, so the two share each window (a window is the carrier's
calendars and the days, whoever carries it). The in-stock cart, all on hand at reno,
ordered Mon Nov 23 2026 09:30 PST (before the 14:00 cutoff), to Reno, NV:

    November 2026:  Mo Tu We Th Fr
                    23 24 25 26 27      (26 Thanksgiving)

handed over [Mon 23, Tue 24] (handling 0-1), one UPS day later: [Tue 24, Wed 25].
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from rates.app.cart_quotes import quote_cart, voice
from rates.domain.policy import OfferedService
from rates.domain.quote.result import Quote
from rates.loading import Setup
from rates.wire.response import Detail, quote_document
from tests.support.project import CARTS

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno
CART: dict[str, Any] = json.loads((CARTS / "in_stock.json").read_text())
GUARANTEED, SAVER = "together/ups/next_day_air", "together/ups/air_saver"


@pytest.fixture(scope="module")
def saver_setup(example_setup: Setup) -> Setup:
    catalog, ruleset = example_setup.catalog, example_setup.ruleset
    ups = catalog.carriers["ups"]
    saver = dataclasses.replace(ups.services["next_day_air"], code="air_saver",
                                name="UPS Air Saver", guaranteed=False)
    ups = dataclasses.replace(ups, services={**ups.services, "air_saver": saver})
    return dataclasses.replace(
        example_setup,
        catalog=dataclasses.replace(catalog, carriers={**catalog.carriers, "ups": ups}),
        ruleset=dataclasses.replace(ruleset, services=(
            *ruleset.services, OfferedService("ups/air_saver"))))


@pytest.fixture(scope="module")
def explained(saver_setup: Setup) -> Quote:
    return quote_cart(saver_setup, CART, now=NOW, explain=True)


def options(result: Quote, setup: Setup, detail: Detail) -> dict[str, Any]:
    document = quote_document(result, "q_1", voice(setup, CART), detail=detail)
    return {option["id"]: option for option in document["options"]}


def transit(option: dict[str, Any]) -> dict[str, Any]:
    [step] = [step for step in option["trace"] if step.get("step") == "transit"]
    return {key: step[key] for key in ("detail", "dates", "facts")}


def test_the_two_services_share_one_window(explained: Quote) -> None:
    guaranteed, saver = (next(o for o in explained.options if o.id == name)
                         for name in (GUARANTEED, SAVER))
    assert guaranteed.shipments[0].window is saver.shipments[0].window


@pytest.mark.parametrize("detail", list(Detail))
def test_each_option_and_shipment_says_whether_the_carrier_guarantees_it(
        explained: Quote, saver_setup: Setup, detail: Detail) -> None:
    found = options(explained, saver_setup, detail)
    assert found[GUARANTEED]["guaranteed"] is True
    assert found[GUARANTEED]["description"] == "Guaranteed by Wed, Nov 25"
    assert found[SAVER]["guaranteed"] is False
    # A checkout's answer says it of the option; full and explained, of each shipment.
    shipments = [[s.get("guaranteed") for s in found[name]["shipments"]]
                 for name in (GUARANTEED, SAVER)]
    assert shipments == ([[None], [None]] if detail is Detail.CHECKOUT else [[True], [False]])
    assert found[SAVER]["description"] == "Arrives Nov 24 - Nov 25"


def test_the_transit_step_says_the_carrier_guarantees_its_days_only_when_it_does(
        explained: Quote, saver_setup: Setup) -> None:
    # Twice: the second document finds the steps the first wrote, kept by the window book.
    for _ in range(2):
        found = options(explained, saver_setup, Detail.EXPLAIN)
        assert transit(found[GUARANTEED]) == {
            "detail": "transit 2026-11-24..2026-11-25: 1-1 ups delivery US-NV day(s), "
                      "guaranteed by the carrier",
            "dates": {"earliest": "2026-11-24", "latest": "2026-11-25"},
            "facts": {"days": [1, 1], "calendar": "ups delivery US-NV", "guaranteed": True}}
        assert transit(found[SAVER]) == {
            "detail": "transit 2026-11-24..2026-11-25: 1-1 ups delivery US-NV day(s)",
            "dates": {"earliest": "2026-11-24", "latest": "2026-11-25"},
            "facts": {"days": [1, 1], "calendar": "ups delivery US-NV"}}
