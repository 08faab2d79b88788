"""`rates serve` for real: gunicorn workers on 127.0.0.1, spoken to over HTTP."""

import json

import pytest
import requests

from tests.support.project import CARTS, RATES

QUOTE_KEY = "rk_demo_quote_key_for_the_bundled_example_only"
SUPPORT_KEY = "rk_demo_support_key_for_the_bundled_example_only"


@pytest.mark.skipif(not RATES.exists(), reason="the console script is installed by make")
def test_a_quote_over_real_http_is_stored_and_logged_without_personal_data(serve, example):
    server = serve()
    base, folder, stop = server.base, example.parent, server.stop
    cart = json.loads((CARTS / "mixed.json").read_text())
    cart["destination"]["postcode"] = "94110"
    session = requests.Session()
    created = session.post(f"{base}/v1/quotes", json=cart, timeout=10,
                           headers={"Authorization": f"Bearer {QUOTE_KEY}"})
    assert created.status_code == 201, created.text
    quote_id = created.json()["id"]
    read = session.get(f"{base}/v1/quotes/{quote_id}", timeout=10,
                       headers={"Authorization": f"Bearer {SUPPORT_KEY}"})
    assert read.status_code == 200
    assert read.json()["options"] == created.json()["options"]
    assert (folder / "rates.db").exists()  # relative to the config file
    refused = session.post(f"{base}/v1/quotes", json=cart, timeout=10)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    log = stop()
    requests_logged = [json.loads(line) for line in log.splitlines()
                       if line.startswith("{") and '"message": "request"' in line]
    assert {(r["route"], r["status"]) for r in requests_logged} >= {
        ("/v1/quotes", 201), ("/v1/quotes/<quote_id>", 200), ("/v1/quotes", 401)}
    assert "94110" not in log and "cart-1003" not in log


@pytest.mark.skipif(not RATES.exists(), reason="the console script is installed by make")
def test_two_servers_on_one_machine_open_no_shared_control_socket(serve, tmp_path):
    """gunicorn's control socket is one path per user: a second server would take it
    from the first, and stopping either would remove the other's."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    first, second = serve(XDG_RUNTIME_DIR=str(runtime)), serve(XDG_RUNTIME_DIR=str(runtime))
    for server in (first, second):
        assert requests.get(f"{server.base}/readyz", timeout=10).status_code == 200
    assert list(runtime.iterdir()) == []
    first.stop()
    second.stop()
