"""EasyPost: the Shipment or Order create request built for a rate question, and the
recorded answers (tests/carriers/fixtures/easypost_*.json, in EasyPost's documented
shapes) parsed into exact rates or refused with a reason. No network."""

from __future__ import annotations

import base64
import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rates.carriers.adapter import LiveRateError
from rates.carriers.easypost import EasyPost
from rates.domain.cart import Destination
from rates.domain.live_rates import LiveEndpoint, LiveRate, Parcel, RateRequest
from rates.domain.money import Money

FIXTURES = Path(__file__).parent / "fixtures"
ADAPTER = EasyPost()
TO_MISSION = Destination("US", "CA", "94110")
REQUEST = RateRequest("ups", "reno", "US", "NV", "89502", TO_MISSION, (Parcel(3200),), "USD")
UPS_SERVICES = {"Ground": "ground", "2ndDayAir": "2nd_day_air", "NextDayAir": "next_day_air"}
ENDPOINT = LiveEndpoint("easypost", "https://api.easypost.com/v2", "RATES_EASYPOST_KEY",
                        UPS_SERVICES)


def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


def recorded(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"easypost_{name}.json").read_bytes())


def parse(answer: object, status: int = 201, *,
          services: dict[str, str] = UPS_SERVICES) -> tuple[LiveRate, ...]:
    body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
    endpoint = LiveEndpoint("easypost", ENDPOINT.url, ENDPOINT.api_key_env, services)
    return ADAPTER.parse(status, body, REQUEST, endpoint)


def refusal(answer: object, status: int = 201, **kwargs: Any) -> str:
    with pytest.raises(LiveRateError) as raised:
        parse(answer, status, **kwargs)
    return raised.value.reason


def shipment_with(service: str, **changes: object) -> dict[str, Any]:
    """The recorded Shipment with `changes` made to its rate for `service`."""
    answer = recorded("shipment")
    rate = next(rate for rate in answer["rates"] if rate["service"] == service)
    rate.update(changes)
    return answer


def ups_rate(service: str, price: str, currency: str = "USD") -> dict[str, Any]:
    rate = copy.deepcopy(next(r for r in recorded("shipment")["rates"] if r["service"] == service))
    rate.update(rate=price, currency=currency, carrier_account_id="ca_second_ups_account")
    return rate


# --- the request -------------------------------------------------------------------------

def test_one_parcel_is_rated_as_a_shipment():
    call = ADAPTER.build(REQUEST, ENDPOINT, "EZTK_test_key")
    assert call.method == "POST"
    assert call.url == "https://api.easypost.com/v2/shipments"
    assert json.loads(call.body) == {"shipment": {
        "from_address": {"country": "US", "state": "NV", "zip": "89502"},
        "to_address": {"country": "US", "state": "CA", "zip": "94110"},
        "parcel": {"weight": "112.9"},
    }}


def test_several_parcels_are_rated_as_an_order_with_a_shipment_per_parcel():
    request = RateRequest("ups", "reno", "US", "NV", "89502", TO_MISSION,
                          (Parcel(3200), Parcel(1500)), "USD")
    call = ADAPTER.build(request, ENDPOINT, "EZTK_test_key")
    assert call.method == "POST"
    assert call.url == "https://api.easypost.com/v2/orders"
    assert json.loads(call.body) == {"order": {
        "from_address": {"country": "US", "state": "NV", "zip": "89502"},
        "to_address": {"country": "US", "state": "CA", "zip": "94110"},
        "shipments": [{"parcel": {"weight": "112.9"}}, {"parcel": {"weight": "53.0"}}],
    }}


def test_the_key_is_the_basic_auth_user_name_with_no_password():
    headers = ADAPTER.build(REQUEST, ENDPOINT, "EZTK_test_key").headers
    assert headers == {"Content-Type": "application/json", "Accept": "application/json",
                       "Authorization": "Basic RVpUS190ZXN0X2tleTo="}
    assert base64.b64decode(headers["Authorization"].removeprefix("Basic ")) == b"EZTK_test_key:"


def test_without_a_key_no_authorization_header_is_sent():
    assert "Authorization" not in ADAPTER.build(REQUEST, ENDPOINT, None).headers


