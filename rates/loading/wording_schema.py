"""The rules file's `wording:`: what shoppers read, by locale, checked when the file loads.

One mapping per locale ("en", "fr", "fr_CA"; "fr-CA" is the same tag):

    fr:
      window: "Livraison du {earliest} au {latest}"      # and the other window sentences
      items: {one: "{n} article arrive", other: "{n} articles arrivent"}
      plans: {together: "tout dans un seul colis"}
      services: {ups/ground: "UPS Standard"}
      rules: {no-express-for-backorders: "L'express ..."}  # a label or block rule's text

Every name is checked where it is written: a template's placeholders, a plan, a service
(against the carrier files), a rule id (against every rules file; only `label` and
`block` rules have words) and each item phrase's plural category (against the locale's
CLDR plural rule), each with its closest match when it is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import Formatter
from typing import Any

from babel import Locale, UnknownLocaleError
from marshmallow import ValidationError, fields, post_load, validates_schema

from rates.domain.phrases import PLURAL_CATEGORIES, Phrases
from rates.domain.plans import SHIPPING_PLANS, PlanKind
from rates.loading.checks import Check, Finding
from rates.loading.fields import NOT_EMPTY, ByKey, Choice
from rates.loading.known import known
from rates.loading.strict import Strict
from rates.wire.wording import ITEM_PLACEHOLDERS, PLACEHOLDERS, normal_tag

PLANS = [kind.value for kind in SHIPPING_PLANS]
"""The plans a rules file offers and labels (pickup is offered per location)."""
LABEL_PLACEHOLDERS = ("label", "service", "plan")
WORDED_ACTIONS = ("label", "block")
"""The rule actions whose text a shopper reads, and a locale may reword."""
SENTENCES_OF_A_DEFAULT = ("window", "single_day", "shipments")
"""What a default locale other than English must word: the built-in sentences are English."""


def placeholder_problem(text: str, placeholders: Sequence[str]) -> Finding | str | None:
    """Why `text` is not a template naming only `placeholders`, or None."""
    try:
        names = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError as error:
        return f"not a template: {error} (write {{{{ for a literal brace)"
    unknown = sorted(names - set(placeholders))
    if not unknown:
        return None
    allowed = ", ".join(f"{{{name}}}" for name in placeholders) or "no placeholder"
    return Finding(Check.UNKNOWN_REFERENCE, f"unknown placeholder {{{unknown[0]}}}: use {allowed}")


class TemplateText(fields.String):
    """A text with {placeholders}; only `placeholders` may be named, so a typo is caught
    when the file loads, not when a shopper's quote is worded."""

    def __init__(self, placeholders: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.placeholders = tuple(placeholders)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = placeholder_problem(text, self.placeholders)
        if problem is not None:
            raise ValidationError(problem)
        return text


def locale_tag(tag: str) -> str:
    """A locale tag babel knows, as voices look it up ("fr-CA" -> "fr_CA")."""
    normal = normal_tag(str(tag))
    try:
        Locale.parse(normal)
    except (UnknownLocaleError, ValueError) as error:
        raise ValidationError(Finding(Check.UNKNOWN_REFERENCE,
                                      f"unknown locale {tag!r}: {error}")) from None
    return normal


def plural_categories(tag: str) -> tuple[str, ...]:
    """The CLDR plural categories `tag`'s language uses, in CLDR order: ("one", "other")
    in en, ("one", "few", "many", "other") in pl and ru, ("other",) in ja."""
    used = Locale.parse(tag).plural_form.tags | {"other"}
    return tuple(category for category in PLURAL_CATEGORIES if category in used)


ItemsSchema = Strict.from_dict(
    {category: TemplateText(ITEM_PLACEHOLDERS) for category in PLURAL_CATEGORIES},
    name="ItemsSchema")


def _worded_rules(facts: Any) -> list[str] | None:
    rules: Mapping[str, str] | None = facts.rules
    return None if rules is None else [rule for rule, action in rules.items()
                                       if action in WORDED_ACTIONS]


class LocaleWordingSchema(Strict):
    """One locale's words: the window sentences, the item phrases, plan labels, service
    names and the texts of label and block rules."""

    window = TemplateText(PLACEHOLDERS["window"])
    single_day = TemplateText(PLACEHOLDERS["single_day"])
    dates = TemplateText(PLACEHOLDERS["dates"])
    shipments = TemplateText(PLACEHOLDERS["shipments"])
    part = TemplateText(PLACEHOLDERS["part"])
    separator = TemplateText(PLACEHOLDERS["separator"])
    pickup = TemplateText(PLACEHOLDERS["pickup"])
    pickup_restock = TemplateText(PLACEHOLDERS["pickup_restock"])
    guaranteed = TemplateText(PLACEHOLDERS["guaranteed"])
    items = fields.Nested(ItemsSchema)
    plans = ByKey(keys=Choice("plan", PLANS), values=fields.String(validate=NOT_EMPTY))
    services = ByKey(keys=Choice("service", lambda known: known.named_services),
                     values=fields.String(validate=NOT_EMPTY))
    rules = ByKey(keys=Choice("label or block rule", _worded_rules),
                  values=fields.String(validate=NOT_EMPTY))

    @validates_schema
    def _items_say_other(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "items" in data and "other" not in data["items"]:
            raise ValidationError({"items": [
                "give `other`: the phrase for every count no other category takes"]})

    @validates_schema
    def _labels_name_label_placeholders(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A label rule's text is a template like the rule's own; a block message is
        shown as written, like the rule's own."""
        actions = known().rules or {}
        errors = {rule: [problem] for rule, text in data.get("rules", {}).items()
                  if actions.get(rule) == "label"
                  and (problem := placeholder_problem(text, LABEL_PLACEHOLDERS)) is not None}
        if errors:
            raise ValidationError({"rules": errors})

    @post_load
    def _phrases(self, data: dict[str, Any], **kwargs: Any) -> Phrases:
        return Phrases(
            sentences={name: data[name] for name in PLACEHOLDERS if name in data},
            items=data.get("items", {}),
            plans={PlanKind(kind): text for kind, text in data.get("plans", {}).items()},
            services=data.get("services", {}),
            rules=data.get("rules", {}),
        )


class WordingField(ByKey):
    """`wording:`, one `LocaleWordingSchema` per locale tag; the item phrases' plural
    categories are checked against each locale's own plural rule."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(keys=fields.Function(deserialize=locale_tag),
                         values=fields.Nested(LocaleWordingSchema), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[Any, Any]:
        loaded = super()._deserialize(value, attr, data, **kwargs)
        written = {locale_tag(tag): tag for tag in value}  # the keys loaded, as written
        errors = {written[tag]: {"items": unused} for tag, phrases in loaded.items()
                  if (unused := _unused_categories(tag, phrases))}
        if errors:
            raise ValidationError(errors)
        return loaded


def _unused_categories(tag: str, phrases: Phrases) -> dict[str, list[Finding]]:
    """A phrase for a category the language never picks would never be read: say so at
    its key, with the categories the language does use."""
    categories = plural_categories(tag)
    return {category: [Finding(Check.UNKNOWN_KEY, f"{tag} has no {category!r} plural "
                               f"category: it uses {', '.join(categories)}", at_key=True)]
            for category in phrases.items if category not in categories}


def default_problem(default: str, wording: Mapping[str, Phrases]) -> str | None:
    """Why `default` cannot be the locale a shopper without words of their own reads, or
    None: a default other than English must word the sentences and the items itself."""
    language = default.split("_", 1)[0]
    if language == "en":
        return None
    words = Phrases()
    for tag in dict.fromkeys((language, default)):
        words = wording.get(tag, Phrases()).over(words)
    missing = [name for name in SENTENCES_OF_A_DEFAULT if name not in words.sentences]
    missing += [] if words.items else ["items"]
    if not missing:
        return None
    return (f"the default locale {default} must word what the built-in English would "
            f"otherwise say: give {', '.join(missing)} under wording: {default}")
