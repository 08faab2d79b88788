"""A store on a real SQLite file in tmp_path, closed after the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rates.store import Store, open_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rates.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{db_path}", default_location="reno")
    yield opened
    opened.close()
