"""Hostile input is refused quickly, in bounded memory, with a clear message at the spot:
files over the size cap, alias bombs, aliases that contain themselves, deep nesting (in
flow or block style, or through aliases) and numbers too long to convert.

Each case must cost well under `CPU_SECONDS` of this thread's CPU time: the naive costs
are minutes (9**9 values), gigabytes, or a RecursionError. CPU time, not the wall clock:
a busy machine makes the wall clock slower, but not the work done.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rates.loading.checks import Check
from rates.loading.yamlio import MAX_BYTES, MAX_DEPTH, MAX_VALUES, YamlDoc, read_yaml
from tests.support.loading import Write, problems

pytestmark = pytest.mark.usefixtures("each_loader")

CPU_SECONDS = 2.0
PEAK_BYTES = 20_000_000


@contextmanager
def quick() -> Iterator[None]:
    """Fails the test if the block costs this thread over `CPU_SECONDS` of CPU time."""
    started = time.thread_time()
    yield
    spent = time.thread_time() - started
    assert spent < CPU_SECONDS, f"took {spent:.2f} s of CPU"


@contextmanager
def small() -> Iterator[None]:
    """Fails the test if the block allocates over `PEAK_BYTES` at any one time."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"peaked at {peak} bytes"


def refused(tmp_path: Path, text: str) -> YamlDoc:
    path = tmp_path / "f.yaml"
    path.write_text(text)
    with quick(), small():
        doc = read_yaml(path, "f.yaml")
    assert not doc.parsed
    assert doc.data is None
    [problem] = doc.problems
    assert problem.check_id is Check.HOSTILE_INPUT
    return doc


def laughs(levels: int, width: int) -> str:
    """`levels` lists, each of `width` aliases to the one before: width**levels values."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_file_over_the_size_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    with path.open("wb") as huge:  # 200 MB, sparse: nothing is written to disk
        huge.truncate(200 * MAX_BYTES)
    with quick(), small():
        doc = read_yaml(path, "f.yaml")
    [problem] = doc.problems
    assert str(problem) == (f"f.yaml: error: file is larger than {MAX_BYTES} bytes "
                            "[hostile-input]")
    assert not doc.parsed


def test_a_billion_laughs_is_refused_at_the_list_that_expands_too_far(
        tmp_path: Path) -> None:
    doc = refused(tmp_path, laughs(levels=10, width=10))  # 10**10 values
    [problem] = doc.problems
    # l5 holds 10**6 values, the first over the cap of 250 000; its anchor is at column 5.
    assert str(problem) == (f"f.yaml:6:5: error: more than {MAX_VALUES} values, aliases "
                            "expanded [hostile-input]")
    assert problem.excerpt().splitlines()[1] == "      |     ^"


def test_nine_levels_of_nine_aliases_are_refused_too(tmp_path: Path) -> None:
    [problem] = refused(tmp_path, laughs(levels=9, width=9)).problems
    assert problem.message == f"more than {MAX_VALUES} values, aliases expanded"


def test_aliases_that_stay_under_the_cap_are_read(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(laughs(levels=4, width=10))  # 11 110 values in all
    with quick(), small():
        doc = read_yaml(path, "f.yaml")
    assert doc.problems == ()
    assert doc.data["l3"][9][9][9][9] == "lol"


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    [problem] = refused(tmp_path, "a: 1\nloop: &loop [x, *loop]\n").problems
    assert str(problem) == ("f.yaml:2:7: error: an alias refers to the collection that "
                            "contains it [hostile-input]")


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n",
], ids=["flow-lists", "flow-mappings"])
def test_deep_flow_nesting_is_refused_where_it_gets_too_deep(tmp_path: Path,
                                                            text: str) -> None:
    [problem] = refused(tmp_path, text).problems
    assert problem.message == f"nested more than {MAX_DEPTH} levels deep"
    assert problem.line == 1
    assert MAX_DEPTH < problem.column < 5 * MAX_DEPTH


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    text = "".join(f"{'  ' * level}k:\n" for level in range(500)) + "  " * 500 + "v\n"
    [problem] = refused(tmp_path, text).problems
    assert (problem.line, problem.message) == (MAX_DEPTH,  # one mapping per line
                                               f"nested more than {MAX_DEPTH} levels deep")


def test_aliases_cannot_nest_deeper_than_the_text_may(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x]"] + [f"a{n}: &a{n} [*a{n - 1}]" for n in range(1, 200)]
    [problem] = refused(tmp_path, "\n".join(lines) + "\n").problems
    assert problem.message == f"aliases nest this more than {MAX_DEPTH} levels deep"


def test_a_number_too_long_to_convert_is_refused(tmp_path: Path) -> None:
    [problem] = refused(tmp_path, "a: 1\npostcode: " + "9" * 5_000 + "\n").problems
    assert str(problem) == ("f.yaml:2:11: error: a number of 5000 digits: quote it if it "
                            "is text [hostile-input]")


def test_a_hostile_rules_file_fails_the_setup_quickly_and_says_why(write: Write) -> None:
    path = write(rules="currency: USD\n" + laughs(levels=10, width=10))
    with quick():
        found = problems(path)
    assert found == [f"rules/default.yaml:7:5: error: more than {MAX_VALUES} values, "
                     "aliases expanded [hostile-input]"]
