"""Live carrier rates as data: what `rate_requests` asks, and how `quote` uses answers.

UPS is made live in the small catalog of test_quote_pipeline (UPS Ground table: 8.00 from
0 g, transit 1-3 in us-west, Mon-Fri delivery less US and Nevada holidays). The cart is
two lanterns on hand at reno (2 x 400 g), ordered Mon 2026-11-23 09:30 PST:
ships [Mon 23, Tue 24] (handling 0-1, before the 14:00 cutoff).

    November 2026:  Mo Tu We Th Fr Sa Su
                    23 24 25 26 27 28 29      (26 Thanksgiving, 27 Family Day in NV)
                    30
"""

from __future__ import annotations

import dataclasses

import pytest

from rates.domain.live_rates import LiveAnswer, LiveEndpoint, LiveRate, Parcel, RateRequest, pack
from rates.domain.quote.pipeline import quote, rate_requests
from rates.domain.quote.result import Message
from rates.domain.rules.actions import Adjust
from rates.domain.rules.conditions import Is
from rates.domain.rules.evaluation import Rule
from tests.domain.quote.test_pipeline import LANTERN, NOW, RENO_NV, STOVE, request
from tests.support.domain import span, usd


@pytest.fixture(scope="module")
def live_catalog(catalog):
    ups = dataclasses.replace(catalog.carriers["ups"], max_parcel_grams=5000,
                              live=LiveEndpoint("generic", "http://127.0.0.1:9/rates"))
    return dataclasses.replace(catalog, carriers={**catalog.carriers, "ups": ups})


ASK = RateRequest("ups", "reno", "US", "NV", None, RENO_NV, (Parcel(800),), "USD")


def ground(result):
    return next(o for o in result.options if o.id == "together/ups/ground")


def test_packing_is_first_fit_decreasing_under_the_parcel_limit():
    # 3200 | 3200 | 3200, then 1000, 400 and 400 all fit the first: 4200, 4600, 5000.
    assert pack([400, 3200, 1000, 3200, 400, 3200], 5000) == (
        Parcel(5000), Parcel(3200), Parcel(3200))
    assert pack([6000, 100], 5000) == (Parcel(6000), Parcel(100))  # too heavy: alone
    assert pack([400, 400], None) == (Parcel(800),)


def test_only_live_carriers_are_asked_once_per_distinct_shipment(live_catalog, ruleset):
    assert rate_requests(request(LANTERN), live_catalog, ruleset) == (ASK,)


def test_a_live_answer_sets_price_and_transit(live_catalog, ruleset):
    answer = LiveAnswer((LiveRate("ground", usd("6.10"), (2, 2)),))
    result = quote(request(LANTERN), live_catalog, ruleset, NOW, live={ASK: answer})
    option = ground(result)
    assert option.price == usd("6.10")
    assert option.shipments[0].source == "live"
    # Transit 2-2 UPS days: Mon 23 + 2 = Wed 25; Tue 24 + 2 = Wed 25, then Thu 26 and
    # Fri 27 are holidays, the weekend follows: Mon 30.
    assert option.delivery == span("2026-11-25", "2026-11-30")
    assert result.messages == ()


def test_a_failed_carrier_is_priced_from_its_table_and_the_quote_says_why(
        live_catalog, ruleset):
    result = quote(request(LANTERN), live_catalog, ruleset, NOW,
                   live={ASK: LiveAnswer(failure="timed out after 2.5 s")})
    option = ground(result)
    assert option.price == usd("8.00")
    assert option.shipments[0].source == "fallback"
    assert option.delivery == span("2026-11-24", "2026-12-01")  # the table's transit 1-3
    assert result.messages == (Message(
        "carrier_fallback",
        "UPS live rates unavailable (timed out after 2.5 s); priced from its rate table"),)


def test_an_unasked_question_falls_back_too(live_catalog, ruleset):
    result = quote(request(LANTERN), live_catalog, ruleset, NOW)
    assert ground(result).shipments[0].source == "fallback"
    assert "(not asked)" in result.messages[0].message


