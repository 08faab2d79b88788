"""How a window was worked out, why a line comes from where it does, and why a promise
moved, as the JSON API says them.

The domain hands over facts (`rates.domain.window` steps, `rates.domain.promise` causes);
this is the one place that words them for programs and their logs, in the API's terse
style with ids and ISO ranges ("handling 2026-11-23..2026-11-24: 0-1 working day(s) at
reno"), and writes a step's facts as JSON beside those words, so that other readers (the
support console) word them their own way from the same document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rates.domain.backorders import Placement
from rates.domain.lateness import Calibrated, Evidence, Lane
from rates.domain.promise import Cause, Delay
from rates.domain.sourcing.why import LineSourcing, Place
from rates.domain.stock import Source
from rates.domain.window import (
    Collect,
    Facts,
    Handling,
    Ordered,
    Pickup,
    Receiving,
    Restock,
    Start,
    Step,
    Transit,
)

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(day: date) -> str:
    """"Thu Nov 26": what `f"{day:%a %b %d}"` writes in the C locale, in a fifth of the
    time and whatever the process's locale (a quote's trace holds a hundred of these)."""
    return f"{_WEEKDAYS[day.weekday()]} {_MONTHS[day.month - 1]} {day.day:02d}"


def _ordered(facts: Ordered) -> str:
    at = facts.at
    said = f"ordered {_WEEKDAYS[at.weekday()]} {at:%H:%M} {at.tzname()} at {facts.location}"
    if facts.start is Start.CLOSED:
        return f"{said}, closed ({facts.closed})"
    if facts.start is Start.SAME_DAY:
        before = f", before the {facts.cutoff:%H:%M} cutoff" if facts.cutoff else ""
        return f"{said}{before}: starts the same day"
    return f"{said}, after the {facts.cutoff:%H:%M} cutoff: starts the next working day"


def _percent(probability: float) -> str:
    return f"{probability:.0%}"


def _supplier(name: str, evidence: Evidence) -> str:
    """"lots from supplier acme arrived a median 3 business day(s) after their promised
    latest over 41 lot(s), 73% late"."""
    median = evidence.median
    when = (f"a median {abs(median)} business day(s) "
            f"{'before' if median < 0 else 'after'} their promised latest")
    return (f"lots from supplier {name} arrived {when} over {evidence.count} lot(s), "
            f"{_percent(evidence.after(0))} late")


def _lane(lane: Lane, evidence: Evidence, configured: tuple[int, int]) -> str:
    return (f"{lane.carrier}/{lane.service} from {lane.origin} to {lane.destination} took "
            f"a median {evidence.median} delivery day(s) (configured {configured[0]}-"
            f"{configured[1]}) over {evidence.count} parcel(s), "
            f"{_percent(evidence.after(configured[1]))} slower")


def _calibrated(facts: Calibrated) -> str:
    """"widened 2 delivery day(s) to reach 90% (was 71%, now 93%), most likely Wed Dec 09:
    supplier acme's lots arrived ..."."""
    if facts.widened:
        said = (f"widened {facts.widened} delivery day(s) to reach {_percent(facts.target or 0)}"
                f" (was {_percent(facts.before)}, now {_percent(facts.probability)})")
    else:
        target = "" if facts.target is None else f", target {_percent(facts.target)}"
        said = f"{_percent(facts.probability)} likely to arrive in this window{target}"
    evidence = [_supplier(name, found) for name, found in facts.suppliers]
    if facts.lane is not None:
        evidence.append(_lane(*facts.lane, facts.transit))
    return f"{said}, most likely {_day(facts.likely)}: " + "; ".join(evidence)


_NOTES: dict[type, Callable[[Any], str]] = {
    Restock: lambda f: f"restock due at {f.location}",
    Receiving: lambda f: f"{f.days} working day(s) to receive at {f.location}",
    Ordered: _ordered,
    Handling: lambda f: f"{f.low}-{f.high} working day(s) at {f.location}",
    Pickup: lambda f: f"first day of {f.calendar}",
    Transit: lambda f: f"{f.low}-{f.high} {f.calendar} day(s)",
    Collect: lambda f: f"ready for collection at {f.location}"
                       + (f", open {f.hours}" if f.hours else ""),
    Calibrated: _calibrated,
}


def note(facts: Facts) -> str:
    """The step's facts in the API's words: "0-1 working day(s) at reno"."""
    return _NOTES[type(facts)](facts)


GUARANTEE = "guaranteed by the carrier"
"""What a transit step adds when the carrier guarantees its days."""


def detail(step: Step, *, guaranteed: bool = False) -> str:
    """A quote trace's line for the step, with the days it skipped. `guaranteed`: the
    step is a transit the carrier guarantees (its shipment's, not the window's: a window
    is shared by every service of a carrier with the same days)."""
    words = f"{step.kind} {step.dates}: {note(step.facts)}"
    if guaranteed:
        words += f", {GUARANTEE}"
    skipped = step.skipped()
    if skipped:
        words += "; skipped " + ", ".join(f"{_day(d)} ({why})" for d, why in skipped)
    return words


