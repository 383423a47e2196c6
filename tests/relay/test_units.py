"""Pure parts of the relay: header parsing, masking, fixed windows, body checks, the device cap."""

from __future__ import annotations

import pytest

from app.relay.__main__ import main, parse_args, read_api_key
from app.relay.envelope import RelayError
from app.relay.handlers import checkout_body, effective_cap
from app.relay.keys import license_key_from, mask_key
from app.relay.limits import FixedWindowLimiter

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


def test_fixed_window_counts_then_refuses_with_retry_after():
    now = [1000.0]
    limiter = FixedWindowLimiter(2, 60, clock=lambda: now[0])
    assert limiter.hit("a").remaining == 1
    assert limiter.hit("a").remaining == 0
    assert limiter.hit("b").remaining == 1  # buckets are independent
    with pytest.raises(RelayError) as caught:
        limiter.hit("a")
    err = caught.value
    assert (err.status, err.code) == (429, "RATE_LIMITED")
    assert err.headers["Retry-After"] == "20"  # window 960..1020
    assert err.headers["X-RateLimit-Remaining"] == "0"
    assert err.headers["X-RateLimit-Reset"] == "1020"
    now[0] = 1020.0  # next window: counting starts again
    assert limiter.hit("a").remaining == 1


def test_checkout_body_keeps_only_checked_fields():
    assert checkout_body({"fingerprint": "f" * 64, "ttl": 3600, "x": 1}) == {
        "fingerprint": "f" * 64,
        "ttl": 3600,
    }
    for bad in ({}, {"fingerprint": 5}, {"fingerprint": ""}, {"fingerprint": "ab", "ttl": "1"},
                {"fingerprint": "ab", "ttl": True}, {"fingerprint": "ab", "ttl": -5}):  # fmt: skip
        with pytest.raises(RelayError) as caught:
            checkout_body(bad)
        assert caught.value.code == "VALIDATION_ERROR"


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
