"""The signing secret in the specification's form, `whsec_` and padded base64 of 24 to 64
bytes: minted by `rates keys webhook-secret`, read strictly by the service so that every
library reads it as the same key."""

import base64

import pytest

from rates.webhooks.secret import new_secret, signing_key
from rates.webhooks.signing import sign
from tests.support.webhooks import KEY, SECRET, T0, at_risk_event, verified


def b64(size: int) -> str:
    return base64.b64encode(bytes(range(size))).decode()


def test_the_tests_secret_stands_for_its_32_bytes():
    assert signing_key(SECRET) == KEY == b"backorder-rates webhook test key"


def test_a_minted_secret_is_whsec_and_the_base64_of_32_fresh_random_bytes():
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(secret) == 6 + 44  # 32 bytes: 43 characters of base64 and one "="
    assert signing_key(secret) == base64.b64decode(secret[6:])
    assert new_secret() != secret


def test_standardwebhooks_reads_a_minted_secret_as_the_key_the_service_signs_with():
    secret = new_secret()
    request = sign(signing_key(secret), "msg_1_1795455000000000", at_risk_event(), T0)
    assert verified(request.body, request.headers, T0, secret=secret) == at_risk_event()


@pytest.mark.parametrize("size", [24, 64])
def test_keys_of_24_to_64_bytes_are_taken(size):
    assert signing_key("whsec_" + b64(size)) == bytes(range(size))


@pytest.mark.parametrize(("secret", "why"), [
    ("0123456789abcdef0123456789abcdef", "does not start with whsec_"),  # the old scheme's
    (b64(32), "does not start with whsec_"),
    ("whsec_" + b64(32).rstrip("="), r"is not base64 \(A-Z a-z 0-9 \+ /, padded with =\)"),
    ("whsec_" + b64(24) + "=", "is not base64"),
    ("whsec_-" + b64(32)[1:], "is not base64"),  # URL-safe base64
    ("whsec_ " + b64(32), "is not base64"),
    ("whsec_", "holds 0 bytes after whsec_, not 24 to 64"),
    ("whsec_" + b64(23), "holds 23 bytes after whsec_, not 24 to 64"),
    ("whsec_" + b64(65), "holds 65 bytes after whsec_, not 24 to 64"),
])
def test_a_secret_in_another_form_is_refused_saying_why(secret, why):
    with pytest.raises(ValueError, match=why) as refused:
        signing_key(secret)
    rest = secret.removeprefix("whsec_")
    assert not rest or rest[:8] not in str(refused.value)  # the secret is never repeated
