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
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.local_http import LocalServer, QuietHandler

JWKS_PATH = "/.well-known/jwks.json"
DOMAIN = "outfitters.saleor.cloud"
FIXTURES = Path(__file__).resolve().parents[1] / "platforms" / "saleor" / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def method_id(option_id: str, app: str = "backorder-rates") -> str:
    """The id Saleor gives the method an app listed as `option_id`: base64 of
    "app:<app identifier>:<id>" (`to_shipping_app_id`)."""
    return base64.b64encode(f"app:{app}:{option_id}".encode()).decode()


def order_created(method: dict[str, Any], checkout: dict[str, Any] | None = None,
                  *, created: str | None = None) -> dict[str, Any]:
    """The documented ORDER_CREATED payload (the example's mixed cart to San Francisco,
    or the lines and address of `checkout`, a list payload's) whose shopper chose
    `method`, one of our list answer's methods: its id as Saleor names it, its amount as
    the order's shipping price; `created` its instant (ISO 8601) when given."""
    payload = fixture("order_created_payload.json")
    order = payload["order"]
    if checkout is not None:
        order["shippingAddress"] = checkout["shippingAddress"]
        order["lines"] = [_order_line(line) for line in checkout["lines"]]
    if created is not None:
        order["created"] = created
    order["deliveryMethod"].update(id=method_id(method["id"]), name=method["name"])
    money = {"amount": float(method["amount"]), "currency": method["currency"]}
    order["shippingPrice"] = {"gross": money, "net": money}
    order["undiscountedShippingPrice"] = money
    return payload


def _order_line(line: dict[str, Any]) -> dict[str, Any]:
    """A checkout's line as its order's (prices with and without tax alike)."""
    variant = line["variant"]
    return {"quantity": line["quantity"], "isShippingRequired": line["requiresShipping"],
            "productSku": variant["sku"], "productVariantId": variant["id"],
            "undiscountedUnitPrice": {"gross": line["undiscountedUnitPrice"],
                                      "net": line["undiscountedUnitPrice"]},
            "variant": variant}


def webhook_headers(event: str, body: bytes, key: SaleorKey | None,
                    domain: str = DOMAIN) -> dict[str, str]:
    """The headers Saleor sends a webhook of `event` with: `body` signed with `key`
    (None: unsigned)."""
    headers = {"Content-Type": "application/json", "Saleor-Event": event,
               "Saleor-Domain": domain, "Saleor-Api-Url": f"https://{domain}/graphql/"}
    if key is not None:
        headers["Saleor-Signature"] = key.sign(body)
    return headers


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
