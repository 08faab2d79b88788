"""From the `store.url` setting to a `Store`."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from sqlalchemy.exc import DBAPIError

from rates.domain.errors import ConfigError
from rates.store import dialects
from rates.store.base import Store
from rates.store.sqlstore import SqlStore

_SQLITE = "sqlite:///"
_POSTGRES = ("postgresql://", "postgres://")


def open_store(url: str, *, default_location: str) -> Store:
    """Open (creating and migrating if needed) the store `url` names:
    `sqlite:///relative/path.db` (relative to the working directory),
    `sqlite:////absolute/path.db`, `sqlite:///:memory:`, or a PostgreSQL database,
    `postgresql://user:password@host:port/dbname` (or `postgres://`; libpq's query
    parameters such as `?sslmode=require` apply).

    ConfigError for any other URL, for a database that cannot be opened, or for one whose
    schema is newer than this release. The message never shows the URL's password.
    """
    if url.startswith(_POSTGRES):
        return _open_postgres(url, default_location)
    database = url.removeprefix(_SQLITE)
    if not url.startswith(_SQLITE) or not database:
        scheme, separator, _ = url.partition("://")
        shown = f"{scheme}://..." if separator else "without a scheme"
        raise ConfigError([
            f"store.url: unsupported URL {shown}; expected sqlite:///relative/path.db, "
            "sqlite:////absolute/path.db, sqlite:///:memory: or "
            "postgresql://user:password@host/dbname"])
    try:
        return SqlStore(dialects.sqlite(database, pool_size=8, checkpoint_seconds=0.05),
                        default_location=default_location)
    except (sqlite3.Error, DBAPIError) as error:
        raise ConfigError([f"store.url: cannot open the SQLite database {database!r}: "
                           f"{_driver_error(error)}"]) from error


def _open_postgres(url: str, default_location: str) -> Store:
    try:
        return SqlStore(dialects.postgres(url, pool_size=8), default_location=default_location)
    except (psycopg.Error, DBAPIError) as error:
        # libpq names the host and the user, not the password; should a message ever
        # quote the URL, the password is blanked, and the error is not chained.
        raise ConfigError(["store.url: cannot open the PostgreSQL database: "
                           f"{_without_password(_driver_error(error), url)}"]) from None


def _driver_error(error: Exception) -> str:
    """The driver's own message: SQLAlchemy's wrapper adds the statement and a link."""
    return str(error.orig if isinstance(error, DBAPIError) else error)


def _without_password(text: str, url: str) -> str:
    password = urlsplit(url).password
    for secret in {password, unquote(password)} if password else ():
        text = text.replace(secret, "***")
    return text


def configured_url(url: str, config_path: Path) -> str:
    """A relative SQLite path is relative to the config file, like every other path in it."""
    if (url.startswith(_SQLITE) and not url.startswith(_SQLITE + "/")
            and url != _SQLITE + ":memory:"):
        return _SQLITE + str((config_path.parent / url[len(_SQLITE):]).resolve())
    return url
