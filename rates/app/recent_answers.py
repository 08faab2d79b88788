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

The answer's JSON text is kept too. A quote document begins with its id and those two
instants (`rates.wire.response.quote_document`), so the text of an answer given again is
those three values written anew before the rest of the kept text, as it is: the same
bytes `document_text` writes for the new document, without writing 24 KB again.

Not kept: quotes that ask live carriers (a carrier may answer otherwise a second later)
and quotes with their trace (support's, made once). An answer of an earlier minute is
never found again (its key names its minute) and ages out: only the last `limit` are
kept. Threads may race to keep one key; both answers are right.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from rates.domain.cart import QuoteRequest
from rates.domain.confidence import Calibration
from rates.domain.quote.result import Quote
from rates.loading import Setup
from rates.wire.jsontext import document_text
from rates.wire.response import Detail


@dataclass(frozen=True, slots=True)
class Answer:
    """A quote given, its wire document (shared: treat it as read-only) and the
    document's JSON text (`document_text`)."""

    setup: Setup
    calibration: Calibration | None
    quote: Quote
    document: dict[str, Any]
    text: bytes
    rest: bytes = field(init=False, repr=False, compare=False)
    """`text` after the document's id and instants: `,"reference":...}`."""

    def __post_init__(self) -> None:
        head = _head(self.document["id"], self.document["created_at"],
                     self.document["ordered_at"])
        if not self.text.startswith(head):
            raise ValueError("a kept answer's text must begin with its id and instants")
        object.__setattr__(self, "rest", self.text[len(head):])

    def again(self, quote_id: str, now: datetime,
              ordered_at: datetime) -> tuple[Quote, dict[str, Any], bytes]:
        """The same answer, as quote `quote_id` made at `now` for an order at
        `ordered_at`, with its text: the instants are the request's, all else is
        shared."""
        quote = replace(self.quote, created_at=now, ordered_at=ordered_at)
        made, ordered = now.isoformat(), ordered_at.isoformat()
        document = {**self.document, "id": quote_id, "created_at": made,
                    "ordered_at": ordered}
        return quote, document, _head(quote_id, made, ordered) + self.rest


def _head(quote_id: str, created_at: str, ordered_at: str) -> bytes:
    """The text a quote document begins with: its id and instants, the object left open."""
    return document_text({"id": quote_id, "created_at": created_at,
                          "ordered_at": ordered_at})[:-1]


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
