"""Which words a shopper reads: the merchant's wording chosen for the shopper's locale.

A locale speaks only if the merchant gave it words (the rules file's `wording:`), or it is
the shop's default locale (`wording_default`, English unless set) or that locale's
language. The most specific speaking locale wins, word by word: for "fr_CA", the words of
`fr_CA`, then of `fr`, then of the default locale, then the shop's own (plan labels, rule
texts and carrier names as the rules and carrier files write them) and the built-in
English templates. Dates and numbers are written in the shopper's locale.

A locale that does not speak (Japanese in a shop with no `ja` words) reads the default
locale whole: its words, its dates and its plural rule. Mixing would be worse than either:
English phrases under Japanese plural rules read "1 items arrive".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from rates.domain.phrases import Phrases
from rates.domain.plans import PlanKind
from rates.domain.policy import Ruleset
from rates.domain.quote.labels import relabel
from rates.domain.quote.result import Message, Option
from rates.domain.tables import Bounded
from rates.wire.wording import (
    DEFAULT_TEMPLATES,
    Plurals,
    Templates,
    describe_option,
    guaranteed_by,
    normal_tag,
)

DESCRIPTIONS = 4096
"""Descriptions a voice keeps, by the delivery windows and units of an option's shipments."""


@dataclass(frozen=True, slots=True)
class Voice:
    """The words of one locale, ready to word a quote's options and messages.

    `locale` writes dates and numbers; `plans`, `services` and `rules` hold only the words
    the merchant wrote for the locale (plan labels, service names, rule texts by rule id);
    anything else reads as quoted, with the shop's plan labels `shop_plans`.
    """

    locale: str
    templates: Templates
    shop_plans: Mapping[PlanKind, str]
    plans: Mapping[PlanKind, str]
    services: Mapping[str, str]
    rules: Mapping[str, str]
    _described: Bounded[tuple[object, ...], str] = field(
        default_factory=lambda: Bounded(DESCRIPTIONS), compare=False, repr=False)

    def describe(self, option: Option) -> str:
        """What the shopper reads under the option: its delivery window(s). Written once
        per voice for each shipping option's windows and units, and whether its last day
        is guaranteed: a setup's quotes word the same few over and over (a pickup's words
        also name its hours, and are not kept)."""
        if option.plan is PlanKind.PICKUP:
            return describe_option(option, self.locale, self.templates)
        key = (guaranteed_by(option),
               *((s.window.delivery, s.plan.units) for s in option.shipments))
        found = self._described.get(key)
        if found is None:
            found = self._described.keep(key, describe_option(option, self.locale,
                                                              self.templates))
        return found

    def service_name(self, option: Option) -> str:
        return self.services.get(option.service.key, option.service.name)

    def label(self, option: Option) -> str:
        """The option's label in these words (`relabel`); the quote's own when no word of
        it changes."""
        service = self.service_name(option)
        plan = self.plans.get(option.plan)
        if plan is None and service == option.service.name and not self.rules:
            return option.label
        # A pickup has no plan label: its label is its service's name.
        return relabel(option, service, plan or self.shop_plans.get(option.plan), self.rules)

    def message(self, message: Message) -> str:
        """A quote message; a block rule's in the locale's words when it has them."""
        return self.rules.get(message.rule, message.message) if message.rule else message.message

    def blocked(self, blocked: tuple[str, str]) -> str:
        """The message of a block rule, given as (rule id, message)."""
        rule, message = blocked
        return self.rules.get(rule, message)


def voice_for(ruleset: Ruleset, tag: str | None) -> Voice:
    """The words a shopper of locale `tag` ("fr", "fr-CA", "fr_CA"; None: the default)
    reads under `ruleset`: worked out once per ruleset and tag, and kept by the ruleset
    (`Ruleset.voices`) with the descriptions it has written."""
    found = ruleset.voices.get(tag)
    if isinstance(found, Voice):
        return found
    made = _voice(ruleset, tag)
    ruleset.voices.keep(tag, made)
    return made


def _voice(ruleset: Ruleset, tag: str | None) -> Voice:
    wording, default = ruleset.wording, ruleset.wording_default
    # The shopper's locale and its language when either speaks, else the default's.
    speaking = _speaking(normal_tag(tag), wording, default) or _candidates(default)
    # Least specific first, each once: the default locale's words under the shopper's own.
    chain = list(dict.fromkeys([*_candidates(default), *speaking]))
    words = Phrases()
    for locale in chain:
        words = wording.get(locale, Phrases()).over(words)
    # Item phrases travel with the plural rule of the locale that wrote them.
    plurals = next((Plurals(tuple(wording[locale].items.items()), locale)
                    for locale in reversed(chain)
                    if locale in wording and wording[locale].items), DEFAULT_TEMPLATES.items)
    return Voice(
        locale=speaking[-1],
        templates=replace(DEFAULT_TEMPLATES, **words.sentences, items=plurals),
        shop_plans=ruleset.plans.labels,
        plans=words.plans,
        services=words.services,
        rules=words.rules,
    )


def _candidates(tag: str) -> list[str]:
    """"fr_CA" -> ["fr", "fr_CA"]: least specific first."""
    language = tag.split("_", 1)[0]
    return [language] if language == tag else [language, tag]


def _speaking(tag: str, wording: Mapping[str, Phrases], default: str) -> list[str]:
    """`tag` and its language, least specific first, if either speaks; else []."""
    if not tag:
        return []
    own = set(_candidates(default)) | set(wording)
    candidates = _candidates(tag)
    return candidates if any(c in own for c in candidates) else []
