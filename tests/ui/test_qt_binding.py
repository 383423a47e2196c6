"""The Qt binding itself: PySide6 6.12.0 dropped a reference to None/True/False on every
signal emit and crashed long sessions; pyproject excludes it, and this guards upgrades."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(object)


def test_signals_and_event_processing_keep_singleton_reference_counts(qapp) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.value.connect(received.append)
    before = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True))}
    for i in range(2000):
        emitter.value.emit(i)
        qapp.processEvents()
    after = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True))}
    assert len(received) == 2000
    # Other threads may hold a few references at any moment; a leak loses thousands.
    for name in before:
        assert abs(after[name] - before[name]) < 200, (name, before[name], after[name])
