"""Offline license files: the relay-signed envelope's format, and the checks this computer makes.

Licentric's own checkout file does not promise a fingerprint in its header and may carry an
encrypted payload, so the relay wraps it in an envelope of its own, signed with the vendor's
Ed25519 key; the wizard trusts only that envelope (DESIGN.md flow 5)::

    -----BEGIN ACTIVATION LICENSE-----
    <payload: standard base64 of canonical JSON> . <signature: standard base64>
    -----END ACTIVATION LICENSE-----

The signature is Ed25519 over the ASCII payload text (as Licentric signs ``header.payload``);
the body may be wrapped at any column. ``keyId`` names the signing key (the first 8 bytes of
SHA-256 over its DER SubjectPublicKeyInfo, hex), so a file from another vendor key is told
apart from a file changed after signing.

Versions: 2 adds ``entitlements`` (the license's entitlement codes when the file was made), so
the wizard can hold an offline computer to the vendor's ``required_entitlements`` as it does
online. A version 1 file lists no entitlements: it is still accepted where nothing is required
(its ``entitlements`` is None: unknown), and refused where something is (the services layer).
Any other version is refused as unreadable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_der_public_key

from app.domain.errors import (
    ConfigError,
    OfflineFileError,
    OfflineFileExpiredError,
    OfflineFileOtherComputerError,
    OfflineFileOtherProductError,
)

BEGIN = "-----BEGIN ACTIVATION LICENSE-----"
END = "-----END ACTIVATION LICENSE-----"
VERSION = 2
ACCEPTED_VERSIONS = (1, 2)  # 1: before entitlements were listed
MAX_FILE_CHARS = 64 * 1024
LINE_WIDTH = 64
_ARMORED = re.compile(re.escape(BEGIN) + r"(.*?)" + re.escape(END), re.DOTALL)
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class OfflineLicense:
    """What a verified file grants: this fingerprint, for this product, until ``expires_at``."""

    product: str
    fingerprint: str
    device_name: str
    license_id: str
    machine_id: str | None
    issued_at: datetime
    expires_at: datetime
    certificate: str | None = None  # Licentric's checkout text, kept as issued
    product_name: str | None = None
    license_name: str | None = None
    license_expires_at: datetime | None = None
    key_masked: str | None = None  # the key as the user may recognise it (ABCD-…-WXYZ)
    entitlements: tuple[str, ...] | None = None  # codes; None: a version 1 file does not say


def key_id(public_key_der: bytes) -> str:
    """The short name of a signing key: hex of the first 8 bytes of SHA-256 over its SPKI DER."""
    return hashlib.sha256(public_key_der).digest()[:8].hex()


def encode_payload(lic: OfflineLicense, signing_key_id: str) -> str:
    """The payload text to sign: standard base64 of compact JSON with sorted keys."""
    body = {
        "version": VERSION,
        "keyId": signing_key_id,
        "product": lic.product,
        "fingerprint": lic.fingerprint,
        "deviceName": lic.device_name,
        "licenseId": lic.license_id,
        "machineId": lic.machine_id,
        "issuedAt": iso(lic.issued_at),
        "expiresAt": iso(lic.expires_at),
        "certificate": lic.certificate,
        "productName": lic.product_name,
        "licenseName": lic.license_name,
        "licenseExpiresAt": iso(lic.license_expires_at) if lic.license_expires_at else None,
        "keyMasked": lic.key_masked,
        "entitlements": list(lic.entitlements or ()),
    }
    text = json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def armor(payload_b64: str, signature: bytes) -> str:
    """The file's text: markers around ``payload.signature`` wrapped at 64 columns."""
    body = f"{payload_b64}.{base64.b64encode(signature).decode('ascii')}"
    lines = [body[i : i + LINE_WIDTH] for i in range(0, len(body), LINE_WIDTH)]
    return "\n".join([BEGIN, *lines, END]) + "\n"


