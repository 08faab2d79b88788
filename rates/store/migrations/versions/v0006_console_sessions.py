"""Console sessions kept on the server; sign-in attempts counted to throttle guessing.

Revision ID: 0006
Revises: 0004

- `console_sessions`: one row per signed-in support person (`rates.web.console_auth`).
  The cookie carries a random id; the row is kept under `id_sha256`, the SHA-256 hex
  digest of that id, so a copy of the table opens no session. `key_name`, `role` and
  `key_sha256` (the key's digest as the config lists it) say which key signed in: a
  session whose key has left the config, or changed, is ended when next used. A session
  lasts until `expires` (a shift after it started, not renewed by use); signing out
  deletes its row, and each session started deletes a bounded number of expired ones
  (`console_sessions_by_expiry`).
- `sign_in_attempts`: one row per console sign-in tried in the last minutes
  (`rates.web.console_throttle`), removed again when the key was right, so what stays
  are failures. `address` and `key_prefix` are SHA-256 hex digests of the client's
  address and of the first characters of the key typed, never the text itself; each is
  counted over a window by one index range scan. Each attempt deletes a bounded number
  of attempts older than the window.

Instants as 0001's docstring says: SQLite `expires_at`/`attempted_at` ISO text beside
`expires_us`/`attempted_us`; PostgreSQL `expires_iso`/`attempted_iso` beside the
`timestamptz` `expires_at`/`attempted_at`. `started_at` is never compared: one column.

Existing databases: the tables are created; nothing else changes. The markers of the
release before Alembic stay as 0003 raised them (0004's docstring).
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE = (
    """CREATE TABLE console_sessions (
        id_sha256  TEXT PRIMARY KEY,  -- SHA-256 hex of the id the cookie carries
        key_name   TEXT NOT NULL,
        role       TEXT NOT NULL,
        key_sha256 TEXT NOT NULL,     -- the key's digest, as the config lists it
        started_at TEXT NOT NULL,     -- ISO 8601 with offset
        expires_at TEXT NOT NULL,     -- ISO 8601 with offset
        expires_us INTEGER NOT NULL   -- the same instant in microseconds since the epoch
    )""",
    "CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_us)",
    """CREATE TABLE sign_in_attempts (
        id           TEXT PRIMARY KEY,  -- random, chosen by the web layer
        address      TEXT NOT NULL,     -- SHA-256 hex of the client's address
        key_prefix   TEXT NOT NULL,     -- SHA-256 hex of the key's first characters
        attempted_at TEXT NOT NULL,     -- ISO 8601 with offset
        attempted_us INTEGER NOT NULL
    )""",
    "CREATE INDEX sign_in_attempts_by_address ON sign_in_attempts (address, attempted_us)",
    "CREATE INDEX sign_in_attempts_by_prefix ON sign_in_attempts (key_prefix, attempted_us)",
    "CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (attempted_us)",
)

POSTGRES = (
    """CREATE TABLE console_sessions (
        id_sha256   text PRIMARY KEY,
        key_name    text NOT NULL,
        role        text NOT NULL,
        key_sha256  text NOT NULL,
        started_at  timestamptz NOT NULL,
        expires_iso text NOT NULL,
        expires_at  timestamptz NOT NULL
    )""",
    "CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at)",
    """CREATE TABLE sign_in_attempts (
        id            text PRIMARY KEY,
        address       text NOT NULL,
        key_prefix    text NOT NULL,
        attempted_iso text NOT NULL,
        attempted_at  timestamptz NOT NULL
    )""",
    "CREATE INDEX sign_in_attempts_by_address ON sign_in_attempts (address, attempted_at)",
    "CREATE INDEX sign_in_attempts_by_prefix ON sign_in_attempts (key_prefix, attempted_at)",
    "CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (attempted_at)",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
