"""Benchmark (issue 4): start-up to the wizard's first paint, against a bare PySide6 QWizard.

    python tests/benchmarks/bench_startup.py [--runs 10] [--check] [--baseline DIR]

Both programs run with ``QT_QPA_PLATFORM=offscreen``; start-up is wall-clock time
(``time.time()``) from just before the process is spawned to the time the program prints on
its first painted frame. ``python -m app`` reports it through the
``ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT`` hook (app/ui/bench_hook.py); it gets a throwaway data
dir (so it opens on the key page) and an ``api_url`` on a closed loopback port (nothing is
sent before a key is entered). The bare program is written to a temp file: QApplication,
QWizard with one QWizardPage, show, the same Paint event filter. The two alternate, one
warm-up each. Target: ``python -m app`` within 1.3x of the bare QWizard (medians).
``--baseline DIR`` adds ``python -m app`` run from another source tree (e.g. ``git archive``
of the commit before a change) to the same alternation: before and after in the same run.
Not collected by pytest (not named test_*.py).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks._common import (  # noqa: E402
    ROOT,
    command_line,
    loadavg,
    markdown_table,
    median,
    pct,
)

BENCH_ENV = "ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT"
PAINT_MARK = "first-paint"
TARGET_RATIO = 1.3
TIMEOUT = 60.0

BARE_WIZARD = '''\
"""Bare PySide6 QWizard: the floor for a Qt wizard's start-up (written by bench_startup.py)."""
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage


def report_and_quit():
    print(f"first-paint {time.time():.6f}", flush=True)
    QApplication.quit()


class FirstPaintFilter(QObject):
    seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, report_and_quit)
        return False


app = QApplication(sys.argv[:1])
wizard = QWizard()
page = QWizardPage()
page.setTitle("Enter your license key")
QVBoxLayout(page).addWidget(QLabel("License key"))
wizard.addPage(page)
watcher = FirstPaintFilter(wizard)
wizard.installEventFilter(watcher)
wizard.show()
sys.exit(app.exec())
'''


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: Both programs run with cached bytecode, as an installed program does: without it (this
#: machine sets PYTHONDONTWRITEBYTECODE) every start recompiles the app's own modules, a
#: cost the bare script, having none, never pays. The warm-up run fills the cache.
PYCACHE = tempfile.mkdtemp(prefix="bench-pycache-")


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIVATION_WIZARD_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"QT_QPA_PLATFORM": "offscreen", BENCH_ENV: "1", "PYTHONPYCACHEPREFIX": PYCACHE})
    return env


def time_to_first_paint(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    """Seconds from just before spawning ``command`` to the wall-clock time it printed."""
    started = time.time()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for line in out.splitlines():
        if line.startswith(PAINT_MARK):
            return float(line.split()[1]) - started
    raise RuntimeError(f"{command} exited {proc.returncode} without '{PAINT_MARK}': {err[-800:]}")


def app_run(root: Path = ROOT) -> float:
    """``python -m app`` from the source tree ``root`` (``-m`` puts the working dir first)."""
    with tempfile.TemporaryDirectory() as data:
        env = base_env()
        env.update({"ACTIVATION_WIZARD_DATA_DIR": data,
                    "ACTIVATION_WIZARD_API_URL": f"http://127.0.0.1:{closed_port()}"})  # fmt: skip
        return time_to_first_paint([sys.executable, "-m", "app"], env, cwd=root)


def measure(runs: int, baseline: Path | None = None) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare_wizard.py"
        script.write_text(BARE_WIZARD)
        programs = {"app": app_run,
                    "bare": lambda: time_to_first_paint([sys.executable, str(script)],
                                                        base_env())}  # fmt: skip
        if baseline is not None:
            programs["baseline"] = lambda: app_run(baseline)
        times: dict[str, list[float]] = {name: [] for name in programs}
        for run in programs.values():  # warm-up: the disk cache, as a second start would be
            run()
        for i in range(runs):
            order = list(programs) if i % 2 == 0 else list(programs)[::-1]
            for name in order:
                times[name].append(programs[name]())
    return times


def report(times: dict[str, list[float]], runs: int) -> tuple[str, float]:
    ratio = median(times["app"]) / median(times["bare"])
    labels = {"app": "`python -m app` (key page)", "bare": "bare PySide6 QWizard",
              "baseline": "`python -m app` from --baseline"}  # fmt: skip
    rows = [(labels[name], *(f"{f(values) * 1e3:.0f}" for f in (median, min, _p90, max)))
            for name, values in times.items()]  # fmt: skip
    if "baseline" in times:
        change = median(times["app"]) / median(times["baseline"])
        rows.append(("ratio app / baseline (medians)", f"{change:.2f}x", "", "", ""))
    rows.append((f"ratio app / bare (target <= {TARGET_RATIO})", f"{ratio:.2f}x", "", "", ""))
    table = markdown_table(["program", "median ms", "min ms", "p90 ms", "max ms"], rows)
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    text = (f"`{command_line()}`  (runs={runs} each, alternating, offscreen, "
            f"load average {loadavg()})\n\n{table}\n\nstart-up target {verdict}: {ratio:.2f}x")  # fmt: skip
    return text, ratio


def _p90(values: list[float]) -> float:
    return pct(values, 0.9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--baseline", type=Path, help="another source tree to compare with")
    args = parser.parse_args(argv)
    try:
        times = measure(args.runs, args.baseline)
    except RuntimeError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    text, ratio = report(times, args.runs)
    print(text)
    return 1 if args.check and ratio > TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
