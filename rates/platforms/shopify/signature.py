"""Shopify's signature on a callback or a webhook delivery: `X-Shopify-Hmac-Sha256`.

Shopify signs the raw body of every rate callback and webhook with the app's shared
secret (shopify.dev, "Verify webhook deliveries"); the header is the base64 of the
HMAC-SHA256. Nothing of a request whose signature does not verify is read further.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

HEADER = "X-Shopify-Hmac-Sha256"


def verify_hmac(body: bytes, header_value: str | None, secret: str) -> bool:
    """Whether `header_value` (`HEADER`) is base64(HMAC-SHA256(secret, body)).

    `body` must be the raw bytes as received: re-serialised JSON does not match. A missing
    header or an empty secret is never valid. The comparison takes constant time.
    """
    if not header_value or not secret:
        return False
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    expected = base64.b64encode(digest)
    return hmac.compare_digest(expected, header_value.strip().encode("utf-8"))