def test_an_answer_in_another_currency_falls_back(live_catalog, ruleset):
    answer = LiveAnswer((LiveRate("ground", dataclasses.replace(usd("6.10"), currency="CAD")),))
    result = quote(request(LANTERN), live_catalog, ruleset, NOW, live={ASK: answer})
    assert ground(result).price == usd("8.00")
    assert "(answered in CAD)" in result.messages[0].message


def test_a_service_the_carrier_did_not_quote_is_not_offered(live_catalog, ruleset):
    answer = LiveAnswer((LiveRate("next_day", usd("30.00")),))
    result = quote(request(LANTERN), live_catalog, ruleset, NOW, live={ASK: answer},
                   explain=True)
    assert [o.id for o in result.options] == ["together/fedex/home"]
    assert [(u.option_id, u.reason) for u in result.unoffered] == [
        ("together/ups/ground", "UPS did not quote UPS Ground for these parcels")]


# -- guaranteed: the carrier's word on a rate, or its file's on the service ----------------


def test_a_rate_the_carrier_guarantees_makes_its_shipment_and_option_guaranteed(
        live_catalog, ruleset):
    # UPS Ground is not guaranteed in its file; this answer guarantees its 2-2 days:
    # delivered [Wed Nov 25, Mon Nov 30], as in test_a_live_answer_sets_price_and_transit.
    answer = LiveAnswer((LiveRate("ground", usd("6.10"), (2, 2), guaranteed=True),))
    option = ground(quote(request(LANTERN), live_catalog, ruleset, NOW, live={ASK: answer}))
    assert option.delivery == span("2026-11-25", "2026-11-30")
    assert [s.guaranteed for s in option.shipments] == [True]
    assert option.guaranteed
    unguaranteed = LiveAnswer((LiveRate("ground", usd("6.10"), (2, 2)),))
    option = ground(quote(request(LANTERN), live_catalog, ruleset, NOW,
                          live={ASK: unguaranteed}))
    assert not option.guaranteed


def test_a_guaranteed_service_stays_guaranteed_live_or_from_its_table(live_catalog, ruleset):
    ups = live_catalog.carriers["ups"]
    marked = dataclasses.replace(ups, services={"ground": dataclasses.replace(
        ups.services["ground"], guaranteed=True)})
    catalog = dataclasses.replace(live_catalog, carriers={**live_catalog.carriers, "ups": marked})
    silent = LiveAnswer((LiveRate("ground", usd("6.10"), (2, 2), guaranteed=False),))
    for live in ({ASK: silent}, {ASK: LiveAnswer(failure="timed out after 2.5 s")}):
        option = ground(quote(request(LANTERN), catalog, ruleset, NOW, live=live))
        assert option.guaranteed, live


def test_an_option_is_guaranteed_only_when_every_shipment_is(live_catalog, ruleset):
    # in_stock_first ships the lanterns now (ASK, 800 g) and the stove from lot PO-2 later
    # (1000 g): the carrier guarantees the first parcel only.
    cart = request(LANTERN, STOVE)
    later = next(ask for ask in rate_requests(cart, live_catalog, ruleset)
                 if ask.parcels == (Parcel(1000),))
    answers = {ASK: LiveAnswer((LiveRate("ground", usd("6.10"), (1, 1), guaranteed=True),)),
               later: LiveAnswer((LiveRate("ground", usd("6.10"), (1, 1)),))}
    result = quote(cart, live_catalog, ruleset, NOW, live=answers)
    split = next(o for o in result.options if o.id == "in_stock_first/ups/ground")
    assert [s.guaranteed for s in split.shipments] == [True, False]
    assert not split.guaranteed


def test_a_rule_sees_the_files_flag_not_the_carriers_word_on_a_rate(live_catalog, ruleset):
    # The same rules whether the carrier answered or its table priced the option.
    surcharge = dataclasses.replace(ruleset, rules=(
        Rule("guaranteed-surcharge", (Is("guaranteed", True),), Adjust(amount=usd("2.00"))),))
    answer = LiveAnswer((LiveRate("ground", usd("6.10"), (2, 2), guaranteed=True),))
    option = ground(quote(request(LANTERN), live_catalog, surcharge, NOW, live={ASK: answer}))
    assert option.guaranteed
    assert option.price == usd("6.10")
