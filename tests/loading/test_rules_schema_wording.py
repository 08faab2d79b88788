"""The rules file's `wording:` section: templates by locale, checked when the file loads."""

from __future__ import annotations

from rates.domain.phrases import Phrases
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


def test_an_unknown_template_suggests_the_closest(write: Write) -> None:
    assert problems(write(rules=wording('  en:\n    windwo: "x"\n'))) == [
        "rules/default.yaml:13:5: error: unknown key 'windwo'; "
        "did you mean 'window'? [unknown-key]"]


def test_an_unknown_locale_is_a_problem(write: Write) -> None:
    found = problems(write(rules=wording('  xx_QQ:\n    window: "x"\n')))
    assert len(found) == 1
    assert found[0].startswith("rules/default.yaml:12:3: error: unknown locale 'xx_QQ'")
