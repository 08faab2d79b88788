"""The generic JSON rate protocol (docs/live-rates.md): the request a merchant's rating
service receives, and every answer it may send: parsed into exact rates, or refused with
the reason the quote will show next to the fallback prices. No network: the adapter is
pure, and these are its inputs and outputs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from rates.carriers.adapter import LiveRateError
from rates.carriers.generic import GenericJson
from rates.domain.cart import Destination
from rates.domain.live_rates import LiveEndpoint, LiveRate, Parcel, RateRequest
from rates.domain.money import Money

FIXTURES = Path(__file__).parent / "fixtures"
ADAPTER = GenericJson()
REQUEST = RateRequest("mycarrier", "reno", "US", "NV", "89502",
                      Destination("US", "CA", "94110"), (Parcel(3200),), "USD")
ENDPOINT = LiveEndpoint("generic", "https://rates.example.com/v1/rates",
                        "RATES_MYCARRIER_KEY", {"Their Next Day": "next_day_air"})
ABSENT = object()


def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


def parse(answer: object, status: int = 200) -> tuple[LiveRate, ...]:
    body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
    return ADAPTER.parse(status, body, REQUEST, ENDPOINT)


def refusal(answer: object, status: int = 200) -> str:
    with pytest.raises(LiveRateError) as raised:
        parse(answer, status)
    return raised.value.reason


def with_rate(**changes: object) -> dict[str, object]:
    """An answer of one good rate with `changes` applied; ABSENT removes a field."""
    rate: dict[str, object] = {"service": "ground", "amount": "12.34", "currency": "USD",
                               "transit_days": {"min": 1, "max": 3}, "guaranteed": False}
    for key, value in changes.items():
        if value is ABSENT:
            del rate[key]
        else:
            rate[key] = value
    return {"rates": [rate]}


# --- the request -------------------------------------------------------------------------

def test_the_request_is_a_json_post_of_origin_destination_parcels_and_currency():
    request = RateRequest("mycarrier", "reno", "US", "NV", "89502",
                          Destination("US", "CA", "94110"), (Parcel(3200), Parcel(1500)), "USD")
    call = ADAPTER.build(request, ENDPOINT, "s3cret")
    assert call.method == "POST"
    assert call.url == "https://rates.example.com/v1/rates"
    assert call.headers == {"Content-Type": "application/json", "Accept": "application/json",
                            "Authorization": "Bearer s3cret"}
    assert json.loads(call.body) == {
        "origin": {"location": "reno", "country": "US", "region": "NV", "postcode": "89502"},
        "destination": {"country": "US", "region": "CA", "postcode": "94110"},
        "packages": [{"weight_grams": 3200}, {"weight_grams": 1500}],
        "currency": "USD",
    }


def test_without_a_key_no_authorization_header_is_sent():
    call = ADAPTER.build(REQUEST, ENDPOINT, None)
    assert "Authorization" not in call.headers


def test_unknown_parts_of_an_address_are_sent_as_null():
    request = RateRequest("mycarrier", "toronto", "CA", None, None, Destination("CA"),
                          (Parcel(0),), "CAD")
    body = json.loads(ADAPTER.build(request, ENDPOINT, None).body)
    assert body["origin"] == {"location": "toronto", "country": "CA", "region": None,
                              "postcode": None}
    assert body["destination"] == {"country": "CA", "region": None, "postcode": None}
    assert body["packages"] == [{"weight_grams": 0}]


# --- answers that parse ------------------------------------------------------------------

def test_the_recorded_answer_parses_into_exact_rates():
    body = (FIXTURES / "generic_rates.json").read_bytes()
    assert ADAPTER.parse(200, body, REQUEST, ENDPOINT) == (
        LiveRate("ground", usd("12.34"), (1, 3), guaranteed=False),
        LiveRate("next_day_air", usd("48.00"), (1, 1), guaranteed=True),  # mapped name
        LiveRate("economy", usd("7.50")),  # no transit days, not guaranteed
    )


def test_an_empty_rates_list_means_the_carrier_offers_nothing():
    assert parse({"rates": []}) == ()


def test_any_2xx_status_is_an_answer():
    assert parse(with_rate(), status=201) == (LiveRate("ground", usd("12.34"), (1, 3)),)


def test_null_transit_days_and_guaranteed_mean_the_carrier_gave_none():
    assert parse(with_rate(transit_days=None, guaranteed=None)) == (
        LiveRate("ground", usd("12.34")),)


def test_same_day_transit_is_zero_days():
    rates = parse(with_rate(transit_days={"min": 0, "max": 0}))
    assert rates[0].transit_days == (0, 0)


@pytest.mark.parametrize(("amount", "currency", "expected"), [
    ("12.345", "USD", Money(Decimal("12.35"), "USD")),  # half up to the cent
    ("1200", "JPY", Money(Decimal("1200"), "JPY")),
    ("1.2345", "KWD", Money(Decimal("1.235"), "KWD")),
    ("0", "USD", Money(Decimal("0.00"), "USD")),       # free shipping is a price
])
def test_amounts_are_rounded_to_the_currency_minor_unit(amount, currency, expected):
    assert parse(with_rate(amount=amount, currency=currency))[0].price == expected


def test_a_rate_in_another_known_currency_is_kept_for_the_quote_to_judge():
    assert parse(with_rate(currency="CAD"))[0].price == Money(Decimal("12.34"), "CAD")


# --- answers that are refused ------------------------------------------------------------

@pytest.mark.parametrize("status", [500, 503, 404, 401, 302, 199])
def test_a_non_2xx_status_fails_whatever_the_body(status):
    assert refusal(with_rate(), status) == f"HTTP {status}"


@pytest.mark.parametrize("body", [
    b"", b"not json", b"<html>502 Bad Gateway</html>", b'{"rates": [', b"\xff\xfe\x00",
    b'{"rates": [{"amount": NaN}]}', b'{"rates": Infinity}', b"[" * 100_000,
])
def test_a_body_that_is_not_json_is_malformed(body):
    assert refusal(body) == "malformed JSON"


@pytest.mark.parametrize(("answer", "reason"), [
    ([], "the answer is not a JSON object"),
    ("rates", "the answer is not a JSON object"),
    (None, "the answer is not a JSON object"),
    ({}, "no rates in the answer"),
    ({"rates": None}, "no rates in the answer"),
    ({"error": "down for maintenance"}, "no rates in the answer"),
    ({"rates": {"ground": "12.34"}}, "rates must be a list"),
    ({"rates": ["ground"]}, "each rate must be a JSON object"),
])
def test_an_answer_of_the_wrong_shape_is_refused(answer, reason):
    assert refusal(answer) == reason


@pytest.mark.parametrize(("changes", "reason"), [
    ({"service": ABSENT}, "service must be a non-empty string"),
    ({"service": ""}, "service must be a non-empty string"),
    ({"service": 7}, "service must be a non-empty string"),
    ({"amount": ABSENT}, "amount must be a decimal string"),
    ({"amount": 12.34}, "amount must be a decimal string"),
    ({"amount": 12}, "amount must be a decimal string"),
    ({"amount": None}, "amount must be a decimal string"),
    ({"amount": "abc"}, "amount 'abc' is not a decimal"),
    ({"amount": "12,34"}, "amount '12,34' is not a decimal"),
    ({"amount": "1e3"}, "amount '1e3' is not a decimal"),
    ({"amount": "NaN"}, "amount 'NaN' is not a decimal"),
    ({"amount": " 12.34"}, "amount ' 12.34' is not a decimal"),
    ({"amount": "$12.34"}, "amount '$12.34' is not a decimal"),
    ({"amount": "\u0661\u0662"}, "amount '\u0661\u0662' is not a decimal"),  # Arabic-Indic 12
    ({"amount": "1" * 40}, "amount '111111111111111111111111...' is not a decimal"),
    ({"amount": "-5.00"}, "amount '-5.00' is negative"),
    ({"currency": ABSENT}, 'currency must be an ISO 4217 code such as "USD"'),
    ({"currency": 840}, 'currency must be an ISO 4217 code such as "USD"'),
    ({"currency": "XYZ"}, "unknown currency 'XYZ'"),
    ({"currency": "usd"}, "unknown currency 'usd'"),
    ({"transit_days": [1, 3]}, "transit_days must be an object with min and max"),
    ({"transit_days": "1-3"}, "transit_days must be an object with min and max"),
    ({"transit_days": {"min": 1}}, "transit_days max must be whole days from 0 to 90"),
    ({"transit_days": {"min": 3, "max": 1}}, "transit_days min 3 is more than max 1"),
    ({"transit_days": {"min": -1, "max": 2}}, "transit_days min must be whole days from 0 to 90"),
    ({"transit_days": {"min": 1.5, "max": 2}}, "transit_days min must be whole days from 0 to 90"),
    ({"transit_days": {"min": "1", "max": 2}}, "transit_days min must be whole days from 0 to 90"),
    ({"transit_days": {"min": True, "max": 2}}, "transit_days min must be whole days from 0 to 90"),
    ({"transit_days": {"min": 1, "max": 91}}, "transit_days max must be whole days from 0 to 90"),
    ({"guaranteed": "yes"}, "guaranteed must be true or false"),
    ({"guaranteed": 1}, "guaranteed must be true or false"),
])
def test_a_rate_with_a_missing_or_malformed_field_is_refused(changes, reason):
    assert refusal(with_rate(**changes)) == reason


def test_one_bad_rate_refuses_the_whole_answer():
    answer = {"rates": [*with_rate()["rates"], *with_rate(service="express", amount=9.5)["rates"]]}
    assert refusal(answer) == "amount must be a decimal string"


@pytest.mark.parametrize("second", ["ground", "Their Next Day"])
def test_a_service_quoted_twice_is_refused(second):
    answer = {"rates": [*with_rate(service="next_day_air")["rates"],
                        *with_rate(service="ground")["rates"],
                        *with_rate(service=second)["rates"]]}
    code = ENDPOINT.services.get(second, second)
    assert refusal(answer) == f"service {code!r} is quoted twice"
