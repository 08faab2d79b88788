"""`rates serve` keeps what a worker loaded out of the cyclic collector's full passes: at
boot, and again after each reload that swaps in new rules (not after a rejected one)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from rates.app.reloading import ReloadingSetup
from rates.web.serve import freeze_reloaded
from tests.support.web import clock


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_reload_that_swaps_rules_freezes_the_heap_and_a_rejected_one_does_not(
        example: Path, unfrozen: None) -> None:
    reloading = ReloadingSetup(example, clock)
    reloading.subscribe(freeze_reloaded)
    rules = example.parent / "rules" / "default.yaml"
    good = rules.read_text()
    assert 'adjust: "-15%"' in good

    rules.write_text(good + "\n  - id: [broken\n")
    assert reloading.reload().errors
    assert gc.get_freeze_count() == 0

    rules.write_text(good.replace('adjust: "-15%"', 'adjust: "-20%"'))
    assert not reloading.reload().errors
    assert gc.get_freeze_count() > 50_000  # the modules, the new setup, its calendars
