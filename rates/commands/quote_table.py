"""A quote as a table for people: what `rates quote` prints without `--json`.

One row per option (plan, service, price, delivery window), one indented row per shipment
under it; with `explain`, every calendar step and rule under the shipment rows, then the
options that rules withheld and those no service could carry.
"""

from __future__ import annotations

from datetime import date

from rates.domain.money import Money
from rates.domain.plans import PlanKind
from rates.domain.quote.result import Option, Quote
from rates.domain.stock import DateRange
from rates.wire.response import trace


def _day(value: date) -> str:
    return f"{value:%a %b} {value.day}"


def _window(value: DateRange) -> str:
    if value.earliest == value.latest:
        return _day(value.earliest)
    return f"{_day(value.earliest)} - {_day(value.latest)}"


def _money(value: Money) -> str:
    return f"{value.currency} {value.amount}"


def render(quote: Quote, *, explain: bool = False) -> str:
    local = quote.ordered_at
    dest = quote.destination
    place = " ".join(p for p in (dest.country, dest.region, dest.postcode) if p)
    out = [
        f"{quote.reference or 'cart'} to {place}, ordered {local:%a %Y-%m-%d %H:%M %z}",
        f"stock: {quote.stock or 'none'}   ruleset: {quote.ruleset[:19]}",
    ]
    for line in quote.lines:
        parts = [
            f"{a.quantity} {str(a.source).replace('_', ' ')} at {a.location}"
            + ("" if a.on_hand else f", due {a.ready}")
            for a in line.allocations
        ]
        if line.unavailable:
            parts.append(f"{line.unavailable} unavailable")
        out.append(f"  {line.sku:<14} x{line.quantity:<4} " + "; ".join(parts))
    out.append("")
    if quote.options:
        out.append(f"{'PLAN':<16}{'SERVICE':<30}{'PRICE':>12}   DELIVERY")
        for option in quote.options:
            out.extend(_option_rows(option, explain=explain))
    for message in quote.messages:
        out.append(f"! {message.message}")
    if explain and quote.withheld:
        out += ["", "Withheld by rules:"]
        for option in quote.withheld:
            who = option.hidden_by or (option.blocked[0] if option.blocked else "?")
            out.append(f"  {option.id:<44} {_money(option.price):>12}   by {who}")
    if explain and quote.unoffered:
        out += ["", "Not offered:"]
        out.extend(f"  {u.option_id:<44} {u.reason}" for u in quote.unoffered)
    return "\n".join(out)


def _option_rows(option: Option, *, explain: bool) -> list[str]:
    rows = [f"{option.plan:<16}{option.service.name:<30}{_money(option.price):>12}   "
            f"{_window(option.delivery)}"]
    if option.label:
        rows.append(f"{'':<16}{option.label}")
    for shipment in option.shipments:
        items: dict[str, int] = {}
        for item in shipment.plan.items:
            items[item.sku] = items.get(item.sku, 0) + item.quantity
        contents = ", ".join(f"{sku} x{n}" for sku, n in items.items())
        when = (f"ready for pickup {_window(shipment.window.delivery)}"
                if option.plan is PlanKind.PICKUP else
                f"ships {_window(shipment.window.ships)}, arrives "
                f"{_window(shipment.window.delivery)}")
        rows.append(f"{'':<16}  {shipment.plan.location}: {contents}; {when}, "
                    f"{_money(shipment.price)}")
    if explain:
        for step in trace(option):
            if "shipment" in step:
                rows.append(f"{'':<20}[{step['shipment']}] {step['detail']}")
            elif "step" in step:  # where a line comes from
                rows.append(f"{'':<20}{step['sku']}: {step['detail']}")
            elif "skipped" in step:
                rows.append(f"{'':<20}rule {step['rule']} skipped: {step['skipped']}")
            else:
                rows.append(f"{'':<20}rule {step['rule']}: {step['effect']} "
                            f"-> {step['price']}")
    return rows
