"""Problems found while loading: collected across every file, reported together.

A merchant fixing a configuration wants the whole list at once, not one error per run, so
loaders never raise on the first problem: they add it here and carry on, and the builder
raises a single `ConfigError` at the end. Each problem names its file and the dotted path
of the value ("rules[3].when.subtotal.at_least"), and remembers the line it was found on
so the list reads in file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from rates.domain.errors import ConfigError

# marshmallow's stock wording, said the way a person editing YAML thinks of it.
_PLAIN = {
    "Missing data for required field.": "required, but missing",
    "Field may not be null.": "must have a value (it is empty or null)",
    "Invalid input type.": "expected a mapping of keys to values",
    "Not a valid mapping type.": "expected a mapping of keys to values",
    "Not a valid list.": "expected a list",
    "Not a valid string.": "expected text",
    "Not a valid integer.": "expected a whole number",
}


def child(path: str, key: object) -> str:
    """The dotted path of `key` under `path`: list indexes in brackets, keys after dots."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest choice (ignoring case), or "" when none is close."""
    by_lower = {choice.lower(): choice for choice in choices}
    close = get_close_matches(str(word).lower(), list(by_lower), n=1)
    return f"; did you mean {by_lower[close[0]]!r}?" if close else ""


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    path: str
    message: str
    line: int = 0

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


def schema_problems(file: str, messages: Any, lines: Mapping[str, int]) -> list[Problem]:
    """marshmallow's nested error messages as problems, each placed at its value's line."""
    return [Problem(file, path, _PLAIN.get(text, text), line_of(path, lines))
            for path, text in _flatten(messages, "")]


def line_of(path: str, lines: Mapping[str, int]) -> int:
    """The line of `path`, or of its nearest ancestor that has one (a missing key's parent)."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get("", 0)


def _flatten(messages: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(messages, Mapping):
        # A Dict field's errors nest as {entry: {"key": [...]} or {"value": {...}}}: both
        # are about the entry itself, so neither word belongs in the merchant's path. No
        # schema here has a field named key or value.
        dict_entry = bool(messages) and set(messages) <= {"key", "value"}
        for key, inner in messages.items():
            # "_schema" holds errors about the mapping itself, not about one of its keys.
            transparent = key == "_schema" or dict_entry
            yield from _flatten(inner, path if transparent else child(path, key))
    elif isinstance(messages, list | tuple):
        for inner in messages:
            yield from _flatten(inner, path)
    else:
        yield path, str(messages)


class Problems:
    """The problems of one load, in the order files were read and lines within a file."""

    def __init__(self) -> None:
        self._found: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self._found.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._found.extend(problems)

    def raise_if_any(self) -> None:
        if not self._found:
            return
        files = list(dict.fromkeys(p.file for p in self._found))
        ordered = sorted(dict.fromkeys(self._found),
                         key=lambda p: (files.index(p.file), p.line))
        raise ConfigError([str(p) for p in ordered])
