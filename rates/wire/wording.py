"""Customer-facing wording of delivery windows, with dates localised by babel.

Pure: no I/O, no clock. The sentences come from `Templates` (English by default; the
merchant's per locale are chosen by `rates.wire.voice`); the dates and numbers follow the
locale, and the item phrase follows the plural rule of the locale it was written for. With
the defaults a one-shipment option reads

    Arrives Nov 24 - Nov 27
    Arrives Dec 16                                  (earliest == latest)
    Arrives Dec 30, 2026 - Jan 11, 2027             (the window crosses a new year)

and an option in several shipments names each one, in the option's shipment order:

    2 shipments: 4 items arrive Nov 24 - Nov 27; 1 item arrives Dec 16

and an option whose last day is the carrier's guarantee (its service is guaranteed and
nothing in it waits for a restock, whose date is the supplier's word, not the carrier's)
names that day with its weekday (CLDR skeleton `MMMEd`: "Wed, Nov 25" in en, "mer. 25
nov." in fr, "Mi., 25. Nov." in de):

    Guaranteed by Wed, Nov 25

and a pickup says when it is ready for collection, and the store's hours when given:

    Ready for pickup Nov 23 - Nov 24; Mon-Fri 10:00-18:00
    Ready from Dec 21 (restock due); Mon-Fri 10:00-18:00      (waiting for a restock)

Dates use the locale's own order for month-abbreviation-and-day (CLDR skeleton `MMMd`:
"Dec 16" in en, "16 déc." in fr, "16. Dez." in de). A year appears only when the earliest
and latest dates of one window lie in different years, and then on both (skeleton `yMMMd`).
All windows are inclusive at both ends and are calendar dates at the destination: no time
zone applies here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from rates.domain.plans import PlanKind
from rates.domain.quote.result import Option
from rates.domain.stock import DateRange
from rates.domain.window import Collect

DEFAULT_LOCALE = "en"


@dataclass(frozen=True, slots=True)
class Plurals:
    """The item phrase ("{n} items arrive") by CLDR plural category, with the locale whose
    plural rule picks the category: a phrase is only right under its own language's rule
    (Japanese has only "other", so English phrases under it read "1 items arrive").

    `phrases` is a tuple of (category, template) pairs, so that `Templates` stays hashable;
    a category the phrases do not name uses `other`, which they always name.
    """

    phrases: tuple[tuple[str, str], ...] = (("one", "{n} item arrives"),
                                            ("other", "{n} items arrive"))
    rule: str = DEFAULT_LOCALE

    def phrase(self, n: int) -> str:
        """The template for `n` items, not yet filled."""
        by_category = dict(self.phrases)
        return by_category.get(_locale(self.rule).plural_form(n), by_category["other"])


@dataclass(frozen=True, slots=True)
class Templates:
    """The sentences of `describe_option`, filled with `str.format_map`.

    Placeholders:
    - `window`, `single_day`: `{earliest}`, `{latest}`, `{date}` (= earliest) and `{dates}`
      (the bare dates: `dates` below, or the single date).
    - `dates`: `{earliest}`, `{latest}`; the range without a verb, as a part uses it.
    - `shipments`: `{count}` (at least 2) and `{parts}` (the parts joined by `separator`).
    - `part`: `{items}` (the item phrase, already filled), `{window}` (the shipment's full
      window text), `{dates}`, `{earliest}`, `{latest}`, `{date}`.
    - `items`: the item phrases by plural category (`Plurals`), each with `{n}`.
    - `pickup`, `pickup_restock`: a pickup's collection window, in stock or waiting for
      a restock (the same placeholders as `window`); the store's hours follow after
      `separator`.
    - `guaranteed`: `{latest}`, the option's last delivery day with its weekday, when the
      carrier guarantees it (`guaranteed_by`).
    The default part names the items with their verb ("4 items arrive Nov 24 - Nov 27")
    rather than repeating "Arrives" mid-sentence, which would need its case changed, and
    changing case is not safe across languages. A template naming an unknown placeholder
    raises KeyError; checking merchant templates is the rules loader's job.
    """

    window: str = "Arrives {earliest} - {latest}"
    single_day: str = "Arrives {date}"
    dates: str = "{earliest} - {latest}"
    shipments: str = "{count} shipments: {parts}"
    part: str = "{items} {dates}"
    separator: str = "; "
    pickup: str = "Ready for pickup {dates}"
    pickup_restock: str = "Ready from {date} (restock due)"
    guaranteed: str = "Guaranteed by {latest}"
    items: Plurals = Plurals()


DEFAULT_TEMPLATES = Templates()

_DATES = ("earliest", "latest", "date", "dates")
PLACEHOLDERS: Mapping[str, tuple[str, ...]] = {
    "window": _DATES, "single_day": _DATES, "dates": ("earliest", "latest"),
    "shipments": ("count", "parts"), "part": ("items", "window", *_DATES), "separator": (),
    "pickup": _DATES, "pickup_restock": _DATES, "guaranteed": ("latest",),
}
"""Which placeholders each sentence template may name: what the rules loader checks."""
ITEM_PLACEHOLDERS = ("n",)
"""Which placeholders an item phrase may name."""


def window_text(window: DateRange, locale: str = DEFAULT_LOCALE,
                templates: Templates = DEFAULT_TEMPLATES) -> str:
    """The delivery window as one sentence: `single_day` when it is one day, else `window`.

    An unknown or malformed `locale` falls back to its language, then to English.
    """
    return _fill_window(window, _locale(locale), templates)


def describe_option(option: Option, locale: str = DEFAULT_LOCALE,
                    templates: Templates = DEFAULT_TEMPLATES) -> str:
    """What the shopper reads under an option: its delivery window, or, when the option
    ships in several parcels, how many items arrive in which window, shipment by shipment.
    """
    loc = _locale(locale)
    if option.plan is PlanKind.PICKUP:
        return _pickup_text(option, loc, templates)
    if guaranteed_by(option):
        return _guaranteed(option.delivery.latest, loc, templates)
    if len(option.shipments) == 1:
        return _fill_window(option.delivery, loc, templates)
    parts = [_part(shipment.window.delivery, shipment.plan.units, loc, templates)
             for shipment in option.shipments]
    return templates.shipments.format_map({
        "count": _number(len(option.shipments), loc),
        "parts": templates.separator.join(parts),
    })


def guaranteed_by(option: Option) -> bool:
    """Whether the option's last delivery day is the carrier's guarantee: every shipment
    goes by a guaranteed transit and none waits for a restock."""
    return option.guaranteed and not any(s.plan.backordered for s in option.shipments)


@lru_cache(maxsize=1024)
def _guaranteed(day: date, loc: Locale, templates: Templates) -> str:
    return templates.guaranteed.format_map({"latest": _date(day, "MMMEd", loc)})


def _pickup_text(option: Option, loc: Locale, templates: Templates) -> str:
    """When a pickup is ready for collection, and the store's hours: "Ready for pickup
    Nov 23 - Nov 24; Mon-Fri 10:00-18:00"."""
    (shipment,) = option.shipments
    ready = shipment.window.delivery
    template = templates.pickup_restock if shipment.plan.backordered else templates.pickup
    text = template.format_map(_date_values(ready, loc, templates))
    hours = next((step.facts.hours for step in shipment.window.steps
                  if isinstance(step.facts, Collect)), None)
    return f"{text}{templates.separator}{hours}" if hours else text


