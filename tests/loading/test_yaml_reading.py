"""read_yaml: safe_load's values, plus duplicate keys, lines by path and written text."""

from __future__ import annotations

import time
from pathlib import Path

from rates.loading.problems import Problem
from rates.loading.yamlio import MAX_BYTES, YamlDoc, read_yaml, written


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


def test_duplicate_keys_are_problems_at_their_path_and_line(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nb:\n  - c: 1\n    d: 2\n    c: 3\na: 2\n")
    assert doc.problems == (
        Problem("f.yaml", "b[0].c", "duplicate key 'c' (first on line 3): keep only one", 5),
        Problem("f.yaml", "a", "duplicate key 'a' (first on line 1): keep only one", 6),
    )


def test_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    doc = read(tmp_path, "base: &b {x: 1}\nthis:\n  <<: *b\n  y: 2\n")
    assert doc.data["this"] == {"x": 1, "y": 2}
    assert doc.problems == ()


def test_every_value_has_its_line(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nrules:\n  - id: x\n    when:\n      plan: together\n")
    assert doc.lines == {"": 1, "a": 1, "rules": 3, "rules[0]": 3, "rules[0].id": 3,
                         "rules[0].when": 5, "rules[0].when.plan": 5}


def test_syntax_errors_and_unreadable_files_are_problems(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\n---\nb: 2\n")
    assert not doc.parsed
    assert doc.problems[0].message.startswith("not valid YAML at line 2, column 1: ")
    missing = read_yaml(tmp_path / "nope.yaml", "nope.yaml")
    assert missing.problems == (
        Problem("nope.yaml", "", "cannot read: No such file or directory"),)


def test_an_empty_file_is_parsed_as_nothing(tmp_path: Path) -> None:
    doc = read(tmp_path, "# only a comment\n")
    assert (doc.parsed, doc.data, doc.problems) == (True, None, ())


def test_files_over_the_cap_are_refused_unparsed(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: " + "x" * MAX_BYTES + "\n")
    assert doc.problems == (Problem("f.yaml", "", f"file is larger than {MAX_BYTES} bytes"),)
    assert not doc.parsed


def test_nested_aliases_cost_no_more_than_their_text(tmp_path: Path) -> None:
    # Nine levels of nine aliases: 9**9 leaves if walked naively.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    started = time.monotonic()
    doc = read(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 2
    assert doc.data["l9"][0][0][0][0][0][0][0][0][0][0] == "x"
