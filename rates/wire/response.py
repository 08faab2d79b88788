"""A domain `Quote` as the JSON document of DESIGN section 7.

The JSON API, `rates quote --json` and the stored record all use this one shape: dates as
ISO `YYYY-MM-DD`, money as a decimal string with its currency, instants as ISO 8601 with
their offset. Every price is in the quote's `currency`, the checkout's; a trace's rates
and rules are in the shop's, and its `exchange` steps convert them.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from rates.domain.exchange import Conversion
from rates.domain.money import Money
from rates.domain.plans import ShipmentPlan
from rates.domain.quote.result import Option, Quote, ShipmentQuote
from rates.domain.rules.evaluation import RuleSkipped, TraceEntry
from rates.domain.stock import Allocation, DateRange, LineAllocation, SkuStock
from rates.domain.window import ShipmentWindow, Step, Transit
from rates.wire.voice import Voice
from rates.wire.workings import detail, sourced_detail, sourced_facts, step_facts


def money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def date_range(value: DateRange) -> dict[str, str]:
    return {"earliest": value.earliest.isoformat(), "latest": value.latest.isoformat()}


def delivery_window(value: DateRange, confidence: tuple[float, date] | None,
                    ) -> dict[str, Any]:
    """A delivery window as a checkout reads it: its dates, the probability that delivery
    falls inside them (two places), and the most likely day; both null without a lateness
    history to weigh the window by."""
    if confidence is None:
        return {**date_range(value), "confidence": None, "likely": None}
    probability, likely = confidence
    return {**date_range(value), "confidence": round(probability, 2),
            "likely": likely.isoformat()}


def _weighed(window: ShipmentWindow) -> dict[str, Any]:
    confidence = window.confidence
    return delivery_window(window.delivery, None if confidence is None
                           else (confidence.probability, confidence.likely))


def stock_document(stock: SkuStock) -> dict[str, Any]:
    """A SKU's stock as JSON, in the `locations` form `parse_stock` reads back."""
    doc: dict[str, Any] = {
        "locations": [
            {"location": p.location, "on_hand": p.on_hand,
             "inbound": [{**({"id": lot.id} if lot.id else {}), "quantity": lot.quantity,
                          "committed": lot.committed, **date_range(lot.eta),
                          **({"supplier": lot.supplier} if lot.supplier else {})}
                         for lot in p.inbound]}
            for p in stock.locations],
    }
    if stock.lead_time_days is not None:
        doc["lead_time_days"] = list(stock.lead_time_days)
    if stock.lead_time_location is not None:
        doc["lead_time_location"] = stock.lead_time_location
    if stock.backorder_limit is not None:
        doc["backorder_limit"] = stock.backorder_limit
    if stock.supplier is not None:
        doc["supplier"] = stock.supplier
    return doc


class Detail(Enum):
    """How much of a quote a document says.

    `CHECKOUT`, the answer to a checkout: the options with their labels, prices and
    windows, and each shipment as what it carries (`allocations`, into the `lines`) and
    when it arrives. `FULL` adds each shipment's location, lines, ready and ship dates,
    price, rate source and transit days: what an order's promise is made of. `EXPLAIN`
    adds each option's step-by-step `trace`, and the withheld and unoffered options of a
    quote made with explain: most of the document, which only support reads
    (`ShippingService.explained_quote` gives it for a stored quote)."""

    CHECKOUT = "checkout"
    FULL = "full"
    EXPLAIN = "explain"


def quote_document(quote: Quote, quote_id: str | None = None,
                   voice: Voice | None = None, *,
                   detail: Detail = Detail.CHECKOUT) -> dict[str, Any]:
    """The wire document for `quote`, saying as much as `detail` says. With `voice`, the
    words a shopper reads are the locale's: each option's `label`, `service_name`,
    `description` and `blocked_message`, and the block rules' `messages`; without it they
    are the quote's, with no description.

    The options of a quote share shipments and windows, and their parts are written once
    and shared by the document: treat it as read-only (it is only ever encoded). It
    begins with its id and instants, which an answer given again rewrites in front of
    the rest of its text (`rates.app.recent_answers`)."""
    parts = _Parts(quote, detail)
    doc: dict[str, Any] = {
        "id": quote_id,
        "created_at": quote.created_at.isoformat(),
        "ordered_at": quote.ordered_at.isoformat(),
        "reference": quote.reference,
        "ruleset": quote.ruleset,
        "currency": quote.currency,
        "stock": str(quote.stock) if quote.stock else None,
        "lines": _lines(quote.lines, detail),
        "options": [_option(option, voice, parts) for option in quote.options],
        "messages": [
            {"code": m.code, "message": voice.message(m) if voice else m.message,
             **({"sku": m.sku} if m.sku else {})}
            for m in quote.messages
        ],
    }
    if quote.withheld or quote.unoffered:
        doc["withheld"] = [_option(option, voice, parts) for option in quote.withheld]
        doc["unoffered"] = [{"id": u.option_id, "reason": u.reason} for u in quote.unoffered]
    return doc


