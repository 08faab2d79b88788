"""How the support console words dates, times, places, money and delays.

Staff read these out to customers on the phone, so a date carries its weekday ("Thu Dec
10") and a range its year once, at the end, unless it spans two years. Ranges are the
documents' `{"earliest", "latest"}` calendar dates, inclusive at both ends; no time zone
applies to them. Instants are written in the merchant's zone, which the page names once
(`Times`), and locations by their names (`Places`), never by the ids the documents use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_currency

Range = Mapping[str, str]


def day(iso: str, *, year: bool = True) -> str:
    value = date.fromisoformat(iso)
    return value.strftime("%a %b %-d, %Y" if year else "%a %b %-d")


def dates(span: Range | None) -> str:
    """"Thu Dec 10 - Mon Dec 14, 2026"; one day alone when both ends agree; "not expected"
    for a missing range (units no restock is due for)."""
    if not span:
        return "not expected"
    earliest, latest = span["earliest"], span["latest"]
    if earliest == latest:
        return day(earliest)
    same_year = earliest[:4] == latest[:4]
    return f"{day(earliest, year=not same_year)} – {day(latest)}"


@dataclass(frozen=True, slots=True)
class Times:
    """A page's instants in the merchant's `zone`, which its header names once (`label`),
    so nobody converts an offset while a customer waits. The label gives the zone's
    abbreviation `now`; an instant on the other side of a daylight-saving change carries
    its own ("Sat Jul 4, 2026 09:30 PDT" on a page labelled PST)."""

    zone: tzinfo
    now: datetime

    @property
    def abbreviation(self) -> str:
        return self.now.astimezone(self.zone).tzname() or ""

    @property
    def label(self) -> str:
        """"Times in America/Los_Angeles (PST)"; a zone named by its abbreviation (UTC)
        is not named twice."""
        name = str(self.zone)
        return f"Times in {name}" + (f" ({self.abbreviation})" if self.abbreviation != name else "")

    def at(self, iso: str | None) -> str:
        """"Mon Nov 23, 2026 09:30" in the page's zone; "–" for no instant."""
        if not iso:
            return "–"
        value = datetime.fromisoformat(iso).astimezone(self.zone)
        written = value.strftime("%a %b %-d, %Y %H:%M")
        own = value.tzname()
        return written if own == self.abbreviation else f"{written} {own}"


@dataclass(frozen=True, slots=True)
class Places:
    """Locations by the names the merchant gave them; an id the setup no longer knows (a
    quote older than an edit of the config) is shown as it was stored."""

    names: Mapping[str, str]

    def __call__(self, location: str) -> str:
        return self.names.get(location, location)


def money(value: Mapping[str, str]) -> str:
    return format_currency(Decimal(value["amount"]), value["currency"], locale="en_US")


def slip(promised: Range | None, current: Range | None) -> int | None:
    """Days the latest date moved from the promise (positive: later); None when either
    range is missing."""
    if not promised or not current:
        return None
    return (date.fromisoformat(current["latest"]) - date.fromisoformat(promised["latest"])).days


def late(days: int | None) -> str:
    """A delay in words; never colour alone, so it reads the same to everyone."""
    if days is None:
        return "no date"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} late"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} early"
    return "on time"


def percent(share: float | None) -> str:
    """"83 %" for a share of 0..1 (whole percents: the counts beside it are exact); "–"
    for none."""
    return "–" if share is None else f"{share:.0%}".replace("%", " %")


def count(low: int, high: int, unit: str) -> str:
    """"1 working day", "0–1 working days": a range when the ends differ, plural unless
    it is exactly one."""
    number = str(low) if low == high else f"{low}–{high}"
    return f"{number} {unit}{'' if low == high == 1 else 's'}"


def _days(days: int | Sequence[int], unit: str) -> str:
    low, high = (days, days) if isinstance(days, int) else days
    return count(low, high, unit)


def _ordered(facts: Mapping[str, Any], place: Places) -> str:
    """The order's minute in the location's own zone, since its cutoff is local: "ordered
    Mon Nov 23 09:30 Reno, NV warehouse time (PST), before its 14:00 cutoff"."""
    at = datetime.fromisoformat(facts["ordered_at"]).astimezone(ZoneInfo(facts["timezone"]))
    where = place(facts["location"])
    said = f"Ordered {at:%a %b %-d %H:%M} {where} time ({at.tzname()})"
    if facts["starts"] == "closed":
        return f"{said}; {where} was closed ({facts['closed']}): starts the next working day"
    if facts["starts"] == "same_day":
        before = (f", before its {facts['cutoff']} cutoff" if facts.get("cutoff")
                  else ", no cutoff that day")
        return f"{said}{before}: starts the same day"
    return f"{said}, after its {facts['cutoff']} cutoff: starts the next working day"


