"""Benchmark: the longest UI-thread stall while the real wizard activates over a slow network.

    python tests/benchmarks/bench_ui_stall.py [--runs 3] [--server process|thread] [--check]

The real ``ActivationWizard`` (offscreen, in this process, wired like tests/ui) is driven
key -> device -> activating -> result: the key field is set, Next and Activate are clicked.
The stand-in delays ``POST /machines`` by 3 s (and, in the second scenario, both
validate-key calls too). A 5 ms precise QTimer on the UI thread records every tick; a stall is
the longest gap between ticks minus 5 ms, taken from the Activate click to the result page.
Every run gets a reset stand-in, a fresh data dir and a fresh in-memory keyring. By default the
stand-in runs in its own process, as a real server would (``--server thread`` embeds it, so its
request handling competes for this process's GIL). Target: longest stall under 50 ms.
Not collected by pytest (not named test_*.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402

from app.config import load_config  # noqa: E402
from app.ui.context import WizardContext  # noqa: E402
from app.ui.pages.ids import PageId  # noqa: E402
from app.ui.wiring import make_services  # noqa: E402
from app.ui.wizard import ActivationWizard  # noqa: E402
from tests.benchmarks._common import (  # noqa: E402
    ProcessStandin,
    command_line,
    fresh_keyring,
    loadavg,
    markdown_table,
    median,
)

TICK_MS = 5
TARGET_STALL_MS = 50
LATENCY_MS = 3000
WAIT_S = 60.0
SCENARIOS: dict[str, list[tuple[str, int | None]]] = {
    # route -> how many requests it delays
    "activate +3 s": [("activate", 1)],
    "validate-key x2 and activate, +3 s each": [("validate-key", 2), ("activate", 1)],
}


class TickRecorder(QObject):
    """A 5 ms precise timer on the UI thread; a long gap between ticks is a stalled UI."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def longest_gap(self, start: float, end: float) -> tuple[float, float]:
        """(seconds, when it began) of the longest gap between ticks overlapping the span."""
        gaps = [(b - a, a) for a, b in zip(self.ticks, self.ticks[1:], strict=False)
                if b > start and a < end]  # fmt: skip
        return max(gaps, default=(0.0, start))


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT_S) -> None:
    """Run the event loop (no sleeps, so no artificial stall) until ``predicate`` holds."""
    if predicate():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(lambda: predicate() and loop.quit())
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    if not predicate():
        raise TimeoutError("the wizard did not get there in time")


def click(wizard: ActivationWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    wait_until(lambda: button.isEnabled() and button.isVisible())
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


@dataclass
class RunResult:
    stall_ms: float  # during activation: Activate click -> result page
    stall_at_ms: float  # when that stall began, after the Activate click
    flow_stall_ms: float  # anywhere from the wizard's show to the result page
    activation_s: float
    ticks: int


def one_run(server: Any, faults: list[tuple[str, int | None]]) -> RunResult:
    server.reset()
    with tempfile.TemporaryDirectory() as data, fresh_keyring():
        os.environ["ACTIVATION_WIZARD_DATA_DIR"] = data
        config = load_config(
            overrides={"api_url": server.url, "app_id": "com.example.bench-ui",
                       "timeout_seconds": 10.0},
            environ={},
        )  # fmt: skip
        context = WizardContext(config=config, services=make_services(config, directory=Path(data)),
                                demo_keys={})  # fmt: skip
        wizard = ActivationWizard(context)
        recorder = TickRecorder()
        try:
            return _drive(wizard, recorder, server, faults)
        finally:
            recorder.stop()
            wizard.result_page.stop_countdown()
            wizard.hide()
            QThreadPool.globalInstance().waitForDone(10000)
            context.services.close()
            wizard.deleteLater()
            QApplication.processEvents()


def _drive(wizard: ActivationWizard, recorder: TickRecorder, server: Any,
           faults: list[tuple[str, int | None]]) -> RunResult:  # fmt: skip
    # Faults go in first: the key and device pages send nothing, and a control request sent
    # from here would itself block the UI thread the recorder watches.
    for route, count in faults:
        server.add_fault(route, "latency", count=count, ms=LATENCY_MS)
    shown = time.perf_counter()
    recorder.start()
    wizard.show()
    wait_until(lambda: wizard.currentId() == PageId.KEY)
    wizard.key_page.key_edit.setText(server.fixtures["valid"])
    click(wizard, QWizard.WizardButton.NextButton)
    wait_until(lambda: wizard.currentId() == PageId.DEVICE and wizard.device_page.isComplete())
    started = time.perf_counter()
    click(wizard, QWizard.WizardButton.CommitButton)
    wait_until(lambda: wizard.currentId() == PageId.RESULT)
    ended = time.perf_counter()
    wait_until(lambda: time.perf_counter() - ended >= 0.1)  # the result page gets painted
    page = wizard.result_page
    if page.showing_problem:
        raise RuntimeError(f"activation failed: {page.headline.text()}")
    gap, at = recorder.longest_gap(started, ended)
    return RunResult(
        stall_ms=max(0.0, gap * 1e3 - TICK_MS),
        stall_at_ms=(at - started) * 1e3,
        flow_stall_ms=max(0.0, recorder.longest_gap(shown, ended)[0] * 1e3 - TICK_MS),
        activation_s=ended - started,
        ticks=len([t for t in recorder.ticks if started <= t <= ended]),
    )


def measure(server: Any, runs: int) -> dict[str, list[RunResult]]:
    one_run(server, [])  # warm-up: first page builds, imports, the first connection
    results: dict[str, list[RunResult]] = {}
    for name, faults in SCENARIOS.items():
        results[name] = [one_run(server, faults) for _ in range(runs)]
    return results


def report(results: dict[str, list[RunResult]], runs: int, server_kind: str) -> tuple[str, float]:
    rows = []
    worst = 0.0
    for name, rs in results.items():
        stalls = [r.stall_ms for r in rs]
        worst = max(worst, *stalls)
        at = max(rs, key=lambda r: r.stall_ms).stall_at_ms
        rows.append((name, f"{max(stalls):.1f}", f"{median(stalls):.1f}", f"{at:+.0f}",
                     f"{max(r.flow_stall_ms for r in rs):.1f}",
                     f"{median([r.activation_s for r in rs]):.2f}",
                     f"{median([r.ticks for r in rs]):.0f}"))  # fmt: skip
    header = ["latency injected", "longest stall ms (max)", "median of runs ms",
              "it began at ms after Activate",
              "whole flow, max ms", "activation s (median)", "ticks seen (median)"]  # fmt: skip
    verdict = "met" if worst < TARGET_STALL_MS else "MISSED"
    text = (f"`{command_line()}`  (runs={runs} per scenario, stand-in in a {server_kind}, "
            f"offscreen, {TICK_MS} ms tick, load average {loadavg()})\n\n"
            f"{markdown_table(header, rows)}\n\n"
            f"UI stall target (< {TARGET_STALL_MS} ms during activation) {verdict}: "
            f"worst {worst:.1f} ms")  # fmt: skip
    return text, worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", choices=("process", "thread"), default="process")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "standin.sqlite3")
        if args.server == "process":
            server: Any = ProcessStandin(db)
        else:
            from app.standin import StandinServer

            server = StandinServer(db)
        with server:
            results = measure(server, args.runs)
    text, worst = report(results, args.runs, args.server)
    print(text)
    del app
    return 1 if args.check and worst >= TARGET_STALL_MS else 0


if __name__ == "__main__":
    sys.exit(main())
