"""Whether a quote offers an option, withholds it by a rule, or lacks it.

Rule tests and rule diffs both speak of an option by id and say what became of it; they use
these words so a merchant reads the same thing in both ("hidden by no-oversize-by-usps").
"""

from __future__ import annotations

from rates.domain.quote.result import Option, Quote

OFFERED = "offered"
ABSENT = "absent"


def options_by_id(quote: Quote) -> dict[str, Option]:
    """Every option of `quote` by id: offered ones first, then those rules withheld (listed
    only when the quote was made with `explain`)."""
    return {option.id: option for option in (*quote.options, *quote.withheld)}


def visibility(option: Option | None) -> str:
    """"offered", "absent" (no such option), or which rules withheld it (`withholding_words`)."""
    if option is None:
        return ABSENT
    return withholding_words(option.hidden_by, option.blocked[0] if option.blocked else None)


def withholding_words(hidden_by: str | None, blocked_by: str | None) -> str:
    """"hidden by R", "blocked by R", both joined by "and", or "offered" for neither."""
    withheld = [f"{how} by {rule}" for how, rule in
                (("hidden", hidden_by), ("blocked", blocked_by)) if rule]
    return " and ".join(withheld) or OFFERED
