"""A stand-in for a Saleor instance's signing side: an RSA key made for the test, its JWKS
served on 127.0.0.1 as Saleor serves `/.well-known/jwks.json`, and `sign`, which signs a
body exactly as Saleor's `saleor/core/jwt_manager.py` `jws_encode` does (PyJWT, RS256,
`kid` the key's RFC 7638 thumbprint, `crit: ["b64"]`, payload detached), for the
`Saleor-Signature` header of a webhook a test sends.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.local_http import LocalServer, QuietHandler

JWKS_PATH = "/.well-known/jwks.json"


@dataclass
class SaleorKey:
    """An instance's RSA key pair; `kid` is its thumbprint, as Saleor computes it."""

    private: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @property
    def jwk(self) -> dict[str, Any]:
        """The public key as Saleor's `get_jwks` lists it: the JWK, `use`, `kid`, `alg`."""
        found: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        found.update({"use": "sig", "kid": self.kid, "alg": "RS256"})
        return found

    @property
    def kid(self) -> str:
        return thumbprint(json.loads(RSAAlgorithm.to_jwk(self.private.public_key())))

    def sign(self, body: bytes, *, kid: str | None = None) -> str:
        """The `Saleor-Signature` of `body`: Saleor's detached JWS (`kid` overrides the
        header's key id, to forge one)."""
        return jwt.api_jws.encode(body, key=self.private, algorithm="RS256",
                                  headers={"kid": kid or self.kid, "crit": ["b64"]},
                                  is_payload_detached=True)


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638's SHA-256 thumbprint of an RSA JWK, base64url without padding (what Saleor's
    `get_key_id` names a key by, through authlib)."""
    members = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]},
                         separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(members).digest()).rstrip(b"=").decode()


@dataclass
class SaleorInstance:
    """The key set it serves (`keys`: change it to rotate), what it answers (`status`), and
    how many times its JWKS was fetched (`fetches`); `hang` makes it answer nothing until the
client gives up. `jwks_url` once served."""

    keys: list[SaleorKey] = field(default_factory=lambda: [SaleorKey()])
    status: int = 200
    hang: bool = False
    fetches: int = 0
    jwks_url: str = ""

    @property
    def key(self) -> SaleorKey:
        return self.keys[0]

    def jwks(self) -> bytes:
        return json.dumps({"keys": [key.jwk for key in self.keys]}).encode()


@contextmanager
def saleor_instance() -> Iterator[SaleorInstance]:
    """A `SaleorInstance` serving its JWKS on a free port of 127.0.0.1, closed after."""
    instance = SaleorInstance()

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            if self.path != JWKS_PATH:
                self.answer(404, b"{}", {"Content-Type": "application/json"})
                return
            instance.fetches += 1
            if instance.hang:
                self.hold(None, server.released)
                return
            self.answer(instance.status, instance.jwks(), {"Content-Type": "application/json"})

    server = LocalServer(Handler)
    instance.jwks_url = f"http://127.0.0.1:{server.port}{JWKS_PATH}"
    try:
        yield instance
    finally:
        server.close()
