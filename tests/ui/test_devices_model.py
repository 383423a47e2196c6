"""DevicesTableModel: Qt's model rules (qtmodeltester), plain-word cells, "This computer"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt

from app.domain.models import Machine
from app.ui.devices_model import (
    THIS_COMPUTER,
    Column,
    DevicesTableModel,
    MachineRole,
    RemovableRole,
    date_text,
    platform_text,
    relative_time,
)

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


def _machines() -> list[Machine]:
    return [
        Machine(
            id="m-old",
            fingerprint="fp-old",
            name="Old laptop",
            platform="windows",
            heartbeat_status="DEAD",
            created_at=NOW - timedelta(days=200),
            last_heartbeat_at=NOW - timedelta(days=3, hours=2),
        ),
        Machine(
            id="m-here",
            fingerprint="fp-here",
            name="Studio Mac",
            platform="macos",
            heartbeat_status="ALIVE",
            created_at=NOW - timedelta(days=1),
            last_heartbeat_at=NOW - timedelta(minutes=5),
        ),
        Machine(id="m-box", name=None, hostname="build-7", platform="docker"),
    ]


def _texts(model: DevicesTableModel, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_populated_model_follows_qt_rules(qtmodeltester):
    model = DevicesTableModel()
    model.set_devices(_machines(), this_fingerprint="fp-here", now=NOW)
    qtmodeltester.check(model)
    assert model.rowCount() == 3


def test_empty_model_follows_qt_rules(qtmodeltester):
    model = DevicesTableModel()
    model.set_devices([])
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (0, len(Column))


def test_cells_in_plain_words():
    model = DevicesTableModel()
    model.set_devices(_machines(), this_fingerprint="fp-here", now=NOW)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(Column))]
    assert headers == ["Name", "Platform", "Activated", "Last seen", "Status"]
    old = _texts(model, 0)
    assert old[Column.NAME] == "Old laptop"
    assert old[Column.PLATFORM] == "Windows"
    assert old[Column.ACTIVATED] == date_text(NOW - timedelta(days=200))
    assert old[Column.LAST_SEEN] == "3 days ago"
    assert old[Column.STATUS] == "Not responding"
    box = _texts(model, 2)
    assert box[Column.NAME] == "build-7"  # no name given: the host name stands in
    assert box[Column.PLATFORM] == "Container"
    assert box[Column.LAST_SEEN] == "never"


def test_this_computer_is_marked_and_not_removable():
    model = DevicesTableModel()
    model.set_devices(_machines(), this_fingerprint="fp-here", now=NOW)
    assert _texts(model, 1)[Column.STATUS] == THIS_COMPUTER
    assert model.index(1, Column.NAME).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(RemovableRole) is False
    assert model.index(0, 0).data(RemovableRole) is True
    assert [model.is_removable(r) for r in range(3)] == [True, False, True]
    assert model.removable_count() == 2
    assert model.index(1, 0).data(MachineRole).id == "m-here"


def test_machine_without_fingerprint_is_matched_by_stored_machine_id():
    model = DevicesTableModel()
    model.set_devices(_machines(), this_fingerprint="fp-elsewhere", this_machine_id="m-box")
    assert [model.is_removable(r) for r in range(3)] == [True, True, False]


def test_reset_replaces_rows():
    model = DevicesTableModel()
    model.set_devices(_machines(), now=NOW)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.clear()
    assert resets == [0]
    assert model.machine(0) is None
    assert not model.is_removable(0)


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=10), "just now"),
        (timedelta(seconds=-30), "just now"),  # a server clock slightly ahead
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=2), "2 hours ago"),
        (timedelta(hours=30), "yesterday"),
        (timedelta(days=3), "3 days ago"),
        (timedelta(days=65), "2 months ago"),
        (timedelta(days=800), "2 years ago"),
    ],
)
def test_relative_time(ago, expected):
    assert relative_time(NOW - ago, NOW) == expected


def test_relative_time_never_and_naive_times():
    assert relative_time(None, NOW) == "never"
    naive = (NOW - timedelta(days=4)).replace(tzinfo=None)
    assert relative_time(naive, NOW) == "4 days ago"


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("windows", "Windows"),
        ("macos", "macOS"),
        ("linux", "Linux"),
        ("docker", "Container"),
        ("kubernetes", "Container"),
        (None, "Unknown"),
        ("freebsd", "Freebsd"),
    ],
)
def test_platform_words(raw, plain):
    assert platform_text(raw) == plain


def test_dates_follow_the_locale():
    moment = datetime(2025, 3, 12, 12, tzinfo=UTC)
    assert date_text(moment, locale=QLocale("en_US")) == "Mar 12, 2025"
    assert date_text(moment, locale=QLocale("de_DE")) == "12. März 2025"
    assert "Wednesday" in date_text(moment, locale=QLocale("en_US"), long=True)
    assert date_text(None) == "unknown"


def test_a_computer_activated_moments_ago_was_seen_just_now():
    model = DevicesTableModel()
    fresh = Machine(
        id="m-new", name="New desktop", platform="linux", created_at=NOW - timedelta(seconds=20)
    )
    model.set_devices([fresh], now=NOW)
    assert _texts(model, 0)[Column.LAST_SEEN] == "just now"  # activating is being seen
