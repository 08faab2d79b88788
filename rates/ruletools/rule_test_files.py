"""Reading rule test files (`*.test.yaml`): the format, documented at the top of
rules/default.test.yaml, and its checks.

Reading is as strict as the rules' own loader, and speaks the same way: every problem in
every file is reported before any test runs, at its line and column, naming the test. A
malformed test must not pass by testing less than it says.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validates_schema

from rates.app.instants import ordered_at, parse_instant
from rates.domain.errors import RatesError
from rates.domain.plans import PlanKind
from rates.domain.stock import DateRange, StockClass
from rates.loading.checks import Check
from rates.loading.fields import NOT_EMPTY, Amount, Choice, Day, Flag, Id
from rates.loading.problems import Problem, Problems, did_you_mean, schema_problems
from rates.loading.strict import Strict
from rates.loading.yamlio import YamlDoc, plain, read_yaml
from rates.ruletools.rule_tests import (
    Expectation,
    RuleTest,
    RuleTestError,
    RuleTestFile,
)

_PLANS = [str(kind) for kind in PlanKind]


def _option_id(value: str) -> None:
    parts = value.split("/")
    if parts[0] == PlanKind.PICKUP and len(parts) == 2 and parts[1]:
        return  # a store's pickup: pickup/<location>
    if len(parts) != 3 or not all(parts):
        raise ValidationError(
            f"{value!r} is not an option id: write plan/carrier/service, e.g. "
            "together/ups/ground, or pickup/<location>")
    if parts[0] not in _PLANS:
        raise ValidationError(f"unknown plan {parts[0]!r}{did_you_mean(parts[0], _PLANS)} "
                              f"(one of: {', '.join(_PLANS)})")


class _Instant(fields.Field[datetime]):
    """An instant with its offset, quoted or not (YAML reads an unquoted one itself)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value
        try:
            return parse_instant(value if isinstance(value, str) else str(value))
        except ValueError as error:
            raise ValidationError(str(error)) from None


class _Cart(fields.Field[str | dict[str, Any]]):
    """A cart: a JSON file's path (relative to the test file), or the request inline."""

    def _deserialize(self, value: Any, attr: Any, data: Any,
                     **kwargs: Any) -> str | dict[str, Any]:
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, dict):
            return plain(value)  # type: ignore[no-any-return]
        raise ValidationError("give a cart file's path (relative to this file), or the cart "
                              "request as a mapping")


