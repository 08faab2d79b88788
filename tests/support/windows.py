"""A delivery window's dates alone, for tests that compare them with a platform's answer
or an estimate (which carry no confidence)."""

from typing import Any


def dates(window: dict[str, Any]) -> dict[str, Any]:
    return {key: window[key] for key in ("earliest", "latest")}
