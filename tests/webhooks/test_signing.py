"""Requests signed as the Standard Webhooks specification says: the HMAC worked out here
with the standard library, then checked by the specification's own Python library as a
merchant's receiver checks it, and by the receiver docs/webhooks.md shows."""

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from standardwebhooks import WebhookVerificationError

from rates.webhooks.secret import new_secret, signing_key
from rates.webhooks.signing import message_id, sign
from tests.support.project import ROOT
from tests.support.webhooks import KEY, SECRET, SECRET_ENV, T0, at_risk_event, verified

DOCS = ROOT / "docs" / "webhooks.md"
EXAMPLE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
ID = "msg_4181_1795455000000000"
STAMP = "1795455000"  # T0, 2026-11-23 17:30:00 UTC


def test_the_body_is_compact_json_with_sorted_keys():
    request = sign(KEY, ID, {"type": "promise.at_risk", "b": [1, 2], "a": {"z": 1, "y": "é"}}, T0)
    assert request.body == b'{"a":{"y":"\\u00e9","z":1},"b":[1,2],"type":"promise.at_risk"}'


def test_the_headers_name_the_message_and_the_second_the_try_was_sent():
    request = sign(KEY, ID, at_risk_event(), T0 + timedelta(microseconds=999_999))
    assert {name: value for name, value in request.headers.items()
            if name != "webhook-signature"} == {
        "Content-Type": "application/json", "webhook-id": ID, "webhook-timestamp": STAMP}


def test_the_signature_is_v1_and_the_base64_hmac_of_id_timestamp_and_body():
    request = sign(KEY, ID, {"type": "promise.at_risk"}, T0)
    signed = b"msg_4181_1795455000000000.1795455000." + b'{"type":"promise.at_risk"}'
    mac = hmac.new(b"backorder-rates webhook test key", signed, hashlib.sha256).digest()
    assert request.headers["webhook-signature"] == "v1," + base64.b64encode(mac).decode()


def test_the_same_instant_seen_from_another_zone_signs_the_same():
    reno = T0.astimezone(ZoneInfo("America/Los_Angeles"))  # 09:30 PST
    assert sign(KEY, ID, at_risk_event(), reno) == sign(KEY, ID, at_risk_event(), T0)


def test_the_message_id_is_the_outbox_id_and_the_microsecond_the_event_was_created():
    assert message_id(4181, T0) == ID
    assert message_id(1, T0 + timedelta(microseconds=7)) == "msg_1_1795455000000007"
    assert message_id(1, T0.astimezone(ZoneInfo("America/Los_Angeles"))) == (
        "msg_1_1795455000000000")


def test_standardwebhooks_verifies_a_signed_request_and_reads_its_event():
    request = sign(KEY, ID, at_risk_event(), T0)
    assert verified(request.body, request.headers, T0) == at_risk_event()


@pytest.mark.parametrize("change", ["secret", "body", "id", "timestamp"])
def test_another_secret_or_a_changed_body_id_or_timestamp_fails_verification(change):
    request = sign(KEY, ID, at_risk_event(), T0)
    body, headers, secret = request.body, dict(request.headers), SECRET
    if change == "secret":
        secret = new_secret()
    elif change == "body":
        body = body.replace(b'"days_late":3', b'"days_late":0')
        assert body != request.body
    elif change == "id":
        headers["webhook-id"] = "msg_4182_1795455000000000"
    else:
        headers["webhook-timestamp"] = "1795455060"
    with pytest.raises(WebhookVerificationError, match="No matching signature found"):
        verified(body, headers, T0 + timedelta(seconds=60), secret=secret)


@pytest.mark.parametrize(("offset", "refusal"), [
    (-301, "too new"), (-300, None), (0, None), (300, None), (301, "too old")])
def test_a_try_more_than_five_minutes_from_the_receivers_clock_fails(offset, refusal):
    """A captured request replayed later fails, as does one from a clock far ahead."""
    request = sign(KEY, ID, at_risk_event(), T0)
    at = T0 + timedelta(seconds=offset)
    if refusal is None:
        assert verified(request.body, request.headers, at) == at_risk_event()
    else:
        with pytest.raises(WebhookVerificationError, match=f"Message timestamp {refusal}"):
            verified(request.body, request.headers, at)


@pytest.mark.parametrize(("event", "why"), [
    ({"order": {}}, "type None"),
    ({"type": "promise at risk\r\nX-Admin: 1"}, "type"),
    ({"type": "promise..at_risk"}, "type"),
    ({"type": "promise.at_risk", "days_late": float("nan")}, "JSON"),
    ({"type": "promise.at_risk", "when": datetime(2026, 1, 1, tzinfo=UTC)}, "serializable"),
])
def test_an_event_that_cannot_be_sent_is_refused(event, why):
    with pytest.raises((TypeError, ValueError), match=why):
        sign(KEY, ID, event, T0)


def test_the_receiver_in_the_docs_takes_a_fresh_request_and_refuses_others(monkeypatch):
    """The docs' Flask receiver, run as written; the library reads this machine's clock,
    so the requests are signed on it."""
    (example,) = EXAMPLE.findall(DOCS.read_text())
    monkeypatch.setenv(SECRET_ENV, SECRET)
    remembered: list[tuple[str, dict]] = []
    namespace = {"__name__": "receiver",
                 "remember": lambda message, event: remembered.append((message, event))}
    exec(example, namespace)  # noqa: S102 - our own documentation
    client = namespace["app"].test_client()
    now = datetime.now(UTC)

    def answer(request, body=None) -> int:
        return client.post("/hooks/rates", data=request.body if body is None else body,
                           headers=dict(request.headers)).status_code

    fresh = sign(KEY, ID, at_risk_event(), now)
    assert answer(fresh) == 204
    assert remembered == [(ID, at_risk_event())]
    assert answer(fresh, fresh.body + b" ") == 401
    assert answer(sign(KEY, ID, at_risk_event(), now - timedelta(seconds=301))) == 401
    assert answer(sign(signing_key(new_secret()), ID, at_risk_event(), now)) == 401
    assert len(remembered) == 1