class _Delivery(Strict):
    earliest = Day(required=True)
    latest = Day(required=True)

    @validates_schema
    def _ordered(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if "earliest" in data and "latest" in data and data["latest"] < data["earliest"]:
            raise ValidationError("latest is before earliest", "latest")

    @post_load
    def _range(self, data: Mapping[str, Any], **kwargs: Any) -> DateRange:
        return DateRange(data["earliest"], data["latest"])


class _Expectation(Strict):
    option = fields.String(required=True, validate=_option_id)
    price = Amount()
    delivery = fields.Nested(_Delivery)
    label = fields.String()
    hidden_by = Id()
    blocked_by = Id()
    absent = Flag()

    @validates_schema
    def _absent_alone(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        others = sorted(data.keys() - {"option", "absent"})
        if data.get("absent") and others:
            raise ValidationError(f"an absent option has no {' or '.join(others)}", "absent")

    @post_load
    def _expectation(self, data: Mapping[str, Any], **kwargs: Any) -> Expectation:
        return Expectation(**data)


class _Test(Strict):
    name = fields.String(required=True, validate=NOT_EMPTY)
    cart = _Cart(required=True)
    at = _Instant()
    expect = fields.List(fields.Nested(_Expectation))
    stock = Choice("stock", [str(kind) for kind in StockClass])
    messages = fields.List(fields.String(validate=NOT_EMPTY))

    @validates_schema
    def _expects_something(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if not data.get("expect") and "stock" not in data and not data.get("messages"):
            raise ValidationError("the test expects nothing: give expect, stock or messages")
        seen: set[str] = set()
        for expectation in data.get("expect") or ():
            if expectation.option in seen:
                raise ValidationError(f"{expectation.option} is expected twice", "expect")
            seen.add(expectation.option)


class _File(Strict):
    # Each test is loaded on its own (`_TEST`), so one broken test does not hide the
    # problems of its cart, or those of the tests after it.
    tests = fields.List(fields.Raw(), required=True, validate=NOT_EMPTY)


_FILE = _File()
_TEST = _Test()


def default_files(config: Path) -> list[Path]:
    """The *.test.yaml files in the config's rules directory (`rules:`, default rules/)."""
    doc = read_yaml(config, str(config))
    if not doc.parsed:
        raise RatesError("; ".join(str(problem) for problem in doc.problems))
    written = doc.data.get("rules", "rules/") if isinstance(doc.data, Mapping) else "rules/"
    folder = config.parent / str(written)
    found = sorted(folder.glob("*.test.yaml"))
    if not found:
        raise RatesError(f"no rule tests (*.test.yaml) in {folder}")
    return found


def read_files(paths: Iterable[Path]) -> list[RuleTestFile]:
    """Every file read and checked; `RuleTestError` listing the problems of them all."""
    problems = Problems()
    files = [_read(path, problems) for path in paths]
    if problems.has_errors():
        raise RuleTestError([str(problem) for problem in problems.ordered()])
    return files


def _read(path: Path, problems: Problems) -> RuleTestFile:
    doc = read_yaml(path, str(path))
    found = list(doc.problems)
    tests: list[RuleTest] = []
    if doc.parsed:
        for index, raw in enumerate(_loaded(doc, _FILE, doc.data, "", found).get("tests", ())):
            data = _loaded(doc, _TEST, raw, f"tests[{index}]", found)
            test = _test(path, doc, index, data, found) if data else None
            tests += [test] if test else []
        found.extend(_same_names(doc))
    problems.extend(_naming_the_test(problem, doc) for problem in found)
    return RuleTestFile(path, doc, tuple(tests))


def _loaded(doc: YamlDoc, schema: Schema, value: Any, path: str,
            problems: list[Problem]) -> Any:
    """`value`, found at `path` in `doc` (one test, or "" for the whole file), loaded by
    `schema`; {} with the problems noted if it does not load."""
    try:
        return schema.load({} if value is None else value)
    except ValidationError as error:
        problems.extend(schema_problems(doc, {path: error.messages} if path else error.messages))
        return {}


def _test(path: Path, doc: YamlDoc, index: int, data: Mapping[str, Any],
          problems: list[Problem]) -> RuleTest | None:
    """A loaded test with its cart read, or None with the problems noted."""
    cart = data["cart"]
    if isinstance(cart, str):
        cart, why = _cart_file(path.parent / cart)
        if why:
            problems.append(doc.problem(f"tests[{index}].cart", why, Check.MISSING_FILE))
            return None
    instant = data.get("at") or ordered_at(cart)
    if instant is None:
        problems.append(doc.problem(
            f"tests[{index}]", "no instant to quote at: give `at`, or an `ordered_at` with "
            "its offset in the cart (else the dates would move with today)", Check.MISSING_KEY))
        return None
    return RuleTest(
        name=data["name"], index=index, cart=cart, at=instant,
        expect=tuple(data.get("expect") or ()),
        stock=StockClass(data["stock"]) if "stock" in data else None,
        messages=tuple(data.get("messages") or ()))


def _cart_file(path: Path) -> tuple[dict[str, Any], str]:
    """The cart at `path`, or an empty one and why it could not be read."""
    try:
        cart = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return {}, f"cannot read {path}: {error.strerror}"
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return {}, f"{path} is not valid JSON: {error}"
    if not isinstance(cart, dict):
        return {}, f"{path} is not a cart: expected a JSON object"
    return cart, ""


def _same_names(doc: YamlDoc) -> list[Problem]:
    """A second test of the same name: the PASS/FAIL lines could not be told apart."""
    first: dict[str, int] = {}
    found = []
    for index, name in _written_names(doc).items():
        if name in first:
            found.append(doc.problem(f"tests[{index}].name", f"the name is already used by "
                                     f"tests[{first[name]}]", Check.DUPLICATE_ID))
        first.setdefault(name, index)
    return found


def _written_names(doc: YamlDoc) -> dict[int, str]:
    """Each test's name as written (a malformed file still names most of its tests)."""
    tests = doc.data.get("tests") if isinstance(doc.data, Mapping) else None
    return {i: test["name"] for i, test in enumerate(tests if isinstance(tests, list) else [])
            if isinstance(test, Mapping) and isinstance(test.get("name"), str)}


def _naming_the_test(problem: Problem, doc: YamlDoc) -> Problem:
    """`problem`, saying which test it is in: a line number alone is hard to act on."""
    for index, name in _written_names(doc).items():
        if problem.path == f"tests[{index}]" or problem.path.startswith(
                (f"tests[{index}].", f"tests[{index}][")):
            return replace(problem, message=f"{problem.message} (in test {name!r})")
    return problem
