"""Pure parts of the relay: header parsing, masking, the device cap, the owner's view."""

from __future__ import annotations

import pytest

from app.relay.__main__ import main, parse_args, read_api_key
from app.relay.envelope import RelayError
from app.relay.keys import license_key_from, mask_key
from app.relay.owner import OwnerLicense, effective_cap
from app.relay.peers import ClientAddresses
from app.relay.settings import RelayLimits

KEY = "DSK-A1B2-C3D4-E5F6-G7H8"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "License",
        "License   ",
        "Bearer " + KEY,
        "Basic abc",
        "License a b",
        "License \x01x",
    ],
)
def test_missing_or_malformed_header_is_401(header):
    with pytest.raises(RelayError) as caught:
        license_key_from(header)
    assert (caught.value.status, caught.value.code) == (401, "UNAUTHORIZED")


def test_license_header_scheme_is_case_insensitive_and_trimmed():
    assert license_key_from(f"  license  {KEY} ") == KEY


def test_mask_key_keeps_first_group_and_last_four_only():
    masked = mask_key(KEY)
    assert masked.startswith("DSK-") and masked.endswith("-G7H8")
    assert "A1B2" not in masked and "C3D4" not in masked and "E5F6" not in masked


@pytest.mark.parametrize(
    ("detail", "cap"),
    [
        ({"maxMachinesOverride": 5, "policy": {"maxMachines": 2}}, 5),
        ({"maxMachinesOverride": None, "policy": {"maxMachines": 2}}, 2),
        ({"maxMachinesOverride": 5, "policy": {"maxMachines": 2, "overridable": False}}, 2),
        ({"maxMachinesOverride": None, "policy": {"maxMachines": None}}, None),
        ({"maxMachinesOverride": None}, None),
    ],
)
def test_effective_cap_prefers_override_when_overridable(detail, cap):
    assert effective_cap(detail) == cap


def test_cli_refuses_api_key_argument(capsys):
    with pytest.raises(SystemExit) as caught:
        parse_args(["--upstream", "http://x", "--api-key", "lk_test_secret"])
    assert caught.value.code == 2
    assert "RELAY_API_KEY" in capsys.readouterr().err


def test_api_key_from_file_then_environment(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("lk_test_fromfile\n")
    with_file = parse_args(["--upstream", "http://x", "--api-key-file", str(key_file)])
    assert read_api_key(with_file, {"RELAY_API_KEY": "lk_test_env"}) == "lk_test_fromfile"
    without = parse_args(["--upstream", "http://x"])
    assert read_api_key(without, {"RELAY_API_KEY": "lk_test_env"}) == "lk_test_env"


def test_cli_without_api_key_exits_2(monkeypatch, capsys):
    monkeypatch.delenv("RELAY_API_KEY", raising=False)
    assert main(["--upstream", "http://127.0.0.1:9"]) == 2
    assert "RELAY_API_KEY" in capsys.readouterr().err


def test_owner_view_keeps_only_what_the_owner_may_see():
    upstream = {
        "id": "lic-1", "status": "active", "name": "Pro", "expiresAt": "2030-01-01T00:00:00.000Z",
        "userName": "Ada", "userEmail": "ada@example.com", "maxMachinesOverride": None,
        "metadata": {"internal": "x"}, "productId": "p", "policyId": "q",
        "machines": [
            {"id": "m1", "licenseId": "lic-1", "fingerprint": "f1", "name": "A", "ipAddress": "1.2.3.4"},
            {"id": "m2", "licenseId": "other", "fingerprint": "f2", "name": "B"},
        ],
        "policy": {"maxMachines": 3, "requireHeartbeat": True, "heartbeatIntervalMinutes": 15,
                   "offlineAllowed": True, "offlineMaxDays": 14, "metadata": {"secret": 1}},
    }  # fmt: skip
    owner = OwnerLicense.from_upstream(upstream)
    view = owner.view()
    assert view == {
        "id": "lic-1", "name": "Pro", "status": "active", "expiresAt": "2030-01-01T00:00:00.000Z",
        "licensee": {"name": "Ada", "email": "ada@example.com"},
        "seats": {"used": 1, "total": 3},
        "requireHeartbeat": True, "heartbeatIntervalMinutes": 15,
        "offline": {"allowed": True, "maxDays": 14},
    }  # fmt: skip
    assert [d["id"] for d in owner.devices()["devices"]] == ["m1"]  # another license's: dropped
    assert "ipAddress" not in owner.devices()["devices"][0]
    assert OwnerLicense.from_json(owner.to_json()) == owner


@pytest.mark.parametrize("status", ["REVOKED", "BANNED", "revoked"])
def test_revoked_and_banned_are_refused_403(status):
    owner = OwnerLicense.from_upstream({"id": "x", "status": status})
    with pytest.raises(RelayError) as caught:
        owner.refuse_if_finished()
    assert caught.value.status == 403 and caught.value.code == f"LICENSE_{status.upper()}"


@pytest.mark.parametrize("status", ["ACTIVE", "EXPIRED", "SUSPENDED"])
def test_expired_and_suspended_may_still_manage(status):
    OwnerLicense.from_upstream({"id": "x", "status": status}).refuse_if_finished()


@pytest.mark.parametrize("data", [{}, {"id": 5, "status": "ACTIVE"}, {"id": "x"}])
def test_an_answer_that_is_not_a_license_is_502(data):
    with pytest.raises(RelayError) as caught:
        OwnerLicense.from_upstream(data)
    assert caught.value.status == 502


@pytest.mark.parametrize(
    "bad", [{"cache_seconds": 61}, {"cache_seconds": 0}, {"per_ip": 0}, {"bearer_budget": 0}]
)
def test_limits_refuse_a_cache_over_60_seconds_and_empty_budgets(bad):
    with pytest.raises(ValueError):
        RelayLimits(**bad)


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  # untrusted peer: header ignored
        ("10.0.0.2", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.2", ["1.1.1.1, 198.51.100.1"], "198.51.100.1"),  # left part is the client's claim
        ("10.0.0.2", ["198.51.100.1, 10.0.0.3"], "198.51.100.1"),  # trusted hops are skipped
        ("10.0.0.2", ["198.51.100.1", "10.0.0.3"], "198.51.100.1"),  # two header lines
        ("10.0.0.2", ["not-an-address"], "10.0.0.2"),  # garbled: the proxy itself is counted
        ("10.0.0.2", [], "10.0.0.2"),
        ("::1", ["2001:db8::7"], "2001:db8::7"),
        (None, ["198.51.100.1"], "unknown"),
    ],
)
def test_client_address_believes_forwarded_for_only_from_trusted_proxies(peer, forwarded, expected):
    addresses = ClientAddresses(["10.0.0.0/8", "::1"])
    assert addresses.of(peer, forwarded) == expected


def test_no_trusted_proxy_by_default():
    assert ClientAddresses().of("127.0.0.1", ["198.51.100.1"]) == "127.0.0.1"


def test_cli_refuses_a_trusted_proxy_that_is_not_an_address(monkeypatch, capsys):
    monkeypatch.setenv("RELAY_API_KEY", "lk_test_x")
    assert main(["--upstream", "http://127.0.0.1:9", "--trusted-proxy", "proxy.example"]) == 2
    assert "--trusted-proxy" in capsys.readouterr().err
