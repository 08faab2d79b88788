"""Bringing a database's schema up to date when a store opens, with Alembic.

The revisions are in `rates/store/migrations/versions`; a released one never changes. An
up-to-date database is not written to. Otherwise, under the dialect's write lock (SQLite
`BEGIN IMMEDIATE`, a PostgreSQL advisory lock: nodes starting together on a fresh database
migrate one after the other), the version is read again and the missing revisions run in
that one transaction, so a failing revision leaves the database as it was.

A database made before Alembic has no `alembic_version` but its own marker (SQLite
`PRAGMA user_version`, PostgreSQL's `schema_version` table): it is stamped with the
revision that marker stands for, then upgraded. A database from a newer release (a
revision or a marker this one does not know) is refused with ConfigError rather than
misread.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect

from rates.domain.errors import ConfigError
from rates.store.dialects import Dialect

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SCRIPTS = Path(__file__).with_name("migrations")
HEAD = "0008"
"""The newest revision in `SCRIPTS` (a test checks that they agree). An up-to-date
database is recognised by its stamp alone, without loading Alembic (70 ms a process)."""


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store's revisions, without an alembic.ini."""
    from alembic.config import Config

    configured = Config()
    configured.set_main_option("script_location", str(SCRIPTS))
    configured.attributes["connection"] = connection
    return configured


@cache
def scripts() -> ScriptDirectory:
    """The revisions, read once per process."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


def head() -> str:
    return HEAD


def migrate(dialect: Dialect) -> None:
    """Bring `dialect`'s database to the head revision (see the module docstring)."""
    done = (head(), True)
    with dialect.engine.connect() as connection:
        if _stamp(connection) == HEAD or _state(connection, dialect) == done:
            return
        connection.exec_driver_sql(dialect.begin)
        try:
            dialect.lock(connection.connection, ["rates-schema"])
            revision, stamped = _state(connection, dialect)
            if (revision, stamped) != done:
                from alembic import command

                configured = config(connection)
                if revision is not None and not stamped:
                    command.stamp(configured, revision)
                command.upgrade(configured, "head")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")


def _stamp(connection: Connection) -> str | None:
    """The revision Alembic stamped the database with, read without Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    stamped = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if stamped is None else str(stamped)


def _state(connection: Connection, dialect: Dialect) -> tuple[str | None, bool]:
    """The database's revision (None: an empty database), and whether Alembic stamped it
    or its marker from before Alembic stands for it. ConfigError for a revision or a
    marker this release does not know."""
    from alembic.runtime.migration import MigrationContext
    from alembic.util.exc import CommandError

    # The marker is read before the stamp: read outside the lock, the two could otherwise
    # straddle another node's migration committing (no stamp yet, then its raised marker),
    # and a database just brought up to date would be refused as a newer release's.
    version = dialect.legacy_version(connection)
    stamped = MigrationContext.configure(connection).get_current_revision()
    if stamped is not None:
        try:
            scripts().get_revision(stamped)
        except CommandError:
            raise _newer(stamped, head()) from None
        return stamped, True
    if version == 0:
        return None, False
    if version not in dialect.legacy_revisions:
        raise _newer(str(version), str(max(dialect.legacy_revisions)))
    return dialect.legacy_revisions[version], False


def _newer(version: str, known: str) -> ConfigError:
    return ConfigError([
        f"store.url: the database has schema version {version}, but this release of "
        f"backorder-rates knows only up to version {known}; upgrade backorder-rates, or "
        "point store.url at another database"])
