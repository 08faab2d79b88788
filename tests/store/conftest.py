"""A store on each backend, closed after the test: SQLite in a file in tmp_path, and
PostgreSQL in a database of its own. A module about one backend overrides `backend`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rates.store import Store, open_store, schema


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


BROKEN_REVISION = '''"""A revision that fails half-way.

Revision ID: 0999
Revises: {head}
"""

from alembic import op

revision = "0999"
down_revision = "{head}"


def upgrade() -> None:
    op.get_bind().exec_driver_sql("CREATE TABLE half_done (x integer)")
    op.get_bind().exec_driver_sql("INSERT INTO missing VALUES (1)")
'''


@pytest.fixture
def broken_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The store's revisions, then one (0999) that creates a table and fails."""
    scripts = tmp_path / "migrations"
    shutil.copytree(schema.SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "v0999_broken.py").write_text(
        BROKEN_REVISION.format(head=schema.HEAD))
    monkeypatch.setattr(schema, "SCRIPTS", scripts)
    monkeypatch.setattr(schema, "HEAD", "0999")
    schema.scripts.cache_clear()
    yield
    schema.scripts.cache_clear()
