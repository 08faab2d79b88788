"""A store on each backend, closed after the test: SQLite in a file in tmp_path, and
PostgreSQL in a database of its own. A module about one backend overrides `backend`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rates.store import Store, open_store


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rates.db"


@pytest.fixture
def store_url(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """Where the test's stores live; several stores opened on it share their data."""
    if backend == "sqlite":
        return f"sqlite:///{db_path}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url, default_location="reno")
    yield opened
    opened.close()
