"""A minimal valid setup, and helpers to load it; each test breaks one piece of it.

Shared by the loading tests (the `write` fixture in tests/loading/conftest.py writes these
files; `Write` is its type).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from rates.domain.errors import ConfigError
from rates.loading import Setup, load_setup

TODAY = date(2026, 11, 23)

Write = Callable[..., Path]
"""The `write` fixture: write(config=..., carrier=..., rules=..., inventory=...) -> the
config's path."""

CONFIG = """\
locations:
  - id: reno
    address: {country: US, region: NV, postcode: "89502"}
    timezone: America/Los_Angeles
    calendar:
      weekdays: [mon, tue, wed, thu, fri]
    cutoff: "14:00"
inventory: {source: file, path: inventory.yaml}
"""

CARRIER = """\
id: ups
name: UPS
pickup_days: [mon, tue, wed, thu, fri]
delivery_days: [mon, tue, wed, thu, fri]
currency: USD
zones:
  - id: west
    from: [reno]
    to: [{country: US, regions: [NV, CA]}]
services:
  - code: ground
    name: UPS Ground
    transit: {west: [1, 2]}
    rates:
      west: [{from_kg: 0, price: "8.95"}, {from_kg: 1, price: "10.45"}]
"""

RULES = """\
currency: USD
zones:
  - id: home
    to: [{country: US}]
services:
  - service: ups/ground
rules:
  - id: free-over-100
    when: {subtotal: {at_least: "100.00"}}
    set: "0.00"
"""

INVENTORY = """\
TENT:
  locations: [{location: reno, on_hand: 2}]
"""


def load(path: Path) -> Setup:
    return load_setup(path, TODAY)


def problems(path: Path) -> list[str]:
    """The problems loading `path` reports; fails the test if it loads."""
    with pytest.raises(ConfigError) as caught:
        load(path)
    return caught.value.problems
