"""libyaml's parser and PyYAML's Python parser give read_yaml the same document: the same
values, positions of every value and key, and problems, on every YAML file this project
ships, on a 1000-rule file, and on text with multi-byte characters before a value."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rates.loading import yamlio
from rates.loading.yamlio import YamlDoc, read_yaml
from tests.support.project import BENCHMARKS, ROOT

sys.path.insert(0, str(BENCHMARKS))

from scenario import write_scenario  # noqa: E402 - benchmarks/ is not a package


def both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[YamlDoc, YamlDoc]:
    fast = read_yaml(path, path.name)
    with monkeypatch.context() as patch:
        patch.setattr(yamlio, "_FAST", yamlio._Loader)
        slow = read_yaml(path, path.name)
    return fast, slow


def shipped() -> list[Path]:
    return sorted(p for pattern in ("*.yaml", "carriers/*.yaml", "rules/*.yaml")
                  for p in ROOT.glob(pattern))


@pytest.mark.parametrize("path", shipped(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_shipped_files_read_the_same_with_both_parsers(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both(path, monkeypatch)
    assert fast == slow
    assert fast.parsed and fast.positions


def test_a_thousand_rules_read_the_same_with_both_parsers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = write_scenario(tmp_path)
    fast, slow = both(scenario.rules(1000) / "default.yaml", monkeypatch)
    assert fast == slow
    assert len(fast.data["rules"]) == 1000


def test_columns_count_characters_not_bytes(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("label: \"Livraison gratuite – été\"\nnote: {café: 1, thé: [2, 3]}\n",
                    encoding="utf-8")
    fast, slow = both(path, monkeypatch)
    assert fast == slow
    assert (fast.keys["note.thé"].line, fast.keys["note.thé"].column) == (2, 17)