def _lines(lines: tuple[LineAllocation, ...], detail: Detail) -> list[dict[str, Any]]:
    return [{"sku": line.sku, "quantity": line.quantity, "unavailable": line.unavailable,
             "allocations": [_allocation(a, detail) for a in line.allocations]}
            for line in lines]


def _allocation(allocation: Allocation, detail: Detail) -> dict[str, Any]:
    """One allocation; its supplier (whose lateness dates backordered units) is the
    merchant's business: written in full and explained detail, never to a checkout."""
    doc = {"quantity": allocation.quantity, "location": allocation.location,
           "source": str(allocation.source), "ready": date_range(allocation.ready)}
    if allocation.lot:
        doc["lot"] = allocation.lot
    if allocation.supplier and detail is not Detail.CHECKOUT:
        doc["supplier"] = allocation.supplier
    return doc


class _Parts:
    """What one document writes once and shares, found by identity: each shipment plan's
    units, each window's dates and steps (a plan's shipments reach every service, and a
    window every plan that ships the same units)."""

    __slots__ = ("lines", "detail", "refs", "_units", "_dates", "_deliveries", "_steps",
                 "_guaranteed")

    def __init__(self, quote: Quote | None = None, detail: Detail = Detail.EXPLAIN) -> None:
        self.lines = quote.lines if quote else ()
        self.detail = detail
        # Where each allocation sits in its `lines` (the quote's, or an option's own), so
        # a shipment names its units compactly.
        self.refs: dict[int, list[int]] = {}
        self.sourced(self.lines)
        self._units: dict[int, dict[str, Any]] = {}
        self._dates: dict[int, dict[str, Any]] = {}
        self._deliveries: dict[int, dict[str, Any]] = {}
        self._steps: dict[int, list[dict[str, Any]]] = {}
        self._guaranteed: dict[int, list[dict[str, Any]]] = {}

    def sourced(self, lines: tuple[LineAllocation, ...]) -> None:
        """Let shipments refer to the allocations of `lines`."""
        self.refs.update({id(a): [n, i] for n, line in enumerate(lines)
                          for i, a in enumerate(line.allocations)})

    def units(self, plan: ShipmentPlan) -> dict[str, Any]:
        found = self._units.get(id(plan))
        if found is None:
            quantities: dict[str, int] = {}
            for item in plan.items:
                quantities[item.sku] = quantities.get(item.sku, 0) + item.quantity
            found = self._units[id(plan)] = {
                "location": plan.location,
                "stock": "backordered" if plan.backordered else "in_stock",
                "lines": [{"sku": sku, "quantity": n} for sku, n in quantities.items()],
                "allocations": [self.refs[id(item)] for item in plan.items],
            }
        return found

    def dates(self, window: ShipmentWindow) -> dict[str, Any]:
        found = self._dates.get(id(window))
        if found is None:
            found = self._dates[id(window)] = {
                "ready": date_range(window.ready), "ships": date_range(window.ships),
                "delivery": _weighed(window)}
        return found

    def delivery(self, window: ShipmentWindow) -> dict[str, Any]:
        """The window's delivery dates alone: all a checkout's answer says of it."""
        found = self._deliveries.get(id(window))
        if found is None:
            found = self._deliveries[id(window)] = _weighed(window)
        return found

    def steps(self, window: ShipmentWindow, *, guaranteed: bool) -> list[dict[str, Any]]:
        """The window's steps; with `guaranteed`, its transit step says the carrier
        guarantees it. A window is shared by every service of a carrier with the same
        transit days, guaranteed or not, so the flag is the shipment's, not the window's."""
        kept = self._guaranteed if guaranteed else self._steps
        found = kept.get(id(window))
        if found is None:
            found = kept[id(window)] = [
                _step(step, guaranteed=True) if guaranteed and isinstance(step.facts, Transit)
                else step.kept(_step) for step in window.steps]
        return found


