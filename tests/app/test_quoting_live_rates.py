"""Quotes through the API with UPS as a live carrier on a real server on 127.0.0.1."""

import json
import threading

import pytest

from rates.carriers.fetch import LiveRateFetcher
from rates.carriers.registry import ADAPTERS
from rates.settings import Role
from tests.support.local_http import LocalServer, QuietHandler
from tests.support.project import CARTS
from tests.support.web import auth

CART = json.loads((CARTS / "under_150.json").read_text())
RATES = {"rates": [{"service": "ground", "amount": "5.55", "currency": "USD",
                    "transit_days": {"min": 2, "max": 2}},
                   {"service": "2nd_day_air", "amount": "19.00", "currency": "USD"}]}
LATE = 5.0
"""How long a hanging carrier holds a request: far past the 0.5 s deadline."""


class Carrier(QuietHandler):
    """UPS's live endpoint; with `hang` set it holds each request past the deadline and
    notes in `hung_up` a client that gave up on it first."""

    hang = threading.Event()
    hung_up = threading.Event()
    released = threading.Event()
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 - the http.server naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Carrier.seen.append(body)
        if Carrier.hang.is_set() and self.hold(LATE, Carrier.released):
            Carrier.hung_up.set()
            return
        self.answer(200, json.dumps(RATES).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def carrier_server():
    for event in (Carrier.hang, Carrier.hung_up, Carrier.released):
        event.clear()
    Carrier.seen = []
    server = LocalServer(Carrier)
    yield f"http://127.0.0.1:{server.port}/rates"
    Carrier.released.set()
    server.close()


@pytest.fixture
def example(example, carrier_server):
    """The example with UPS asked live at `carrier_server`, under a 0.5 s deadline."""
    ups = example.parent / "carriers" / "ups.yaml"
    ups.write_text(ups.read_text().replace(
        "currency: USD\n",
        f'currency: USD\nkind: http\nlive: {{protocol: generic, url: "{carrier_server}"}}\n'
        "max_parcel_kg: 30\n", 1))
    example.write_text(example.read_text() + "\nlive_rates: {deadline_seconds: 0.5}\n")
    return example


@pytest.fixture
def live_rates(reloading, metrics):
    fetcher = LiveRateFetcher(reloading.current.settings.live_rates, ADAPTERS, observer=metrics)
    yield fetcher.fetch
    fetcher.close()


def test_a_live_carrier_prices_the_quote(client):
    document = client.post("/v1/quotes?explain=1", json=CART,
                           headers=auth(Role.QUOTE)).get_json()
    options = {o["id"]: o for o in document["options"]}
    ground = options["together/ups/ground"]
    assert ground["price"]["amount"] == "5.55"
    assert ground["shipments"][0]["source"] == "live"
    # Ships Mon 23 .. Tue 24 from reno; transit 2-2 UPS days: Wed 25 .. Wed 25 + Thanksgiving
    # (26) skipped: Fri 27 (UPS works on Nevada's Family Day).
    assert ground["delivery"] == {"earliest": "2026-11-25", "latest": "2026-11-27",
                                  "confidence": None, "likely": None}
    assert "together/ups/next_day_air" not in options  # UPS did not quote it
    assert Carrier.seen[0]["packages"] == [{"weight_grams": 1500}]
    assert Carrier.seen[0]["origin"]["postcode"] == "89502"
    metrics = client.get("/metrics", headers=auth(Role.ADMIN)).get_data(as_text=True)
    assert 'rates_live_call_seconds_count{carrier="ups",outcome="ok"} 1.0' in metrics


def test_a_hanging_carrier_is_given_up_at_the_deadline_and_falls_back(client):
    """The carrier sees the quote hang up on it before it answers: the quote did not wait
    for it, and was answered from the rate table."""
    Carrier.hang.set()
    response = client.post("/v1/quotes?explain=1", json=CART, headers=auth(Role.QUOTE))
    assert response.status_code == 201
    assert Carrier.hung_up.wait(LATE)
    document = response.get_json()
    ground = next(o for o in document["options"] if o["id"] == "together/ups/ground")
    assert ground["shipments"][0]["source"] == "fallback"
    assert ground["price"]["amount"] == "10.95"  # the table: 1.5 kg, local, from 1 kg
    assert {"code": "carrier_fallback",
            "message": "UPS live rates unavailable (timed out after 0.5 s); "
                       "priced from its rate table"} in document["messages"]


def test_support_replays_a_live_quote_with_the_prices_the_carrier_gave_then(client):
    """The carrier's answer is kept with the quote: replayed with explain after the
    carrier stopped answering, the quote is what it was, and the carrier is not asked."""
    answered = client.post("/v1/quotes?explain=1", json=CART, headers=auth(Role.QUOTE))
    ground = next(o for o in answered.get_json()["options"]
                  if o["id"] == "together/ups/ground")
    assert ground["price"]["amount"] == "5.55"
    asked = len(Carrier.seen)
    Carrier.hang.set()
    replayed = client.get(f"/v1/quotes/{answered.get_json()['id']}?explain=1",
                          headers=auth(Role.SUPPORT))
    assert replayed.get_data() == answered.get_data()
    assert len(Carrier.seen) == asked
