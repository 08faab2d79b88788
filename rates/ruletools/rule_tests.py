"""Rule tests: sample carts and the options a merchant expects for them, checked against
real quotes, so a rule edit that changes a price nobody meant to change fails loudly.

A test file (`*.test.yaml`, read by `rates.ruletools.rule_test_files`) tests the rules in its own
directory, quoted on the config's locations, carriers and inventory. A test states only
what it cares about: an option's price and not its window is a valid test. Every test runs
at a fixed instant, or its dates would move with today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rates.domain.errors import RatesError
from rates.domain.quote.result import Option, Quote
from rates.domain.stock import DateRange, StockClass
from rates.loading.checks import Check
from rates.loading.problems import Problem
from rates.loading.yamlio import YamlDoc
from rates.ruletools.replay import CartRefused, Replay
from rates.ruletools.visibility import OFFERED, options_by_id, visibility, withholding_words


class RuleTestError(RatesError):
    """Rule test files are malformed, or a test's cart is refused; `problems` lists each
    the way the loader words a problem in a configuration file."""

    code = "rule_test_invalid"

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("malformed rule tests:\n  " + "\n  ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class Expectation:
    """What one option must look like. Unset parts are not checked; with neither
    `hidden_by` nor `blocked_by` the option must be offered."""

    option: str
    price: Decimal | None = None
    delivery: DateRange | None = None
    label: str | None = None
    hidden_by: str | None = None
    blocked_by: str | None = None
    absent: bool = False

    @property
    def visibility(self) -> str:
        return withholding_words(self.hidden_by, self.blocked_by)


@dataclass(frozen=True, slots=True)
class RuleTest:
    """One test: a cart, the instant to quote it at, and what the quote must say."""

    name: str
    index: int
    """Its place in the file's `tests`, for problems found when it runs."""
    cart: Mapping[str, Any]
    at: datetime
    """The instant the cart is quoted at: the test's `at`, else the cart's `ordered_at`."""
    expect: tuple[Expectation, ...] = ()
    stock: StockClass | None = None
    messages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleTestFile:
    """A test file's tests; they test the rules in the file's directory."""

    path: Path
    doc: YamlDoc
    """The file as read: problems found when a test runs point into it."""
    tests: tuple[RuleTest, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A test run: passed when the quote met every expectation."""

    test: RuleTest
    differences: tuple[str, ...]
    """One readable line per expectation the quote did not meet."""

    @property
    def passed(self) -> bool:
        return not self.differences


def run(files: Iterable[RuleTestFile], config: Path) -> list[Outcome]:
    """Every test quoted on the rules beside its file. `ConfigError` if those rules or the
    config are broken; `RuleTestError` if the engine refuses a test's cart."""
    outcomes = []
    for file in files:
        replay = Replay(config, rules=file.path.parent)
        for test in file.tests:
            try:
                quote = replay.quote(test.cart, at=test.at, now=test.at)
            except CartRefused as error:
                raise RuleTestError([str(_refused(file, test, error))]) from error
            outcomes.append(check(test, quote))
    return outcomes


def _refused(file: RuleTestFile, test: RuleTest, error: CartRefused) -> Problem:
    why = "; ".join([error.message, *(f"{field}: {', '.join(problems)}"
                                      for field, problems in sorted(error.fields.items()))])
    return file.doc.problem(f"tests[{test.index}].cart", f"the engine refused the cart: "
                            f"{why} (in test {test.name!r})", Check.BAD_VALUE)


def check(test: RuleTest, quote: Quote) -> Outcome:
    """How `quote` differs from what `test` expects, one line per unmet expectation."""
    differences = [line for expectation in test.expect
                   for line in _differences(expectation, quote)]
    if test.stock is not None and quote.stock != test.stock:
        differences.append(f"stock: expected {test.stock}, got {quote.stock or 'none'}")
    said = [f"[{m.code}] {m.message}" for m in quote.messages]
    for wanted in test.messages:
        if not any(wanted in (m.code, m.message) for m in quote.messages):
            differences.append(f"messages: expected {wanted!r}, got "
                               f"{'; '.join(said) if said else 'none'}")
    return Outcome(test, tuple(differences))


def _differences(expected: Expectation, quote: Quote) -> list[str]:
    name = expected.option
    option = options_by_id(quote).get(name)
    if expected.absent:
        return [] if option is None else [f"{name}: expected absent, got {visibility(option)}"]
    if option is None:
        return [f"{name}: expected {expected.visibility}, got absent{_why_absent(name, quote)}"]
    found = []
    if not _withheld_as_expected(expected, option):
        found.append(f"{name}: expected {expected.visibility}, got {visibility(option)}")
    if expected.price is not None and option.price.amount != expected.price:
        found.append(f"{name} price: expected {expected.price}, got {option.price.amount}")
    if expected.delivery is not None and option.delivery != expected.delivery:
        found.append(f"{name} delivery: expected {expected.delivery}, got {option.delivery}")
    if expected.label is not None and option.label != expected.label:
        found.append(f"{name} label: expected {expected.label!r}, got {option.label!r}")
    return found


def _why_absent(option_id: str, quote: Quote) -> str:
    """Why no service could carry the option, else which options the quote does have."""
    reason = next((u.reason for u in quote.unoffered if u.option_id == option_id), None)
    if reason:
        return f" ({reason})"
    offered = ", ".join(option.id for option in quote.options) or "none"
    withheld = ", ".join(f"{option.id} ({visibility(option)})" for option in quote.withheld)
    return f"; offered: {offered}" + (f"; withheld: {withheld}" if withheld else "")


def _withheld_as_expected(expected: Expectation, option: Option) -> bool:
    if expected.hidden_by or expected.blocked_by:
        blocked_by = option.blocked[0] if option.blocked else None
        return ((expected.hidden_by is None or option.hidden_by == expected.hidden_by)
                and (expected.blocked_by is None or blocked_by == expected.blocked_by))
    return visibility(option) == OFFERED