def _option(option: Option, voice: Voice | None, parts: _Parts) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": option.id,
        "plan": str(option.plan),
        "label": voice.label(option) if voice else option.label,
        "carrier": option.service.carrier,
        "service": option.service.code,
        "service_name": voice.service_name(option) if voice else option.service.name,
        "price": money(option.price),
        "delivery": delivery_window(option.delivery, option.confidence),
        "guaranteed": option.guaranteed,
        **({"description": voice.describe(option)} if voice else {}),
    }
    if option.lines and option.lines is not parts.lines:
        # The strategy sourced this option otherwise than the quote's first option.
        parts.sourced(option.lines)
        doc["stock"] = str(option.stock)
        doc["lines"] = _lines(option.lines, parts.detail)
    doc["shipments"] = [_shipment(s, parts) for s in option.shipments]
    if parts.detail is Detail.EXPLAIN:
        doc["trace"] = _trace(option, parts)
    if option.hidden_by:
        doc["hidden_by"] = option.hidden_by
    if option.blocked:
        doc["blocked_by"] = option.blocked[0]
        doc["blocked_message"] = voice.blocked(option.blocked) if voice else option.blocked[1]
    return doc


def _shipment(shipment: ShipmentQuote, parts: _Parts) -> dict[str, Any]:
    if parts.detail is Detail.CHECKOUT:
        # What each carries and when it arrives; whether the carrier guarantees it is the
        # option's to say (a checkout shows options): a reference answer's hundred
        # shipments would add 2 KB.
        return {"allocations": parts.units(shipment.plan)["allocations"],
                "delivery": parts.delivery(shipment.window)}
    return {
        **parts.units(shipment.plan),
        **parts.dates(shipment.window),
        "guaranteed": shipment.guaranteed,
        "price": money(shipment.price),
        "source": shipment.source,
        "transit_days": list(shipment.transit),
    }


def trace(option: Option) -> list[dict[str, Any]]:
    """Why each line comes from where it does (when it had a choice), every calendar step
    and rate per shipment, then every rule, in the order applied; for a quote in another
    currency than the shop's, then each shipment's conversion."""
    return _trace(option, _Parts())


def _trace(option: Option, parts: _Parts) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = [
        {"step": "source", "sku": line.sku, "detail": sourced_detail(line),
         "facts": sourced_facts(line)} for line in option.sourced]
    for number, shipment in enumerate(option.shipments, start=1):
        steps.extend({"step": step["step"], "shipment": number, **step}
                     for step in parts.steps(shipment.window, guaranteed=shipment.guaranteed))
        steps.append({"step": "rate", "shipment": number,
                      "detail": f"{shipment.rate_detail} -> {shipment.base_price.amount}"})
    steps.extend(_rule(entry) for entry in option.rules)
    if option.conversion is not None:
        steps.extend(_exchange(option.conversion, number, shipment)
                     for number, shipment in enumerate(option.shipments, start=1))
    return steps


def _step(step: Step, *, guaranteed: bool = False) -> dict[str, Any]:
    """A calendar step of the trace, less its shipment number: the API's sentence, and the
    dates, facts and skipped days it was made from. Written once per step (`Step.kept`):
    the setup's window book shares steps between quotes, so nothing may change it. A
    guaranteed transit step is written apart, once per document (`_Parts.steps`)."""
    return {"step": step.kind, "detail": detail(step, guaranteed=guaranteed),
            "dates": date_range(step.dates),
            "facts": step_facts(step.facts, guaranteed=guaranteed),
            # "skipped" alone is a skipped rule's reason, in this same list.
            "skipped_days": [{"date": day.isoformat(), "reason": why}
                             for day, why in step.skipped()]}


def _exchange(conversion: Conversion, number: int, shipment: ShipmentQuote) -> dict[str, Any]:
    """The step converting a shipment's final price: "USD 18.66 at 1.3650 = CAD 25.47"."""
    assert shipment.shop_price is not None  # noqa: S101 - set on every converted shipment
    return {"step": "exchange", "shipment": number,
            "detail": conversion.describe(shipment.shop_price, shipment.price)}


def _rule(entry: TraceEntry) -> dict[str, str]:
    if isinstance(entry, RuleSkipped):
        return {"rule": entry.rule, "skipped": entry.reason}
    return {"rule": entry.rule, "effect": entry.effect, "price": entry.price_text}
