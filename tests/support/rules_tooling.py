"""A copy of the bundled example (config, carriers, rules, example carts and rules) in a
temporary directory, for the `rates test` and `rates diff` tests to change freely."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def example_copy(tmp_path: Path) -> Path:
    """The copied config's path; rules/, carriers/ and examples/ sit beside it."""
    for folder in ("carriers", "rules", "examples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "config.example.yaml", tmp_path / "config.yaml")
    return tmp_path / "config.yaml"
