"""Files that are not UTF-8 are refused at their first bad byte, never read as mojibake;
a UTF-8 byte order mark is accepted. Every file of a setup is read through read_yaml, so
each file family refuses them alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from rates.loading.checks import Check
from rates.loading.problems import Problem
from rates.loading.yamlio import Position, YamlDoc, read_yaml
from tests.support.loading import CONFIG, Write, problems

pytestmark = pytest.mark.usefixtures("each_loader")

FIX = "save the file as UTF-8"


def read(tmp_path: Path, raw: bytes) -> YamlDoc:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    return read_yaml(path, "f.yaml")


def test_a_latin_1_byte_is_refused_where_it_is(tmp_path: Path) -> None:
    doc = read(tmp_path, b"id: bistro\nname: Caf\xe9 Bleu\n")
    assert not doc.parsed
    assert doc.data is None
    # "name: Caf" is 9 characters: the bad byte is the 10th of line 2.
    assert doc.problems == (Problem(
        "f.yaml", "", f"not UTF-8 (byte 0xe9: invalid continuation byte): {FIX}", 2, 10,
        Check.ENCODING, "name: Caf\ufffd Bleu"),)
    assert str(doc.problems[0]) == (
        "f.yaml:2:10: error: not UTF-8 (byte 0xe9: invalid continuation byte): "
        f"{FIX} [encoding]")


def test_the_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    # "name: été " is 10 characters in 12 bytes; the Latin-1 "é" at the end of the file
    # has no bytes after it at all.
    doc = read(tmp_path, b"name: \xc3\xa9t\xc3\xa9 \xe9")
    [problem] = doc.problems
    assert (problem.line, problem.column) == (1, 11)
    assert problem.message == f"not UTF-8 (byte 0xe9: unexpected end of data): {FIX}"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf_16_or_32_file_with_its_byte_order_mark_is_refused(
        tmp_path: Path, encoding: str) -> None:
    raw = "name: Café\n".encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    doc = read(tmp_path, raw)
    [problem] = doc.problems
    width = encoding[4:6]
    assert (problem.line, problem.column, problem.check_id) == (1, 1, Check.ENCODING)
    assert problem.message == (
        f"not UTF-8 (it starts with a UTF-{width} byte order mark): {FIX}")


def test_a_utf_8_byte_order_mark_is_accepted_and_not_counted(tmp_path: Path) -> None:
    doc = read(tmp_path, b"\xef\xbb\xbfname: Caf\xc3\xa9\n")
    assert doc.problems == ()
    assert doc.data == {"name": "Café"}
    assert doc.keys["name"] == Position(1, 1)
    assert doc.text == ("name: Café",)


@pytest.mark.parametrize("file", [
    "config.yaml", "carriers/ups.yaml", "rules/default.yaml", "inventory.yaml",
    "products.yaml"])
def test_every_file_of_a_setup_refuses_latin_1(write: Write, file: str) -> None:
    config = write(config=CONFIG + "products: {path: products.yaml}\n")
    (config.parent / "products.yaml").write_text("TENT: {tags: [bulky]}\n")
    path = config.parent / file
    path.write_bytes(path.read_bytes() + b"note: Caf\xe9\n")
    line = path.read_bytes().count(b"\n")
    assert (f"{file}:{line}:10: error: not UTF-8 (byte 0xe9: invalid continuation byte): "
            f"{FIX} [encoding]") in problems(config)