def test_a_trailing_slash_on_the_base_url_is_not_doubled():
    endpoint = LiveEndpoint("easypost", "https://api.easypost.com/v2/")
    assert ADAPTER.build(REQUEST, endpoint, None).url == "https://api.easypost.com/v2/shipments"


def test_unknown_parts_of_an_address_are_left_out():
    request = RateRequest("ups", "toronto", "CA", None, None, Destination("US"),
                          (Parcel(500),), "USD")
    shipment = json.loads(ADAPTER.build(request, ENDPOINT, None).body)["shipment"]
    assert shipment["from_address"] == {"country": "CA"}
    assert shipment["to_address"] == {"country": "US"}


@pytest.mark.parametrize(("grams", "ounces"), [
    (3200, "112.9"),   # 112.877 oz
    (1500, "53.0"),    # 52.911 oz
    (454, "16.1"),     # 16.014 oz: a hair over a pound is declared over it
    (28, "1.0"),       # 0.988 oz
    (29, "1.1"),       # 1.023 oz
    (1, "0.1"),
    (0, "0.1"),        # EasyPost requires a weight
])
def test_weights_are_ounces_rounded_up_to_a_tenth(grams, ounces):
    request = RateRequest("ups", "reno", "US", "NV", "89502", TO_MISSION, (Parcel(grams),), "USD")
    body = json.loads(ADAPTER.build(request, ENDPOINT, None).body)
    assert body["shipment"]["parcel"] == {"weight": ounces}


# --- answers that parse ------------------------------------------------------------------

def test_the_recorded_shipment_parses_into_the_mapped_services():
    """USPS rates and UPS 3DaySelect are not mapped, so they are skipped; the FedEx rating
    error in `messages` does not matter while there are rates."""
    body = (FIXTURES / "easypost_shipment.json").read_bytes()
    assert ADAPTER.parse(201, body, REQUEST, ENDPOINT) == (
        LiveRate("ground", usd("14.27"), (1, 1), guaranteed=False),
        LiveRate("2nd_day_air", usd("31.62"), (2, 2), guaranteed=True),
        LiveRate("next_day_air", usd("58.90"), (1, 1), guaranteed=True),
    )


def test_the_recorded_order_is_priced_by_its_own_rates_for_all_parcels():
    """Each shipment's rates price one parcel; the Order's `rates` price them together."""
    assert parse(recorded("order")) == (
        LiveRate("ground", usd("23.85"), (1, 1)),
        LiveRate("2nd_day_air", usd("52.79"), (2, 2), guaranteed=True),
        LiveRate("next_day_air", usd("97.15"), (1, 1), guaranteed=True),
    )


def test_a_rate_without_delivery_days_has_no_transit_days():
    assert parse(recorded("shipment"), services={"Express": "express"}) == (
        LiveRate("express", usd("49.60"), None, guaranteed=False),)


def test_a_service_name_may_be_qualified_by_its_carrier():
    services = {"UPS/Ground": "ground", "USPS/Priority": "priority"}
    assert parse(recorded("shipment"), services=services) == (
        LiveRate("priority", usd("10.20"), (2, 2)),
        LiveRate("ground", usd("14.27"), (1, 1)),
    )


def test_a_carrier_qualified_name_wins_over_the_bare_name():
    services = {"Priority": "priority", "USPS/Priority": "usps_priority"}
    assert parse(recorded("shipment"), services=services) == (
        LiveRate("usps_priority", usd("10.20"), (2, 2)),)


def test_a_qualified_name_does_not_match_another_carrier():
    assert parse(recorded("shipment"), services={"FedEx/Ground": "ground",
                                                 "NextDayAir": "next_day_air"}) == (
        LiveRate("next_day_air", usd("58.90"), (1, 1), guaranteed=True),)


def test_the_cheapest_rate_is_kept_when_two_accounts_quote_one_service():
    answer = recorded("shipment")
    answer["rates"] += [ups_rate("Ground", "13.95"), ups_rate("Ground", "15.00")]
    assert parse(answer)[0] == LiveRate("ground", usd("13.95"), (1, 1))


