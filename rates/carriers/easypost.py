"""EasyPost: live rates read from the Shipment or Order that EasyPost rates on creation.

EasyPost prices what it is asked to create. One parcel is a Shipment (POST /shipments);
several are an Order (POST /orders) with one shipment per parcel: EasyPost documents Orders
as "intended only for multi-parcel shipping" and Shipments for single parcels. Both answers
carry a top-level `rates` list of Rate objects; on an Order those are the prices of the
whole order, which is what shipping all the parcels together costs. `endpoint.url` is the
API base, "https://api.easypost.com/v2".

EasyPost authenticates with HTTP Basic, the API key as user name and no password. Parcels
are weighed in ounces to one decimal. A Rate's `rate` is the price the merchant pays;
`list_rate` and `retail_rate` are ignored. `delivery_days` becomes the transit (min = max);
`delivery_date` is ignored, since the quote dates deliveries from its own pickup calendars.

An EasyPost account rates every carrier it holds, so only rates whose service the endpoint
maps are kept: `services` names EasyPost's service either bare ("Ground") or with its
carrier ("USPS/Priority") where two carriers use one name. An answer that keeps no rate
fails, naming EasyPost's first rating error when it gave one: broken carrier credentials
must fall back to the rate table, not quietly drop the carrier's options.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any

from rates.carriers.adapter import (
    HttpCall,
    LiveRateError,
    answer_object,
    flag,
    json_body,
    money,
    rate_objects,
    shown,
    whole_days,
)
from rates.domain.live_rates import LiveEndpoint, LiveRate, RateRequest

_GRAMS_PER_OUNCE = Decimal("28.349523125")
_TENTH = Decimal("0.1")


class EasyPost:
    def build(self, request: RateRequest, endpoint: LiveEndpoint,
              api_key: str | None) -> HttpCall:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            token = base64.b64encode(f"{api_key}:".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        destination = request.destination
        addresses = {
            "from_address": _address(request.origin_country, request.origin_region,
                                     request.origin_postcode),
            "to_address": _address(destination.country, destination.region,
                                   destination.postcode),
        }
        parcels = [{"weight": _ounces(parcel.grams)} for parcel in request.parcels]
        base = endpoint.url.rstrip("/")
        if len(parcels) == 1:
            shipment = {"shipment": {**addresses, "parcel": parcels[0]}}
            return HttpCall("POST", f"{base}/shipments", headers, json_body(shipment))
        order = {"order": {**addresses,
                           "shipments": [{"parcel": parcel} for parcel in parcels]}}
        return HttpCall("POST", f"{base}/orders", headers, json_body(order))

    def parse(self, status: int, body: bytes, request: RateRequest,
              endpoint: LiveEndpoint) -> tuple[LiveRate, ...]:
        data = answer_object(status, body)
        found = [rate for rate in (_rate(raw, endpoint.services) for raw in rate_objects(data))
                 if rate is not None]
        if not found:
            raise LiveRateError(_why_none(data))
        return _cheapest_per_service(found, request.currency)


def _address(country: str, region: str | None, postcode: str | None) -> dict[str, str]:
    """An EasyPost Address from what a quote knows; absent parts are left out, not null."""
    parts = {"country": country, "state": region, "zip": postcode}
    return {key: value for key, value in parts.items() if value is not None}


def _ounces(grams: int) -> str:
    """Ounces to one decimal, rounded up so a parcel is never declared lighter than it is
    (the carrier re-bills that); at least 0.1, since EasyPost requires a weight. A string,
    as EasyPost's own examples send it, so no float is involved."""
    ounces = (Decimal(grams) / _GRAMS_PER_OUNCE).quantize(_TENTH, rounding=ROUND_CEILING)
    return str(max(ounces, _TENTH))


def _rate(rate: Mapping[str, Any], services: Mapping[str, str]) -> LiveRate | None:
    """The rate in our terms, or None for a service the endpoint does not map (its other
    fields are then not checked: we do not use them)."""
    code = _our_service(rate, services)
    if code is None:
        return None
    days = rate.get("delivery_days")
    transit = None
    if days is not None:
        day_count = whole_days(days, "delivery_days")
        transit = (day_count, day_count)
    return LiveRate(code, money(rate, "rate"), transit,
                    flag(rate.get("delivery_date_guaranteed"), "delivery_date_guaranteed"))


def _our_service(rate: Mapping[str, Any], services: Mapping[str, str]) -> str | None:
    name = rate.get("service")
    if not isinstance(name, str):
        raise LiveRateError("service must be a string")
    carrier = rate.get("carrier")
    if isinstance(carrier, str) and f"{carrier}/{name}" in services:
        return services[f"{carrier}/{name}"]
    return services.get(name)


def _why_none(data: Mapping[str, Any]) -> str:
    """EasyPost lists the carriers that failed to rate in `messages`; the first says why."""
    messages = data.get("messages")
    for message in messages if isinstance(messages, list) else ():
        if isinstance(message, dict) and isinstance(message.get("message"), str):
            carrier = message.get("carrier")
            said = f"{carrier}: {message['message']}" if isinstance(carrier, str) \
                else message["message"]
            return f"no usable rates; {shown(said, 60)}"
    return "no rate for a service in live.services"


def _cheapest_per_service(rates: Iterable[LiveRate], currency: str) -> tuple[LiveRate, ...]:
    """One rate per service, the cheapest: an account can hold two accounts of one carrier
    (the merchant's own and EasyPost's), and the merchant buys the cheaper. A rate in the
    quote's currency beats one in another, which could not be compared nor used."""
    best: dict[str, LiveRate] = {}
    for rate in rates:
        kept = best.get(rate.service)
        if kept is None or _better(rate, kept, currency):
            best[rate.service] = rate
    return tuple(best.values())


def _better(rate: LiveRate, kept: LiveRate, currency: str) -> bool:
    if rate.price.currency != kept.price.currency:
        return rate.price.currency == currency
    return rate.price < kept.price
