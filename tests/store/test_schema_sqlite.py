"""Opening a SQLite store: URLs, pragmas, and schema migrations (Alembic revisions, and
databases made before them)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import ResourceClosedError

from rates.domain.errors import ConfigError
from rates.store import Store, dialects, open_store, schema
from rates.store.dialects import connect
from tests.support.store import record


@pytest.fixture
def backend() -> str:
    """This module is about SQLite files: its `store` is SQLite only."""
    return "sqlite"


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA user_version").fetchone()[0]


def stamp(path: Path) -> str | None:
    """The Alembic revision the database is stamped with."""
    with closing(sqlite3.connect(path)) as connection:
        if not connection.execute("SELECT 1 FROM sqlite_schema WHERE name = 'alembic_version'"
                                  ).fetchall():
            return None
        [(revision,)] = connection.execute("SELECT version_num FROM alembic_version")
        return revision


def test_every_connection_gets_the_store_pragmas(db_path: Path):
    connection = connect(str(db_path))
    try:
        pragma = {name: connection.execute(f"PRAGMA {name}").fetchone()[0]
                  for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys",
                               "journal_size_limit")}
    finally:
        connection.close()
    assert pragma == {"journal_mode": "wal", "synchronous": 2,  # 2 is FULL
                      "busy_timeout": 5000, "foreign_keys": 1,
                      "journal_size_limit": 64 * 1024 * 1024}


def test_the_pool_makes_its_connections_with_the_store_pragmas(db_path: Path):
    engine = dialects.sqlite(str(db_path), pool_size=2, checkpoint_seconds=1).engine
    connection = engine.raw_connection()
    try:
        assert [connection.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys",
                             "journal_size_limit")
                ] == ["wal", 2, 5000, 1, 64 * 1024 * 1024]
        assert connection.dbapi_connection.isolation_level is None  # the store begins
    finally:
        connection.close()
        engine.dispose()


def test_an_opened_store_leaves_its_file_in_wal_mode(store: Store, db_path: Path):
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_head_revision_is_the_last_script():
    assert schema.scripts().get_current_head() == schema.HEAD


def test_a_fresh_database_gets_the_latest_schema(store: Store, db_path: Path):
    assert stamp(db_path) == schema.head()
    # The marker of the release before Alembic, which can still open the database.
    assert user_version(db_path) == 3
    store.ping()


def test_reopening_a_migrated_database_writes_nothing(db_path: Path):
    first = open_store(url(db_path), default_location="reno")
    first.save_quote(record())
    first.close()
    before = db_path.read_bytes()

    again = open_store(url(db_path), default_location="reno")
    assert again.get_quote("q_0001") == record()
    again.close()

    assert db_path.read_bytes() == before
    assert stamp(db_path) == schema.head()


def test_a_database_of_the_first_release_is_stamped_then_upgraded_keeping_its_quotes(
        db_path: Path):
    # What the first release made: revision 0001's tables, user_version 1, no stamp.
    engine = dialects.sqlite(str(db_path), pool_size=1, checkpoint_seconds=1).engine
    with engine.connect() as connection:
        command.upgrade(schema.config(connection), "0001")
        connection.exec_driver_sql("DROP TABLE alembic_version")
        connection.execute(text(
            "INSERT INTO quotes (id, created_at, created_us, ruleset, reference, request,"
            " document) VALUES ('q_0001', '2026-11-23T09:30:15.123456-08:00',"
            " 1795455015123456, 'sha256:abc', 'cart-8812', :request, :document)"),
            {"request": json.dumps(record().request), "document": json.dumps(record().document)})
    engine.dispose()
    assert (user_version(db_path), stamp(db_path)) == (1, None)

    upgraded = open_store(url(db_path), default_location="reno")
    try:
        assert upgraded.get_quote("q_0001") == record()
        assert upgraded.open_orders() == []
    finally:
        upgraded.close()
    assert (user_version(db_path), stamp(db_path)) == (3, schema.head())


@pytest.mark.parametrize("marker", ["PRAGMA user_version = 3", "stamp"])
def test_a_database_from_a_newer_release_is_refused(db_path: Path, marker: str):
    opened = open_store(url(db_path), default_location="reno")
    opened.close()
    with closing(sqlite3.connect(db_path)) as connection, connection:
        if marker == "stamp":
            connection.execute("UPDATE alembic_version SET version_num = '0999'")
        else:
            connection.execute("DROP TABLE alembic_version")
            connection.execute(marker)
    before = db_path.read_bytes()

    with pytest.raises(ConfigError, match="newer|only up to") as caught:
        open_store(url(db_path), default_location="reno")
    [problem] = caught.value.problems
    assert problem.startswith("store.url: the database has schema version "
                              f"{'0999' if marker == 'stamp' else 3}, but this release")
    assert f"only up to version {schema.head() if marker == 'stamp' else 2};" in problem
    assert db_path.read_bytes() == before


def test_a_failing_migration_leaves_the_database_as_it_was(db_path: Path, broken_release):
    with pytest.raises(ConfigError, match="no such table: missing"):
        open_store(url(db_path), default_location="reno")
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0
    assert user_version(db_path) == 0


def test_a_failing_migration_of_a_database_in_use_keeps_its_records(
        db_path: Path, broken_release, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as released:
        released.setattr(schema, "SCRIPTS", Path(schema.__file__).with_name("migrations"))
        schema.scripts.cache_clear()
        head = schema.scripts().get_current_head()
        released.setattr(schema, "HEAD", head)
        opened = open_store(url(db_path), default_location="reno")
        opened.save_quote(record())
        opened.close()
    schema.scripts.cache_clear()

    with pytest.raises(ConfigError, match="no such table: missing"):
        open_store(url(db_path), default_location="reno")
    assert stamp(db_path) == head
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("SELECT id FROM quotes").fetchall() == [("q_0001",)]
        assert connection.execute(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").fetchone() == (0,)


@pytest.mark.parametrize("bad", [
    "mysql://rates:s3cret@db/rates",
    "sqlite://rates.db",
    "sqlite:///",
    "rates.db",
    "",
])
def test_an_unsupported_url_is_a_config_error_that_hides_credentials(bad: str):
    with pytest.raises(ConfigError) as caught:
        open_store(bad, default_location="reno")
    [problem] = caught.value.problems
    assert problem.startswith("store.url: unsupported")
    assert "s3cret" not in problem


def test_a_database_that_cannot_be_opened_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="store.url: cannot open"):
        open_store(url(tmp_path / "missing-dir" / "rates.db"), default_location="reno")


def test_a_relative_path_is_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    opened = open_store("sqlite:///data/../rates.db", default_location="reno")
    opened.close()
    assert (tmp_path / "rates.db").is_file()


def test_a_closed_store_refuses_work(store: Store):
    store.close()
    with pytest.raises(ResourceClosedError, match="closed"):
        store.ping()