def step_facts(facts: Facts, *, guaranteed: bool = False) -> dict[str, Any]:
    """The step's facts as JSON: ids, day counts, the order's local minute and cutoff;
    a transit the carrier guarantees says `"guaranteed": true` (and nothing when it is
    not, or not known, as in an order's estimate)."""
    if isinstance(facts, Ordered):
        # No cutoff, or no closure, is said by leaving the key out: a null in a quote
        # document makes `jsontext.dumps` walk all of it for a NaN (milliseconds a quote).
        ordered: dict[str, Any] = {"location": facts.location,
                                   "ordered_at": facts.at.isoformat(),
                                   "timezone": str(facts.at.tzinfo),
                                   "starts": facts.start.value}
        if facts.cutoff:
            ordered["cutoff"] = f"{facts.cutoff:%H:%M}"
        if facts.closed:
            ordered["closed"] = facts.closed
        return ordered
    if isinstance(facts, Restock):
        return {"location": facts.location}
    if isinstance(facts, Receiving):
        return {"location": facts.location, "days": facts.days}
    if isinstance(facts, Handling):
        return {"location": facts.location, "days": [facts.low, facts.high]}
    if isinstance(facts, Pickup):
        return {"location": facts.location, "calendar": facts.calendar}
    if isinstance(facts, Collect):
        return {"location": facts.location, **({"hours": facts.hours} if facts.hours else {})}
    if isinstance(facts, Calibrated):
        return _calibrated_facts(facts)
    transit: dict[str, Any] = {"days": [facts.low, facts.high], "calendar": facts.calendar}
    if guaranteed:
        transit["guaranteed"] = True
    return transit


def _calibrated_facts(facts: Calibrated) -> dict[str, Any]:
    """The confidence step as JSON: probabilities to four places (what a checkout shows
    is rounded further), the evidence by supplier and lane."""
    found: dict[str, Any] = {
        "confidence": round(facts.probability, 4), "before": round(facts.before, 4),
        "widened_days": facts.widened, "likely": facts.likely.isoformat(),
        "suppliers": [{"supplier": name, "lots": evidence.count,
                       "median_days_late": evidence.median,
                       "late_share": round(evidence.after(0), 4)}
                      for name, evidence in facts.suppliers],
        "transit_days": list(facts.transit)}
    if facts.target is not None:
        found["target"] = facts.target
    if facts.lane is not None:
        lane, evidence = facts.lane
        found["lane"] = {**lane._asdict(), "parcels": evidence.count,
                         "median_days": evidence.median,
                         "slower_share": round(evidence.after(facts.transit[1]), 4)}
    return found


def _where(placement: Placement) -> str:
    if placement.ready is None:
        return f"{placement.quantity} with no restock expected"
    if placement.lot is not None:
        return f"{placement.quantity} from lot {placement.lot} due {placement.ready}"
    return f"{placement.quantity} from the supplier's lead time, ready {placement.ready}"


def reason(cause: Cause) -> str:
    """One sentence for the API: what happened to the lot, and where the units wait now."""
    now = "; ".join(_where(p) for p in cause.waits) or "no restock is expected"
    promised = cause.promised
    match cause.delay:
        case Delay.LEAD_TIME:
            return f"{cause.sku}: the supplier's lead time now gives {now}, promised {promised}"
        case Delay.RESTOCK_GONE:
            return (f"{cause.sku}: the restock at {cause.location} promised for {promised} "
                    f"no longer covers these units; they now wait for {now}")
        case Delay.LOT_CANCELLED:
            return f"lot {cause.lot} was cancelled; the units now wait for {now}"
        case Delay.LOT_LATE:
            return (f"lot {cause.lot} is late: due {cause.due}, still not received; "
                    f"promised {promised}")
        case Delay.LOT_SLIPPED:
            return f"lot {cause.lot} slipped: now due {cause.due}, promised {promised}"
    return (f"lot {cause.lot} shrank to {cause.lot_quantity} unit(s), too few for the "
            f"orders before this one; the units now wait for {now}")


_SOURCES = {Source.ON_HAND: "on hand", Source.INBOUND: "restock",
            Source.LEAD_TIME: "supplier's lead time"}


def _arrives(place: Place) -> str:
    if place.arrives is None:
        return "cannot be carried from there"
    earliest, latest = place.arrives.earliest, place.arrives.latest
    return _day(earliest) if earliest == latest else f"{_day(earliest)} - {_day(latest)}"


def _place(place: Place) -> str:
    return place.location + ("" if place.km is None else f" ({place.km:,.0f} km)")


def sourced_detail(line: LineSourcing) -> str:
    """Why a line comes from where it does: "fastest: newark (14 km): on hand, arrives
    Tue Nov 24 - Wed Nov 25; reno (3,847 km) would arrive Fri Nov 27 - Tue Dec 1"."""
    split = len(line.taken) > 1
    said = [f"{_place(p)}: {f'{p.quantity} ' if split else ''}{_SOURCES[p.source]}, "
            f"arrives {_arrives(p)}" for p in line.taken]
    if line.instead is not None:
        said.append(f"{_place(line.instead)} would arrive {_arrives(line.instead)}")
    return f"{line.strategy}: " + "; ".join(said)


def sourced_facts(line: LineSourcing) -> dict[str, Any]:
    """The same as JSON, for readers that word it their own way."""
    def place(p: Place) -> dict[str, Any]:
        doc: dict[str, Any] = {"location": p.location, "source": p.source.value}
        if p.quantity:
            doc["quantity"] = p.quantity
        if p.arrives is not None:
            doc["arrives"] = {"earliest": p.arrives.earliest.isoformat(),
                              "latest": p.arrives.latest.isoformat()}
        if p.km is not None:
            doc["km"] = round(p.km, 1)
        return doc
    facts: dict[str, Any] = {"strategy": line.strategy.value,
                             "from": [place(p) for p in line.taken]}
    if line.instead is not None:
        facts["instead"] = place(line.instead)
    return facts
