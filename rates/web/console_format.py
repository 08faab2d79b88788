"""How the support console words dates, money and delays, as Jinja filters.

Staff read these out to customers on the phone, so a date carries its weekday ("Thu Dec
10") and a range its year once, at the end, unless it spans two years. Ranges are the
documents' `{"earliest", "latest"}` calendar dates, inclusive at both ends; no time zone
applies to them. Instants keep the offset they were stored with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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


def instant(iso: str | None) -> str:
    """"Nov 23, 2026 09:30 UTC-08:00": the local time where it was recorded."""
    if not iso:
        return "–"
    value = datetime.fromisoformat(iso)
    offset = value.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{value.strftime('%b %-d, %Y %H:%M')} {zone}".rstrip()


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


def by_shipment(trace: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """An option's calendar and rate steps, grouped by shipment number (rules apart)."""
    steps: dict[int, list[dict[str, Any]]] = {}
    for entry in trace:
        if "shipment" in entry:
            steps.setdefault(entry["shipment"], []).append(entry)
    return steps


FILTERS = {"day": day, "dates": dates, "instant": instant, "money": money, "late": late}
GLOBALS = {"slip": slip, "by_shipment": by_shipment}
