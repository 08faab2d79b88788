"""Opening a SQLite store: URLs, pragmas, and schema migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rates.domain.errors import ConfigError
from rates.store import Store, open_store
from rates.store.migrations import MIGRATIONS, migrate
from rates.store.pool import connect
from rates.store.rows import quote_params
from tests.store.store_support import record


@pytest.fixture
def backend() -> str:
    """This module is about SQLite files: its `store` is SQLite only."""
    return "sqlite"


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA user_version").fetchone()[0]


def test_every_connection_gets_the_store_pragmas(db_path: Path):
    connection = connect(str(db_path))
    try:
        pragma = {name: connection.execute(f"PRAGMA {name}").fetchone()[0]
                  for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}
    finally:
        connection.close()
    assert pragma == {"journal_mode": "wal", "synchronous": 2,  # 2 is FULL
                      "busy_timeout": 5000, "foreign_keys": 1}


def test_an_opened_store_leaves_its_file_in_wal_mode(store: Store, db_path: Path):
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_fresh_database_gets_the_latest_schema(store: Store, db_path: Path):
    assert user_version(db_path) == len(MIGRATIONS)
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
    assert user_version(db_path) == len(MIGRATIONS)


def test_a_database_of_the_first_release_is_upgraded_keeping_its_quotes(db_path: Path):
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        migrate(connection, MIGRATIONS[:1])
        connection.execute(
            "INSERT INTO quotes (id, created_at, created_us, ruleset, reference, request,"
            " document) VALUES (:id, :created_at, :created_at_us, :ruleset, :reference,"
            " :request, :document)", quote_params(record()))
    finally:
        connection.close()

    upgraded = open_store(url(db_path), default_location="reno")
    try:
        assert upgraded.get_quote("q_0001") == record()
        assert upgraded.open_orders() == []
    finally:
        upgraded.close()
    assert user_version(db_path) == len(MIGRATIONS) == 2


def test_a_database_from_a_newer_release_is_refused(db_path: Path):
    with sqlite3.connect(db_path) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")

    with pytest.raises(ConfigError, match="newer|only up to") as caught:
        open_store(url(db_path), default_location="reno")
    assert caught.value.problems[0].startswith("store.url: the database has schema version")
    assert user_version(db_path) == len(MIGRATIONS) + 1


def test_migrating_runs_only_the_scripts_not_yet_run(db_path: Path):
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        migrate(connection, ["CREATE TABLE a (x);"])
        # Running the first script again would fail: the table exists.
        migrate(connection, ["CREATE TABLE a (x);", "CREATE TABLE b (y);"])
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table'")}
        assert tables == {"a", "b"}
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    finally:
        connection.close()


def test_a_failing_migration_leaves_the_database_as_it_was(db_path: Path):
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            migrate(connection, ["CREATE TABLE a (x);",
                                 "CREATE TABLE b (y); INSERT INTO missing VALUES (1);"])
        assert connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 0
    finally:
        connection.close()


def test_a_semicolon_in_a_string_or_a_trigger_does_not_split_a_statement(db_path: Path):
    script = """
        CREATE TABLE notes (text TEXT);  -- a comment; with a semicolon
        CREATE TABLE log (text TEXT);
        CREATE TRIGGER copy AFTER INSERT ON notes BEGIN
            INSERT INTO log VALUES (new.text || ';');
        END;
        INSERT INTO notes VALUES ('a; b')
    """
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        migrate(connection, [script])
        assert connection.execute("SELECT text FROM log").fetchall() == [("a; b;",)]
    finally:
        connection.close()


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
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        store.ping()
