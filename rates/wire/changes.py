"""What changed between two quote documents of one cart, for the shopper.

Support re-estimates a stored quote: the old document is all that is left of it (the rules
and stock that made it are gone), so the comparison is of documents, option by option, in
the terms a shopper would notice: offered or not, price, delivery window, label.
"""

from __future__ import annotations

from typing import Any

_ASPECTS = (
    ("price", lambda o: f"{o['price']['amount']} {o['price']['currency']}"),
    ("delivery", lambda o: f"{o['delivery']['earliest']}..{o['delivery']['latest']}"),
    ("label", lambda o: o["label"]),
)


def document_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """Each change as {option, kind, old, new}: old options first, in their order, then
    options only the new quote offers."""
    before = {o["id"]: o for o in old["options"]}
    after = {o["id"]: o for o in new["options"]}
    found = []
    for option_id in [*before, *(key for key in after if key not in before)]:
        was, now = before.get(option_id), after.get(option_id)
        if was is None or now is None:
            found.append({"option": option_id, "kind": "visibility",
                          "old": "offered" if was else "not offered",
                          "new": "offered" if now else "not offered"})
            continue
        found.extend({"option": option_id, "kind": kind, "old": aspect(was), "new": aspect(now)}
                     for kind, aspect in _ASPECTS if aspect(was) != aspect(now))
    return found
