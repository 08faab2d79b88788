"""Broken files give one problem each, at the exact line and column, with the fix in the
message and the check's id; and one ConfigError lists every problem across every file.

Each test starts from the minimal valid setup in tests/support/loading.py and breaks one thing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rates.domain.errors import ConfigError
from tests.support.loading import CARRIER, CONFIG, RULES, Write, load, problems


def test_the_minimal_setup_loads(write: Write) -> None:
    setup = load(write())
    assert list(setup.catalog.locations) == ["reno"]
    assert [rule.id for rule in setup.ruleset.rules] == ["free-over-100"]
    assert setup.ruleset.rules[0].source == "rules/default.yaml:8"
    assert setup.inventory["TENT"].locations[0].on_hand == 2


# -- what YAML reads differently from what was meant -------------------------------------


def test_unknown_key_suggests_the_closest(write: Write) -> None:
    config = CONFIG.replace('cutoff: "14:00"', 'cutoff: "14:00"\n    handeling_days: [0, 1]')
    assert problems(write(config=config)) == [
        "config.yaml:8:5: error: unknown key 'handeling_days'; "
        "did you mean 'handling_days'? [unknown-key]"]


def test_duplicate_key_is_a_problem_not_last_wins(write: Write) -> None:
    carrier = CARRIER.replace("name: UPS\n", "name: UPS\nname: United Parcel Service\n")
    assert problems(write(carrier=carrier)) == [
        "carriers/ups.yaml:3:1: error: duplicate key 'name' (first on line 2): keep only one "
        "[duplicate-key]"]


def test_norway_unquoted_reads_as_false(write: Write) -> None:
    rules = RULES.replace("{country: US}", "{country: NO}")
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:4:20: error: read as false, not a code: "
        "write 'NO' in quotes [yaml-trap]"]


def test_ontario_unquoted_reads_as_true(write: Write) -> None:
    carrier = CARRIER.replace("regions: [NV, CA]", "regions: [NV, ON]")
    assert problems(write(carrier=carrier)) == [
        "carriers/ups.yaml:9:38: error: read as true, not a code: "
        "write 'ON' in quotes [yaml-trap]"]


def test_postcode_with_a_leading_zero_unquoted_reads_as_octal(write: Write) -> None:
    config = CONFIG.replace('postcode: "89502"', "postcode: 02134")
    assert problems(write(config=config)) == [
        "config.yaml:3:50: error: quote postcodes: '02134' [yaml-trap]"]


def test_money_written_as_a_float(write: Write) -> None:
    carrier = CARRIER.replace('price: "10.45"', "price: 10.45")
    assert problems(write(carrier=carrier)) == [
        "carriers/ups.yaml:15:63: error: write money as a quoted string: '10.45' [yaml-trap]"]


def test_money_that_is_not_a_number(write: Write) -> None:
    rules = RULES.replace('at_least: "100.00"', 'at_least: "1O0"')
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:9:33: error: not a decimal amount: '1O0' [bad-value]"]


def test_cutoff_unquoted_reads_as_base_60(write: Write) -> None:
    config = CONFIG.replace('cutoff: "14:00"', "cutoff: 14:00")
    assert problems(write(config=config)) == [
        "config.yaml:7:13: error: write times in quotes: '14:00' [yaml-trap]"]


def test_fractional_kilograms_must_be_quoted(write: Write) -> None:
    carrier = CARRIER.replace("{from_kg: 1,", "{from_kg: 0.5,")
    assert problems(write(carrier=carrier)) == [
        "carriers/ups.yaml:15:53: error: "
        "write fractional kilograms as a quoted decimal: '0.5' [yaml-trap]"]


# -- names, with "did you mean" --------------------------------------------------------


def test_unknown_time_zone(write: Write) -> None:
    config = CONFIG.replace("America/Los_Angeles", "America/Los_Angles")
    assert problems(write(config=config)) == [
        "config.yaml:4:15: error: unknown time zone 'America/Los_Angles'; "
        "did you mean 'America/Los_Angeles'? [unknown-reference]"]


def test_unknown_zone_in_a_rule(write: Write) -> None:
    rules = RULES.replace('when: {subtotal: {at_least: "100.00"}}', "when: {zone: hom}")
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:9:18: error: unknown zone 'hom'; did you mean 'home'? "
        "[unknown-reference]"]


def test_unknown_service_in_a_rule_list(write: Write) -> None:
    rules = RULES.replace('when: {subtotal: {at_least: "100.00"}}',
                          "when: {service: [ups/ground, ups/gorund]}")
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:9:34: error: unknown service 'ups/gorund'; "
        "did you mean 'ups/ground'? [unknown-reference]"]


def test_unknown_offered_service_and_zone_restriction(write: Write) -> None:
    rules = RULES.replace("  - service: ups/ground",
                          "  - service: ups/ground\n    zones: [hoem]\n  - service: ups/air")
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:7:13: error: unknown zone 'hoem'; did you mean 'home'? "
        "[unknown-reference]",
        "rules/default.yaml:8:14: error: unknown service 'ups/air' "
        "(one of: ups/ground) [unknown-reference]"]


def test_unknown_plan_lists_the_plans(write: Write) -> None:
    rules = RULES.replace('when: {subtotal: {at_least: "100.00"}}', "when: {plan: split}")
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:9:18: error: unknown plan 'split' "
        "(one of: as_available, in_stock_first, pickup, together) [unknown-reference]"]


def test_unknown_location_as_a_carrier_origin(write: Write) -> None:
    carrier = CARRIER.replace("from: [reno]", "from: [rno]")
    assert problems(write(carrier=carrier)) == [
        "carriers/ups.yaml:8:12: error: unknown location 'rno'; did you mean 'reno'? "
        "[unknown-reference]"]


def test_unknown_zone_in_a_carriers_transit_and_rates(write: Write) -> None:
    carrier = CARRIER.replace("{west: [1, 2]}", "{wets: [1, 2]}").replace("west: [{", "wets: [{")
    assert problems(write(carrier=carrier)) == [
        "carriers/ups.yaml:13:15: error: unknown zone 'wets'; did you mean 'west'? "
        "[unknown-reference]",
        "carriers/ups.yaml:15:7: error: unknown zone 'wets'; did you mean 'west'? "
        "[unknown-reference]"]


def test_a_zone_with_transit_needs_rates(write: Write) -> None:
    carrier = CARRIER.replace("transit: {west: [1, 2]}", "transit: {west: [1, 2], east: [2, 3]}")
    assert problems(write(carrier=carrier)) == [
        "carriers/ups.yaml:14:5: error: no rates for zone 'east', "
        "which has a transit time [missing-key]"]


def test_unknown_holiday_subdivision(write: Write) -> None:
    config = CONFIG.replace("weekdays: [mon, tue, wed, thu, fri]",
                            "weekdays: [mon, tue, wed, thu, fri]\n"
                            "      holidays: {country: US, subdiv: NVV}")
    assert problems(write(config=config)) == [
        "config.yaml:7:39: error: the holidays package knows no "
        "subdivision 'NVV' of US; did you mean 'NV'? [unknown-reference]"]


def test_a_lot_id_listed_twice_at_a_location(write: Write) -> None:
    lot = "{id: PO-1, quantity: 5, earliest: 2026-12-01, latest: 2026-12-02}"
    inventory = f"TENT:\n  locations:\n    - location: reno\n      inbound: [{lot}, {lot}]\n"
    # Column 89: the second lot's PO-1.
    assert problems(write(inventory=inventory)) == [
        "inventory.yaml:4:89: error: 'PO-1' is listed twice at this location [duplicate-id]"]


def test_a_sku_and_a_lot_name_their_suppliers(write: Write) -> None:
    lot = "{id: PO-1, quantity: 5, earliest: 2026-12-01, latest: 2026-12-02, supplier: Brightway}"
    setup = load(write(inventory=f"TENT:\n  supplier: Acme Outdoor & Co.\n  locations:\n"
                                 f"    - location: reno\n      inbound: [{lot}]\n"))
    tent = setup.inventory["TENT"]
    assert (tent.supplier, tent.locations[0].inbound[0].supplier) == (
        "Acme Outdoor & Co.", "Brightway")


def test_a_supplier_with_a_stray_space_or_slash_is_refused_where_it_is(write: Write) -> None:
    inventory = "TENT:\n  supplier: 'Acme '\n  locations:\n    - location: reno\n" \
                "      inbound: [{quantity: 5, earliest: 2026-12-01, latest: 2026-12-02," \
                " supplier: Acme/West}]\n"
    rule = ("must be 1 to 100 characters: letters A-Z a-z, digits, spaces and . _ - &, "
            "not starting or ending with a space")
    assert problems(write(inventory=inventory)) == [
        f"inventory.yaml:2:13: error: {rule} [bad-value]",
        f"inventory.yaml:5:83: error: {rule} [bad-value]"]  # at Acme/West


def test_unknown_inventory_location(write: Write) -> None:
    assert problems(write(inventory="TENT:\n  locations: [{location: rneo, on_hand: 2}]\n")) \
        == ["inventory.yaml:2:26: error: unknown location 'rneo'; "
            "did you mean 'reno'? [unknown-reference]"]


# -- rules -------------------------------------------------------------------------------


def test_two_actions_in_one_rule(write: Write) -> None:
    rules = RULES.replace('set: "0.00"', 'set: "0.00"\n    adjust: "-10%"')
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:8:5: error: give exactly one action: set, adjust, clamp, label, "
        "hide or block (found set and adjust) [bad-value]"]


def test_no_action_in_a_rule(write: Write) -> None:
    rules = RULES.replace('    set: "0.00"\n', "")
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:8:5: error: give exactly one action: set, adjust, clamp, label, "
        "hide or block (found none) [bad-value]"]


def test_rule_ids_are_unique(write: Write) -> None:
    rules = RULES + '  - id: free-over-100\n    set: "1.00"\n'
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:11:9: error: rule 'free-over-100' is already defined at "
        "rules/default.yaml:8 [duplicate-id]"]


def test_label_placeholders_are_checked_when_loading(write: Write) -> None:
    rules = RULES.replace('set: "0.00"', 'label: "{lable} (free)"')
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:10:12: error: unknown placeholder {lable}: "
        "use {label}, {service}, {plan} [unknown-reference]"]


def test_per_applies_only_to_amounts(write: Write) -> None:
    rules = RULES.replace('set: "0.00"', 'adjust: "-10%"\n    per: item')
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:11:10: error: `per` applies only to `set` and to `adjust` "
        "by an amount [bad-value]"]


def test_lines_takes_exactly_one_quantifier(write: Write) -> None:
    rules = RULES.replace('when: {subtotal: {at_least: "100.00"}}',
                          "when: {lines: {any: {tags: big}, none: {sku: A}}}")
    assert problems(write(rules=rules)) == [
        "rules/default.yaml:9:19: error: give exactly one of any, all, none [bad-value]"]


def test_offered_service_priced_in_another_currency(write: Write) -> None:
    carrier = CARRIER.replace("currency: USD", "currency: CAD")
    assert problems(write(carrier=carrier)) == [
        "rules/default.yaml:6:14: error: ups/ground is priced in CAD, but the shop "
        "quotes in USD [bad-value]"]


# -- whole files -------------------------------------------------------------------------


def test_yaml_syntax_error_names_line_and_column(write: Write) -> None:
    assert problems(write(carrier="id: [ups\n")) == [
        "carriers/ups.yaml:2:1: error: not valid YAML: "
        "expected ',' or ']', but got '<stream end>' [yaml-syntax]"]


def test_missing_keys_of_an_empty_file(write: Write) -> None:
    assert problems(write(rules="")) == [
        "rules/default.yaml: error: required key 'currency' is missing [missing-key]",
        "rules/default.yaml: error: offer at least one carrier service [missing-key]"]


def test_missing_directory_and_inventory_file(write: Write) -> None:
    config = CONFIG.replace("path: inventory.yaml", "path: stock.yaml") + "carriers: fleet/\n"
    assert problems(write(config=config)) == [
        "config.yaml:9:11: error: no such directory: 'fleet/' [missing-file]",
        "stock.yaml: error: cannot read: No such file or directory [missing-file]"]


def test_rule_tests_are_not_rules(write: Write) -> None:
    path = write()
    (path.parent / "rules" / "default.test.yaml").write_text("not: [a rules file\n")
    assert [rule.id for rule in load(path).ruleset.rules] == ["free-over-100"]


def test_rules_files_merge_in_name_order_and_may_name_each_others_zones(write: Write) -> None:
    path = write()
    (path.parent / "rules" / "extra.yaml").write_text(
        'currency: USD\nrules:\n  - id: home-fee\n    when: {zone: home}\n    adjust: "+1.00"\n')
    ruleset = load(path).ruleset
    assert [rule.id for rule in ruleset.rules] == ["free-over-100", "home-fee"]
    assert ruleset.rules[1].source == "rules/extra.yaml:3"


def test_merged_rules_files_must_agree(write: Write) -> None:
    path = write()
    (path.parent / "rules" / "extra.yaml").write_text(
        'currency: CAD\nrules:\n  - id: free-over-100\n    set: "0.00"\n')
    assert problems(path) == [
        "rules/extra.yaml:1:11: error: CAD differs from USD in rules/default.yaml [bad-value]",
        "rules/extra.yaml:3:9: error: rule 'free-over-100' is already defined at "
        "rules/default.yaml:8 [duplicate-id]"]


def test_every_problem_in_every_file_is_reported_at_once(write: Write) -> None:
    path = write(
        config=CONFIG.replace("America/Los_Angeles", "America/Los_Angles"),
        carrier=CARRIER.replace('price: "10.45"', "price: 10.45"),
        rules=RULES.replace("{country: US}", "{country: NO}")
                   .replace('set: "0.00"', 'set: "0.00"\n    hide: true'),
        inventory="TENT:\n  locations: [{location: reno, on_hand: -1}]\n")
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert caught.value.problems == [
        "config.yaml:4:15: error: unknown time zone 'America/Los_Angles'; "
        "did you mean 'America/Los_Angeles'? [unknown-reference]",
        "carriers/ups.yaml:15:63: error: write money as a quoted string: '10.45' [yaml-trap]",
        "rules/default.yaml:4:20: error: read as false, not a code: "
        "write 'NO' in quotes [yaml-trap]",
        "rules/default.yaml:8:5: error: give exactly one action: set, adjust, clamp, label, "
        "hide or block (found set and hide) [bad-value]",
        "inventory.yaml:2:41: error: must be at least 0 [bad-value]"]
    assert caught.value.code == "config_error"
    assert str(caught.value).startswith("5 problem(s) in the configuration:\n")


def test_a_broken_file_does_not_cause_false_alarms_in_the_files_naming_it(
        write: Write) -> None:
    # The carrier file fails, so its services are unknown: the rules naming ups/ground
    # are not flagged, only the carrier itself is.
    assert problems(write(carrier=CARRIER.replace("currency: USD", "currency: US"))) == [
        "carriers/ups.yaml:5:11: error: unknown currency 'US'; did you mean 'USD'? "
        "[unknown-reference]"]


def test_editing_a_carrier_file_changes_the_ruleset_version(write: Write) -> None:
    path = write()
    before = load(path).ruleset.version
    assert load(path).ruleset.version == before
    carrier = Path(path.parent / "carriers" / "ups.yaml")
    carrier.write_text(carrier.read_text().replace('"8.95"', '"9.15"'))
    assert load(path).ruleset.version != before


# -- the operations file -------------------------------------------------------------


def test_holidays_none_keeps_a_location_open_on_public_holidays(write: Write) -> None:
    config = CONFIG.replace("weekdays: [mon, tue, wed, thu, fri]",
                            "weekdays: [mon, tue, wed, thu, fri]\n      holidays: none")
    reno = load(write(config=config)).catalog.locations["reno"]
    assert reno.calendar.is_business_day(date(2026, 11, 26))  # Thanksgiving


def test_cutoffs_per_weekday_must_cover_the_working_days(write: Write) -> None:
    config = CONFIG.replace('cutoff: "14:00"', 'cutoff: {mon: "14:00", fri: "12:00", sat: "9:00"}')
    assert problems(write(config=config)) == [
        "config.yaml:7:13: error: no cutoff for tue, wed, thu: "
        "give every working day a time [bad-value]",
        "config.yaml:7:13: error: sat is not a working day in calendar.weekdays [bad-value]"]


def test_closures_are_one_date_or_a_span(write: Write) -> None:
    config = CONFIG.replace("weekdays: [mon, tue, wed, thu, fri]",
                            "weekdays: [mon, tue, wed, thu, fri]\n      closures:\n"
                            "        - {date: 2026-12-24, to: 2026-12-26}\n"
                            "        - {from: 2026-12-31, to: 2026-12-30}")
    assert problems(write(config=config)) == [
        "config.yaml:8:11: error: give either `date`, "
        "or both `from` and `to` [bad-value]",
        "config.yaml:9:34: error: 2026-12-30 is before "
        "`from` 2026-12-31 [bad-value]"]


def test_location_ids_are_unique(write: Write) -> None:
    location = CONFIG[CONFIG.index("  - id: reno"):CONFIG.index("inventory:")]
    config = CONFIG.replace("inventory:", location + "inventory:")
    assert problems(write(config=config)) == [
        "config.yaml:8:9: error: location 'reno' is already locations[0] [duplicate-id]"]


def test_carrier_ids_are_unique_across_files(write: Write) -> None:
    path = write()
    (path.parent / "carriers" / "ups_copy.yaml").write_text(CARRIER)
    assert problems(path) == [
        "carriers/ups_copy.yaml:1:5: error: carrier 'ups' is already defined at "
        "carriers/ups.yaml:1 [duplicate-id]"]


def test_plans_are_set_in_one_rules_file_only(write: Write) -> None:
    path = write(rules=RULES + "plans: {offer: [together]}\n")
    (path.parent / "rules" / "more.yaml").write_text(
        "currency: USD\nplans: {offer: [as_available]}\n")
    assert problems(path) == [
        "rules/more.yaml:2:8: error: plans are already set in rules/default.yaml "
        "[duplicate-id]"]


def test_an_unreadable_config_is_the_only_problem(tmp_path: Path) -> None:
    assert problems(tmp_path / "config.yaml") == [
        "config.yaml: error: cannot read: No such file or directory [missing-file]"]
