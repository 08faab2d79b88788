"""The last answers given, for the carts a checkout asks about again.

A checkout asks for the same cart again and again while the shopper moves through it
(the address, then the shipping step, then the payment step), and a platform may ask
twice for one page. Within one minute the answer cannot change: a quote is a pure
function of the request (its lines, the stock the store gave each, the destination, the
reference, the tags, the origin), the setup, the lateness history it is weighed by, and
the order's instant, which the domain reads only as its minute (`start_on_hand` keeps
the time to the minute, to apply the cutoff) and its date at each location. So an
answer this minute gave an equal request, on the same setup and history, is the answer,
but for the two instants it repeats (`created_at`, `ordered_at`), which are set anew.
`tests/app/test_recent_answers.py` holds that to account on every scenario cart.

Not kept: quotes that ask live carriers (a carrier may answer otherwise a second later)
and quotes with their trace (support's, made once). An answer of an earlier minute is
never found again (its key names its minute) and ages out: only the last `limit` are
kept. Threads may race to keep one key; both answers are right.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from rates.domain.cart import QuoteRequest
from rates.domain.confidence import Calibration
from rates.domain.quote.result import Quote
from rates.loading import Setup
from rates.wire.response import Detail


@dataclass(frozen=True, slots=True)
class Answer:
    """A quote given, and its wire document (shared: treat it as read-only)."""

    setup: Setup
    calibration: Calibration | None
    quote: Quote
    document: dict[str, Any]

    def again(self, quote_id: str, now: datetime,
              ordered_at: datetime) -> tuple[Quote, dict[str, Any]]:
        """The same answer, as quote `quote_id` made at `now` for an order at
        `ordered_at`: the instants are the request's, all else is shared."""
        quote = replace(self.quote, created_at=now, ordered_at=ordered_at)
        return quote, {**self.document, "id": quote_id, "created_at": now.isoformat(),
                       "ordered_at": ordered_at.isoformat()}


Key = tuple[QuoteRequest, str | None, Detail]


def minute_of(instant: datetime) -> datetime:
    """The UTC minute `instant` falls in: every instant of it gets one answer."""
    return instant.astimezone(UTC).replace(second=0, microsecond=0)


def answer_key(request: QuoteRequest, locale: str | None, detail: Detail) -> Key:
    """What an answer depends on besides the setup and history: the request with its
    instant as its minute, the locale it is worded in, and how much it says."""
    return request.ordered(minute_of(request.ordered_at)), locale, detail


class RecentAnswers:
    """The last `limit` answers given to requests asked more than once, by `answer_key`.

    Keeping an answer keeps a quote's objects alive past its request, for every full
    collection of the garbage collector to walk: kept for every cart, one-off carts cost
    a server a fifth of its throughput (`benchmarks/README.md`). So a request's first
    answer is only noted, by its key's hash (`seen`, an integer the collector does not
    walk); its second is kept, for the third and later asks. A hash that two keys share
    only decides what is kept: an answer is found by its whole key."""

    __slots__ = ("limit", "_answers", "_seen")

    def __init__(self, limit: int = 32) -> None:
        self.limit = limit
        self._answers: dict[Key, Answer] = {}
        self._seen: dict[int, None] = {}

    def find(self, key: Key, setup: Setup, calibration: Calibration | None) -> Answer | None:
        """The answer to `key` on `setup` weighed by `calibration`, if one was kept."""
        found = self._answers.get(key)
        if found is None or found.setup is not setup or found.calibration is not calibration:
            return None
        return found

    def keep(self, key: Key, answer: Answer) -> None:
        """Keep `answer` if `key` was asked before, forgetting the oldest kept when
        `limit` are; else note that it was asked."""
        asked, seen = hash(key), self._seen
        if asked not in seen:
            if len(seen) >= 64 * self.limit:
                seen.clear()
            seen[asked] = None
            return
        answers = self._answers
        while answers and len(answers) >= self.limit:
            answers.pop(next(iter(answers)), None)  # another thread may have taken it
        if self.limit:
            answers[key] = answer
