"""Problems found while loading: collected across every file, reported together.

A merchant fixing a configuration wants the whole list at once, not one error per run, so
loaders never raise on the first problem: they add it here and carry on, and the builder
raises a single `ConfigError` at the end. Each problem names its file, line and column (of
the value, or of the key when the key is the mistake), its check and severity, and the
dotted path of the value ("rules[3].when.subtotal.at_least"). It reads, like a compiler's:

    rules/default.yaml:81:13: error: not an amount or percent: '-15 percent' [bad-value]
       81 |     adjust: "-15 percent"
          |             ^
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

from rates.domain.errors import ConfigError
from rates.loading.checks import Check, Finding, Severity, check_of, on_key, severity

if TYPE_CHECKING:
    from rates.loading.yamlio import YamlDoc

# marshmallow's stock wording, said the way a person editing YAML thinks of it.
_PLAIN = {
    "Field may not be null.": "must have a value (it is empty or null)",
    "Invalid input type.": "expected a mapping of keys to values",
    "Not a valid mapping type.": "expected a mapping of keys to values",
    "Not a valid list.": "expected a list",
    "Not a valid string.": "expected text",
    "Not a valid integer.": "expected a whole number",
}
_MISSING = "Missing data for required field."

# Wider lines are shown as a window around the column, so a one-line file stays readable.
_EXCERPT_WIDTH = 100


def child(path: str, key: object) -> str:
    """The dotted path of `key` under `path`: list indexes in brackets, keys after dots."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def ancestors(path: str) -> Iterator[str]:
    """`path`, then each enclosing path out to the document (""): `a.b[2]`, `a.b`, `a`, ""."""
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    yield ""


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest choice (ignoring case), or "" when none is close."""
    by_lower = {choice.lower(): choice for choice in choices}
    close = get_close_matches(str(word).lower(), list(by_lower), n=1)
    return f"; did you mean {by_lower[close[0]]!r}?" if close else ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, where it was found. `line` and `column` count from 1; 0 when the
    problem is about the whole file (it cannot be read, or is empty). `source` is the text
    of the line, for the caret excerpt."""

    file: str
    path: str
    message: str
    line: int = 0
    column: int = 0
    check_id: Check = Check.BAD_VALUE
    source: str = ""

    @property
    def severity(self) -> Severity:
        return severity(self.check_id)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message} [{self.check_id}]"

    def excerpt(self) -> str:
        """The line and a caret under the column, as two lines; "" without a position."""
        if not self.line:
            return ""
        text, offset = _window(self.source, self.column - 1)
        # Copy the tabs before the column, so the caret lines up however tabs are shown.
        pad = "".join(c if c == "\t" else " " for c in text[:offset])
        number = f"{self.line:>5}"
        return f"{number} | {text}\n{' ' * len(number)} | {pad}^"


def _window(text: str, offset: int) -> tuple[str, int]:
    """At most `_EXCERPT_WIDTH` characters of `text` around `offset`, and the new offset."""
    if len(text) <= _EXCERPT_WIDTH:
        return text, offset
    start = max(0, min(offset - _EXCERPT_WIDTH // 2, len(text) - _EXCERPT_WIDTH))
    shown = text[start:start + _EXCERPT_WIDTH]
    before = "..." if start else ""
    after = "..." if start + _EXCERPT_WIDTH < len(text) else ""
    return before + shown + after, offset - start + len(before)


def schema_problems(doc: YamlDoc, messages: Any) -> list[Problem]:
    """marshmallow's nested error messages as problems, each placed in `doc`."""
    return [_schema_problem(doc, path, text) for path, text in _flatten(messages, "")]


def _schema_problem(doc: YamlDoc, path: str, text: str) -> Problem:
    if text == _MISSING:
        key = path[path.rfind(".") + 1:]
        return doc.problem(path, f"required key {key!r} is missing", Check.MISSING_KEY)
    at_key = isinstance(text, Finding) and text.at_key
    return doc.problem(path, _PLAIN.get(text, text), check_of(text), at_key=at_key)


def _flatten(messages: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(messages, Mapping):
        # A Dict field's errors nest as {entry: {"key": [...]} or {"value": {...}}}: both
        # are about the entry itself, so neither word belongs in the merchant's path, but
        # a "key" problem is placed at the key. No schema here has a field named key or
        # value.
        dict_entry = bool(messages) and set(messages) <= {"key", "value"}
        for key, inner in messages.items():
            # "_schema" holds errors about the mapping itself, not about one of its keys.
            transparent = key == "_schema" or dict_entry
            found = _flatten(inner, path if transparent else child(path, key))
            if dict_entry and key == "key":
                found = ((where, on_key(text)) for where, text in found)
            yield from found
    elif isinstance(messages, list | tuple):
        for inner in messages:
            yield from _flatten(inner, path)
    else:
        yield path, messages if isinstance(messages, str) else str(messages)


class Problems:
    """The problems of one load, in the order files were read and positions within a file."""

    def __init__(self) -> None:
        self._found: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self._found.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._found.extend(problems)

    def ordered(self) -> list[Problem]:
        """Every problem once, by file (in reading order), then line and column."""
        files = list(dict.fromkeys(p.file for p in self._found))
        return sorted(dict.fromkeys(self._found),
                      key=lambda p: (files.index(p.file), p.line, p.column))

    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self._found)

    def raise_if_errors(self) -> None:
        """Raise one `ConfigError` listing every problem, warnings included, if any is an
        error; warnings alone let the setup load."""
        if self.has_errors():
            found = self.ordered()
            raise ConfigError([str(p) for p in found], found)
