"""The `write` fixture: the minimal setup of loading_support.py, written to tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from loading_support import CARRIER, CONFIG, INVENTORY, RULES

Write = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """write(config=..., carrier=..., rules=..., inventory=...) -> the config's path;
    any file not given is the valid one. `carrier` lands in carriers/ups.yaml, `rules` in
    rules/default.yaml, `inventory` in inventory.yaml."""

    def _write(*, config: str = CONFIG, carrier: str = CARRIER, rules: str = RULES,
               inventory: str = INVENTORY) -> Path:
        (tmp_path / "carriers").mkdir(exist_ok=True)
        (tmp_path / "rules").mkdir(exist_ok=True)
        (tmp_path / "carriers" / "ups.yaml").write_text(carrier)
        (tmp_path / "rules" / "default.yaml").write_text(rules)
        (tmp_path / "inventory.yaml").write_text(inventory)
        path = tmp_path / "config.yaml"
        path.write_text(config)
        return path

    return _write
