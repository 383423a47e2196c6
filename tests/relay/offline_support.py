"""Helpers for the relay's offline tests: a signing key, requests, licenses made to order."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.models import Platform
from app.domain.offline_license import OfflineLicense, unarmor, verify_license_file
from app.domain.offline_request import OfflineRequest, encode_request
from app.relay.offline_signing import OfflineSigner
from app.relay.server import RelayServer
from tests.relay.conftest import as_license, upstream_admin

PRODUCT = "com.example.tests"
SIGNER = OfflineSigner(Ed25519PrivateKey.generate())


@contextmanager
def offline_relay_for(standin) -> Iterator[RelayServer]:
    """A relay signing with SIGNER in front of `standin`, whose checkout header then carries
    no fingerprint (Licentric does not promise one: the tests run without it)."""
    standin.configure(checkout_fingerprint=False)
    server = RelayServer(standin.url, standin.fixtures["apiKeyRelay"], offline_signer=SIGNER)
    with server:
        yield server


def request_code(fingerprint: str, name: str = "Lab PC", required: tuple[str, ...] = ()) -> str:
    return encode_request(OfflineRequest(fingerprint, name, PRODUCT, Platform.LINUX, required))


def ask(relay, key: str, fingerprint: str, **kwargs: Any) -> httpx.Response:
    code = request_code(fingerprint, kwargs.pop("name", "Lab PC"), kwargs.pop("required", ()))
    body = {"request": code}
    return httpx.post(relay.url + "/v1/offline-activation", json=body,
                      headers=as_license(key), timeout=10, **kwargs)  # fmt: skip


def verified(text: str, fingerprint: str) -> OfflineLicense:
    return verify_license_file(text, public_key=SIGNER.public_key, fingerprint=fingerprint,
                               product=PRODUCT, now=datetime.now(UTC))  # fmt: skip


def certificate_header(lic: OfflineLicense) -> dict[str, Any]:
    """The header of Licentric's own checkout file wrapped in the envelope."""
    assert lic.certificate is not None
    body = "".join(lic.certificate.strip().splitlines()[1:-1])
    return json.loads(base64.b64decode(body.split(".")[0]))


def payload_of(text: str) -> dict[str, Any]:
    return json.loads(base64.b64decode(unarmor(text)[0]))


def make_license(
    standin,
    *,
    expires_at: str | None = None,
    entitlements: list[str] | None = None,
    **policy: Any,
) -> dict[str, Any]:
    """A new license on a new policy (`policy` fields as the admin API takes them), holding
    `entitlements` (codes) when given."""
    with upstream_admin(standin) as admin:
        product = admin.post("/products", json={"name": "Offline tests"}).json()["data"]
        body = {"productId": product["id"], "name": "Offline tests", **policy}
        created = admin.post("/policies", json=body)
        assert created.status_code == 201, created.text
        lic_body: dict[str, Any] = {"policyId": created.json()["data"]["id"], "userName": "Bo"}
        if expires_at:
            lic_body["expiresAt"] = expires_at
        if entitlements is not None:
            lic_body["entitlements"] = entitlements
        lic = admin.post("/licenses", json=lic_body)
        assert lic.status_code == 201, lic.text
    return lic.json()["data"]
