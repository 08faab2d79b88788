"""`Saleor-Signature`: Saleor's detached RS256 JWS, verified by the key its `kid` names.

Bodies are signed by `tests.support.saleor.SaleorKey.sign`, which calls PyJWT as Saleor's
`saleor/core/jwt_manager.py` `jws_encode` does (docs.saleor.io, "Payload Signature").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from rates.platforms.saleor.signature import KeySet, verify
from tests.support.saleor import SaleorKey

BODY = b'{"__typename": "OrderCreated", "order": {"id": "T3JkZXI6MQ=="}}'


@pytest.fixture(scope="module")
def instance_key() -> SaleorKey:
    return SaleorKey()


@pytest.fixture(scope="module")
def keys(instance_key: SaleorKey) -> KeySet:
    return KeySet.from_jwks({"keys": [instance_key.jwk]})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_header_is_saleors_detached_form(instance_key: SaleorKey) -> None:
    signature = instance_key.sign(BODY)
    head, middle, _ = signature.split(".")
    assert middle == ""
    assert json.loads(base64.urlsafe_b64decode(head + "==")) == {
        "alg": "RS256", "b64": False, "crit": ["b64"], "kid": instance_key.kid, "typ": "JWT"}


def test_a_body_signed_as_saleor_signs_verifies(instance_key: SaleorKey, keys: KeySet) -> None:
    assert verify(BODY, instance_key.sign(BODY), keys)


def test_a_tampered_body_fails(instance_key: SaleorKey, keys: KeySet) -> None:
    assert not verify(BODY.replace(b"MQ==", b"Mg=="), instance_key.sign(BODY), keys)


def test_a_reserialised_body_fails_so_the_raw_bytes_must_be_used(
        instance_key: SaleorKey, keys: KeySet) -> None:
    again = json.dumps(json.loads(BODY), separators=(",", ":")).encode()
    assert not verify(again, instance_key.sign(BODY), keys)


def test_another_key_under_the_same_kid_fails(instance_key: SaleorKey, keys: KeySet) -> None:
    assert not verify(BODY, SaleorKey().sign(BODY, kid=instance_key.kid), keys)


def test_a_kid_the_key_set_lacks_fails(keys: KeySet) -> None:
    other = SaleorKey()
    assert not verify(BODY, other.sign(BODY), keys)


@pytest.mark.parametrize("header", [None, "", "garbage", "a.b.c", "..", "e30..", "e30.e30.e30"])
def test_a_missing_or_garbled_signature_fails(header: str | None, keys: KeySet) -> None:
    assert not verify(BODY, header, keys)


def test_an_unsigned_alg_none_token_fails(instance_key: SaleorKey, keys: KeySet) -> None:
    head = b64url(json.dumps({"alg": "none", "b64": False, "crit": ["b64"],
                              "kid": instance_key.kid}).encode())
    assert not verify(BODY, f"{head}..", keys)


def test_an_hmac_keyed_with_the_public_key_fails(instance_key: SaleorKey, keys: KeySet) -> None:
    """The classic confusion: HS256 with the public key's PEM as the secret."""
    pem = instance_key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    head = b64url(json.dumps({"alg": "HS256", "b64": False, "crit": ["b64"],
                              "kid": instance_key.kid}).encode())
    mac = hmac.new(pem, head.encode() + b"." + BODY, hashlib.sha256).digest()
    assert not verify(BODY, f"{head}..{b64url(mac)}", keys)


def test_saleors_deprecated_hmac_hex_signature_fails(keys: KeySet) -> None:
    assert not verify(BODY, hmac.new(b"secret", BODY, hashlib.sha256).hexdigest(), keys)


def test_an_attached_payload_token_fails(instance_key: SaleorKey, keys: KeySet) -> None:
    attached = jwt.api_jws.encode(BODY, key=instance_key.private, algorithm="RS256",
                                  headers={"kid": instance_key.kid})
    assert not verify(BODY, attached, keys)


def test_the_key_set_keeps_only_rsa_signing_keys(instance_key: SaleorKey) -> None:
    encryption = {**SaleorKey().jwk, "use": "enc", "kid": "enc"}
    other_alg = {**SaleorKey().jwk, "alg": "RS512", "kid": "rs512"}
    no_kid = {key: value for key, value in SaleorKey().jwk.items() if key != "kid"}
    symmetric = {"kty": "oct", "k": "c2VjcmV0", "kid": "oct"}
    found = KeySet.from_jwks({"keys": [encryption, other_alg, no_kid, symmetric, "x",
                                       {"kty": "RSA", "kid": "broken", "n": "!", "e": "AQAB"},
                                       instance_key.jwk]})
    assert list(found.keys) == [instance_key.kid]


@pytest.mark.parametrize("document", [None, [], {"keys": {}}, {"nokeys": []}])
def test_a_document_that_is_no_key_set_is_refused(document: object) -> None:
    with pytest.raises(ValueError, match="list of keys"):
        KeySet.from_jwks(document)
