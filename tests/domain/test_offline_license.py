"""Offline license files: signed by the relay's key, checked here (key, version, product,
fingerprint, expiry), and a clock set back never extends one."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.errors import (
    ConfigError,
    OfflineFileError,
    OfflineFileExpiredError,
    OfflineFileOtherComputerError,
    OfflineFileOtherProductError,
)
from app.domain.offline_license import (
    BEGIN,
    END,
    OfflineLicense,
    armor,
    encode_payload,
    unarmor,
    verify_license_file,
)
from app.relay.offline_signing import OfflineSigner

FP = "5e" * 32
PRODUCT = "com.example.product"
ISSUED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
EXPIRES = ISSUED + timedelta(days=14)


@pytest.fixture(scope="module")
def signer() -> OfflineSigner:
    return OfflineSigner(Ed25519PrivateKey.generate())


def _license(**changes) -> OfflineLicense:
    base = dict(
        product=PRODUCT,
        fingerprint=FP,
        device_name="Lab PC",
        license_id="lic-1",
        machine_id="m-1",
        issued_at=ISSUED,
        expires_at=EXPIRES,
        certificate="CERT",
        product_name="Example Pro",
        license_name="Uma Rossi",
        license_expires_at=ISSUED + timedelta(days=300),
        key_masked="DEMO-…-AAAA",
        entitlements=("pro",),
    )
    return OfflineLicense(**{**base, **changes})


def _verify(text, public_key, *, now=ISSUED + timedelta(days=1), **kwargs):
    args = dict(public_key=public_key, fingerprint=FP, product=PRODUCT, now=now)
    return verify_license_file(text, **{**args, **kwargs})


def test_signed_file_verifies_and_round_trips(signer):
    text = signer.sign(_license())
    assert text.startswith(BEGIN + "\n") and text.rstrip().endswith(END)
    assert all(len(line) <= 64 for line in text.splitlines())
    assert _verify(text, signer.public_key) == _license()


def test_pasted_with_surrounding_text_and_crlf_verifies(signer):
    text = signer.sign(_license())
    pasted = "Here is your file:\r\n\r\n" + text.replace("\n", "\r\n  ") + "\r\nThanks"
    assert _verify(pasted, signer.public_key).license_id == "lic-1"


def test_changed_content_is_tampered(signer):
    text = signer.sign(_license())
    payload_b64, signature = unarmor(text)
    body = json.loads(base64.b64decode(payload_b64))
    body["expiresAt"] = "2099-01-01T00:00:00.000Z"
    forged = base64.b64encode(json.dumps(body).encode()).decode()
    with pytest.raises(OfflineFileError) as err:
        _verify(armor(forged, signature), signer.public_key)
    assert type(err.value) is OfflineFileError
    assert err.value.code == "OFFLINE_FILE_DAMAGED"


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t.replace(BEGIN, ""),
        lambda t: t[: len(t) // 2],
        lambda t: t.replace(".", ""),
        lambda t: t.replace(".", ".!!"),
        lambda t: BEGIN + "\nbm90IGpzb24=.AAAA\n" + END,
        lambda t: "",
        lambda t: t + "x" * 70_000,
    ],
    ids=["no-begin", "cut", "no-dot", "bad-signature-base64", "not-json", "empty", "huge"],
)
def test_damaged_file_is_refused(signer, damage):
    with pytest.raises(OfflineFileError) as err:
        _verify(damage(signer.sign(_license())), signer.public_key)
    assert err.value.code == "OFFLINE_FILE_DAMAGED"


def test_file_from_another_vendor_key_is_for_another_product(signer):
    other = OfflineSigner(Ed25519PrivateKey.generate())
    with pytest.raises(OfflineFileOtherProductError):
        _verify(other.sign(_license()), signer.public_key)


def test_file_for_another_product_of_the_same_vendor(signer):
    with pytest.raises(OfflineFileOtherProductError):
        _verify(signer.sign(_license(product="com.example.other")), signer.public_key)


def test_file_for_another_computer(signer):
    with pytest.raises(OfflineFileOtherComputerError):
        _verify(signer.sign(_license(fingerprint="77" * 32)), signer.public_key)


def _resigned(signer, lic: OfflineLicense, **body_changes) -> str:
    """A file whose signed body differs from today's format (another version, a field gone)."""
    body = json.loads(base64.b64decode(encode_payload(lic, signer.key_id)))
    body.update(body_changes)
    body = {name: value for name, value in body.items() if value is not _GONE}
    new_payload = base64.b64encode(json.dumps(body).encode()).decode()
    return armor(new_payload, signer._private.sign(new_payload.encode()))