@lru_cache(maxsize=4096)
def _part(window: DateRange, units: int, loc: Locale, templates: Templates) -> str:
    """One shipment of a multi-parcel option: how many items arrive when."""
    values = _date_values(window, loc, templates)
    values["items"] = templates.items.phrase(units).format_map({"n": _number(units, loc)})
    values["window"] = _fill_window(window, loc, templates)
    return templates.part.format_map(values)


# A quote words the same few windows over and over (every option of a plan shares its
# shipments' windows), and babel's formatting is slow: each wording is made once.
@lru_cache(maxsize=4096)
def _fill_window(window: DateRange, loc: Locale, templates: Templates) -> str:
    values = _date_values(window, loc, templates)
    single = window.earliest == window.latest
    return (templates.single_day if single else templates.window).format_map(values)


def _date_values(window: DateRange, loc: Locale, templates: Templates) -> dict[str, str]:
    """The date placeholders of one window; years only when the window spans two."""
    skeleton = "yMMMd" if window.earliest.year != window.latest.year else "MMMd"
    earliest = _date(window.earliest, skeleton, loc)
    latest = _date(window.latest, skeleton, loc)
    dates = (earliest if window.earliest == window.latest
             else templates.dates.format_map({"earliest": earliest, "latest": latest}))
    return {"earliest": earliest, "latest": latest, "date": earliest, "dates": dates}


@lru_cache(maxsize=4096)
def _date(day: date, skeleton: str, loc: Locale) -> str:
    return format_skeleton(skeleton, day, locale=loc)


@lru_cache(maxsize=1024)
def _number(n: int, loc: Locale) -> str:
    return format_decimal(n, locale=loc)


def normal_tag(tag: str | None) -> str:
    """A locale tag as the rules file's `wording` keys are stored: "fr-ca", "FR_CA" and
    "fr_CA" are all "fr_CA" (language lower case, a two-letter region upper case); "" for
    no tag."""
    if not isinstance(tag, str) or not tag.strip():
        return ""
    language, *rest = tag.strip().replace("-", "_").split("_")
    return "_".join([language.lower(), *(part.upper() if len(part) == 2 else part
                                         for part in rest)])


@lru_cache(maxsize=64)
def _locale(tag: str) -> Locale:
    """`tag` as a babel Locale: "fr", "fr_CA" and "fr-CA" all work; an unknown region
    ("fr_XX") keeps its language; anything else unknown or malformed ("xx_YY", "") is
    English. Never raises: the wording must not fail a quote."""
    if isinstance(tag, str) and tag.strip():
        text = tag.strip().replace("-", "_")
        for candidate in (text, text.split("_", 1)[0]):
            try:
                return Locale.parse(candidate)
            except (UnknownLocaleError, ValueError, TypeError):
                continue
    return Locale.parse(DEFAULT_LOCALE)
