"""The one hierarchy of errors the engine raises, each with a stable machine `code`.

The web and CLI shells turn a `RatesError` into `{"error": {"code", "message", "fields"}}`
or an exit status 2; the codes are part of the public contract, so never rename one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class RatesError(Exception):
    """Base class: a problem with the input or configuration that a person can fix."""

    code = "rates_error"
    status = 400
    """The HTTP status the web shell answers with."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidRequest(RatesError):
    """The cart or the quote request is malformed or contradicts itself."""

    code = "invalid_request"
    status = 422


class NotFound(RatesError):
    """A quote, order or other record the request names does not exist."""

    code = "not_found"
    status = 404


class Conflict(RatesError):
    """The request is valid, but what it relies on has changed since (a quote expired,
    stock was taken, an order id was used for another order): ask again."""

    code = "conflict"
    status = 409


class UnknownCurrency(RatesError):
    code = "unknown_currency"

    def __init__(self, currency: str) -> None:
        super().__init__(f"unknown or unsupported currency code {currency!r} (ISO 4217, e.g. USD)")
        self.currency = currency


class CurrencyMismatch(RatesError):
    code = "currency_mismatch"

    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine amounts in {left} and {right}")


class InvalidMoney(RatesError):
    code = "invalid_money"


class CalendarHorizonError(RatesError):
    """A date fell outside the span a calendar was built for; it never wraps or guesses."""

    code = "calendar_horizon"


class ProblemDetail(Protocol):
    """One configuration problem, structured: what `ConfigError.details` holds, so a shell
    can show or filter problems without parsing the text of `problems`."""

    @property
    def file(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def severity(self) -> str: ...
    @property
    def check_id(self) -> str: ...
    @property
    def message(self) -> str: ...


class ConfigError(RatesError):
    """The merchant's configuration, carriers or rules are invalid.

    `problems` lists every problem found, not only the first, one line each
    ("file:line:column: error: message [check-id]"); `details`, when the loader gives
    them, the same problems structured.
    """

    code = "config_error"

    def __init__(self, problems: list[str], details: Sequence[ProblemDetail] = ()) -> None:
        super().__init__(
            f"{len(problems)} problem(s) in the configuration:\n" + "\n".join(problems)
        )
        self.problems = problems
        self.details = list(details)


class StockChanged(Conflict):
    """The units an order would wait for are no longer where its quote found them."""

    code = "stock_changed"


class QuoteExpired(Conflict):
    code = "quote_expired"


class SetupUnavailable(Conflict):
    """A stored quote cannot be quoted again: the setup version that served it is not in
    the store, or no longer loads (`rates.app.setup_versions`)."""

    code = "setup_unavailable"


class OrderExists(Conflict):
    """The order id is already an order for another quote or option."""

    code = "order_exists"
