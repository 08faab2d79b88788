"""Which words a shopper reads (`voice_for`): every expected string is written by hand.

The example setup words French only (rules/default.yaml); `PLURAL_RULES` words Polish and
Russian item phrases for every plural category their languages use.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from rates.app.cart_quotes import quote_cart
from rates.domain.phrases import Phrases
from rates.domain.plans import PlanKind
from rates.domain.quote.result import Option, Quote
from rates.loading import Setup, load_setup
from rates.wire.response import quote_document
from rates.wire.voice import voice_for
from tests.support.project import CARTS, EXAMPLE_CONFIG, EXAMPLE_TODAY, PLURAL_RULES

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Mon 09:30 in Reno


def mixed_cart() -> dict[str, Any]:
    cart: dict[str, Any] = json.loads((CARTS / "mixed.json").read_text())
    return cart


@pytest.fixture(scope="module")
def mixed(example_setup: Setup) -> Quote:
    """2 tents on hand + 1 due Dec 10-14, 2 lanterns on hand, 1 stove due Dec 28 - Jan 5."""
    return quote_cart(example_setup, mixed_cart(), now=NOW)


def by_id(result: Quote, option_id: str) -> Option:
    return next(option for option in result.options if option.id == option_id)


def test_a_french_shopper_reads_french_throughout(example_setup: Setup, mixed: Quote) -> None:
    french = voice_for(example_setup.ruleset, "fr")
    together = by_id(mixed, "together/ups/ground")
    assert french.label(together) == (
        "UPS Standard - tout ensemble (un seul colis, quand le dernier article arrive)")
    assert french.service_name(together) == "UPS Standard"
    assert french.describe(together) == "Livraison du 30 déc. 2026 au 11 janv. 2027"
    [blocked] = mixed.messages
    assert french.message(blocked) == (
        "L’envoi express n’est possible que si tous les articles sont en stock")


def test_a_guaranteed_window_is_described_apart_from_the_same_window_unguaranteed(
        example_setup: Setup) -> None:
    # The in-stock cart ships from reno on Mon Nov 23 or Tue Nov 24; USPS Priority Mail
    # Express and UPS Next Day Air (guaranteed in carriers/ups.yaml) both deliver Tue 24 -
    # Wed 25, the same units in the same window: only UPS's last day is guaranteed.
    cart = json.loads((CARTS / "in_stock.json").read_text())
    result = quote_cart(example_setup, cart, now=NOW)
    express, next_day = (by_id(result, "together/usps/priority_express"),
                         by_id(result, "together/ups/next_day_air"))
    assert express.delivery == next_day.delivery
    for locale, window, guaranteed in [
            ("en", "Arrives Nov 24 - Nov 25", "Guaranteed by Wed, Nov 25"),
            ("fr", "Livraison du 24 nov. au 25 nov.", "Livraison garantie d’ici le mer. 25 nov.")]:
        voice = voice_for(example_setup.ruleset, locale)
        assert (voice.describe(express), voice.describe(next_day)) == (window, guaranteed)
        assert (voice.describe(next_day), voice.describe(express)) == (guaranteed, window)


def test_english_reads_the_quote_as_it_was_made(example_setup: Setup, mixed: Quote) -> None:
    english = voice_for(example_setup.ruleset, "en")
    for option in mixed.options:
        assert english.label(option) == option.label
        assert english.service_name(option) == option.service.name
    assert [english.message(m) for m in mixed.messages] == [
        "Express shipping is only available when every item is in stock"]


@pytest.mark.parametrize("tag", ["ja", "de", "xx", "", None])
def test_a_locale_without_words_reads_the_default_locale_whole(
        example_setup: Setup, mixed: Quote, tag: str | None) -> None:
    voice = voice_for(example_setup.ruleset, tag)
    as_available = by_id(mixed, "as_available/ups/ground")
    assert voice.locale == "en"
    assert voice.describe(as_available) == (
        "3 shipments: 4 items arrive Nov 24 - Nov 27; 1 item arrives Dec 14 - Dec 18; "
        "1 item arrives Dec 30, 2026 - Jan 11, 2027")
    assert voice.label(as_available) == "UPS Ground - each item as soon as it is back in stock"


def test_the_most_specific_locale_wins_word_by_word(example_setup: Setup,
                                                    mixed: Quote) -> None:
    canadian = Phrases(services={"ups/ground": "UPS Standard (Canada)"},
                       plans={PlanKind.TOGETHER: "tout dans une boîte"})
    ruleset = replace(example_setup.ruleset,
                      wording={**example_setup.ruleset.wording, "fr_CA": canadian})
    voice = voice_for(ruleset, "fr-CA")
    together = by_id(mixed, "together/ups/ground")
    # fr_CA's service name and plan label, fr's rule text and sentences, fr_CA's dates.
    assert voice.label(together) == (
        "UPS Standard (Canada) - tout dans une boîte "
        "(un seul colis, quand le dernier article arrive)")
    assert voice.describe(together) == "Livraison du 30 déc. 2026 au 11 janv. 2027"
    assert voice.locale == "fr_CA"
    assert voice_for(ruleset, "FR-ca") == voice  # however the shop's platform writes it


def test_a_default_locale_other_than_english_is_read_whole(example_setup: Setup,
                                                           mixed: Quote) -> None:
    ruleset = replace(example_setup.ruleset, wording_default="fr")
    japanese = voice_for(ruleset, "ja")
    assert japanese.locale == "fr"
    assert japanese.describe(by_id(mixed, "as_available/ups/ground")) == (
        "3 envois : 4 articles arrivent du 24 nov. au 27 nov.; "
        "1 article arrive du 14 déc. au 18 déc.; "
        "1 article arrive du 30 déc. 2026 au 11 janv. 2027")
    # An English shopper has no words of their own either: en is no longer the default.
    assert voice_for(ruleset, "en").locale == "fr"


def test_the_document_words_label_service_description_and_messages(
        example_setup: Setup, mixed: Quote) -> None:
    doc = quote_document(mixed, "q_1", voice_for(example_setup.ruleset, "fr"))
    option = next(o for o in doc["options"] if o["id"] == "in_stock_first/ups/ground")
    assert (option["label"], option["service_name"], option["description"]) == (
        "UPS Standard - les articles en stock maintenant, le reste à leur retour",
        "UPS Standard",
        "2 envois : 4 articles arrivent du 24 nov. au 27 nov.; "
        "2 articles arrivent du 30 déc. 2026 au 11 janv. 2027")
    assert (option["service"], option["plan"]) == ("ground", "in_stock_first")
    assert doc["messages"] == [{
        "code": "blocked",
        "message": "L’envoi express n’est possible que si tous les articles sont en stock"}]


def test_a_withheld_options_block_message_is_worded_too(example_setup: Setup) -> None:
    explained = quote_cart(example_setup, mixed_cart(), now=NOW, explain=True)
    doc = quote_document(explained, "q_1", voice_for(example_setup.ruleset, "fr"))
    blocked = next(o for o in doc["withheld"] if o["id"] == "together/ups/next_day_air")
    assert blocked["blocked_by"] == "no-express-for-backorders"
    assert blocked["blocked_message"] == (
        "L’envoi express n’est possible que si tous les articles sont en stock")


# -- counting: each count picks its own CLDR plural category -------------------------------


@pytest.fixture(scope="module")
def plural_setup() -> Setup:
    return load_setup(EXAMPLE_CONFIG, EXAMPLE_TODAY, rules=PLURAL_RULES)


@pytest.fixture(scope="module")
def seven_one_three(plural_setup: Setup) -> Option:
    """as_available: 5 lanterns and 2 tents now (7), 1 tent Dec 10-14 (1), 3 stoves due
    Dec 28 - Jan 5 (3)."""
    cart = {**mixed_cart(), "lines": [
        {"sku": "LANTERN", "quantity": 5, "unit_price": "19.50", "grams": 400},
        {"sku": "TENT-2P", "quantity": 3, "unit_price": "149.00", "grams": 3200},
        {"sku": "STOVE-2B", "quantity": 3, "unit_price": "89.95", "grams": 4100}]}
    return by_id(quote_cart(plural_setup, cart, now=NOW), "as_available/ups/ground")


def test_polish_counts_use_one_few_and_many(plural_setup: Setup,
                                            seven_one_three: Option) -> None:
    assert voice_for(plural_setup.ruleset, "pl").describe(seven_one_three) == (
        "Przesyłki (3): 7 produktów dotrze 24 lis - 27 lis; 1 produkt dotrze 14 gru - 18 gru; "
        "3 produkty dotrą 30 gru 2026 - 11 sty 2027")


def test_russian_counts_use_one_few_and_many(plural_setup: Setup,
                                             seven_one_three: Option) -> None:
    assert voice_for(plural_setup.ruleset, "ru").describe(seven_one_three) == (
        "Отправления (3): 7 товаров прибудут 24 нояб. - 27 нояб.; "
        "1 товар прибудет 14 дек. - 18 дек.; "
        # CLDR puts a narrow no-break space between a Russian year and its "г."
        "3 товара прибудут 30 дек. 2026\u202fг. - 11 янв. 2027\u202fг.")
