"""Dates, times and durations read the same in the windows and on the command line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.presentation.words import compact_time, format_date, format_duration, format_time, iso


def test_dates_spell_the_month_out():
    assert format_date(date(2025, 12, 31)) == "31 December 2025"
    assert format_date(datetime(2026, 3, 3, 12, 0)) == "3 March 2026"
    assert format_date(None) == "unknown"


def test_moments_with_a_time_zone_are_shown_in_local_time():
    moment = datetime(2026, 3, 3, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    local = moment.astimezone()
    assert format_date(moment) == format_date(local.replace(tzinfo=None))
    assert format_time(moment) == f"{format_date(local.replace(tzinfo=None))} at {local:%H:%M}"
    assert compact_time(moment) == local.strftime("%Y-%m-%d %H:%M")


def test_missing_moments_have_words_too():
    assert format_time(None) == "never"
    assert compact_time(None) == "an unknown time"
    assert iso(None) is None
    assert iso(datetime(2026, 1, 2, tzinfo=UTC)) == "2026-01-02T00:00:00+00:00"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.2, "1 second"),
        (1, "1 second"),
        (89, "89 seconds"),
        (90, "2 minutes"),
        (-600, "10 minutes"),
        (2 * 3600, "2 hours"),
        (36 * 3600, "2 days"),
        (3 * 86400, "3 days"),
    ],
)
def test_durations_are_rounded_to_one_unit(seconds, words):
    assert format_duration(seconds) == words
