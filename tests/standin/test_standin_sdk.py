"""The official licentric SDK (0.3.0) against the stand-in, as an independent client."""

from __future__ import annotations

import pytest
from licentric import Licentric
from licentric.exceptions import (
    AuthenticationError,
    ConflictError,
    ForbiddenError,
    LicenseSuspendedError,
    MachineLimitExceededError,
    NotFoundError,
    RateLimitError,
    SignatureVerificationError,
)

from .conftest import FP

WITH_PRO = ["pro"]
# Codes for the key alone (no fingerprint), asking for the `pro` entitlement.
EXPECTED = {
    "valid": (True, "VALID"), "valid-2": (True, "VALID"), "expired": (False, "EXPIRED"),
    "expired-allow-access": (True, "EXPIRED"), "expired-revoke": (False, "REVOKED"),
    "suspended": (False, "SUSPENDED"), "revoked": (False, "REVOKED"),
    "banned": (False, "BANNED"), "seat-limit": (True, "VALID"), "heartbeat": (True, "VALID"),
    "entitlements": (False, "ENTITLEMENTS_MISSING"), "uses-exceeded": (False, "USES_EXCEEDED"),
    "offline": (True, "VALID"), "one-seat": (True, "VALID"),
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_each_fixture_validates_with_its_code(sdk, fixtures, standin, scenario):
    result = sdk.validate(fixtures[scenario], entitlements=WITH_PRO)
    assert (result.valid, result.code) == EXPECTED[scenario]
    assert result.license is not None and result.license.id
    assert standin.fixture_details[scenario]["expectedCode"] == result.code


def test_unknown_key_is_not_found_with_null_license(sdk):
    result = sdk.validate("DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert (result.valid, result.code, result.license) == (False, "NOT_FOUND", None)


def test_activate_heartbeat_validate_deactivate(sdk, fixtures):
    key = fixtures["heartbeat"]
    assert sdk.validate(key, fingerprint=FP).code == "FINGERPRINT_NOT_FOUND"
    machine = sdk.activate(key, FP, name="Jane's PC", platform="linux")
    assert machine.heartbeat_status == "NOT_STARTED" and machine.fingerprint == FP
    assert sdk.validate(key, fingerprint=FP).code == "HEARTBEAT_REQUIRED"
    sdk.heartbeat(machine.id, key)
    result = sdk.validate(key, fingerprint=FP)
    assert (result.valid, result.code) == (True, "VALID")
    assert result.machine.id == machine.id and result.machine.heartbeat_status == "ALIVE"
    sdk.deactivate(machine.id, key)
    assert sdk.validate(key, fingerprint=FP).code == "FINGERPRINT_NOT_FOUND"
    with pytest.raises(NotFoundError):
        sdk.deactivate(machine.id, key)


def test_license_by_key_and_by_id_are_rich(sdk, fixtures, standin):
    lic = sdk.get_license_by_key(fixtures["seat-limit"])
    assert lic.id == standin.fixture_details["seat-limit"]["licenseId"]
    assert [m.name for m in lic.machines] == ["Old laptop", "Office PC"]
    assert lic.policy.max_machines == 2 and lic.user_name
    assert sdk.get_license(lic.id).id == lic.id
    with pytest.raises(NotFoundError):
        sdk.get_license_by_key("DEMO-NOPE-NOPE-NOPE-NOPE")


def test_checkout_verifies_offline_with_published_key(sdk, fixtures, standin):
    lid = standin.fixture_details["offline"]["licenseId"]
    lf = sdk.checkout(lid, FP, ttl=3600)
    assert lf.fingerprint == FP and lf.ttl == 3600
    ok = Licentric.verify_offline(lf.certificate.encode(), fixtures["publicKey"])
    assert ok.valid and ok.signature_valid and not ok.expired
    assert ok.header["licenseId"] == lid and ok.header["fingerprint"] == FP
    assert ok.header["algorithm"] == "Ed25519"
    tampered = lf.certificate.replace(lf.certificate.split("\n")[1][:8], "AAAAAAAA")
    assert not Licentric.verify_offline(tampered.encode(), fixtures["publicKey"]).valid


def test_checkout_refused_when_policy_disallows_offline(sdk, standin):
    from licentric.exceptions import BusinessRuleError
    with pytest.raises(BusinessRuleError):
        sdk.checkout(standin.fixture_details["valid"]["licenseId"], FP)


def test_signature_checked_and_wrong_key_rejected(standin, fixtures):
    bad = Licentric(fixtures["apiKey"], base_url=standin.url, max_retries=0, cache_ttl=0,
                    signing_key="00" * 32)
    with pytest.raises(SignatureVerificationError):
        bad.validate(fixtures["valid"])
    bad.close()


def test_typed_errors(sdk, fixtures, standin):
    with pytest.raises(MachineLimitExceededError) as exc:
        sdk.activate(fixtures["seat-limit"], FP)
    assert exc.value.details == {"max": 2, "current": 2}
    with pytest.raises(LicenseSuspendedError):
        sdk.activate(fixtures["suspended"], FP)
    with pytest.raises(AuthenticationError):
        sdk.activate("DEMO-NOPE-NOPE-NOPE-NOPE", FP)
    sdk.activate(fixtures["valid"], FP)
    with pytest.raises(ConflictError) as dup:
        sdk.activate(fixtures["valid"], FP)
    assert dup.value.details["machineId"]
    narrow = Licentric(fixtures["apiKeyMachinesOnly"], base_url=standin.url, max_retries=0,
                       cache_ttl=0)
    with pytest.raises(ForbiddenError):
        narrow.get_license_by_key(fixtures["valid"])
    narrow.close()
    stranger = Licentric("lk_test_unknown", base_url=standin.url, max_retries=0, cache_ttl=0)
    with pytest.raises(AuthenticationError):
        stranger.get_license_by_key(fixtures["valid"])
    stranger.close()


def test_rate_limit_error_carries_retry_after(sdk, fixtures, standin):
    standin.configure(rate_limits={"VALIDATION": 2})
    sdk.validate(fixtures["valid"])
    sdk.validate(fixtures["valid"])
    with pytest.raises(RateLimitError) as exc:
        sdk.validate(fixtures["valid"])
    assert 1 <= exc.value.retry_after <= 60


def test_checkout_fingerprint_switch_leaves_it_out_of_the_header(sdk, fixtures, standin):
    assert standin.configure(checkout_fingerprint=False)["checkoutFingerprint"] is False
    lid = standin.fixture_details["offline"]["licenseId"]
    lf = sdk.checkout(lid, FP, ttl=3600)
    ok = Licentric.verify_offline(lf.certificate.encode(), fixtures["publicKey"])
    assert ok.valid and ok.header["licenseId"] == lid
    assert "fingerprint" not in ok.header
    standin.reset()
    assert standin.configure()["checkoutFingerprint"] is True