_GONE = object()


def test_unknown_version_is_refused(signer):
    with pytest.raises(OfflineFileError) as err:
        _verify(_resigned(signer, _license(), version=3), signer.public_key)
    assert "version" in str(err.value)


def test_file_carries_the_license_entitlements(signer):
    text = signer.sign(_license(entitlements=("pro", "export_pdf")))
    assert json.loads(base64.b64decode(unarmor(text)[0]))["version"] == 2
    assert _verify(text, signer.public_key).entitlements == ("pro", "export_pdf")
    assert _verify(signer.sign(_license(entitlements=())), signer.public_key).entitlements == ()


def test_version_1_file_is_read_with_entitlements_unknown(signer):
    text = _resigned(signer, _license(), version=1, entitlements=_GONE)
    lic = _verify(text, signer.public_key)
    assert lic.entitlements is None
    assert (lic.license_id, lic.expires_at) == ("lic-1", EXPIRES)


def test_version_2_file_without_an_entitlement_list_is_damaged(signer):
    for codes in (_GONE, "pro", [1]):
        with pytest.raises(OfflineFileError) as err:
            _verify(_resigned(signer, _license(), entitlements=codes), signer.public_key)
        assert type(err.value) is OfflineFileError and "entitlements" in str(err.value)


def test_expired_file_names_its_end(signer):
    with pytest.raises(OfflineFileExpiredError) as err:
        _verify(signer.sign(_license()), signer.public_key, now=EXPIRES + timedelta(seconds=1))
    assert err.value.expires_at == EXPIRES
    assert err.value.code == "OFFLINE_FILE_EXPIRED"


def test_clock_set_back_never_extends_a_file(signer):
    text = signer.sign(_license())
    seen_after_end = EXPIRES + timedelta(hours=1)
    set_back = ISSUED + timedelta(days=2)
    with pytest.raises(OfflineFileExpiredError):
        _verify(text, signer.public_key, now=set_back, latest_seen=seen_after_end)
    # The same moments, without the later sighting, would still be valid.
    assert _verify(text, signer.public_key, now=set_back, latest_seen=set_back)


def test_clock_before_issue_counts_from_the_issue_time(signer):
    short = _license(expires_at=ISSUED + timedelta(hours=1))
    with pytest.raises(OfflineFileExpiredError):
        # Now is a year before the server issued it: time has reached at least issuedAt,
        # and a file that ended one hour later is not made valid by a wrong clock.
        _verify(
            signer.sign(short),
            signer.public_key,
            now=ISSUED - timedelta(days=365),
            latest_seen=ISSUED + timedelta(hours=2),
        )


@pytest.mark.parametrize("key", [None, "", "not base64!", base64.b64encode(b"junk").decode()])
def test_missing_or_bad_public_key_is_a_config_error(signer, key):
    with pytest.raises(ConfigError) as err:
        _verify(signer.sign(_license()), key)
    assert err.value.field == "public_key"


def test_non_ed25519_public_key_is_a_config_error(signer):
    from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    der = (
        generate_private_key(SECP256R1())
        .public_key()
        .public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ConfigError):
        _verify(signer.sign(_license()), base64.b64encode(der).decode())
