"""What gunicorn hands the app that Werkzeug's test client does not: a chunked body (no
Content-Length; gunicorn decodes the chunks and ends the stream), and a path as raw bytes
(`PATH_INFO` holds them as Latin-1 characters, which Werkzeug decodes with replacement)."""

import http.client
import json
from urllib.parse import urlsplit

import pytest
import requests

from tests.support.project import RATES

ADMIN = {"Authorization": "Bearer rk_demo_admin_key_for_the_bundled_example_only"}
CHUNK = 64 * 1024

pytestmark = pytest.mark.skipif(not RATES.exists(),
                                reason="the console script is installed by make")


def chunked_post(base: str, path: str, chunks: int) -> tuple[int, dict]:
    """POST `chunks` chunks of 64 KiB to `path` with Transfer-Encoding: chunked, as long
    as the server reads them, then the answer's status and JSON."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("POST", path)
    for name, value in {**ADMIN, "Content-Type": "application/json",
                        "Transfer-Encoding": "chunked"}.items():
        connection.putheader(name, value)
    connection.endheaders()
    try:
        connection.send(b'%x\r\n{"reference": "\r\n' % len(b'{"reference": "'))
        for _ in range(chunks):
            connection.send(b"%x\r\n%s\r\n" % (CHUNK, b"x" * CHUNK))
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed without reading the rest: that is the point
    response = connection.getresponse()
    answer = (response.status, json.loads(response.read()))
    connection.close()
    return answer


def test_a_chunked_body_of_50_mb_is_a_413_not_malformed_json(serve):
    server = serve()
    status, answer = chunked_post(server.base, "/v1/quotes", chunks=800)
    assert status == 413
    assert answer["error"]["code"] == "request_entity_too_large"
    # The worker is still there and serving.
    assert requests.get(f"{server.base}/healthz", timeout=10).status_code == 200


def test_a_sku_that_is_not_utf_8_is_refused_and_a_genuine_u_fffd_is_stored(serve):
    base = serve().base
    refused = requests.put(f"{base}/v1/inventory/LAN%FFTERN", json={"on_hand": 1},
                           headers=ADMIN, timeout=10)
    assert refused.status_code == 422, refused.text
    assert list(refused.json()["error"]["fields"]) == ["sku"]
    assert requests.get(f"{base}/v1/inventory/LAN%EF%BF%BDTERN", headers=ADMIN,
                        timeout=10).status_code == 404
    stored = requests.put(f"{base}/v1/inventory/LAN%EF%BF%BDTERN", json={"on_hand": 1},
                          headers=ADMIN, timeout=10)
    assert stored.status_code == 200
    read = requests.get(f"{base}/v1/inventory/LAN%EF%BF%BDTERN", headers=ADMIN, timeout=10)
    assert read.json()["sku"] == "LAN\ufffdTERN"