def verify_license_file(
    text: str,
    *,
    public_key: str | None,
    fingerprint: str,
    product: str,
    now: datetime,
    latest_seen: datetime | None = None,
) -> OfflineLicense:
    """The license in ``text`` when it is genuine, for this computer and product, and current.

    Checks in order: readable (OfflineFileError), signed with ``public_key`` (another key:
    OfflineFileOtherProductError; changed after signing: OfflineFileError), version, product,
    ``fingerprint`` (OfflineFileOtherComputerError), expiry (OfflineFileExpiredError) judged
    by ``effective_now`` so a clock set back never extends a file. A missing or unusable
    ``public_key`` is the vendor's ConfigError.
    """
    verifier, our_key_id = load_public_key(public_key)
    payload_b64, signature = unarmor(text)
    body = _decode_json(payload_b64)
    try:
        verifier.verify(signature, payload_b64.encode("ascii"))
    except InvalidSignature as err:
        if body.get("keyId") != our_key_id:
            raise OfflineFileOtherProductError("signed with another vendor key") from err
        raise OfflineFileError("signature does not match the content") from err
    if body.get("version") not in ACCEPTED_VERSIONS:
        raise OfflineFileError(f"file version {body.get('version')!r} is not {VERSION}")
    lic = _license_from(body)
    if lic.product != product:
        raise OfflineFileOtherProductError(f"made for product {lic.product!r}")
    if lic.fingerprint != fingerprint:
        raise OfflineFileOtherComputerError("made for another computer's fingerprint")
    check_not_expired(lic, now=now, latest_seen=latest_seen)
    return lic


def check_not_expired(
    lic: OfflineLicense, *, now: datetime, latest_seen: datetime | None = None
) -> None:
    """OfflineFileExpiredError once ``effective_now`` reaches the file's end."""
    if effective_now(now, latest_seen, lic.issued_at) >= lic.expires_at:
        raise OfflineFileExpiredError(expires_at=lic.expires_at)


def effective_now(now: datetime, latest_seen: datetime | None, issued_at: datetime) -> datetime:
    """The latest moment known to have passed: a clock set back cannot move time backwards.

    Time has reached at least the file's issue time (the server's clock), and at least the
    latest time this computer saw before (kept with the activation record).
    """
    return max(moment for moment in (now, latest_seen, issued_at) if moment is not None)


def load_public_key(public_key: str | None) -> tuple[Ed25519PublicKey, str]:
    """The vendor's Ed25519 key from base64 DER SPKI text, and its key id; else ConfigError."""
    if not public_key or not public_key.strip():
        raise ConfigError("no public_key is configured for offline files", field="public_key")
    try:
        der = base64.b64decode(_WHITESPACE.sub("", public_key), validate=True)
        key = load_der_public_key(der)
    except (binascii.Error, ValueError) as err:
        raise ConfigError("public_key is not base64 DER SPKI", field="public_key") from err
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError("public_key is not an Ed25519 key", field="public_key")
    return key, key_id(der)


def unarmor(text: str) -> tuple[str, bytes]:
    """The payload text and the signature bytes; OfflineFileError when not a readable file."""
    if not isinstance(text, str) or len(text) > MAX_FILE_CHARS:
        raise OfflineFileError("not an offline license file (size)")
    match = _ARMORED.search(text)
    if match is None:
        raise OfflineFileError("offline license markers are missing")
    parts = _WHITESPACE.sub("", match.group(1)).split(".")
    if len(parts) != 2 or not all(parts):
        raise OfflineFileError("offline license body is not payload.signature")
    try:
        signature = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError) as err:
        raise OfflineFileError("offline license signature is not base64") from err
    return parts[0], signature


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with milliseconds and ``Z`` (Licentric's form)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_iso(value: Any) -> datetime | None:
    """A timezone-aware datetime from ISO text, or None when ``value`` is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _decode_json(payload_b64: str) -> dict[str, Any]:
    try:
        body = json.loads(base64.b64decode(payload_b64, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError) as err:  # includes UnicodeDecodeError, JSONDecodeError
        raise OfflineFileError("offline license payload is not base64 JSON") from err
    if not isinstance(body, dict):
        raise OfflineFileError("offline license payload is not an object")
    return body


def _license_from(body: dict[str, Any]) -> OfflineLicense:
    texts = {name: body.get(name) for name in ("product", "fingerprint", "licenseId")}
    issued, expires = parse_iso(body.get("issuedAt")), parse_iso(body.get("expiresAt"))
    if not all(isinstance(v, str) and v for v in texts.values()) or not (issued and expires):
        raise OfflineFileError("offline license payload lacks required fields")
    return OfflineLicense(
        product=body["product"],
        fingerprint=body["fingerprint"],
        device_name=_text(body.get("deviceName")) or "",
        license_id=body["licenseId"],
        machine_id=_text(body.get("machineId")),
        issued_at=issued,
        expires_at=expires,
        certificate=_text(body.get("certificate")),
        product_name=_text(body.get("productName")),
        license_name=_text(body.get("licenseName")),
        license_expires_at=parse_iso(body.get("licenseExpiresAt")),
        key_masked=_text(body.get("keyMasked")),
        entitlements=_codes(body) if body.get("version") != 1 else None,
    )


def _codes(body: dict[str, Any]) -> tuple[str, ...]:
    codes = body.get("entitlements")
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise OfflineFileError("offline license entitlements are not a list of codes")
    return tuple(codes)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
