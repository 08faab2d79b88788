"""How values become column values, the same for both backends.

JSON is compact with sorted keys, so equal documents are equal strings, and written by
orjson (`rates.wire.jsontext`). A served quote document (over 100 KB) is kept as the bytes it
was sent as (`QuoteRecord.served`), in the order its keys were built. Instants are ISO
8601 with their UTC offset, read back as the same instant in the same offset; because such
strings do not sort by instant across offsets, ordering uses `instant_key` (SQLite) or a
`timestamptz` column filled from the same text (PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rates.wire.jsontext import dumps

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def json_text(value: Any) -> str:
    return dumps(value, sort_keys=True).decode()


def instant_text(moment: datetime) -> str:
    """`moment` as ISO 8601 with its offset."""
    return _aware(moment).isoformat()


def instant_key(moment: datetime) -> int:
    """Microseconds since the Unix epoch: sorts by instant whatever the offset."""
    return (_aware(moment) - _EPOCH) // timedelta(microseconds=1)


def instant_of(text: str) -> datetime:
    """The instant `instant_text` wrote, in the offset it was written in."""
    return datetime.fromisoformat(text)


def _aware(moment: datetime) -> datetime:
    """`moment`, unless it is naive: it would be read back in whatever zone the reader
    assumed."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; the store keeps only "
                         "timezone-aware datetimes")
    return moment
