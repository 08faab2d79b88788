"""The `write` fixture: the minimal setup of tests/support/loading.py, written to tmp_path; and
`each_loader`, which runs a test once with libyaml's parser and once with PyYAML's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from rates.loading import yamlio
from tests.support.loading import CARRIER, CONFIG, INVENTORY, RULES, Write


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


@pytest.fixture(params=["libyaml", "pure-python"])
def each_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """read_yaml parses with libyaml where it is installed (PyPI's wheels bundle it) and
    with PyYAML's Python parser elsewhere: both must read and refuse alike."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlio, "_FAST", yamlio._Loader)
    elif yamlio._FAST is yamlio._Loader:
        pytest.fail("libyaml is missing: PyYAML was built without it")
    return str(request.param)
