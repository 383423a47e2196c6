"""The license's machines as a table (name, platform, activated, last seen, status), and what
a worker fetches to fill it: the relay's list and what marks this computer in it."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from app.domain.errors import WizardError
from app.domain.models import DeviceList, Machine
from app.i18n import N_, _, ngettext

if TYPE_CHECKING:  # annotations only: the services are built in the first worker
    from app.services import Services

Index = QModelIndex | QPersistentModelIndex

_PLATFORMS = {
    "windows": "Windows",
    "macos": "macOS",
    "linux": "Linux",
    "docker": N_("Container"),
    "kubernetes": N_("Container"),
}
# Heartbeat statuses in plain words (the API's NOT_STARTED just means "no heartbeat needed yet").
_STATUSES = {"ALIVE": N_("Active"), "NOT_STARTED": N_("Active"), "DEAD": N_("Not responding")}
THIS_COMPUTER = N_("This computer")


class Column(IntEnum):
    NAME = 0
    PLATFORM = 1
    ACTIVATED = 2
    LAST_SEEN = 3
    STATUS = 4


_HEADERS = {
    Column.NAME: N_("Name"),
    Column.PLATFORM: N_("Platform"),
    Column.ACTIVATED: N_("Activated"),
    Column.LAST_SEEN: N_("Last seen"),
    Column.STATUS: N_("Status"),
}

MachineRole = Qt.ItemDataRole.UserRole + 1  # the row's Machine
RemovableRole = Qt.ItemDataRole.UserRole + 2  # True when the row may be deactivated here


class DevicesTableModel(QAbstractTableModel):
    """Read-only rows of ``Machine``; the row of this computer is marked and not removable.

    ``now`` is fixed per ``set_devices`` call so every "last seen" in one listing agrees.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._devices: tuple[Machine, ...] = ()
        self._this: set[int] = set()
        self._now = datetime.now(UTC)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- filling --------------------------------------------------------------------------

    def set_devices(
        self,
        devices: Sequence[Machine],
        *,
        this_fingerprint: str | None = None,
        this_machine_id: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Replace the rows. A machine is "this computer" when its fingerprint matches
        ``this_fingerprint`` (or, lacking a fingerprint, its id matches ``this_machine_id``)."""
        self.beginResetModel()
        self._devices = tuple(devices)
        self._this = {
            row
            for row, machine in enumerate(self._devices)
            if _is_this(machine, this_fingerprint, this_machine_id)
        }
        self._now = now or datetime.now(UTC)
        self.endResetModel()

    def clear(self) -> None:
        self.set_devices(())

    def machine(self, row: int) -> Machine | None:
        return self._devices[row] if 0 <= row < len(self._devices) else None

    def is_removable(self, row: int) -> bool:
        return 0 <= row < len(self._devices) and row not in self._this

    def removable_count(self) -> int:
        return len(self._devices) - len(self._this)

    def row_of(self, machine_id: str) -> int | None:
        for row, machine in enumerate(self._devices):
            if machine.id == machine_id:
                return row
        return None

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._devices)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(_HEADERS[Column(section)])
        return None

    def first_removable(self) -> int | None:
        """The first row the user may deactivate (not this computer), if any."""
        return next((r for r in range(self.rowCount()) if self.is_removable(r)), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._devices):
            return None
        machine = self._devices[index.row()]
        this = index.row() in self._this
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(machine, column, this)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(machine, column, this)
            # Tooltips guess rich text: names from the server are shown as plain text.
            return f"<p>{html.escape(tip)}</p>" if tip else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _("{label}: {value}").format(
                label=_(_HEADERS[column]), value=self._text(machine, column, this)
            )
        if role == Qt.ItemDataRole.FontRole and this:
            return self._bold
        if role == MachineRole:
            return machine
        if role == RemovableRole:
            return not this
        return None

    # --- cell text ------------------------------------------------------------------------

    def _text(self, machine: Machine, column: Column, this: bool) -> str:
        if column == Column.NAME:
            return machine.name or machine.hostname or _("Unnamed computer")
        if column == Column.PLATFORM:
            return platform_text(machine.platform)
        if column == Column.ACTIVATED:
            return date_text(machine.created_at)
        if column == Column.LAST_SEEN:  # activating is the first time the service saw it
            return relative_time(machine.last_heartbeat_at or machine.created_at, self._now)
        return _(THIS_COMPUTER) if this else status_text(machine.heartbeat_status)

    def _tooltip(self, machine: Machine, column: Column, this: bool) -> str | None:
        if column == Column.ACTIVATED and machine.created_at:
            return date_text(machine.created_at, long=True)
        if column == Column.LAST_SEEN and machine.last_heartbeat_at:
            return date_text(machine.last_heartbeat_at, long=True)
        if column == Column.STATUS and this:
            return _("The computer you are using now. Use “Move to another computer” to free it.")
        if column == Column.NAME and machine.hostname and machine.hostname != machine.name:
            return _("Computer name: {name}").format(name=machine.hostname)
        return None


def _is_this(machine: Machine, fingerprint: str | None, machine_id: str | None) -> bool:
    if machine.fingerprint and fingerprint:
        return machine.fingerprint == fingerprint
    return bool(machine_id) and machine.id == machine_id


def platform_text(platform: str | None) -> str:
    """The platform in plain words; container platforms are all "Container"."""
    if not platform:
        return _("Unknown")
    found = _PLATFORMS.get(platform.lower())
    return _(found) if found else platform.replace("_", " ").title()


def status_text(heartbeat_status: str | None) -> str:
    if not heartbeat_status:
        return _("Active")
    found = _STATUSES.get(heartbeat_status.upper())
    return _(found) if found else heartbeat_status.replace("_", " ").title()


def date_text(moment: datetime | None, *, long: bool = False, locale: QLocale | None = None) -> str:
    """``moment``'s local date in the user's locale: a compact month-name form in cells
    ("Mar 12, 2025", "12. März 2025"), the locale's full form for tooltips."""
    if moment is None:
        return _("unknown")
    local = moment.astimezone() if moment.tzinfo else moment
    day = QDate(local.year, local.month, local.day)
    locale = locale or QLocale()
    if long:
        return locale.toString(day, QLocale.FormatType.LongFormat)
    return locale.toString(day, _compact_pattern(locale))


def _compact_pattern(locale: QLocale) -> str:
    # The locale's long pattern without the weekday and with a short month: keeps the
    # locale's order and words but fits a table column.
    pattern = locale.dateFormat(QLocale.FormatType.LongFormat)
    pattern = re.sub(r"d{4}[,،]?\s*", "", pattern).strip(" ,")
    return re.sub(r"M{4}", "MMM", pattern) or "d MMM yyyy"


def relative_time(moment: datetime | None, now: datetime) -> str:
    """ "never", "just now", "5 minutes ago", "yesterday", "3 days ago", "2 months ago"..."""
    if moment is None:
        return _("never")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:  # also a slightly fast server clock: never "in 2 minutes"
        return _("just now")
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if minutes < 60:
        n = int(minutes)
        return ngettext("{n} minute ago", "{n} minutes ago", n).format(n=n)
    if hours < 24:
        n = int(hours)
        return ngettext("{n} hour ago", "{n} hours ago", n).format(n=n)
    if days < 2:
        return _("yesterday")
    if days < 31:
        n = int(days)
        return ngettext("{n} day ago", "{n} days ago", n).format(n=n)
    if days < 365:
        n = int(days // 30)
        return ngettext("{n} month ago", "{n} months ago", n).format(n=n)
    n = int(days // 365)
    return ngettext("{n} year ago", "{n} years ago", n).format(n=n)


@dataclass(frozen=True)
class DevicesSnapshot:
    """One listing plus what identifies this computer in it (both found off the UI thread)."""

    listing: DeviceList
    this_fingerprint: str | None
    this_machine_id: str | None


def fetch_devices(services: Services, key: str | None) -> DevicesSnapshot:
    """Runs in a worker: the relay's list, this computer's fingerprint and stored machine id.
    (``services`` may be built lazily on first use: that too happens here, not in the UI.)"""
    devices = services.devices
    listing = devices.list(key)
    try:
        this_fingerprint = devices.this_fingerprint
    except WizardError:  # without a fingerprint nothing is marked; the list is still useful
        this_fingerprint = None
    try:
        this_machine_id = devices.this_machine_id
    except WizardError:
        this_machine_id = None
    return DevicesSnapshot(listing, this_fingerprint, this_machine_id)


def deactivate_device(services: Services, machine_id: str, key: str | None) -> None:
    """Runs in a worker: frees the seat of ``machine_id`` through the relay."""
    services.devices.deactivate(machine_id, key)
