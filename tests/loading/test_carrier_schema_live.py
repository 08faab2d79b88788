"""Carrier files that declare live rates: `kind: http` with a `live:` endpoint."""

from __future__ import annotations

from rates.domain.live_rates import LiveEndpoint
from tests.support.loading import CARRIER, Write, load, problems

LIVE = 'kind: http\nlive: {protocol: generic, url: "http://127.0.0.1:9100/rates", ' \
       'api_key_env: RATES_UPS_KEY, services: {"UPS Ground": ground}}\nmax_parcel_kg: 30\n'


def carrier_with(lines: str) -> str:
    """The minimal carrier file with `lines` added at the top level."""
    return CARRIER.replace("currency: USD\n", "currency: USD\n" + lines)


def test_a_live_carrier_keeps_its_endpoint_and_parcel_limit(write: Write) -> None:
    setup = load(write(carrier=carrier_with(LIVE)))
    ups = setup.catalog.carriers["ups"]
    assert ups.live == LiveEndpoint("generic", "http://127.0.0.1:9100/rates", "RATES_UPS_KEY",
                                    {"UPS Ground": "ground"})
    assert ups.max_parcel_grams == 30_000
    assert setup.catalog.locations["reno"].postcode == "89502"
    assert setup.settings.live_rates.deadline_seconds == 2.5


def test_kind_http_needs_a_live_endpoint(write: Write) -> None:
    found = problems(write(carrier=carrier_with("kind: http\n")))
    assert len(found) == 1
    assert "a carrier of kind http needs live: {protocol, url} [missing-key]" in found[0]


def test_a_live_endpoint_needs_kind_http(write: Write) -> None:
    table = LIVE.replace("kind: http\n", "")
    found = problems(write(carrier=carrier_with(table)))
    assert len(found) == 1
    assert "live: is set, so write kind: http (or remove live:)" in found[0]


def test_live_services_must_map_to_the_carriers_services(write: Write) -> None:
    wrong = LIVE.replace('{"UPS Ground": ground}', '{"UPS Ground": grund}')
    found = problems(write(carrier=carrier_with(wrong)))
    assert len(found) == 1
    assert "unknown service 'grund'; did you mean 'ground'? [unknown-reference]" in found[0]


def test_an_unknown_protocol_lists_the_known_ones(write: Write) -> None:
    wrong = LIVE.replace("protocol: generic", "protocol: fedex-soap")
    found = problems(write(carrier=carrier_with(wrong)))
    assert len(found) == 1
    assert "unknown protocol 'fedex-soap' (one of: easypost, generic)" in found[0]


def test_easypost_needs_an_api_key(write: Write) -> None:
    easypost = LIVE.replace("protocol: generic", "protocol: easypost").replace(
        "api_key_env: RATES_UPS_KEY, ", "")
    found = problems(write(carrier=carrier_with(easypost)))
    assert len(found) == 1
    assert "EasyPost needs an API key" in found[0] and "[missing-key]" in found[0]


def test_a_live_host_must_be_allowed_by_the_config(write: Write) -> None:
    elsewhere = LIVE.replace("http://127.0.0.1:9100/rates", "https://rates.example.com/v1")
    found = problems(write(carrier=carrier_with(elsewhere)))
    # Line 7 is the `live:` line; 'live: {protocol: generic, url: ' is 31 characters.
    assert found == [
        "carriers/ups.yaml:7:32: error: host 'rates.example.com' is not in "
        "live_rates.allowed_hosts of the config (127.0.0.1, localhost): add it there to call "
        "this carrier [unknown-reference]"]