def _confidence(facts: Mapping[str, Any], place: Places) -> str:
    """"Latest day moved 2 delivery days later to reach 90% (was 71%, now 93%). Lots from
    Acme arrived a median 3 business days after their promised latest (41 lots, 73%
    late)." The evidence as support reads it."""
    percent = f"{facts['confidence']:.0%}"
    if facts["widened_days"]:
        said = (f"Latest day moved {_days(facts['widened_days'], 'delivery day')} later to "
                f"reach {facts['target']:.0%} (was {facts['before']:.0%}, now {percent}).")
    else:
        said = f"{percent} likely to arrive in this window."
    for supplier in facts["suppliers"]:
        median = supplier["median_days_late"]
        when = (f"a median {_days(abs(median), 'business day')} "
                f"{'before' if median < 0 else 'after'} their promised latest")
        said += (f" Lots from {supplier['supplier']} arrived {when} "
                 f"({supplier['lots']} lots, {supplier.get('late_share', 0):.0%} late).")
    lane = facts.get("lane")
    if lane:
        low, high = facts["transit_days"]
        said += (f" From {place(lane['origin'])} to {lane['destination']} this service took "
                 f"a median {_days(lane['median_days'], 'delivery day')} (configured "
                 f"{low}–{high}; {lane['parcels']} parcels, "
                 f"{lane.get('slower_share', 0):.0%} slower).")
    return said


_STEP_WORDS: Mapping[str, tuple[str, Callable[[Mapping[str, Any], Places], str]]] = {
    "ready": ("Restock due", lambda f, place: f"Restock due at {place(f['location'])}"),
    "received": ("Received", lambda f, place: (
        f"{_days(f['days'], 'working day')} to receive it at {place(f['location'])}")),
    "start": ("Handling starts", _ordered),
    "handling": ("Handled", lambda f, place: (
        f"{_days(f['days'], 'working day')} of handling at {place(f['location'])}")),
    "pickup": ("Handed over", lambda f, place: (
        f"On the first day the carrier collects at {place(f['location'])}")),
    "transit": ("Delivered", lambda f, place: (
        f"{_days(f['days'], 'delivery day')} in transit"
        + (", guaranteed by the carrier" if f.get("guaranteed") else ""))),
    "collect": ("Ready for collection", lambda f, place: (
        f"The customer collects it at {place(f['location'])}"
        + (f", open {f['hours']}" if f.get("hours") else ""))),
    "confidence": ("Weighed against history", _confidence),
}


@dataclass(frozen=True, slots=True)
class Explained:
    """One step of how a window was worked out, in the page's words: `what` happened,
    `when` (None for a step stored before its facts were), `why` in a sentence, and the
    days it `skipped` (ISO date, reason)."""

    what: str
    when: str | None
    why: str
    skipped: list[tuple[str, str]]


def explained(step: Mapping[str, Any], place: Places) -> Explained:
    """A document's calendar step (an order's estimate, or a quote's trace, whose skipped
    days are `skipped_days`) worded from its facts; a quote stored before steps carried
    facts keeps its stored sentence."""
    if "facts" not in step:
        return Explained(step["step"], None, step["detail"], [])
    what, words = _STEP_WORDS[step["step"]]
    skipped = step.get("skipped_days", step.get("skipped", []))
    return Explained(what, dates(step["dates"]), words(step["facts"], place),
                     [(day["date"], day["reason"]) for day in skipped])


def _waits(cause: Mapping[str, Any]) -> str:
    said = []
    for wait in cause["waits"]:
        if wait["ready"] is None:
            said.append(f"{wait['quantity']} with no restock expected")
        elif wait["lot"]:
            said.append(f"{wait['quantity']} from lot {wait['lot']} due {dates(wait['ready'])}")
        else:
            said.append(f"{wait['quantity']} from the supplier's lead time, ready "
                        f"{dates(wait['ready'])}")
    return "; ".join(said) or "no restock is expected"


