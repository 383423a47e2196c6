"""Dates, durations, numbers and lists in each shipped language (Babel's CLDR data)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.i18n import formats


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "3 March 2026"),
        ("de", "3. März 2026"),
        ("fr", "3 mars 2026"),
        ("es", "3 de marzo de 2026"),
        ("ja", "2026年3月3日"),
        ("zh_CN", "2026年3月3日"),
        ("ar", "3 مارس 2026"),
    ],
)
def test_dates_spell_the_month_in_the_language(language, expected):
    assert formats.format_date(date(2026, 3, 3), language) == expected


@pytest.mark.parametrize(
    ("language", "seconds", "expected"),
    [
        ("en", 30, "30 seconds"),
        ("en", 60, "60 seconds"),
        ("en", 300, "5 minutes"),
        ("de", 1, "1 Sekunde"),
        ("de", 7200, "2 Stunden"),
        ("fr", 3 * 86400, "3\u00a0jours"),  # a no-break space, as French typesetting wants
        ("ja", 300, "5 分"),
        ("ar", 60 * 60, "60 دقيقة"),
        ("ar", 2 * 3600, "ساعتان"),  # Arabic's dual: no number
    ],
)
def test_durations_are_rounded_and_use_the_languages_plural(language, seconds, expected):
    assert formats.format_duration(seconds, language) == expected


def test_numbers_lists_and_times_follow_the_language():
    assert formats.format_number(12345.5, "de") == "12.345,5"
    assert formats.format_number(12345.5, "en") == "12,345.5"
    assert formats.format_list(["a", "b", "c"], "en") == "a, b and c"
    assert formats.format_list(["a", "b", "c"], "de") == "a, b und c"
    assert formats.format_list(["a", "b"], "ja") == "a、b"
    moment = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    local = moment.astimezone()
    assert formats.format_datetime(moment, "en") == local.strftime("%Y-%m-%d %H:%M")
    assert formats.format_datetime(moment, "de").startswith("03.03.2026")


def test_the_active_language_is_the_default(i18n_language):
    i18n_language("de")
    assert formats.format_date(date(2026, 3, 3)) == "3. März 2026"
    i18n_language("en_XA")
    assert formats.format_date(date(2026, 3, 3)) == "3 March 2026"
