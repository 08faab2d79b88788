"""Saleor's webhook signature: `Saleor-Signature`, a JWS over the raw body, payload detached.

Saleor signs with its instance's RSA key (`saleor/core/jwt_manager.py` `jws_encode`: PyJWT's
`api_jws.encode(body, algorithm="RS256", headers={"kid": ..., "crit": ["b64"]},
is_payload_detached=True)`), which writes the protected header with `"b64": false` and
`"crit": ["b64"]` (RFC 7797): the signing input is the header's base64url, a dot, and the
body's raw bytes, not their base64url; the token's middle segment is empty. The public key
is the instance's JWKS entry whose `kid` the header names (docs.saleor.io, "Payload
Signature"). A webhook created with a `secretKey` is signed with HMAC-SHA256 instead; Saleor
deprecates that, and our manifest sets none, so an HMAC signature never verifies here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.api_jws import PyJWS

ALGORITHM = "RS256"
"""The only algorithm accepted: what Saleor signs with. `none`, HS256 (a public key used as
an HMAC secret) and every other are refused before a key is looked up."""

_JWS = PyJWS(algorithms=[ALGORITHM])


class Keys(Protocol):
    """Where a signature's key is found by its `kid` (`KeySet`, or `JwksCache`, which
    fetches the instance's key set again for a `kid` it does not know)."""

    def key(self, kid: str) -> RSAPublicKey | None: ...


@dataclass(frozen=True, slots=True)
class KeySet:
    """A JWKS document's RSA signing keys by `kid`."""

    keys: Mapping[str, RSAPublicKey] = field(default_factory=dict)

    def key(self, kid: str) -> RSAPublicKey | None:
        return self.keys.get(kid)

    @classmethod
    def from_jwks(cls, document: Any) -> KeySet:
        """The usable keys of a JWKS document (`{"keys": [...]}`): RSA, with a `kid`, for
        signing (`use` "sig" or none) with RS256 (`alg` RS256 or none). Any other entry is
        skipped, so one odd key never hides the good ones. ValueError if `document` is
        not a key set at all."""
        entries = document.get("keys") if isinstance(document, Mapping) else None
        if not isinstance(entries, list):
            raise ValueError("a JWKS document is an object with a list of keys")
        found: dict[str, RSAPublicKey] = {}
        for entry in entries:
            key = _signing_key(entry)
            if key is not None:
                found[entry["kid"]] = key
        return cls(found)


def verify(body: bytes, signature: str | None, keys: Keys) -> bool:
    """Whether `signature` (the `Saleor-Signature` header) is Saleor's RS256 JWS of `body`,
    the raw bytes as received (a re-serialised body does not match), by the key its `kid`
    names in `keys`. Missing, malformed, unsigned, HMAC, other-algorithm, attached-payload
    or unknown-key signatures are all False; nothing raises."""
    if not signature:
        return False
    try:
        header = jwt.get_unverified_header(signature)
    except jwt.PyJWTError:
        return False
    kid = header.get("kid")
    if (header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid
            or header.get("b64") is not False):
        return False
    key = keys.key(kid)
    if key is None:
        return False
    try:
        _JWS.decode_complete(signature, key, algorithms=[ALGORITHM], detached_payload=body)
    except (jwt.PyJWTError, ValueError, TypeError):
        return False
    return True


def _signing_key(entry: Any) -> RSAPublicKey | None:
    if not isinstance(entry, Mapping) or entry.get("kty") != "RSA":
        return None
    if not isinstance(entry.get("kid"), str) or not entry["kid"]:
        return None
    if entry.get("use", "sig") != "sig" or entry.get("alg", ALGORITHM) != ALGORITHM:
        return None
    try:
        key = jwt.PyJWK(dict(entry), algorithm=ALGORITHM).key
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None
    return key if isinstance(key, RSAPublicKey) else None
