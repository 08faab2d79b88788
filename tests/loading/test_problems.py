"""How a problem reads: `file:line:column: severity: message [check-id]`, a caret excerpt
under it, and the same facts structured on `ConfigError.details`."""

from __future__ import annotations

import pytest

from rates.domain.errors import ConfigError
from rates.loading.checks import Check, Severity
from rates.loading.problems import Problem
from tests.support.loading import RULES, Write, load


def test_a_problem_reads_like_a_compilers() -> None:
    problem = Problem("rules/default.yaml", "rules[1].adjust",
                      "not an amount or percent: '-15 percent'", 81, 13, Check.BAD_VALUE,
                      '    adjust: "-15 percent"')
    assert str(problem) == ("rules/default.yaml:81:13: error: not an amount or percent: "
                            "'-15 percent' [bad-value]")
    assert problem.excerpt() == ('   81 |     adjust: "-15 percent"\n'
                                 "      |             ^")


def test_lints_are_warnings_and_the_rest_errors() -> None:
    assert Problem("f", "", "x", check_id=Check.SHADOWED_ZONE).severity is Severity.WARNING
    assert Problem("f", "", "x", check_id=Check.UNREACHABLE_RULE).severity is Severity.WARNING
    assert Problem("f", "", "x", check_id=Check.RATE_TABLE).severity is Severity.ERROR


def test_a_problem_about_a_whole_file_has_no_position_and_no_excerpt() -> None:
    problem = Problem("stock.yaml", "", "cannot read: No such file or directory",
                      check_id=Check.MISSING_FILE)
    assert str(problem) == ("stock.yaml: error: cannot read: No such file or directory "
                            "[missing-file]")
    assert problem.excerpt() == ""


def test_the_caret_keeps_the_tabs_before_it() -> None:
    problem = Problem("f", "", "x", 2, 5, Check.BAD_VALUE, "a:\t\tNO")
    assert problem.excerpt().splitlines()[1] == "      |   \t\t^"


def test_a_long_line_is_shown_around_the_column() -> None:
    text = "k: [" + ", ".join(f"v{n:03}" for n in range(200)) + "]"
    column = text.index("v150") + 1
    excerpt = Problem("f", "", "x", 1, column, Check.BAD_VALUE, text).excerpt()
    shown, caret = excerpt.splitlines()
    assert shown.startswith("    1 | ...") and shown.endswith("...")
    assert len(shown) < 120
    assert shown[caret.index("^"):].startswith("v150")


def test_config_error_lists_lines_in_order_and_details_structured(write: Write) -> None:
    rules = RULES.replace('set: "0.00"', 'set: 0.00').replace("- id: home", "- id: home\n"
                                                              "    colour: blue")
    with pytest.raises(ConfigError) as caught:
        load(write(rules=rules))
    assert caught.value.problems == [
        "rules/default.yaml:4:5: error: unknown key 'colour' [unknown-key]",
        "rules/default.yaml:11:10: error: write money as a quoted string: '0.00' [yaml-trap]"]
    detail = caught.value.details[1]
    assert (detail.file, detail.path, detail.line, detail.column, detail.severity,
            detail.check_id, detail.message) == (
        "rules/default.yaml", "rules[0].set", 11, 10, "error", "yaml-trap",
        "write money as a quoted string: '0.00'")


def test_warnings_alone_let_the_setup_load_and_join_the_list_when_it_fails(
        write: Write) -> None:
    stopped = RULES.replace("rules:\n", 'rules:\n  - id: flat\n    set: "5.00"\n    stop: true\n')
    assert [rule.id for rule in load(write(rules=stopped)).ruleset.rules] == [
        "flat", "free-over-100"]
    with pytest.raises(ConfigError) as caught:
        load(write(rules=stopped.replace("{country: US}", "{country: NO}")))
    assert [(d.line, str(d.severity)) for d in caught.value.details] == [
        (4, "error"), (11, "warning")]
