"""Response signing (HMAC-SHA256, spec §10) and offline license files (Ed25519, spec §9.2)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .wire import iso

BEGIN = "-----BEGIN LICENSE FILE-----"
END = "-----END LICENSE FILE-----"


class Signer:
    """Holds the account's response-signing key (hex text) and the Ed25519 key pair."""

    def __init__(self, signing_key_hex: str, ed25519_seed: bytes) -> None:
        self.signing_key = signing_key_hex
        self._hmac_key = signing_key_hex.encode("utf-8")  # the SDK uses the hex text's bytes
        self._private = Ed25519PrivateKey.from_private_bytes(ed25519_seed)
        spki = self._private.public_key().public_bytes(
            Encoding.DER, PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(spki).decode("ascii")

    def sign_response(self, body: bytes, timestamp: int) -> str:
        """Lowercase hex HMAC-SHA256 over `"{ts}." + raw body`."""
        msg = f"{timestamp}.".encode() + body
        return hmac.new(self._hmac_key, msg, hashlib.sha256).hexdigest()

    def license_file(
        self,
        *,
        license_id: str,
        fingerprint: str | None,
        issued_at: float,
        expires_at: float,
        payload: dict[str, Any],
    ) -> str:
        """Armored `header.payload.signature`, Ed25519 over the ASCII `header.payload`.

        Stand-in: the payload is plain base64 JSON, not encrypted as the real service's is.
        ``fingerprint=None`` leaves it out of the header (switch ``checkoutFingerprint``).
        """
        header: dict[str, Any] = {
            "version": 1,
            "algorithm": "Ed25519",
            "issuedAt": iso(issued_at),
            "expiresAt": iso(expires_at),
            "licenseId": license_id,
        }
        if fingerprint is not None:
            header["fingerprint"] = fingerprint
        header_b64 = _b64(json.dumps(header, separators=(",", ":")).encode())
        payload_b64 = _b64(json.dumps(payload, separators=(",", ":")).encode())
        signed = f"{header_b64}.{payload_b64}".encode("ascii")
        signature_b64 = _b64(self._private.sign(signed))
        return f"{BEGIN}\n{header_b64}.{payload_b64}.{signature_b64}\n{END}\n"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
