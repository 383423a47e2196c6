"""License keys: normalising what people paste, explaining bad input, masking and redacting."""

from __future__ import annotations

import logging
import re
import time
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.domain.errors import KeyFormatError
from app.domain.license_key import (
    KEY_PATTERN,
    KeyRedactingFilter,
    KeyRule,
    is_valid_key,
    key_prefix,
    mask_key,
    normalise_key,
    redact,
)

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
UPPER = KeyRule(upper=True)  # key_case = "upper"
REASONS = {"empty", "too_short", "too_long", "bad_character", "api_key", "not_a_key", "grouping"}


def _group(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=ALNUM, min_size=lo, max_size=hi)


valid_keys = st.builds(
    lambda prefix, groups: "-".join([prefix, *groups]),
    _group(2, 8),
    st.lists(_group(4, 8), min_size=3, max_size=6),
)
dashes = st.sampled_from(["-", "\u2013", "\u2014", "\u2212", "\u2010", "\u2011", "\uff0d"])
spaces = st.text(alphabet=" \t\n\r\u00a0\u200b\ufeff", max_size=4)
quotes = st.sampled_from(["", '"', "'", "`", "“", "‘", "<", "«", "```"])
closing = {"": "", '"': '"', "'": "'", "`": "`", "“": "”", "‘": "’", "<": ">", "«": "»"}
closing["```"] = "```"
labels = st.sampled_from(["", "Key: ", "key:", "License key: ", "LICENCE: ", "Licence key = "])


def _vary_case(key: str, flips: list[bool]) -> str:
    return "".join(c.lower() if flip else c for c, flip in zip(key, flips * len(key), strict=False))


# --- normalise_key: what it forgives ----------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        "  dsk-a1b2-c3d4-e5f6-g7h8 ",
        "Key: `DSK\u2013A1B2\u2014C3D4\u2212E5F6-G7H8`",
        "Your license key is: DSK-A1B2-C3D4-E5F6-G7H8 Thanks!",
        "Hi Jane,\n\nyour licence key:\n\n  DSK-A1B2-\n  C3D4-E5F6-G7H8\n\nBest regards",
        "DSK A1B2 C3D4 E5F6 G7H8",
        "\u200bDSK-A1B2-C3D4-E5F6-G7H8\u00a0",
        "Licence: <DSK-A1B2-C3D4-E5F6-G7H8>",
        "\uff24\uff33\uff2b-A1B2-C3D4-E5F6-G7H8",  # full-width letters from an IME
        "DSKA1B2C3D4E5F6G7H8",  # dashless, documented shape: regrouped
        '"dsk-a1b2-c3d4-e5f6-g7h8".',
    ],
)
def test_normalise_forgives_what_people_paste(pasted):
    assert normalise_key(pasted, UPPER) == "DSK-A1B2-C3D4-E5F6-G7H8"
    assert normalise_key(pasted).upper() == "DSK-A1B2-C3D4-E5F6-G7H8"


def test_longer_keys_are_accepted():
    key = "ACME2026-ABCDEFGH-12345678-ABCD-EFGH-IJKL-MNOP"
    assert normalise_key(key.lower(), UPPER) == key


@pytest.mark.parametrize(
    "key", ["DSK-A1B2-C3D4-E5F6-G7H8", "LIC-7Q2M-K9PD-X4TR", "SPR-7Q2M-K8VD-3XTL-W9HC"]
)
def test_the_docs_key_shapes_are_accepted_and_case_is_kept_unless_the_vendor_says(key):
    assert normalise_key(key) == key
    assert normalise_key(f"Key: {key.lower()}") == key.lower()  # case-sensitive by default
    assert normalise_key(key.lower(), UPPER) == key


def test_a_vendor_pattern_decides_alone():
    rule = KeyRule(pattern=re.compile(r"[a-z]{4}_[0-9]{6}"))
    assert normalise_key(" Your license key is: abcd_123456 \u200b", rule) == "abcd_123456"
    with pytest.raises(KeyFormatError) as caught:
        normalise_key("DSK-A1B2-C3D4-E5F6-G7H8", rule)
    assert caught.value.reason == "pattern"
    upper = KeyRule(pattern=re.compile(r"LIC(-[A-Z0-9]{4}){3}"), upper=True)
    assert normalise_key("licence key: lic\u2013 7q2m-k9pd-x4tr", upper) == "LIC-7Q2M-K9PD-X4TR"


# --- normalise_key: what it refuses, and how it says so -----------------------------------


