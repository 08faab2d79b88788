"""How values become SQLite TEXT columns.

JSON is compact with sorted keys, so equal documents are equal strings. Instants are ISO
8601 with their UTC offset, read back as the same instant in the same offset; because such
strings do not sort by instant across offsets, ordering uses `instant_key`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def instant_text(moment: datetime) -> str:
    """`moment` as ISO 8601 with its offset. A naive datetime is refused: it would be read
    back in whatever zone the reader assumed."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; the store keeps only "
                         "timezone-aware datetimes")
    return moment.isoformat()


def instant_key(moment: datetime) -> int:
    """Microseconds since the Unix epoch: sorts by instant whatever the offset."""
    return (moment - _EPOCH) // timedelta(microseconds=1)
