"""The signature scheme, from the sender's side and from a receiver's (ours, and the one
docs/webhooks.md gives merchants)."""

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from rates.webhooks.signing import sign, signature_for, verify
from tests.support.project import ROOT
from tests.support.webhooks import SECRET, T0, at_risk_event

DOCS = ROOT / "docs" / "webhooks.md"
EXAMPLE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def check(headers, body, *, secret=SECRET, now=T0) -> bool:
    return verify(secret, headers["X-Rates-Timestamp"], body, headers["X-Rates-Signature"], now)


def test_the_body_is_compact_json_with_sorted_keys():
    request = sign(SECRET, 7, {"type": "promise.at_risk", "b": [1, 2], "a": {"z": 1, "y": "é"}}, T0)
    assert request.body == b'{"a":{"y":"\\u00e9","z":1},"b":[1,2],"type":"promise.at_risk"}'


def test_headers_name_the_event_the_delivery_and_the_second_it_was_sent():
    request = sign(SECRET, 4181, at_risk_event(), T0 + timedelta(microseconds=999_999))
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Rates-Event"] == "promise.at_risk"
    assert request.headers["X-Rates-Delivery"] == "4181"
    assert request.headers["X-Rates-Timestamp"] == "1795455000"  # 2026-11-23 17:30:00 UTC


def test_the_signature_is_the_hmac_of_timestamp_dot_body():
    request = sign(SECRET, 1, at_risk_event(), T0)
    mac = hmac.new(SECRET.encode(), b"1795455000." + request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Rates-Signature"] == f"sha256={mac}"
    assert signature_for(SECRET, "1795455000", request.body) == f"sha256={mac}"


def test_a_signed_request_verifies_with_the_shared_secret():
    request = sign(SECRET, 1, at_risk_event(), T0)
    assert check(request.headers, request.body)


def test_a_wrong_secret_a_changed_body_or_a_changed_timestamp_fail():
    request = sign(SECRET, 1, at_risk_event(), T0)
    tampered = request.body.replace(b'"days_late":3', b'"days_late":0')
    later = {**request.headers, "X-Rates-Timestamp": "1795455060"}
    assert tampered != request.body
    assert not check(request.headers, request.body, secret="whsec_someone_else_entirely")
    assert not check(request.headers, tampered)
    assert not check(later, request.body, now=T0 + timedelta(seconds=60))


@pytest.mark.parametrize(("offset", "accepted"), [
    (-301, False), (-300, True), (0, True), (300, True), (301, False)])
def test_a_timestamp_more_than_five_minutes_from_the_receivers_clock_fails(offset, accepted):
    """A captured request replayed later fails, as does one from a clock far ahead."""
    request = sign(SECRET, 1, at_risk_event(), T0)
    assert check(request.headers, request.body, now=T0 + timedelta(seconds=offset)) is accepted


@pytest.mark.parametrize("timestamp", ["", "-1", " 1795455000", "1795455000.0", "１７９５"])
def test_a_timestamp_that_is_not_plain_digits_fails(timestamp):
    request = sign(SECRET, 1, at_risk_event(), T0)
    signature = signature_for(SECRET, timestamp, request.body)
    assert not verify(SECRET, timestamp, request.body, signature, T0)


@pytest.mark.parametrize("signature", ["", "sha256=", "md5=00", "sha256=é" * 3])
def test_a_malformed_signature_fails_without_raising(signature):
    request = sign(SECRET, 1, at_risk_event(), T0)
    assert not verify(SECRET, request.headers["X-Rates-Timestamp"], request.body, signature, T0)


@pytest.mark.parametrize(("event", "why"), [
    ({"order": {}}, "type None"),
    ({"type": "promise at risk\r\nX-Admin: 1"}, "type"),
    ({"type": "promise.at_risk", "days_late": float("nan")}, "JSON"),
    ({"type": "promise.at_risk", "when": datetime(2026, 1, 1, tzinfo=UTC)}, "serializable"),
])
def test_an_event_that_cannot_be_sent_is_refused(event, why):
    with pytest.raises((TypeError, ValueError), match=why):
        sign(SECRET, 1, event, T0)


def test_the_receiver_example_in_the_docs_accepts_only_good_fresh_requests():
    (example,) = EXAMPLE.findall(DOCS.read_text())
    assert len(example.strip().splitlines()) <= 11
    namespace: dict = {}
    exec(example, namespace)  # noqa: S102 - our own documentation
    verified = namespace["verified"]
    now = datetime.now(UTC)
    request = sign(SECRET, 1, at_risk_event(), now)
    old = sign(SECRET, 1, at_risk_event(), now - timedelta(seconds=301))
    headers = dict(request.headers)
    assert verified(SECRET.encode(), headers, request.body)
    assert json.loads(request.body) == at_risk_event()
    assert not verified(b"whsec_someone_else_entirely", headers, request.body)
    assert not verified(SECRET.encode(), headers, request.body + b" ")
    assert not verified(SECRET.encode(), dict(old.headers), old.body)
    assert not verified(SECRET.encode(), {**headers, "X-Rates-Timestamp": "²"}, request.body)
    assert not verified(SECRET.encode(), {}, request.body)
