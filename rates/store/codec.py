"""How values become column values, and back, the same for both backends.

The store encodes its own rows, so that it depends on the domain only, not on the wire
format of the API (`rates.wire`), which itself imports the store. The formats here are
what the release before SQLAlchemy wrote, and are documented beside the baseline schema
(`rates/store/migrations/versions/0001_quotes_and_inventory.py`):

- JSON is compact with sorted keys, written by orjson, so equal documents are equal
  strings. A served quote document (over 100 KB) is kept as the bytes it was sent as
  (`QuoteRecord.served`), in the order its keys were built.
- An instant is ISO 8601 with its UTC offset, read back as the same instant in the same
  offset. Such strings do not sort by instant across offsets, so ordering uses a second
  column (`instant_key`, or a `timestamptz` on PostgreSQL; see `rates.store.types`).
- A SKU's stock is the JSON object `stock_json` writes and `stock_of` reads (`supplier`,
  on the SKU and on a lot, is written only when named: rows written before it read as
  None).
- A quote's inputs (`QuoteInputs`) are {"stock": {sku: stock}, "live": null | [answer |
  null, ...]}, each answer {"rates": [{"service", "amount", "currency", "transit_days",
  "guaranteed"}], "failure"}.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import orjson

from rates.domain.live_rates import LiveAnswer, LiveRate
from rates.domain.money import Money
from rates.domain.stock import DateRange, InboundLot, LocationStock, SkuStock

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def json_text(value: Any) -> str:
    """`value` as compact JSON with sorted keys. Integers beyond 64 bits (which orjson
    refuses) go through the standard library with the same settings; NaN is refused."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)


def json_value(text: str | bytes) -> Any:
    """What `json_text` (or PostgreSQL's `jsonb::text`) wrote. The standard library reads
    it: orjson would read an integer beyond 64 bits as a float."""
    return json.loads(text)


def instant_text(moment: datetime) -> str:
    """`moment` as ISO 8601 with its offset."""
    return aware(moment).isoformat()


def instant_key(moment: datetime) -> int:
    """Microseconds since the Unix epoch: sorts by instant whatever the offset."""
    return (aware(moment) - _EPOCH) // timedelta(microseconds=1)


def instant_of(text: str) -> datetime:
    """The instant `instant_text` wrote, in the offset it was written in."""
    return datetime.fromisoformat(text)


def aware(moment: datetime) -> datetime:
    """`moment`, unless it is naive: it would be read back in whatever zone the reader
    assumed."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; the store keeps only "
                         "timezone-aware datetimes")
    return moment


def stock_json(stock: SkuStock) -> str:
    """The stored form of `stock` (the stock document of the API, `locations` form)."""
    return json_text(stock_value(stock))


def stock_value(stock: SkuStock) -> dict[str, Any]:
    """`stock` as the JSON object `stock_json` writes."""
    document: dict[str, Any] = {"locations": [
        {"location": place.location, "on_hand": place.on_hand,
         "inbound": [{**({"id": lot.id} if lot.id else {}), "quantity": lot.quantity,
                      "committed": lot.committed, "earliest": lot.eta.earliest.isoformat(),
                      "latest": lot.eta.latest.isoformat(),
                      **({"supplier": lot.supplier} if lot.supplier else {})}
                     for lot in place.inbound]}
        for place in stock.locations]}
    if stock.lead_time_days is not None:
        document["lead_time_days"] = list(stock.lead_time_days)
    if stock.lead_time_location is not None:
        document["lead_time_location"] = stock.lead_time_location
    if stock.backorder_limit is not None:
        document["backorder_limit"] = stock.backorder_limit
    if stock.supplier is not None:
        document["supplier"] = stock.supplier
    return document


@lru_cache(maxsize=16_384)
def stock_of(sku: str, text: str, default_location: str) -> SkuStock:
    """A stored stock row. Every quote reads its SKUs' rows, which rarely change: equal
    text, equal stock. Also takes the API's one-position form (`location`, `on_hand`,
    `inbound` inline), a position without `location` being at `default_location`."""
    return stock_from(sku, json_value(text), default_location)


def stock_from(sku: str, document: Any, default_location: str) -> SkuStock:
    """The stock of `sku` from the JSON object `stock_value` writes (or the API's
    one-position form, as `stock_of` says)."""
    if not isinstance(document, dict):
        raise ValueError(f"the stored stock of {sku} is not a JSON object")
    if "locations" in document:
        places = document["locations"]
    elif {"location", "on_hand", "inbound"} & document.keys():
        places = [document]
    else:
        places = []
    lead_time = document.get("lead_time_days")
    return SkuStock(
        sku,
        tuple(_place(place, default_location) for place in places),
        lead_time_days=(int(lead_time[0]), int(lead_time[1])) if lead_time else None,
        lead_time_location=document.get("lead_time_location"),
        backorder_limit=document.get("backorder_limit"),
        supplier=document.get("supplier"))


def _place(place: Mapping[str, Any], default_location: str) -> LocationStock:
    return LocationStock(
        place.get("location", default_location), int(place.get("on_hand", 0)),
        tuple(InboundLot(int(lot["quantity"]),
                         DateRange(date.fromisoformat(lot["earliest"]),
                                   date.fromisoformat(lot["latest"])),
                         lot.get("id"), int(lot.get("committed", 0)), lot.get("supplier"))
              for lot in place.get("inbound", ())))


def inputs_value(stock: Mapping[str, SkuStock],
                 live: tuple[LiveAnswer | None, ...] | None) -> dict[str, Any]:
    """A quote's inputs as the JSON object the module docstring describes."""
    return {"stock": {sku: stock_value(item) for sku, item in stock.items()},
            "live": None if live is None else [None if answer is None else _answer(answer)
                                              for answer in live]}


def inputs_of(document: Mapping[str, Any]) -> tuple[dict[str, SkuStock],
                                                   tuple[LiveAnswer | None, ...] | None]:
    """What `inputs_value` wrote: the stock by SKU and the live answers."""
    live = document["live"]
    return ({sku: stock_from(sku, item, "") for sku, item in document["stock"].items()},
            None if live is None else tuple(None if answer is None else _answer_of(answer)
                                            for answer in live))


def _answer(answer: LiveAnswer) -> dict[str, Any]:
    return {"rates": [{"service": rate.service, "amount": str(rate.price.amount),
                       "currency": rate.price.currency,
                       "transit_days": None if rate.transit_days is None
                       else list(rate.transit_days), "guaranteed": rate.guaranteed}
                      for rate in answer.rates],
            "failure": answer.failure}


def _answer_of(document: Mapping[str, Any]) -> LiveAnswer:
    return LiveAnswer(tuple(
        LiveRate(rate["service"], Money.parse(rate["amount"], rate["currency"]),
                 None if rate["transit_days"] is None else (int(rate["transit_days"][0]),
                                                            int(rate["transit_days"][1])),
                 bool(rate["guaranteed"]))
        for rate in document["rates"]), document["failure"])