@pytest.mark.parametrize(
    ("pasted", "reason", "words"),
    [
        ("", "empty", "enter your license key"),
        (" \n\t\u200b ", "empty", "enter your license key"),
        ("DSK-A1B2", "too_short", "7 more characters"),
        ("ABCD-1234-XY", "too_short", "4 more characters"),
        ("DSK-A1B2-C3D4-E5F6-G7H8-AAAA-BBBB-CCCC-DDDD", "too_long", "too long"),
        ("x" * 20_000, "too_long", "longer than a license key"),
        ("DSK_A1B2-C3D4-E5F6-G7H8", "bad_character", "“_”"),
        ("DSK-A1B2-C3D4-E5#6-G7H8", "bad_character", "“#”"),
        ("ÄBC-DEFG-HIJK-LMNO", "bad_character", "“Ä”"),
        ("lk_live_4f9a8b7c6d5e4f3a2b1c", "api_key", "developer api key"),
        ("Bearer LK_TEST_abc123", "api_key", "developer api key"),
        ("jane@example.com", "not_a_key", "e-mail address"),
        ("https://shop.example.com/orders/123", "not_a_key", "web address"),
        ("www.example.com", "not_a_key", "web address"),
        ("DSK-A1B2--C3D4-E5F6", "grouping", "two dashes"),
        ("DSK-A1B2-C3D4-E5F6-G7H", "grouping", "part of the key may be missing"),
        ("ABCDEFGHIJ-A1B2-C3D4-E5F6", "grouping", "first group"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "grouping", "groups"),
        ("ABCD-EF-GHIJKL-MNOP-QRST", "grouping", "group 2"),
        (
            "DSK-A1B2-C3D4-E5F6-G7H8 or DSK-A1B2-C3D4-E5F6-ZZZZ",
            "not_a_key",
            "more than one",
        ),
    ],
)
def test_bad_input_is_explained_in_plain_words(pasted, reason, words):
    with pytest.raises(KeyFormatError) as caught:
        normalise_key(pasted)
    assert caught.value.reason == reason
    assert words.lower() in caught.value.message.lower()
    assert caught.value.code == "KEY_MALFORMED"


def test_messages_never_repeat_the_input():
    secret = "SECRETKEY1234567890XYZABCDEFG"  # too long to regroup, no dashes
    with pytest.raises(KeyFormatError) as caught:
        normalise_key(secret)
    assert secret not in caught.value.message
    assert secret[4:12] not in caught.value.message


def test_dashless_input_is_regrouped_only_in_the_documented_shape():
    assert normalise_key("ACMEA1B2C3D4E5F6G7H8") == "ACME-A1B2-C3D4-E5F6-G7H8"
    assert normalise_key("acmecorpa1b2c3d4e5f6g7h8", UPPER) == "ACMECORP-A1B2-C3D4-E5F6-G7H8"
    with pytest.raises(KeyFormatError) as caught:
        normalise_key("A1B2C3D4E5F6G7H8")  # 16 characters: no prefix left over
    assert caught.value.reason == "grouping"


# --- normalise_key: properties -------------------------------------------------------------


@given(valid_keys)
def test_valid_keys_match_the_grammar_and_are_fixed_points(key):
    assert is_valid_key(key)
    assert normalise_key(key) == key


@given(
    key=valid_keys,
    dash=dashes,
    before=spaces,
    after=spaces,
    quote=quotes,
    label=labels,
    flips=st.lists(st.booleans(), min_size=1, max_size=8),
)
def test_valid_key_survives_what_surrounds_it(key, dash, before, after, quote, label, flips):
    pasted = label + quote + before + _vary_case(key, flips).replace("-", dash)
    pasted += after + closing[quote]
    assert normalise_key(pasted, UPPER) == key
    assert normalise_key(pasted) == _vary_case(key, flips)  # letter case kept as typed


@given(
    key=valid_keys,
    greeting=st.sampled_from(["", "Hello Jane,\n\n", "Thank you for your order!\r\n"]),
    lead=st.sampled_from(
        ["Your license key is: ", "Your licence key is ", "Key:\n", "Code - ", "key -\n"]
    ),
    tail=st.sampled_from(["", " Thanks!", ".\n\nKind regards,\nThe Team", "\n-- \nSupport"]),
)
def test_valid_key_is_found_in_an_email(key, greeting, lead, tail):
    assert normalise_key(greeting + lead + key.lower() + tail, UPPER) == key
    assert normalise_key(greeting + lead + key.lower() + tail) == key.lower()


@settings(max_examples=400)
@given(st.text())
def test_arbitrary_text_gives_a_key_or_a_key_format_error(text):
    try:
        key = normalise_key(text)
    except KeyFormatError as error:
        assert error.reason in REASONS
        assert error.message
    else:
        assert KEY_PATTERN.fullmatch(key.upper())
        assert normalise_key(text, UPPER) == key.upper()


@settings(max_examples=300)
@given(st.one_of(st.text(), st.text(alphabet=ALNUM.lower() + "- \u2013\n", max_size=60)))
def test_normalise_is_idempotent(text):
    try:
        once = normalise_key(text)
    except KeyFormatError:
        return
    assert normalise_key(once) == once
    assert normalise_key(normalise_key(text, UPPER), UPPER) == normalise_key(text, UPPER)


# --- mask_key and key_prefix ------------------------------------------------------------


def test_mask_shows_first_group_and_last_four():
    assert mask_key("DSK-A1B2-C3D4-E5F6-G7H8") == "DSK-…-G7H8"
    assert mask_key("dsk-a1b2-c3d4-e5f6-g7h8") == "DSK-…-G7H8"


