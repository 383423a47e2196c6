"""The relay's vendor key for offline license files: loaded from a PEM file, never from argv."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

from app.domain.offline_license import OfflineLicense, armor, encode_payload, key_id
from app.relay.scopes import RelayStartupError


class OfflineSigner:
    """Signs offline license envelopes with the vendor's Ed25519 private key.

    ``public_key`` is the matching base64 DER SubjectPublicKeyInfo text: what the vendor puts
    in the wizard's ``public_key`` setting.
    """

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        der = private_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        self.public_key = base64.b64encode(der).decode("ascii")
        self.key_id = key_id(der)

    @classmethod
    def from_pem_file(cls, path: Path) -> OfflineSigner:
        """The key in ``path`` (unencrypted PKCS#8 PEM, Ed25519); RelayStartupError otherwise."""
        try:
            pem = Path(path).read_bytes()
        except OSError as err:
            raise RelayStartupError(
                f"Cannot read --offline-signing-key-file: {err.strerror}"
            ) from err
        try:
            key = load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as err:
            # TypeError: the PEM is encrypted. The message never quotes the file's content.
            raise RelayStartupError(
                "--offline-signing-key-file must hold an unencrypted PKCS#8 PEM private key"
            ) from err
        if not isinstance(key, Ed25519PrivateKey):
            raise RelayStartupError("--offline-signing-key-file must hold an Ed25519 key")
        return cls(key)

    def sign(self, lic: OfflineLicense) -> str:
        """The armored file for ``lic``: Ed25519 over the ASCII payload text."""
        payload = encode_payload(lic, self.key_id)
        return armor(payload, self._private.sign(payload.encode("ascii")))
