"""What the merchant wrote for shoppers of one locale (the rules file's `wording:`).

The domain only carries these words: it builds every option in the shop's own words (plan
labels, carrier service names, rule labels and block messages), and the shell rewords an
option for a shopper's locale from them (`rates.wire.voice`). Keeping the locale out of the
domain means one quote serves every locale: a stored quote, its trace and its prices are
the same whoever reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rates.domain.plans import PlanKind

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories, in CLDR's order; every locale uses `other`."""


@dataclass(frozen=True, slots=True)
class Phrases:
    """One locale's words; anything not given falls back to a less specific locale.

    - `sentences`: the window templates by name ("window", "single_day", ...).
    - `items`: the item phrase by CLDR plural category ("one", "few", "other"...), given
      whole or not at all: a phrase only makes sense with its own language's plural rule.
    - `plans`: plan labels; `services`: service names by key ("ups/ground");
    - `rules`: the text of a `label` or `block` rule, by rule id.
    """

    sentences: Mapping[str, str] = field(default_factory=dict)
    items: Mapping[str, str] = field(default_factory=dict)
    plans: Mapping[PlanKind, str] = field(default_factory=dict)
    services: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, str] = field(default_factory=dict)

    def over(self, earlier: Phrases) -> Phrases:
        """These phrases where given, else `earlier`'s: two rules files' wording for one
        locale merged, or a locale over a less specific one."""
        return Phrases(
            sentences={**earlier.sentences, **self.sentences},
            items=self.items or earlier.items,
            plans={**earlier.plans, **self.plans},
            services={**earlier.services, **self.services},
            rules={**earlier.rules, **self.rules},
        )
