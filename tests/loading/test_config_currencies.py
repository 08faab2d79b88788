"""The config's `currencies:`: exchange rates from the shop's currency (the rules'
`currency:`, USD in the minimal setup) to the other currencies a checkout may be quoted
in. Each mistake is one problem at its line and column, with the fix in the message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.loading import CONFIG, Write, load, problems


def with_currencies(text: str) -> str:
    """The minimal config with `text` as its `currencies:` mapping, on line 9."""
    return CONFIG + f"currencies: {text}\n"


def test_rates_load_into_the_ruleset(write: Write) -> None:
    setup = load(write(config=with_currencies('{CAD: "1.3650", JPY: "156.40"}')))
    assert setup.ruleset.currency == "USD"
    assert setup.ruleset.exchange_rates == {"CAD": Decimal("1.3650"), "JPY": Decimal("156.40")}
    assert setup.ruleset.exchange.accepted == ("USD", "CAD", "JPY")
    assert str(setup.ruleset.exchange_rates["CAD"]) == "1.3650"  # as written, for traces


def test_without_currencies_the_shop_quotes_in_its_own_only(write: Write) -> None:
    setup = load(write())
    assert setup.ruleset.exchange_rates == {}
    assert setup.ruleset.exchange.accepted == ("USD",)


def test_a_rate_change_changes_the_ruleset_version(write: Write) -> None:
    # A stored quote names the version: it must tell which rates priced it.
    plain = load(write()).ruleset.version
    cad = load(write(config=with_currencies('{CAD: "1.3650"}'))).ruleset.version
    moved = load(write(config=with_currencies('{CAD: "1.3700"}'))).ruleset.version
    assert len({plain, cad, moved}) == 3


@pytest.mark.parametrize(("currencies", "expected"), [
    ("{CAD: 1.3650}",
     "config.yaml:9:19: error: write exchange rates as quoted strings: '1.3650' "
     "[yaml-trap]"),
    ("{CAD: 2}",
     "config.yaml:9:19: error: write exchange rates as quoted strings: '2' [yaml-trap]"),
    ('{CAD: "1,3650"}',
     "config.yaml:9:19: error: not a decimal rate: '1,3650' (e.g. '1.3650') [bad-value]"),
    ('{CAD: "1.4e0"}',
     "config.yaml:9:19: error: not a decimal rate: '1.4e0' (e.g. '1.3650') [bad-value]"),
    ('{CAD: "0"}', "config.yaml:9:19: error: must be positive: '0' [bad-value]"),
    ('{CAD: "-1.3650"}', "config.yaml:9:19: error: must be positive: '-1.3650' [bad-value]"),
    ("{CAD: [1, 2]}",
     "config.yaml:9:19: error: write an exchange rate as a quoted decimal string, "
     "e.g. '1.3650' [bad-value]"),
    ('{EURO: "0.9210"}',
     "config.yaml:9:14: error: unknown currency 'EURO'; did you mean 'EUR'? "
     "[unknown-reference]"),
    ('{cad: "1.3650"}',
     "config.yaml:9:14: error: unknown currency 'cad'; did you mean 'CAD'? "
     "[unknown-reference]"),
    ('{USD: "1"}',
     "config.yaml:9:14: error: USD is the shop's own currency (`currency:` in the rules "
     "files): its prices need no rate; list only the other currencies [bad-value]"),
    ('["CAD", "1.3650"]', "config.yaml:9:13: error: expected a mapping of keys to values "
     "[bad-value]"),
])
def test_a_bad_rate_is_one_problem_at_its_place(write: Write, currencies: str,
                                                expected: str) -> None:
    assert problems(write(config=with_currencies(currencies))) == [expected]


def test_every_bad_rate_is_reported(write: Write) -> None:
    config = CONFIG + 'currencies:\n  CAD: 1.365\n  EUR: "0"\n  JPY: "156.40"\n'
    assert problems(write(config=config)) == [
        "config.yaml:10:8: error: write exchange rates as quoted strings: '1.365' [yaml-trap]",
        "config.yaml:11:8: error: must be positive: '0' [bad-value]"]
