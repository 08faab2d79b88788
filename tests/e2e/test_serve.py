"""`rates serve` for real: gunicorn workers on 127.0.0.1, spoken to over HTTP."""

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
QUOTE_KEY = "rk_demo_quote_key_for_the_bundled_example_only"
SUPPORT_KEY = "rk_demo_support_key_for_the_bundled_example_only"
RATES = Path(sys.executable).with_name("rates")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    for folder in ("rules", "carriers", "examples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "config.example.yaml", tmp_path / "config.example.yaml")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [str(RATES), "serve", "--config", str(tmp_path / "config.example.yaml"),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/readyz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("rates serve did not become ready:\n" + process.communicate()[0])

    def stop() -> str:
        """Stop the server; its whole log."""
        if process.poll() is None:
            process.terminate()
        return process.communicate(timeout=30)[0]

    yield base, tmp_path, stop
    output = stop()
    assert "Traceback" not in output, output


@pytest.mark.skipif(not RATES.exists(), reason="the console script is installed by make")
def test_a_quote_over_real_http_is_stored_and_logged_without_personal_data(server):
    base, folder, stop = server
    cart = json.loads((ROOT / "examples/carts/mixed.json").read_text())
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
