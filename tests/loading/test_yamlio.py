"""read_yaml: safe_load's values, plus duplicate keys, positions by path and written text.
Hostile input has its own tests, in test_yamlio_hostile_input.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from rates.loading.checks import Check
from rates.loading.problems import Problem
from rates.loading.yamlio import Position, YamlDoc, read_yaml, written

pytestmark = pytest.mark.usefixtures("each_loader")


def read(tmp_path: Path, text: str) -> YamlDoc:
    path = tmp_path / "f.yaml"
    path.write_text(text)
    return read_yaml(path, "f.yaml")


def test_values_are_what_safe_load_gives(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nb: [x, 2.5, true, null]\nc: {d: '02134'}\n")
    assert doc.data == {"a": 1, "b": ["x", 2.5, True, None], "c": {"d": "02134"}}
    assert doc.problems == ()
    assert doc.parsed


def test_unquoted_numbers_remember_how_they_were_written(tmp_path: Path) -> None:
    doc = read(tmp_path, "zip: 02134\ncutoff: 14:00\nprice: 12.50\n")
    assert doc.data == {"zip": 1116, "cutoff": 840, "price": 12.5}
    assert [written(v) for v in doc.data.values()] == ["02134", "14:00", "12.50"]
    assert written("text") == "text"


def test_duplicate_keys_are_problems_at_the_second_key(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nb:\n  - c: 1\n    d: 2\n    c: 3\na: 2\n")
    assert doc.problems == (
        Problem("f.yaml", "b[0].c", "duplicate key 'c' (first on line 3): keep only one",
                5, 5, Check.DUPLICATE_KEY, "    c: 3"),
        Problem("f.yaml", "a", "duplicate key 'a' (first on line 1): keep only one",
                6, 1, Check.DUPLICATE_KEY, "a: 2"),
    )


def test_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    doc = read(tmp_path, "base: &b {x: 1}\nthis:\n  <<: *b\n  y: 2\n")
    assert doc.data["this"] == {"x": 1, "y": 2}
    assert doc.problems == ()


def test_every_value_has_its_line(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nrules:\n  - id: x\n    when:\n      plan: together\n")
    assert doc.lines == {"": 1, "a": 1, "rules": 3, "rules[0]": 3, "rules[0].id": 3,
                         "rules[0].when": 5, "rules[0].when.plan": 5}


def test_every_value_and_key_has_its_line_and_column(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nrules:\n  - {id: x, when: {plan: together}}\n")
    assert doc.positions["rules[0]"] == Position(3, 5)
    assert doc.positions["rules[0].when.plan"] == Position(3, 26)
    assert doc.keys["rules[0].when.plan"] == Position(3, 20)
    assert doc.keys["rules"] == Position(2, 1)
    assert "rules[0]" not in doc.keys  # a list item has no key


def test_a_missing_path_is_placed_at_its_nearest_ancestor_key(tmp_path: Path) -> None:
    doc = read(tmp_path, "rules:\n  - id: x\n    when: {plan: together}\n")
    assert doc.position("rules[0].when.zone") == Position(3, 5)   # the `when` key
    assert doc.position("rules[0].set") == Position(2, 5)          # the item itself
    assert doc.position("rules[0].when.plan", at_key=True) == Position(3, 12)
    assert doc.position("rules[0].when.plan") == Position(3, 18)


def test_a_problem_carries_the_text_of_its_line(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nb: [x, y]\n")
    problem = doc.problem("b[1]", "not y", Check.BAD_VALUE)
    assert (problem.line, problem.column, problem.source) == (2, 8, "b: [x, y]")


def test_syntax_errors_and_unreadable_files_are_problems(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\n---\nb: 2\n")
    assert not doc.parsed
    assert str(doc.problems[0]) == ("f.yaml:2:1: error: not valid YAML: but found another "
                                    "document [yaml-syntax]")
    missing = read_yaml(tmp_path / "nope.yaml", "nope.yaml")
    assert missing.problems == (Problem("nope.yaml", "", "cannot read: No such file or "
                                        "directory", check_id=Check.MISSING_FILE),)


def test_an_empty_file_is_parsed_as_nothing(tmp_path: Path) -> None:
    doc = read(tmp_path, "# only a comment\n")
    assert (doc.parsed, doc.data, doc.problems) == (True, None, ())


def test_an_impossible_date_is_a_problem_at_the_value_not_a_crash(tmp_path: Path) -> None:
    doc = read(tmp_path, "closures:\n  - {date: 2026-11-31, name: Stocktake}\n")
    assert not doc.parsed
    (problem,) = doc.problems
    assert (problem.line, problem.column) == (2, 12)  # "  - {date: " is 11 characters
    assert problem.check_id == Check.YAML_SYNTAX
    assert "'2026-11-31' is not a real date or time (day is out of range for month)" in (
        problem.message)