def test_a_rate_in_the_quote_currency_beats_a_cheaper_one_in_another():
    answer = recorded("shipment")
    answer["rates"].insert(0, ups_rate("Ground", "10.00", "CAD"))
    assert parse(answer)[0] == LiveRate("ground", usd("14.27"), (1, 1))


def test_a_rate_only_in_another_currency_is_kept_for_the_quote_to_judge():
    answer = shipment_with("Ground", currency="CAD")
    assert parse(answer)[0].price == Money(Decimal("14.27"), "CAD")


def test_unmapped_rates_are_skipped_without_being_checked():
    answer = shipment_with("GroundAdvantage", rate=9.41, delivery_days="soon")
    assert [rate.service for rate in parse(answer)] == ["ground", "2nd_day_air", "next_day_air"]


# --- answers that are refused ------------------------------------------------------------

def test_an_easypost_error_fails_with_its_status():
    body = (FIXTURES / "easypost_error.json").read_bytes()
    assert refusal(body, 422) == "HTTP 422"


@pytest.mark.parametrize("status", [500, 401, 402, 429, 503])
def test_a_non_2xx_status_fails_whatever_the_body(status):
    assert refusal(recorded("shipment"), status) == f"HTTP {status}"


@pytest.mark.parametrize("body", [b"", b"<html>Bad Gateway</html>", b'{"rates": [',
                                  b'{"rates": NaN}'])
def test_a_body_that_is_not_json_is_malformed(body):
    assert refusal(body) == "malformed JSON"


def test_no_usable_rate_fails_with_easypost_s_first_rating_error():
    """Every UPS account failing to rate must fall back to the table, not drop UPS."""
    answer = recorded("shipment")
    answer["rates"] = [rate for rate in answer["rates"] if rate["carrier"] != "UPS"]
    assert refusal(answer) == (
        "no usable rates; 'FedEx: Unauthorized. Please check credentials and try again'")


def test_a_long_rating_error_is_cut_short():
    answer = recorded("shipment")
    answer["rates"] = []
    answer["messages"] = [{"carrier": "UPS", "type": "rate_error", "message": "x" * 500}]
    assert refusal(answer) == f"no usable rates; 'UPS: {'x' * 55}...'"


def test_no_usable_rate_and_no_message_points_at_the_service_names():
    answer = recorded("order")
    assert refusal(answer, services={"Priority": "priority"}) == (
        "no rate for a service in live.services")


@pytest.mark.parametrize(("answer", "reason"), [
    ([], "the answer is not a JSON object"),
    ({"id": "shp_1", "object": "Shipment"}, "no rates in the answer"),
    ({"rates": "none"}, "rates must be a list"),
    ({"rates": [None]}, "each rate must be a JSON object"),
    ({"rates": [{"carrier": "UPS", "rate": "14.27"}]}, "service must be a string"),
])
def test_an_answer_of_the_wrong_shape_is_refused(answer, reason):
    assert refusal(answer) == reason


@pytest.mark.parametrize(("changes", "reason"), [
    ({"rate": 14.27}, "rate must be a decimal string"),
    ({"rate": None}, "rate must be a decimal string"),
    ({"rate": "abc"}, "rate 'abc' is not a decimal"),
    ({"rate": "-14.27"}, "rate '-14.27' is negative"),
    ({"currency": None}, 'currency must be an ISO 4217 code such as "USD"'),
    ({"currency": "XYZ"}, "unknown currency 'XYZ'"),
    ({"delivery_days": "1"}, "delivery_days must be whole days from 0 to 90"),
    ({"delivery_days": -1}, "delivery_days must be whole days from 0 to 90"),
    ({"delivery_days": 1.0}, "delivery_days must be whole days from 0 to 90"),
    ({"delivery_days": 400}, "delivery_days must be whole days from 0 to 90"),
    ({"delivery_date_guaranteed": "true"}, "delivery_date_guaranteed must be true or false"),
])
def test_a_mapped_rate_with_a_malformed_field_is_refused(changes, reason):
    assert refusal(shipment_with("Ground", **changes)) == reason


def test_a_mapped_rate_without_its_price_is_refused():
    answer = recorded("shipment")
    del next(rate for rate in answer["rates"] if rate["service"] == "Ground")["rate"]
    assert refusal(answer) == "rate must be a decimal string"
