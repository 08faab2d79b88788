"""A stored quote quoted again, on the setup version that served it, with what it read.

The store keeps a quote's request, its answer, the setup version that served it
(`rates.app.setup_versions`) and its inputs: the stock of its SKUs and the live carriers'
answers (`QuoteInputs`). Quoting the request again on that setup, with those inputs, at
the quote's instant, gives that quote again (a test checks it, byte for byte): so support
gets its trace (`Detail.EXPLAIN`) and an order its shipments in full (`Detail.FULL`)
from the answer a checkout got, which carries neither. The code is today's: a quote
stored by an older release replays with the fixes made since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rates.app.calibration import Calibrations
from rates.app.cart_quotes import LiveRates, quote_cart, voice
from rates.app.setup_versions import SetupVersions
from rates.domain.catalog import Carrier
from rates.domain.errors import SetupUnavailable
from rates.domain.live_rates import LiveAnswer, RateRequest
from rates.store import QuoteRecord
from rates.wire.response import Detail, quote_document


class Heard:
    """Live carriers asked through `live`, remembering their answers in the order asked:
    what a replay of the quote hears again (`QuoteInputs.live`)."""

    def __init__(self, live: LiveRates) -> None:
        self._live = live
        self.answers: tuple[LiveAnswer | None, ...] = ()

    def __call__(self, asks: Sequence[RateRequest],
                 carriers: Mapping[str, Carrier]) -> Mapping[RateRequest, LiveAnswer]:
        answers = self._live(asks, carriers)
        self.answers = tuple(answers.get(ask) for ask in asks)
        return answers


def _answering(answers: Sequence[LiveAnswer | None]) -> LiveRates:
    """Live carriers that answer what they answered for a stored quote: a replay asks the
    same questions, in the same order."""
    def ask(asks: Sequence[RateRequest],
            carriers: Mapping[str, Carrier]) -> Mapping[RateRequest, LiveAnswer]:
        return {ask: answer for ask, answer in zip(asks, answers, strict=False)
                if answer is not None}
    return ask


@dataclass(frozen=True, slots=True)
class Replays:
    """What replays a stored quote besides its record: the setup versions that served
    quotes, and the lateness histories that weighed them."""

    versions: SetupVersions
    calibrations: Calibrations


def replayed(record: QuoteRecord, replays: Replays, detail: Detail) -> dict[str, Any] | None:
    """`record`'s document saying as much as `detail` says, as it would have been written
    when the quote was made; None for a quote stored without what replays it (before
    quotes kept their inputs, or made on a setup built in code): its document says
    everything. Raises `SetupUnavailable` when its setup version, or the lateness history
    its windows were weighed by, cannot be loaded."""
    if record.setup is None or record.inputs is None:
        return None
    setup = replays.versions.setup(record.setup, record.created_at)
    inputs = record.inputs
    calibration = None
    if inputs.calibration is not None:
        calibration = replays.calibrations.stored(inputs.calibration, setup)
        if calibration is None:
            raise SetupUnavailable(f"the lateness history {inputs.calibration} that weighed "
                                   "this quote is not in the store: quote the cart again")
    result = quote_cart(setup, record.request, now=record.created_at,
                        explain=detail is Detail.EXPLAIN, inventory=inputs.stock.get,
                        live=None if inputs.live is None else _answering(inputs.live),
                        calibration=calibration)
    return quote_document(result, record.id, voice(setup, record.request), detail=detail)
