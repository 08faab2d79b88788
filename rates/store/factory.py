"""From the `store.url` setting to a `Store`."""

from __future__ import annotations

import sqlite3

from rates.domain.errors import ConfigError
from rates.store.base import Store
from rates.store.sqlite import SqliteStore

_SQLITE = "sqlite:///"


def open_store(url: str, *, default_location: str) -> Store:
    """Open (creating and migrating if needed) the store `url` names:
    `sqlite:///relative/path.db` (relative to the working directory),
    `sqlite:////absolute/path.db` or `sqlite:///:memory:`.

    ConfigError for any other URL, for a database that cannot be opened, or for one whose
    schema is newer than this release. The message names only the URL's scheme: a database
    URL may carry a password.
    """
    database = url.removeprefix(_SQLITE)
    if not url.startswith(_SQLITE) or not database:
        scheme, separator, _ = url.partition("://")
        shown = f"{scheme}://..." if separator else "without a scheme"
        raise ConfigError([
            f"store.url: unsupported URL {shown}; expected sqlite:///relative/path.db, "
            "sqlite:////absolute/path.db or sqlite:///:memory:"])
    try:
        return SqliteStore(database, default_location=default_location)
    except sqlite3.Error as error:
        raise ConfigError([f"store.url: cannot open the SQLite database {database!r}: "
                           f"{error}"]) from error
