"""The relay's vendor key for offline files: unencrypted PKCS#8 PEM, Ed25519 only."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_der_public_key,
)

from app.relay.offline_signing import OfflineSigner
from app.relay.scopes import RelayStartupError


def _pem(key, encryption=None) -> bytes:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption or NoEncryption())


def test_loads_pkcs8_pem_and_publishes_spki_base64(tmp_path):
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "offline.pem"
    path.write_bytes(_pem(key))
    signer = OfflineSigner.from_pem_file(path)
    der = base64.b64decode(signer.public_key)
    assert load_der_public_key(der).public_bytes(Encoding.Raw, PublicFormat.Raw) == (
        key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    assert len(signer.key_id) == 16


@pytest.mark.parametrize(
    "content, message",
    [
        (lambda: _pem(Ed25519PrivateKey.generate(), BestAvailableEncryption(b"pw")), "unencrypted"),
        (lambda: _pem(generate_private_key(SECP256R1())), "Ed25519"),
        (lambda: b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n", "PKCS#8"),
    ],
    ids=["encrypted", "ec-key", "garbage"],
)
def test_unusable_key_files_stop_the_start(tmp_path, content, message):
    path = tmp_path / "offline.pem"
    data = content()
    path.write_bytes(data)
    with pytest.raises(RelayStartupError) as err:
        OfflineSigner.from_pem_file(path)
    assert message in str(err.value)
    assert "nope" not in str(err.value)


def test_missing_key_file_stops_the_start(tmp_path):
    with pytest.raises(RelayStartupError) as err:
        OfflineSigner.from_pem_file(tmp_path / "absent.pem")
    assert "--offline-signing-key-file" in str(err.value)
