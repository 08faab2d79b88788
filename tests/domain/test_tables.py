"""A setup's tables keep what quotes work out, within a bound: keys come from carts."""

from __future__ import annotations

from rates.domain.catalog import Leg, Service
from rates.domain.rate_tables import RateTable
from rates.domain.sourcing.candidates import Search, Searched, by_arrival, offered
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock, Source, Supply
from rates.domain.tables import Bounded, Numbers
from tests.support.domain import bands, d, span, usd


def test_a_bounded_table_keeps_values_until_its_limit_then_starts_over():
    table: Bounded[str, int] = Bounded(2)
    assert table.keep("a", 1) == 1
    table.keep("b", 2)
    assert dict(table) == {"a": 1, "b": 2}
    table.keep("c", 3)  # a third key would pass the limit: the table empties first
    assert dict(table) == {"c": 3}
    assert table.get("a") is None


def test_a_service_prices_a_table_leg_once_per_location_zone_and_weight():
    service = Service("ups", "ground", "UPS Ground", {"us-west": (2, 3)},
                      RateTable({"us-west": bands((0, "8.00"), (1000, "9.50"))}))
    leg = service.table_leg("reno", "us-west", 1500)
    assert leg == Leg((2, 3), usd("9.50"), "ups/ground from reno, zone us-west 1.5 kg: 9.50",
                      "table", 950)
    assert service.table_leg("reno", "us-west", 1500) is leg  # the next quote's
    assert service.table_leg("newark", "us-west", 1500).detail.startswith(
        "ups/ground from newark,")
    assert service.table_leg("reno", "us-east", 1500) == (
        "UPS Ground has no transit time for zone us-east")
    # a live carrier's fallback says so, and is not kept as a table leg
    fallback = service.table_leg("reno", "us-west", 1500, "fallback")
    assert isinstance(fallback, Leg)
    assert (fallback.source, fallback.price) == ("fallback", usd("9.50"))
    assert service.table_leg("reno", "us-west", 1500) is leg


def test_keys_keep_their_numbers_and_a_number_is_never_given_to_another_key():
    numbers = Numbers(2)
    ups, fedex = numbers(("ups", ("IL", 2))), numbers(("fedex", ("IL", 2)))
    assert ups != fedex
    assert numbers(("ups", ("IL", 2))) == ups  # an equal key, built anew
    usps = numbers("usps")  # a third key: the numbers start over, and go on counting
    assert usps not in (ups, fedex)
    assert numbers(("ups", ("IL", 2))) not in (ups, fedex, usps)


def lamp(lot: InboundLot) -> list[tuple[str, int, SkuStock]]:
    """2 lamps: 1 on the shelf at reno, a lot inbound at newark."""
    return [("lamp", 2, SkuStock("lamp", (LocationStock("reno", 1),
                                          LocationStock("newark", 0, (lot,)))))]


def test_a_setup_ranks_a_sku_supplies_once_for_the_same_arrivals():
    today = {"reno": d("2026-11-23"), "newark": d("2026-11-23")}
    priority = ["reno", "newark"]
    arrives = {"reno": span("2026-11-27", "2026-12-01"), "newark": span("2026-11-25")}
    asked: list[str] = []

    def arrival(supply: Supply) -> DateRange:
        asked.append(supply.location)
        return arrives[supply.location]

    def ranked(lines: list[tuple[str, int, SkuStock]], arrivals: str,
               ) -> list[tuple[str, Source, str | None]]:
        supplies = offered(lines, today, priority)
        found = by_arrival(lines, priority, supplies, arrival, Search.of(supplies, kept),
                           kept.arrivals(arrivals))
        return [(s.location, s.source, s.lot and s.lot.id) for s, _ in found["lamp"]]

    kept = Searched()
    first = [("newark", Source.INBOUND, "po-1"), ("reno", Source.ON_HAND, None)]
    assert ranked(lamp(InboundLot(5, span("2026-11-24"), "po-1")), "ups to IL") == first
    assert asked == ["reno", "newark"]
    asked.clear()
    # a later quote, another lot due the same day: the ranking is kept, the lot its own
    assert ranked(lamp(InboundLot(3, span("2026-11-24"), "po-2")), "ups to IL") == [
        ("newark", Source.INBOUND, "po-2"), ("reno", Source.ON_HAND, None)]
    assert asked == []
    # other arrivals (another service, place or order day) are ranked anew
    assert ranked(lamp(InboundLot(5, span("2026-11-24"), "po-1")), "fedex to IL") == first
    assert asked == ["reno", "newark"]
    asked.clear()
    # so is a lot due on another day
    ranked(lamp(InboundLot(5, span("2026-11-30"), "po-1")), "ups to IL")
    assert asked == ["reno", "newark"]
