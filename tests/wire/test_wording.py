"""The shopper's wording of delivery windows: every expected string is written by hand.

Options are built directly from domain values here, so each test chooses its own windows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rates.domain.catalog import Service
from rates.domain.money import Money
from rates.domain.plans import PlanKind, ShipmentPlan
from rates.domain.quote.result import Option, ShipmentQuote
from rates.domain.rate_tables import RateTable
from rates.domain.stock import Allocation, DateRange, Source
from rates.domain.window import ShipmentWindow
from rates.wire.wording import Plurals, Templates, describe_option, window_text

UPS_GROUND = Service("ups", "ground", "UPS Ground", {}, RateTable({}))


def days(earliest: date, latest: date | None = None) -> DateRange:
    return DateRange(earliest, latest or earliest)


def shipment(units: int, delivery: DateRange, *, restock: bool = False,
             guaranteed: bool = False) -> ShipmentQuote:
    source = Source.INBOUND if restock else Source.ON_HAND
    item = Allocation(0, "TENT-2P", units, "reno", source, days(date(2026, 11, 23)))
    window = ShipmentWindow(ready=item.ready, ships=item.ready, delivery=delivery, steps=())
    price = Money(Decimal("9.95"), "USD")
    return ShipmentQuote(ShipmentPlan("reno", (item,)), window, price, price, "test",
                         guaranteed=guaranteed)


def option(*shipments: ShipmentQuote) -> Option:
    return Option(PlanKind.IN_STOCK_FIRST, UPS_GROUND, "UPS Ground - in-stock items now",
                  Money(Decimal("15.95"), "USD"), shipments, ())


NOV_24_27 = days(date(2026, 11, 24), date(2026, 11, 27))
DEC_16 = days(date(2026, 12, 16))
DEC_30_JAN_11 = days(date(2026, 12, 30), date(2027, 1, 11))


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Arrives Nov 24 - Nov 27"),
    ("fr", "Arrives 24 nov. - 27 nov."),
    ("de", "Arrives 24. Nov. - 27. Nov."),
])
def test_a_window_shows_month_and_day_in_the_locales_order(locale: str, expected: str) -> None:
    assert window_text(NOV_24_27, locale) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Arrives Dec 16"),
    ("fr", "Arrives 16 déc."),
    ("de", "Arrives 16. Dez."),
])
def test_a_one_day_window_names_the_day_once(locale: str, expected: str) -> None:
    assert window_text(DEC_16, locale) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Arrives Dec 30, 2026 - Jan 11, 2027"),
    ("fr", "Arrives 30 déc. 2026 - 11 janv. 2027"),
    ("de", "Arrives 30. Dez. 2026 - 11. Jan. 2027"),
])
def test_a_window_crossing_into_a_new_year_shows_both_years(locale: str, expected: str) -> None:
    assert window_text(DEC_30_JAN_11, locale) == expected


def test_a_window_wholly_in_the_next_year_shows_no_year() -> None:
    assert window_text(days(date(2027, 1, 12), date(2027, 1, 20))) == "Arrives Jan 12 - Jan 20"


@pytest.mark.parametrize("locale", ["xx_YY", "", "   ", "en_US_POSIX_nonsense!", "zz"])
def test_an_unknown_or_malformed_locale_falls_back_to_english(locale: str) -> None:
    assert window_text(NOV_24_27, locale) == "Arrives Nov 24 - Nov 27"


@pytest.mark.parametrize(("locale", "expected"), [
    ("fr-CA", "Arrives 24 nov. - 27 nov."),   # Shopify writes region tags with a hyphen
    ("fr_XX", "Arrives 24 nov. - 27 nov."),   # an unknown region keeps its language
    ("en_GB", "Arrives 24 Nov - 27 Nov"),
])
def test_a_locale_with_a_region_is_understood(locale: str, expected: str) -> None:
    assert window_text(NOV_24_27, locale) == expected


def test_a_one_shipment_option_reads_as_its_window() -> None:
    assert describe_option(option(shipment(6, DEC_30_JAN_11, restock=True))) == (
        "Arrives Dec 30, 2026 - Jan 11, 2027")


def test_an_option_in_two_shipments_says_how_many_items_arrive_when() -> None:
    split = option(shipment(4, NOV_24_27), shipment(2, DEC_30_JAN_11, restock=True))
    assert describe_option(split) == (
        "2 shipments: 4 items arrive Nov 24 - Nov 27; "
        "2 items arrive Dec 30, 2026 - Jan 11, 2027")


def test_one_item_is_singular_and_three_are_plural() -> None:
    split = option(shipment(3, NOV_24_27), shipment(1, DEC_16, restock=True))
    assert describe_option(split) == (
        "2 shipments: 3 items arrive Nov 24 - Nov 27; 1 item arrives Dec 16")


def test_shipment_parts_localise_their_dates() -> None:
    split = option(shipment(3, NOV_24_27), shipment(1, DEC_16, restock=True))
    assert describe_option(split, "de") == (
        "2 shipments: 3 items arrive 24. Nov. - 27. Nov.; 1 item arrives 16. Dez.")


def test_the_plural_choice_follows_the_locales_rule() -> None:
    # Only the singular/plural choice comes from the phrases' locale; the words are the
    # merchant's.
    french = Templates(window="Livraison du {earliest} au {latest}",
                       single_day="Livraison le {date}",
                       dates="du {earliest} au {latest}",
                       shipments="{count} envois : {parts}",
                       part="{items} {dates}",
                       items=Plurals((("one", "{n} article livré"),
                                      ("other", "{n} articles livrés")), "fr"))
    split = option(shipment(3, NOV_24_27), shipment(1, DEC_16, restock=True))
    assert describe_option(split, "fr", french) == (
        "2 envois : 3 articles livrés du 24 nov. au 27 nov.; 1 article livré 16 déc.")
    assert describe_option(option(shipment(1, NOV_24_27)), "fr", french) == (
        "Livraison du 24 nov. au 27 nov.")


def test_a_part_template_may_use_the_whole_window_sentence() -> None:
    templates = Templates(part="{items}: {window}", separator=" / ",
                          items=Plurals((("one", "{n} item"), ("other", "{n} items"))))
    split = option(shipment(4, NOV_24_27), shipment(1, DEC_16, restock=True))
    assert describe_option(split, "en", templates) == (
        "2 shipments: 4 items: Arrives Nov 24 - Nov 27 / 1 item: Arrives Dec 16")


def test_a_template_naming_an_unknown_placeholder_raises_key_error() -> None:
    with pytest.raises(KeyError, match="eta"):
        window_text(NOV_24_27, "en", Templates(window="Arrives {eta}"))


# -- a guaranteed option: the carrier stands behind its last day ---------------------------
#     November 2026:  Mo Tu We Th Fr Sa Su
#                     23 24 25 26 27 28 29
# A window of Tue Nov 24 - Wed Nov 25 by a guaranteed service names Wednesday the 25th.
NOV_24_25 = days(date(2026, 11, 24), date(2026, 11, 25))


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Guaranteed by Wed, Nov 25"),
    ("fr", "Guaranteed by mer. 25 nov."),
    ("de", "Guaranteed by Mi., 25. Nov."),
    ("en_GB", "Guaranteed by Wed 25 Nov"),
    ("fr-CA", "Guaranteed by mer. 25 nov."),
    ("xx_YY", "Guaranteed by Wed, Nov 25"),   # unknown: English
])
def test_a_guaranteed_option_names_its_last_day_with_its_weekday_in_the_locale(
        locale: str, expected: str) -> None:
    assert describe_option(option(shipment(2, NOV_24_25, guaranteed=True)), locale) == expected


def test_a_merchants_guaranteed_sentence_is_filled_with_the_locales_date() -> None:
    french = Templates(guaranteed="Livraison garantie d’ici le {latest}")
    assert describe_option(option(shipment(2, NOV_24_25, guaranteed=True)), "fr", french) == (
        "Livraison garantie d’ici le mer. 25 nov.")


def test_a_guaranteed_option_in_two_shipments_is_guaranteed_by_the_later_last_day() -> None:
    # Sat Nov 28 is the later of the two last days.
    split = option(shipment(4, NOV_24_25, guaranteed=True),
                   shipment(1, days(date(2026, 11, 25), date(2026, 11, 28)), guaranteed=True))
    assert describe_option(split) == "Guaranteed by Sat, Nov 28"


def test_one_shipment_the_carrier_does_not_guarantee_leaves_the_window_a_window() -> None:
    split = option(shipment(4, NOV_24_25, guaranteed=True), shipment(1, DEC_16))
    assert describe_option(split) == (
        "2 shipments: 4 items arrive Nov 24 - Nov 25; 1 item arrives Dec 16")


def test_a_guaranteed_transit_after_a_restock_guarantees_no_date() -> None:
    # The restock's date is the supplier's word, not the carrier's: no "Guaranteed by".
    waiting = option(shipment(6, DEC_30_JAN_11, restock=True, guaranteed=True))
    assert waiting.guaranteed
    assert describe_option(waiting) == "Arrives Dec 30, 2026 - Jan 11, 2027"

