"""A domain `Quote` as the JSON document of DESIGN section 7.

The JSON API, `rates quote --json` and the stored record all use this one shape: dates as
ISO `YYYY-MM-DD`, money as a decimal string with its currency, instants as ISO 8601 with
their offset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rates.domain.money import Money
from rates.domain.quote import Option, Quote, ShipmentQuote
from rates.domain.rules import RuleSkipped, TraceEntry
from rates.domain.stock import Allocation, DateRange, SkuStock


def money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def date_range(value: DateRange) -> dict[str, str]:
    return {"earliest": value.earliest.isoformat(), "latest": value.latest.isoformat()}


def stock_document(stock: SkuStock) -> dict[str, Any]:
    """A SKU's stock as JSON, in the `locations` form `parse_stock` reads back."""
    doc: dict[str, Any] = {
        "locations": [
            {"location": p.location, "on_hand": p.on_hand,
             "inbound": [{**({"id": lot.id} if lot.id else {}), "quantity": lot.quantity,
                          "committed": lot.committed, **date_range(lot.eta)}
                         for lot in p.inbound]}
            for p in stock.locations],
    }
    if stock.lead_time_days is not None:
        doc["lead_time_days"] = list(stock.lead_time_days)
    if stock.lead_time_location is not None:
        doc["lead_time_location"] = stock.lead_time_location
    if stock.backorder_limit is not None:
        doc["backorder_limit"] = stock.backorder_limit
    return doc


def quote_document(quote: Quote, quote_id: str | None = None,
                   describe: Callable[[Option], str] | None = None) -> dict[str, Any]:
    """The wire document for `quote`; withheld and unoffered options appear only when the
    quote was made with `explain`. `describe` words each option for the shopper."""
    # Where each allocation sits in `lines`, so a shipment can name its units compactly.
    refs = {id(a): [n, i] for n, line in enumerate(quote.lines)
            for i, a in enumerate(line.allocations)}
    described: dict[int, str] = {}
    doc: dict[str, Any] = {
        "id": quote_id,
        "created_at": quote.created_at.isoformat(),
        "ordered_at": quote.ordered_at.isoformat(),
        "reference": quote.reference,
        "ruleset": quote.ruleset,
        "currency": quote.currency,
        "stock": str(quote.stock) if quote.stock else None,
        "lines": [
            {"sku": line.sku, "quantity": line.quantity, "unavailable": line.unavailable,
             "allocations": [_allocation(a) for a in line.allocations]}
            for line in quote.lines
        ],
        "options": [_option(option, describe, refs, described) for option in quote.options],
        "messages": [
            {"code": m.code, "message": m.message, **({"sku": m.sku} if m.sku else {})}
            for m in quote.messages
        ],
    }
    if quote.withheld or quote.unoffered:
        doc["withheld"] = [_option(option, describe, refs, described)
                           for option in quote.withheld]
        doc["unoffered"] = [{"id": u.option_id, "reason": u.reason} for u in quote.unoffered]
    return doc


def _allocation(allocation: Allocation) -> dict[str, Any]:
    doc = {"quantity": allocation.quantity, "location": allocation.location,
           "source": str(allocation.source), "ready": date_range(allocation.ready)}
    if allocation.lot:
        doc["lot"] = allocation.lot
    return doc


def _option(option: Option, describe: Callable[[Option], str] | None,
            refs: dict[int, list[int]], described: dict[int, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": option.id,
        "plan": str(option.plan),
        "label": option.label,
        "carrier": option.service.carrier,
        "service": option.service.code,
        "service_name": option.service.name,
        "price": money(option.price),
        "delivery": date_range(option.delivery),
        **({"description": describe(option)} if describe else {}),
        "shipments": [_shipment(s, refs) for s in option.shipments],
        "trace": trace(option, described),
    }
    if option.hidden_by:
        doc["hidden_by"] = option.hidden_by
    if option.blocked:
        doc["blocked_by"], doc["blocked_message"] = option.blocked
    return doc


def _shipment(shipment: ShipmentQuote, refs: dict[int, list[int]]) -> dict[str, Any]:
    quantities: dict[str, int] = {}
    for item in shipment.plan.items:
        quantities[item.sku] = quantities.get(item.sku, 0) + item.quantity
    return {
        "location": shipment.plan.location,
        "stock": "backordered" if shipment.plan.backordered else "in_stock",
        "lines": [{"sku": sku, "quantity": n} for sku, n in quantities.items()],
        "allocations": [refs[id(item)] for item in shipment.plan.items],
        "ready": date_range(shipment.window.ready),
        "ships": date_range(shipment.window.ships),
        "delivery": date_range(shipment.window.delivery),
        "price": money(shipment.price),
        "source": shipment.source,
        "transit_days": list(shipment.transit),
    }


def trace(option: Option, described: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """Every calendar step and rate per shipment, then every rule, in the order applied.
    `described` remembers each step's words by identity: the options of one quote share
    their windows, so a document describes each step once."""
    described = {} if described is None else described
    steps: list[dict[str, Any]] = []
    for number, shipment in enumerate(option.shipments, start=1):
        for step in shipment.window.steps:
            detail = described.get(id(step))
            if detail is None:
                detail = described[id(step)] = step.describe()
            steps.append({"step": step.kind, "shipment": number, "detail": detail})
        steps.append({"step": "rate", "shipment": number,
                      "detail": f"{shipment.rate_detail} -> {shipment.base_price.amount}"})
    steps.extend(_rule(entry) for entry in option.rules)
    return steps


def _rule(entry: TraceEntry) -> dict[str, str]:
    if isinstance(entry, RuleSkipped):
        return {"rule": entry.rule, "skipped": entry.reason}
    return {"rule": entry.rule, "effect": entry.effect, "price": entry.price_text}
