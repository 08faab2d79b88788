"""The generic JSON rate protocol: what a merchant's own rating service implements to give
live rates (the full contract is in docs/live-rates.md).

One POST per question, JSON both ways. The answer lists a rate per service; `service` is
one of our service codes, or the service's own name mapped through the endpoint's
`services`. The parser is strict about what it uses (amounts are decimal strings, transit
days are whole and ordered) and ignores fields it does not know, so a service can add
fields without breaking us.
"""

from __future__ import annotations

from collections.abc import Mapping
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


class GenericJson:
    def build(self, request: RateRequest, endpoint: LiveEndpoint,
              api_key: str | None) -> HttpCall:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        destination = request.destination
        payload = {
            "origin": {"location": request.origin, "country": request.origin_country,
                       "region": request.origin_region, "postcode": request.origin_postcode},
            "destination": {"country": destination.country, "region": destination.region,
                            "postcode": destination.postcode},
            "packages": [{"weight_grams": parcel.grams} for parcel in request.parcels],
            "currency": request.currency,
        }
        return HttpCall("POST", endpoint.url, headers, json_body(payload))

    def parse(self, status: int, body: bytes, request: RateRequest,
              endpoint: LiveEndpoint) -> tuple[LiveRate, ...]:
        """The answer's rates; an empty list is a valid answer (nothing to offer). A service
        quoted twice is refused: which price would be the real one?"""
        rates = tuple(_rate(rate, endpoint.services)
                      for rate in rate_objects(answer_object(status, body)))
        seen: set[str] = set()
        for rate in rates:
            if rate.service in seen:
                raise LiveRateError(f"service {shown(rate.service)} is quoted twice")
            seen.add(rate.service)
        return rates


def _rate(rate: Mapping[str, Any], services: Mapping[str, str]) -> LiveRate:
    name = rate.get("service")
    if not isinstance(name, str) or not name:
        raise LiveRateError("service must be a non-empty string")
    return LiveRate(services.get(name, name), money(rate, "amount"),
                    _transit(rate.get("transit_days")),
                    flag(rate.get("guaranteed"), "guaranteed"))


def _transit(value: object) -> tuple[int, int] | None:
    """`{"min": 1, "max": 3}`, both inclusive; absent or null: the carrier gave none."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise LiveRateError("transit_days must be an object with min and max")
    low = whole_days(value.get("min"), "transit_days min")
    high = whole_days(value.get("max"), "transit_days max")
    if low > high:
        raise LiveRateError(f"transit_days min {low} is more than max {high}")
    return low, high
