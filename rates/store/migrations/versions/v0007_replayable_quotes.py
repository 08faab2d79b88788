"""Quotes stored lean and replayable: the setup versions that served them, and their inputs.

Revision ID: 0007
Revises: 0006

A checkout's answer no longer carries its step-by-step trace (it was most of the 115 KB
document, written on every quote); support gets the trace by replaying the stored quote
on the setup that served it (`rates.app.replays`). So:

- `setups`: every setup version that served a quote, once: `id` is the SHA-256 hex of its
  files (`rates.loading.sources`), `files` a JSON object of each file's path (relative to
  the config's folder) and text, `config` and `rules` the paths of the config and of a
  rules override (NULL: none), `stored_at` when it was first kept.
- `quotes.setup`: the `setups.id` that served the quote (NULL: a quote stored before this
  revision, whose stored document still holds its trace, or a setup made in code).
- `quotes.inputs`: JSON of what the quote read besides its request: each SKU's stock as
  quoted (after open orders' claims) and the live carriers' answers, in the order asked
  (NULL with `setup`).

Existing databases: a table and two nullable columns; no row is rewritten.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SQLITE = (
    """CREATE TABLE setups (
        id        TEXT PRIMARY KEY,  -- SHA-256 hex of the files
        config    TEXT NOT NULL,
        rules     TEXT,
        files     TEXT NOT NULL,     -- JSON: {path: text}
        stored_at TEXT NOT NULL      -- ISO 8601 with offset
    )""",
    "ALTER TABLE quotes ADD COLUMN setup TEXT",
    "ALTER TABLE quotes ADD COLUMN inputs TEXT",
)

POSTGRES = (
    """CREATE TABLE setups (
        id        text PRIMARY KEY,
        config    text NOT NULL,
        rules     text,
        files     jsonb NOT NULL,
        stored_at timestamptz NOT NULL
    )""",
    "ALTER TABLE quotes ADD COLUMN setup text",
    "ALTER TABLE quotes ADD COLUMN inputs jsonb",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRES:
        connection.exec_driver_sql(statement)
