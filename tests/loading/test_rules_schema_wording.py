"""The rules file's `wording:` section: templates by locale, checked when the file loads."""

from __future__ import annotations

from rates.domain.phrases import Phrases
from rates.domain.plans import PlanKind
from tests.support.loading import RULES, Write, load, problems


def wording(text: str) -> str:
    return RULES + "wording:\n" + text


def test_wording_is_loaded_by_locale(write: Write) -> None:
    setup = load(write(rules=wording('  fr:\n    window: "Du {earliest} au {latest}"\n')))
    assert setup.ruleset.wording == {
        "fr": Phrases(sentences={"window": "Du {earliest} au {latest}"})}


def test_an_unknown_placeholder_names_the_allowed_ones(write: Write) -> None:
    assert problems(write(rules=wording('  en:\n    single_day: "Arrives {day}"\n'))) == [
        "rules/default.yaml:13:17: error: unknown placeholder {day}: "
        "use {earliest}, {latest}, {date}, {dates} [unknown-reference]"]


def test_the_guaranteed_sentence_names_only_the_latest_day(write: Write) -> None:
    setup = load(write(rules=wording('  fr:\n    guaranteed: "Garantie d’ici le {latest}"\n')))
    assert setup.ruleset.wording == {
        "fr": Phrases(sentences={"guaranteed": "Garantie d’ici le {latest}"})}
    assert problems(write(rules=wording('  en:\n    guaranteed: "Guaranteed by {date}"\n'))) == [
        "rules/default.yaml:13:17: error: unknown placeholder {date}: use {latest} "
        "[unknown-reference]"]


def test_an_unknown_template_suggests_the_closest(write: Write) -> None:
    assert problems(write(rules=wording('  en:\n    windwo: "x"\n'))) == [
        "rules/default.yaml:13:5: error: unknown key 'windwo'; "
        "did you mean 'window'? [unknown-key]"]


def test_an_unknown_locale_is_a_problem(write: Write) -> None:
    found = problems(write(rules=wording('  xx_QQ:\n    window: "x"\n')))
    assert len(found) == 1
    assert found[0].startswith("rules/default.yaml:12:3: error: unknown locale 'xx_QQ'")


# -- a locale's plan labels, service names and rule texts ---------------------------------

WORDED_RULES = RULES + """\
  - id: one-box
    label: "{label} (one box)"
  - id: no-express
    block: "No express for backorders"
wording:
"""
"""A label rule and a block rule; `wording:` is on line 15, so a locale is on line 16."""


def worded(text: str) -> str:
    return WORDED_RULES + text


def test_a_locale_words_plans_services_and_rules(write: Write) -> None:
    setup = load(write(rules=worded(
        '  fr:\n'
        '    plans: {together: tout ensemble}\n'
        '    services: {ups/ground: UPS Standard}\n'
        '    rules: {one-box: "{label} (un colis)", no-express: "Pas d’express {ici}"}\n'
        '    items: {one: "{n} article", other: "{n} articles"}\n')))
    assert setup.ruleset.wording["fr"] == Phrases(
        plans={PlanKind.TOGETHER: "tout ensemble"},
        services={"ups/ground": "UPS Standard"},
        # a block message is shown as written, braces and all, like the rule's own
        rules={"one-box": "{label} (un colis)", "no-express": "Pas d’express {ici}"},
        items={"one": "{n} article", "other": "{n} articles"})
    assert setup.ruleset.wording_default == "en"


def test_an_unknown_plan_suggests_the_closest(write: Write) -> None:
    assert problems(write(rules=worded('  fr:\n    plans:\n      togther: ensemble\n'))) == [
        "rules/default.yaml:18:7: error: unknown plan 'togther'; "
        "did you mean 'together'? [unknown-reference]"]


def test_an_unknown_service_suggests_the_closest(write: Write) -> None:
    assert problems(write(rules=worded('  fr:\n    services:\n      ups/groud: x\n'))) == [
        "rules/default.yaml:18:7: error: unknown service 'ups/groud'; "
        "did you mean 'ups/ground'? [unknown-reference]"]


def test_an_unknown_rule_suggests_the_closest_worded_rule(write: Write) -> None:
    assert problems(write(rules=worded('  fr:\n    rules:\n      one-bx: x\n'))) == [
        "rules/default.yaml:18:7: error: unknown label or block rule 'one-bx'; "
        "did you mean 'one-box'? [unknown-reference]"]


def test_a_price_rule_has_no_words(write: Write) -> None:
    assert problems(write(rules=worded('  fr:\n    rules:\n      free-over-100: x\n'))) == [
        "rules/default.yaml:18:7: error: unknown label or block rule 'free-over-100' "
        "(one of: no-express, one-box) [unknown-reference]"]


def test_a_label_rules_words_name_its_placeholders(write: Write) -> None:
    assert problems(write(rules=worded(
        '  fr:\n    rules:\n      one-box: "{lable} (un colis)"\n'))) == [
        "rules/default.yaml:18:16: error: unknown placeholder {lable}: "
        "use {label}, {service}, {plan} [unknown-reference]"]


def test_items_need_other(write: Write) -> None:
    assert problems(write(rules=worded('  fr:\n    items:\n      one: "{n} article"\n'))) == [
        "rules/default.yaml:18:7: error: give `other`: the phrase for every count no other "
        "category takes [bad-value]"]


def test_an_item_category_the_language_does_not_use_is_named(write: Write) -> None:
    assert problems(write(rules=worded(
        '  fr:\n    items:\n      few: "{n} articles"\n      other: "{n} articles"\n'))) == [
        "rules/default.yaml:18:7: error: fr has no 'few' plural category: it uses "
        "one, many, other [unknown-key]"]


def test_an_item_phrase_names_only_n(write: Write) -> None:
    assert problems(write(rules=worded(
        '  ja:\n    items:\n      other: "{count} 点"\n'))) == [
        "rules/default.yaml:18:14: error: unknown placeholder {count}: use {n} "
        "[unknown-reference]"]


def test_a_default_locale_other_than_english_words_its_sentences(write: Write) -> None:
    assert problems(write(rules=RULES + (
        'wording_default: fr\n'
        'wording:\n'
        '  fr:\n'
        '    window: "Livraison du {earliest} au {latest}"\n'))) == [
        "rules/default.yaml:11:18: error: the default locale fr must word what the built-in "
        "English would otherwise say: give single_day, shipments, items under wording: fr "
        "[bad-value]"]


def test_an_unknown_default_locale_is_a_problem(write: Write) -> None:
    found = problems(write(rules=RULES + "wording_default: xx_QQ\n"))
    assert len(found) == 1
    assert found[0].startswith("rules/default.yaml:11:18: error: unknown locale 'xx_QQ'")


def test_the_default_locale_is_set_in_one_rules_file_only(write: Write) -> None:
    path = write(rules=RULES + "wording_default: en\n")
    (path.parent / "rules" / "more.yaml").write_text("currency: USD\nwording_default: en_GB\n")
    assert problems(path) == [
        "rules/more.yaml:2:18: error: wording_default is already set in rules/default.yaml "
        "[duplicate-id]"]


def test_two_files_word_one_locale_the_later_word_by_word(write: Write) -> None:
    path = write(rules=wording('  fr:\n    window: "A {earliest}"\n    single_day: "A {date}"\n'))
    (path.parent / "rules" / "more.yaml").write_text(
        'currency: USD\nwording:\n  fr:\n    window: "B {earliest}"\n')
    assert load(path).ruleset.wording["fr"] == Phrases(
        sentences={"window": "B {earliest}", "single_day": "A {date}"})
