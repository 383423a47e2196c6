"""The start-up benchmark hook: report the wizard's first paint and quit (env-switched, off by
default). Used by tests/benchmarks/bench_startup.py and bench_frozen.py."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

BENCH_ENV = "ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT"
PAINT_MARK = "first-paint"


class FirstPaintFilter(QObject):
    """On the watched widget's first Paint event: print ``first-paint <time.time()>``, quit."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            # A 0 ms timer runs once this paint pass (children included) has been painted
            # and flushed, so the time reported is that of a painted window.
            QTimer.singleShot(0, _report_and_quit)
        return False


def install_first_paint_hook(widget: QWidget) -> FirstPaintFilter | None:
    """Watch ``widget`` when ``ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT=1``; otherwise nothing."""
    if os.environ.get(BENCH_ENV) != "1":
        return None
    watcher = FirstPaintFilter(widget)
    widget.installEventFilter(watcher)
    return watcher


def _report_and_quit() -> None:
    # Wall-clock time, so the benchmark (another process) can compare it with its own.
    print(f"{PAINT_MARK} {time.time():.6f}", flush=True)
    QCoreApplication.quit()
