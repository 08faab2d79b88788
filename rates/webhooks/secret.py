"""The signing secret as the Standard Webhooks specification writes it: `whsec_` and the
base64 of 24 to 64 random bytes. The receiver hands that same text to its library
(`standardwebhooks.Webhook(secret)`), which signs with the decoded bytes.

It is read strictly here, once, when the service starts: the libraries read it leniently
(the Python one skips any character that is not base64), so a mistyped or old-style secret
would otherwise sign with a key the receiver does not hold, and every event would be
refused with nothing in our logs to say why.
"""

from __future__ import annotations

import base64
import binascii
import secrets

PREFIX = "whsec_"
MIN_BYTES = 24
"""The specification's shortest key: 192 bits."""
MAX_BYTES = 64
MINTED_BYTES = 32


def new_secret() -> str:
    """A fresh secret of `MINTED_BYTES` random bytes, in the specification's form."""
    return PREFIX + base64.b64encode(secrets.token_bytes(MINTED_BYTES)).decode()


def signing_key(secret: str) -> bytes:
    """The key `secret` stands for. ValueError saying what is wrong with it otherwise; the
    message never repeats the secret. The base64 must be padded with `=`: the Go and
    JavaScript libraries refuse it unpadded."""
    if not secret.startswith(PREFIX):
        raise ValueError(f"does not start with {PREFIX}")
    text = secret.removeprefix(PREFIX)
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if base64.b64encode(key).decode() != text:  # Python alone lets stray padding through
        raise ValueError(f"is not base64 (A-Z a-z 0-9 + /, padded with =) after {PREFIX}")
    if not MIN_BYTES <= len(key) <= MAX_BYTES:
        raise ValueError(f"holds {len(key)} bytes after {PREFIX}, not {MIN_BYTES} to {MAX_BYTES}")
    return key