@pytest.mark.parametrize("short", ["", "A", "abc", "DSK-A1B2", "ABCD-EFGH-IJK"])
def test_short_input_is_masked_completely(short):
    masked = mask_key(short)
    assert set(masked) == {"•"}


@given(valid_keys)
def test_mask_never_reveals_the_middle(key):
    first, compact = key.split("-")[0], key.replace("-", "")
    masked = mask_key(key)
    # Exactly the first (at most 4) and the last 4 characters: never anything in between.
    assert masked == f"{first[:4]}-…-{compact[-4:]}"
    assert sum(c.isalnum() for c in masked) <= 8


@given(st.text(max_size=200))
def test_mask_works_on_any_input_and_shows_at_most_eight_characters(text):
    masked = mask_key(text)
    assert sum(c.isascii() and c.isalnum() for c in masked) <= 8


@given(st.text(max_size=200))
def test_mask_never_shows_more_than_half_of_the_keys_characters(text):
    shown = sum(c.isascii() and c.isalnum() for c in mask_key(text))
    as_read = unicodedata.normalize("NFKC", text).upper()  # full-width letters count as letters
    total = sum(c.isascii() and c.isalnum() for c in as_read)
    assert shown <= total // 2


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("ABCD-EFGH-IJKL", "AB-…-IJKL"),  # 12 characters: 6 shown, not 8
        ("ABCDE-FGHI-JKLM", "AB-…-JKLM"),  # 13: 6
        ("ABCD-EFGH-IJKL-MNOP", "ABCD-…-MNOP"),  # 16: 8
    ],
)
def test_mask_of_a_short_key_shows_half_at_most(key, masked):
    assert mask_key(key) == masked


def test_key_prefix_is_the_first_group():
    assert key_prefix("tst-a1b2-c3d4-e5f6-g7h8") == "TST"
    assert key_prefix("  LIVE-A1B2-C3D4-E5F6 ") == "LIVE"
    assert key_prefix("not a key at all") == "NOT A KEY AT ALL"


# --- redact and the logging filter ----------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        "DSK-A1B2-C3D4-E5F6-G7H8",
        "dsk-a1b2-c3d4-e5f6-g7h8",
        "DSKA1B2C3D4E5F6G7H8",
        "dska1b2c3d4e5f6g7h8",
    ],
)
def test_redact_removes_every_form_of_the_key(form):
    text = f"POST validate-key body={{'key': '{form}'}} failed"
    out = redact(text, "dsk\u2013a1b2-c3d4-e5f6-g7h8")
    assert "C3D4" not in out.upper()
    assert "…" in out
    assert out.startswith("POST validate-key body=")


def test_redact_leaves_uuids_and_ordinary_text_alone():
    text = "license 0b7d2c5e-1f3a-4c8e-9a61-2d4f8e7b3c10 on e-mail day-to-day"
    assert redact(text, None) == text
    assert redact(text, "") == text


@given(key=valid_keys, before=st.text(max_size=40), after=st.text(max_size=40))
def test_redact_removes_the_key_from_any_surrounding_text(key, before, after):
    middle = key.replace("-", "")[4:-4]
    # The surrounding text may not itself hold the middle, nor glue onto the key's first or last group
    # (then the text holds a longer, different key, whose mask may repeat the digits).
    assume(middle not in (before + after).upper().replace("-", ""))
    assume(not after[:1].isalnum() and after[:1] != "-")
    assume(not before[-1:].isalnum() and before[-1:] != "-")
    out = redact(before + key + after, key)
    assert key not in out
    assert middle not in out.upper().replace("-", "")


def test_filter_masks_keys_in_messages_args_and_tracebacks():
    logger = logging.getLogger("tests.redaction")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    redactor = KeyRedactingFilter()
    redactor.remember("dsk-a1b2-c3d4-e5f6-g7h8")
    handler.addFilter(redactor)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(
            "activating %s for %r", "DSK-A1B2-C3D4-E5F6-G7H8", {"k": "XY-ABCD-EFGH-IJKL"}
        )
        logger.warning("raw form DSKA1B2C3D4E5F6G7H8")
        try:
            raise ValueError("bad key DSK-A1B2-C3D4-E5F6-G7H8")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = "\n".join(handler.format(r) for r in records)
    assert len(records) == 3
    assert not re.search(r"A1B2|C3D4|ABCD-EFGH|EFGH-IJKL", text)
    assert "DSK-…-G7H8" in text
    assert "ValueError" in text


@pytest.mark.parametrize(
    "hostile",
    ["AAAA-" * 1999, "AAAAAAAA" * 1250, "a@" * 4999, "A-" * 4999, "a." * 4999, "Key: " * 1999],
)
def test_long_hostile_pastes_are_answered_quickly(hostile):
    # Regexes with unbounded repeats went quadratic on these (seconds, not milliseconds).
    started = time.perf_counter()
    with pytest.raises(KeyFormatError):
        normalise_key(hostile)
    assert time.perf_counter() - started < 0.5
