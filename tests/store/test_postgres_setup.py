"""Opening a PostgreSQL store: URLs, schema versions, and nodes that start together."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from psycopg_pool import PoolClosed

from rates.domain.errors import ConfigError
from rates.store import Store, open_store
from rates.store.pg_migrations import MIGRATIONS, migrate
from tests.store.store_support import record


@pytest.fixture
def backend() -> str:
    """This module is about PostgreSQL: its `store` is PostgreSQL only."""
    return "postgres"


def query(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(statement, params).fetchall()


def test_a_fresh_database_gets_the_latest_schema(store: Store, store_url: str):
    assert query(store_url, "SELECT version FROM schema_version") == [(len(MIGRATIONS),)]
    store.ping()


def test_reopening_a_migrated_database_writes_nothing(store: Store, store_url: str):
    store.save_quote(record())
    # xmin is the transaction that wrote the row: a rewritten version row would change it.
    before = query(store_url, "SELECT xmin::text, version FROM schema_version")

    again = open_store(store_url, default_location="reno")
    assert again.get_quote("q_0001") == record()
    again.close()

    assert query(store_url, "SELECT xmin::text, version FROM schema_version") == before


def test_a_database_from_a_newer_release_is_refused(store: Store, store_url: str):
    query(store_url, "UPDATE schema_version SET version = %s RETURNING 1", (len(MIGRATIONS) + 1,))

    with pytest.raises(ConfigError, match="only up to") as caught:
        open_store(store_url, default_location="reno")
    assert caught.value.problems[0].startswith("store.url: the database has schema version")
    assert query(store_url, "SELECT version FROM schema_version") == [(len(MIGRATIONS) + 1,)]


def test_nodes_starting_together_on_a_fresh_database_migrate_one_after_the_other(
        postgres_url: str):
    ready = threading.Barrier(6)

    def start(_: int) -> Store:
        ready.wait()
        return open_store(postgres_url, default_location="reno")

    with ThreadPoolExecutor(6) as pool:
        stores = list(pool.map(start, range(6)))
    for opened in stores:
        opened.ping()
        opened.close()
    assert query(postgres_url, "SELECT version FROM schema_version") == [(len(MIGRATIONS),)]


def test_migrating_runs_only_the_scripts_not_yet_run(postgres_url: str):
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        migrate(connection, ["CREATE TABLE a (x integer)"])
        # Running the first script again would fail: the table exists.
        migrate(connection, ["CREATE TABLE a (x integer)", "CREATE TABLE b (y integer)"])
    assert query(postgres_url, "SELECT to_regclass('a')::text, to_regclass('b')::text,"
                               " (SELECT version FROM schema_version)") == [("a", "b", 2)]


def test_a_failing_migration_leaves_the_database_as_it_was(postgres_url: str):
    with psycopg.connect(postgres_url, autocommit=True) as connection, \
            pytest.raises(psycopg.errors.UndefinedTable):
        migrate(connection, ["CREATE TABLE a (x integer)",
                             "CREATE TABLE b (y integer); INSERT INTO missing VALUES (1)"])
    assert query(postgres_url, "SELECT to_regclass('a'), to_regclass('schema_version')") == [
        (None, None)]


def test_postgres_and_postgresql_urls_open_the_same_database(store: Store, store_url: str):
    store.save_quote(record())
    other = open_store(store_url.replace("postgresql://", "postgres://", 1),
                       default_location="reno")
    try:
        assert other.get_quote("q_0001") == record()
    finally:
        other.close()


def test_a_server_that_cannot_be_reached_is_a_config_error_that_hides_the_password():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(ConfigError) as caught:
        open_store(f"postgresql://rates:s3cret@127.0.0.1:{port}/rates", default_location="reno")

    [problem] = caught.value.problems
    assert problem.startswith("store.url: cannot open the PostgreSQL database: ")
    assert "s3cret" not in problem
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_closed_store_refuses_work(store: Store):
    store.close()
    with pytest.raises(PoolClosed):
        store.ping()
