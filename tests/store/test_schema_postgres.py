"""Opening a PostgreSQL store: URLs, schema revisions (and the version of databases made
before Alembic), and nodes that start together."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from sqlalchemy.exc import ResourceClosedError

from rates.domain.errors import ConfigError
from rates.store import Store, open_store, schema
from tests.support.store import record


@pytest.fixture
def backend() -> str:
    """This module is about PostgreSQL: its `store` is PostgreSQL only."""
    return "postgres"


def query(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(statement, params).fetchall()


def test_a_fresh_database_gets_the_latest_schema(store: Store, store_url: str):
    assert query(store_url, "SELECT version_num FROM alembic_version") == [(schema.head(),)]
    # The marker of the release before Alembic, which can still open the database.
    assert query(store_url, "SELECT version FROM schema_version") == [(2,)]
    store.ping()


def test_reopening_a_migrated_database_writes_nothing(store: Store, store_url: str):
    store.save_quote(record())
    # xmin is the transaction that wrote the row: a rewritten stamp would change it.
    before = query(store_url, "SELECT xmin::text, version_num FROM alembic_version")

    again = open_store(store_url, default_location="reno")
    assert again.get_quote("q_0001") == record()
    again.close()

    assert query(store_url, "SELECT xmin::text, version_num FROM alembic_version") == before


def test_a_database_stamped_by_a_newer_release_is_refused(store: Store, store_url: str):
    query(store_url, "UPDATE alembic_version SET version_num = '0999' RETURNING 1")

    with pytest.raises(ConfigError, match="only up to") as caught:
        open_store(store_url, default_location="reno")
    assert caught.value.problems[0].startswith(
        "store.url: the database has schema version 0999, but this release")
    assert query(store_url, "SELECT version_num FROM alembic_version") == [("0999",)]


def test_a_database_of_a_newer_release_before_alembic_is_refused(store: Store, store_url: str):
    query(store_url, "UPDATE schema_version SET version = 2 RETURNING 1")
    with psycopg.connect(store_url) as connection:
        connection.execute("DROP TABLE alembic_version")

    with pytest.raises(ConfigError, match="only up to version 1;") as caught:
        open_store(store_url, default_location="reno")
    assert caught.value.problems[0].startswith("store.url: the database has schema version 2")
    assert query(store_url, "SELECT version FROM schema_version") == [(2,)]


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
    assert query(postgres_url, "SELECT version_num FROM alembic_version") == [(schema.head(),)]


def test_a_failing_migration_leaves_the_database_as_it_was(postgres_url: str, broken_release):
    with pytest.raises(ConfigError, match='relation "missing" does not exist'):
        open_store(postgres_url, default_location="reno")
    assert query(postgres_url, "SELECT to_regclass('quotes'), to_regclass('half_done'),"
                               " to_regclass('alembic_version')") == [(None, None, None)]


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
    with pytest.raises(ResourceClosedError, match="closed"):
        store.ping()