def why_moved(cause: Mapping[str, Any], place: Places) -> str:
    """A cause of a delay in the page's words: dates as the page writes them, the
    location by its name; a cause without facts keeps the API's sentence."""
    delay, promised = cause.get("delay"), dates(cause.get("promised"))
    if delay == "lot_slipped":
        return f"lot {cause['lot']} slipped: now due {dates(cause['due'])}, promised {promised}"
    if delay == "lot_late":
        return (f"lot {cause['lot']} is late: due {dates(cause['due'])}, still not received; "
                f"promised {promised}")
    if delay == "lot_cancelled":
        return f"lot {cause['lot']} was cancelled; the units now wait for {_waits(cause)}"
    if delay == "lot_shrank":
        held = count(cause["lot_quantity"], cause["lot_quantity"], "unit")
        return (f"lot {cause['lot']} shrank to {held}, too few for the orders before this "
                f"one; the units now wait for {_waits(cause)}")
    if delay == "restock_gone":
        return (f"the restock at {place(cause['location'])} promised for {promised} no "
                f"longer covers these units; they now wait for {_waits(cause)}")
    if delay == "lead_time":
        return f"the supplier's lead time now gives {_waits(cause)}, promised {promised}"
    return str(cause["reason"])


_SOURCES = {"on_hand": "on hand", "inbound": "a restock", "lead_time": "the supplier's lead time"}


def why_sourced(entry: Mapping[str, Any], place: Places) -> str:
    """Where a line comes from and the best place it did not, in the page's words:
    "Newark, NJ warehouse (14 km): on hand, arrives Wed Nov 25 - Sat Nov 28; Reno, NV
    warehouse (3,847 km) would arrive Fri Nov 27 - Tue Dec 1 (strategy: fastest)"."""
    facts = entry["facts"]

    def where(p: Mapping[str, Any]) -> str:
        return place(p["location"]) + (f" ({p['km']:,.0f} km)" if "km" in p else "")

    said = [f"{where(p)}: {_SOURCES[p['source']]}, arrives {dates(p.get('arrives'))}"
            for p in facts["from"]]
    if "instead" in facts:
        said.append(f"{where(facts['instead'])} would arrive "
                    f"{dates(facts['instead'].get('arrives'))}")
    return "; ".join(said) + f" (strategy: {facts['strategy']})"


def by_shipment(trace: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """An option's calendar and rate steps, grouped by shipment number (rules apart)."""
    steps: dict[int, list[dict[str, Any]]] = {}
    for entry in trace:
        if "shipment" in entry:
            steps.setdefault(entry["shipment"], []).append(entry)
    return steps


def chosen_first(options: Sequence[Mapping[str, Any]],
                 orders: Iterable[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], list[str]]]:
    """Each option with the ids of the orders that accepted it: the chosen ones first
    (what the customer took is what support is asked about), then the rest, each group in
    the quote's order."""
    accepted: dict[str, list[str]] = {}
    for order in orders:
        accepted.setdefault(order["option_id"], []).append(order["id"])
    pairs = [(option, accepted.get(option["id"], [])) for option in options]
    return sorted(pairs, key=lambda pair: not pair[1])


@dataclass(frozen=True, slots=True)
class Change:
    """One row of a re-estimate's changes, in the page's words."""

    option: str
    what: str
    before: str
    now: str


Worded = Callable[[Mapping[str, Any]], str]
_ASPECTS: Mapping[str, tuple[str, Worded]] = {
    "price": ("Price", lambda option: money(option["price"])),
    "delivery": ("Delivery", lambda option: dates(option["delivery"])),
    "label": ("Label", lambda option: option["label"]),
}


def worded_changes(changes: Iterable[Mapping[str, str]], before: Mapping[str, Any],
                   after: Mapping[str, Any]) -> list[Change]:
    """`rates.wire.changes` rows read back from the two quote documents, so an option is
    named by its label and a window written as every other date on the page (the API's
    rows keep ids and ISO dates, for programs)."""
    old, new = _options(before), _options(after)
    rows = []
    for change in changes:
        ident, kind = change["option"], change["kind"]
        was, now = old.get(ident), new.get(ident)
        label = (now or was or {"label": ident})["label"]
        if kind in _ASPECTS and was and now:
            what, word = _ASPECTS[kind]
            rows.append(Change(label, what, word(was), word(now)))
        else:
            rows.append(Change(label, kind.capitalize(), change["old"], change["new"]))
    return rows


def _options(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A quote document's options by id, those withheld from the shopper included."""
    return {option["id"]: option
            for option in [*document.get("withheld", []), *document["options"]]}


FILTERS = {"day": day, "dates": dates, "money": money, "late": late, "percent": percent}
GLOBALS = {"slip": slip, "by_shipment": by_shipment, "explained": explained,
           "why_moved": why_moved, "why_sourced": why_sourced}
