"""Lints, each on a small broken file, asserting line, column, message and check id:
rate tables and transit ranges (errors), zones that never match and rules that never
apply (warnings, which let the setup load).

The minimal setup is in tests/support/loading.py; in it, rules/default.yaml is

     1  currency: USD
     2  zones:
     3    - id: home
     4      to: [{country: US}]
     5  services:
     6    - service: ups/ground
     7  rules:
     8    - id: free-over-100
     9      when: {subtotal: {at_least: "100.00"}}
    10      set: "0.00"
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rates.domain.money import Money
from rates.domain.rules.conditions import Between, Condition, Not, OneOf, PostcodePrefix
from rates.loading.builder import inspect_setup
from rates.loading.rule_reachability import implies
from tests.support.loading import CARRIER, CONFIG, RULES, TODAY, Write, load

ONE_TABLE = '      west: [{from_kg: 0, price: "8.95"}, {from_kg: 1, price: "10.45"}]\n'


def found(path: Path) -> list[str]:
    """Every problem of the setup at `path`, warnings too, one line each."""
    return [str(problem) for problem in inspect_setup(path, TODAY).problems]


def bands(*starts: int) -> str:
    """The carrier's west rate table, one band per line from line 16, starting at `starts`
    kg; each from_kg value is at column 21."""
    return "      west:\n" + "".join(
        f'        - {{from_kg: {kg}, price: "{9 + kg}.00"}}\n' for kg in starts)


def with_rules(text: str) -> str:
    """The minimal rules file with `text` (more rules) appended."""
    return RULES + text


# -- rate tables and transit (errors) -------------------------------------------------


def test_rate_bands_must_ascend(write: Write) -> None:
    assert found(write(carrier=CARRIER.replace(ONE_TABLE, bands(0, 2, 1)))) == [
        "carriers/ups.yaml:18:21: error: 1 kg comes after 2 kg: list bands in ascending "
        "order of from_kg [rate-table]"]


def test_a_rate_band_is_listed_once(write: Write) -> None:
    assert found(write(carrier=CARRIER.replace(ONE_TABLE, bands(0, 1, 1, 2)))) == [
        "carriers/ups.yaml:18:21: error: 1 kg is already the start of an earlier band "
        "[rate-table]"]


def test_a_rate_table_needs_a_zero_band(write: Write) -> None:
    assert found(write(carrier=CARRIER.replace(ONE_TABLE, bands(1, 2)))) == [
        "carriers/ups.yaml:16:21: error: no band starts at 0 kg: shipments under 1 kg would "
        "have no price [rate-table]"]


def test_every_rate_table_mistake_is_reported(write: Write) -> None:
    assert found(write(carrier=CARRIER.replace(ONE_TABLE, bands(2, 1, 1)))) == [
        "carriers/ups.yaml:16:21: error: no band starts at 0 kg: shipments under 1 kg would "
        "have no price [rate-table]",
        "carriers/ups.yaml:17:21: error: 1 kg comes after 2 kg: list bands in ascending "
        "order of from_kg [rate-table]",
        "carriers/ups.yaml:18:21: error: 1 kg is already the start of an earlier band "
        "[rate-table]"]


def test_transit_min_must_not_exceed_max(write: Write) -> None:
    carrier = CARRIER.replace("transit: {west: [1, 2]}", "transit: {west: [3, 1]}")
    assert found(write(carrier=carrier)) == [
        "carriers/ups.yaml:13:21: error: min 3 is more than max 1 [transit-range]"]


def test_other_day_ranges_in_the_wrong_order_are_bad_values(write: Write) -> None:
    config = CONFIG.replace('cutoff: "14:00"\n', 'cutoff: "14:00"\n    handling_days: [2, 1]\n')
    assert found(write(config=config)) == [
        "config.yaml:8:20: error: min 2 is more than max 1 [bad-value]"]


# -- zones that never match (warnings) ----------------------------------------------------


def test_a_narrow_zone_after_a_broad_one_never_matches(write: Write) -> None:
    rules = RULES.replace("    to: [{country: US}]\n", "    to: [{country: US}]\n"
                          "  - id: nevada\n    to: [{country: US, regions: [NV]}]\n")
    path = write(rules=rules)
    assert found(path) == [
        "rules/default.yaml:5:9: warning: zone 'nevada' never matches: zone 'home' (line 3) "
        "already matches everything it names; zones match first to last, so list the "
        "narrower one first [shadowed-zone]"]
    assert [zone.id for zone in load(path).ruleset.zones] == ["home", "nevada"]


def test_postcode_prefixes_shadow_longer_ones(write: Write) -> None:
    rules = RULES.replace("zones:\n", "zones:\n"
                          '  - id: reno\n    to: [{country: US, postcodes: ["89"]}]\n'
                          '  - id: downtown\n    to: [{country: US, regions: [NV], '
                          'postcodes: ["8950"]}]\n'
                          '  - id: eights\n    to: [{country: US, postcodes: ["8"]}]\n')
    assert found(write(rules=rules)) == [
        "rules/default.yaml:5:9: warning: zone 'downtown' never matches: zone 'reno' "
        "(line 3) already matches everything it names; zones match first to last, so list "
        "the narrower one first [shadowed-zone]"]


def test_several_earlier_zones_together_can_shadow_one(write: Write) -> None:
    rules = RULES.replace("zones:\n  - id: home\n    to: [{country: US}]\n", "zones:\n"
                          "  - id: nv\n    to: [{country: US, regions: [NV]}]\n"
                          "  - id: ca\n    to: [{country: US, regions: [CA]}]\n"
                          "  - id: home\n    to: [{country: US, regions: [CA, NV]}]\n")
    assert found(write(rules=rules)) == [
        "rules/default.yaml:7:9: warning: zone 'home' never matches: zone 'nv' (line 3) and "
        "zone 'ca' (line 5) already match everything it names; zones match first to last, "
        "so list the narrower one first [shadowed-zone]"]


def test_zones_shadow_across_rules_files(write: Write) -> None:
    path = write()
    (path.parent / "rules" / "more.yaml").write_text(
        "currency: USD\nzones:\n  - id: texas\n    to: [{country: US, regions: [TX]}]\n")
    assert found(path) == [
        "rules/more.yaml:3:9: warning: zone 'texas' never matches: zone 'home' "
        "(rules/default.yaml:3) already matches everything it names; zones match first to "
        "last, so list the narrower one first [shadowed-zone]"]


def test_a_carrier_zone_is_shadowed_only_from_the_same_origins(write: Write) -> None:
    zones = ("  - id: nevada\n    from: [reno]\n    to: [{country: US, regions: [NV]}]\n"
             "  - id: anywhere-nv\n    to: [{country: US, regions: [NV]}]\n")
    carrier = CARRIER.replace("services:\n", zones + "services:\n")
    # reno is the only location, so a zone without `from` starts there too.
    assert found(write(carrier=carrier)) == [
        "carriers/ups.yaml:10:9: warning: zone 'nevada' never matches: zone 'west' (line 7) "
        "already matches everything it names; zones match first to last, so list the "
        "narrower one first [shadowed-zone]",
        "carriers/ups.yaml:13:9: warning: zone 'anywhere-nv' never matches: zone 'west' "
        "(line 7) already matches everything it names; zones match first to last, so list "
        "the narrower one first [shadowed-zone]"]


def test_a_zone_without_origins_matters_when_another_location_ships(write: Write) -> None:
    reno = CONFIG[CONFIG.index("  - id: reno"):CONFIG.index("inventory:")]
    config = CONFIG.replace("inventory:", reno.replace("id: reno", "id: vegas") + "inventory:")
    carrier = CARRIER.replace("services:\n", "  - id: anywhere-nv\n"
                              "    to: [{country: US, regions: [NV]}]\nservices:\n")
    assert found(write(config=config, carrier=carrier)) == []


# -- rules that never apply (warnings) ------------------------------------------------------


def test_a_rule_after_an_unconditional_stop_never_applies(write: Write) -> None:
    rules = RULES.replace("rules:\n", 'rules:\n  - id: flat\n    set: "5.00"\n    stop: true\n')
    path = write(rules=rules)
    assert found(path) == [
        "rules/default.yaml:11:9: warning: rule 'free-over-100' never applies: rule 'flat' "
        "(line 8) has `stop` and applies whenever this one would; move this rule above it, "
        "or narrow that one [unreachable-rule]"]
    assert [rule.id for rule in load(path).ruleset.rules] == ["flat", "free-over-100"]


def test_a_rule_asking_more_than_an_earlier_stop_rule_never_applies(write: Write) -> None:
    rules = with_rules('    stop: true\n  - id: big-fee\n    when:\n'
                       '      stock: in_stock\n      subtotal: {at_least: "150.00"}\n'
                       '    adjust: "+5.00"\n')
    assert found(write(rules=rules)) == [
        "rules/default.yaml:12:9: warning: rule 'big-fee' never applies: rule "
        "'free-over-100' (line 8) has `stop` and applies whenever this one would; move this "
        "rule above it, or narrow that one [unreachable-rule]"]


def test_fewer_values_of_a_condition_ask_more(write: Write) -> None:
    rules = RULES.replace('when: {subtotal: {at_least: "100.00"}}',
                          "when: {plan: [together, in_stock_first]}") + (
        '    stop: true\n  - id: mixed-together\n    when: {plan: together, stock: mixed}\n'
        '    adjust: "-10%"\n')
    assert found(write(rules=rules)) == [
        "rules/default.yaml:12:9: warning: rule 'mixed-together' never applies: rule "
        "'free-over-100' (line 8) has `stop` and applies whenever this one would; move this "
        "rule above it, or narrow that one [unreachable-rule]"]


@pytest.mark.parametrize("later", [
    '  - id: fee\n    when: {subtotal: {at_least: "50.00"}}\n    adjust: "+1.00"\n',
    '  - id: fee\n    when: {plan: together}\n    adjust: "+1.00"\n',
    '  - id: hidden\n    when: {subtotal: {at_least: "150.00"}}\n    hide: true\n',
], ids=["asks-less", "asks-other", "hide-ignores-stop"])
def test_a_rule_that_can_still_apply_is_not_flagged(write: Write, later: str) -> None:
    assert found(write(rules=with_rules("    stop: true\n" + later))) == []


def test_a_stop_on_some_shipments_stops_nothing_for_certain(write: Write) -> None:
    # A cart with nothing backordered: the stop rule has no shipments to price, so the
    # later rule still applies.
    rules = with_rules('    shipments: backordered\n    stop: true\n'
                       '  - id: fee\n    adjust: "+1.00"\n')
    assert found(write(rules=rules)) == []


def test_lints_run_in_a_file_that_has_other_errors(write: Write) -> None:
    rules = RULES.replace("    to: [{country: US}]\n", "    to: [{country: US}]\n"
                          "  - id: nevada\n    to: [{country: US, regions: [NV]}]\n")
    rules += '  - id: bad\n    adjust: "-15 percent"\n'
    assert found(write(rules=rules)) == [
        "rules/default.yaml:5:9: warning: zone 'nevada' never matches: zone 'home' (line 3) "
        "already matches everything it names; zones match first to last, so list the "
        "narrower one first [shadowed-zone]",
        "rules/default.yaml:14:13: error: not an amount or percent: '-15 percent' "
        "(e.g. '+3.00', '-2.50', '+5%', '-15%') [bad-value]"]


# -- what one condition implies -------------------------------------------------------------


def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


@pytest.mark.parametrize(("given", "wanted", "expected"), [
    (OneOf("plan", frozenset({"together"})), OneOf("plan", frozenset({"together", "x"})), True),
    (OneOf("plan", frozenset({"together", "x"})), OneOf("plan", frozenset({"together"})), False),
    (OneOf("plan", frozenset({"x"})), OneOf("stock", frozenset({"x"})), False),
    (Between("subtotal", at_least=usd("150")), Between("subtotal", at_least=usd("100")), True),
    (Between("subtotal", at_least=usd("100")), Between("subtotal", at_least=usd("150")), False),
    (Between("grams", below=500), Between("grams", at_most=500), True),
    (Between("grams", at_most=500), Between("grams", below=500), False),
    (Between("grams", at_most=499), Between("grams", below=500), True),
    (Between("grams", at_least=1, below=9), Between("grams", at_least=0, at_most=9), True),
    (Between("grams", below=9), Between("grams", at_least=0, below=9), False),
    (Between("grams", at_least=1), Between("item_count", at_least=1), False),
    (PostcodePrefix(("8950", "8951")), PostcodePrefix(("89",)), True),
    (PostcodePrefix(("8",)), PostcodePrefix(("89",)), False),
    (Not(OneOf("plan", frozenset({"x"}))), Not(OneOf("plan", frozenset({"x"}))), True),
    (Not(OneOf("plan", frozenset({"x"}))), Not(OneOf("plan", frozenset({"x", "y"}))), False),
])
def test_a_condition_implies_another_only_when_certain(
        given: Condition, wanted: Condition, expected: bool) -> None:
    assert implies(given, wanted) is expected
