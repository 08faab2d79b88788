"""The checks a setup goes through, each with a stable id and a severity.

The ids are a contract: `rates check --format json` prints them, editors and CI scripts
filter on them, so never rename one. Four checks are warnings: a shadowed zone, an
unreachable rule and a location without a place on the map leave a setup that works, just
not as the merchant probably meant, and a missing secret is about the environment of one
run, not the files.

Problems found inside marshmallow travel as its error messages, which are plain strings;
a `Finding` is a string that also carries its check and whether it is about the key rather
than the value, so that the fact survives marshmallow's nesting and merging untouched.
"""

from __future__ import annotations

from enum import StrEnum


class Check(StrEnum):
    YAML_SYNTAX = "yaml-syntax"
    """Not YAML at all: the parser stopped."""
    ENCODING = "encoding"
    """Not UTF-8: refused at the first byte that is not, rather than read as mojibake."""
    HOSTILE_INPUT = "hostile-input"
    """Too large, too deep, or aliases that expand beyond reason: refused before use."""
    MISSING_FILE = "missing-file"
    """A file or directory the configuration names cannot be read."""
    DUPLICATE_KEY = "duplicate-key"
    UNKNOWN_KEY = "unknown-key"
    MISSING_KEY = "missing-key"
    YAML_TRAP = "yaml-trap"
    """What YAML reads differently from what was meant: NO as false, 02134 as octal..."""
    BAD_VALUE = "bad-value"
    """A value of the wrong form, or out of range: the default for schema problems."""
    UNKNOWN_REFERENCE = "unknown-reference"
    """A name that is none of the names it may be: zones, services, plans, time zones..."""
    DUPLICATE_ID = "duplicate-id"
    """One id given to two things that must be told apart."""
    RATE_TABLE = "rate-table"
    TRANSIT_RANGE = "transit-range"
    SHADOWED_ZONE = "shadowed-zone"
    UNREACHABLE_RULE = "unreachable-rule"
    MISSING_SECRET = "missing-secret"  # noqa: S105 (a check id, not a secret)
    """A variable the config names for a secret is unset or empty where the check runs."""
    UNPLACED_LOCATION = "unplaced-location"
    """A location no postcode table places and without `coordinates`: no distance."""


class Severity(StrEnum):
    ERROR = "error"
    """The setup is refused: nothing loads until it is fixed."""
    WARNING = "warning"
    """The setup loads; the merchant should still look."""


_WARNINGS = frozenset({Check.SHADOWED_ZONE, Check.UNREACHABLE_RULE, Check.MISSING_SECRET,
                       Check.UNPLACED_LOCATION})


def severity(check: Check) -> Severity:
    return Severity.WARNING if check in _WARNINGS else Severity.ERROR


class Finding(str):
    """A problem message that knows its check, and whether it points at a key."""

    check: Check
    at_key: bool

    def __new__(cls, check: Check, text: str, *, at_key: bool = False) -> Finding:
        found = super().__new__(cls, text)
        found.check = check
        found.at_key = at_key
        return found


def check_of(message: str) -> Check:
    """The check a schema message belongs to: its own, else bad-value."""
    return message.check if isinstance(message, Finding) else Check.BAD_VALUE


def on_key(message: str) -> Finding:
    """The same message, placed at the key: a mapping key that is itself the mistake."""
    return Finding(check_of(message), message, at_key=True)
