"""The offline request code: round trip, compactness, checksum, refusals, never the key."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.models import Platform
from app.domain.offline_request import (
    PREFIX,
    OfflineRequest,
    RequestCodeError,
    decode_request,
    encode_request,
    looks_like_request,
    offline_url,
)

FP = "a3" * 32
REQUEST = OfflineRequest(FP, "Jane's laptop", "com.example.product", Platform.LINUX)


def test_round_trip_keeps_every_field():
    code = encode_request(REQUEST)
    assert code.startswith(PREFIX)
    assert decode_request(code) == REQUEST


def test_code_is_compact_and_url_safe():
    code = encode_request(REQUEST)
    # 32-byte fingerprint, a name and an app id: well under what a small QR code holds.
    assert len(code) < 110
    assert re.fullmatch(r"AW1-[A-Za-z0-9_-]+", code)


def test_whitespace_and_line_breaks_are_ignored():
    code = encode_request(REQUEST)
    spaced = "\n  " + " ".join(code[i : i + 8] for i in range(0, len(code), 8)) + "\r\n"
    assert decode_request(spaced) == REQUEST


def test_text_fingerprint_and_unknown_platform_round_trip():
    request = OfflineRequest("not-hex-fingerprint", "Büro-PC ☃", "app", None)
    assert decode_request(encode_request(request)) == request


def test_overlong_name_is_shortened_on_a_character_boundary():
    request = OfflineRequest(FP, "é" * 200, "app", Platform.WINDOWS)
    decoded = decode_request(encode_request(request))
    assert decoded.device_name == "é" * 127


@pytest.mark.parametrize("position", [5, 20, 40, -3])
def test_one_changed_character_fails_the_checksum(position):
    code = encode_request(REQUEST)
    swapped = "B" if code[position] != "B" else "C"
    changed = code[:position] + swapped + code[position + 1 :]
    with pytest.raises(RequestCodeError) as err:
        decode_request(changed)
    assert err.value.reason in ("checksum", "format")


def test_cut_short_is_refused():
    code = encode_request(REQUEST)
    with pytest.raises(RequestCodeError) as err:
        decode_request(code[:-6])
    assert err.value.reason == "checksum"


@pytest.mark.parametrize("text", ["", "hello", "AW1-", "AW1-!!!!", "X" * 5000])
def test_not_a_code_is_refused_as_format(text):
    with pytest.raises(RequestCodeError) as err:
        decode_request(text)
    assert err.value.reason in ("format", "checksum")


def test_url_carries_the_code_in_the_fragment_only():
    code = encode_request(REQUEST)
    url = offline_url("https://relay.example.com/", code)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.query) == (
        "https",
        "relay.example.com",
        "/offline",
        "",
    )
    assert parts.fragment == f"r={code}"


def test_pasted_request_is_recognised():
    assert looks_like_request("  " + encode_request(REQUEST).lower())
    assert not looks_like_request("-----BEGIN ACTIVATION LICENSE-----")


@given(
    fingerprint=st.text(min_size=1, max_size=80).filter(str.strip),
    name=st.text(min_size=1, max_size=60).filter(str.strip),
    product=st.text(min_size=1, max_size=60).filter(str.strip),
)
def test_any_text_round_trips(fingerprint, name, product):
    request = OfflineRequest(fingerprint, name, product, Platform.MACOS)
    assert decode_request(encode_request(request)) == request


def test_the_key_has_no_place_in_a_request():
    # The request type has no field that could hold a key; its code holds only what it shows.
    fields = set(OfflineRequest.__dataclass_fields__)
    assert fields == {  # the entitlements are the vendor's configured codes, never the key's
        "fingerprint", "device_name", "product", "platform", "required_entitlements",
    }  # fmt: skip


def test_required_entitlements_ride_along_only_when_the_vendor_names_some():
    codes = ("pro", "export_pdf")
    needing = OfflineRequest(FP, "Lab PC", "com.example.product", Platform.LINUX, codes)
    assert decode_request(encode_request(needing)) == needing
    plain = encode_request(REQUEST)  # nothing required: the code is as before
    assert len(encode_request(needing)) > len(plain)
    assert decode_request(plain).required_entitlements == ()


@given(st.lists(st.text(min_size=1, max_size=40), max_size=5))
def test_any_entitlement_codes_round_trip(codes):
    request = OfflineRequest(FP, "Lab PC", "com.example.product", None, tuple(codes))
    assert decode_request(encode_request(request)).required_entitlements == tuple(codes)
