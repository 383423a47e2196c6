"""Size and start-up of the frozen builds, against ``python -m app`` in the same run.

    python tests/benchmarks/bench_frozen.py [--dist build/dist] [--runs 5] [--check] [--json]

Start-up = time from spawning the program to the wizard's first paint. The program reports
that moment when ``ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT=1``: it prints a line starting with
``first-paint`` and quits (the hook lives in app/ui/application.py). Runs use
``QT_QPA_PLATFORM=offscreen``, a fresh data dir (so the wizard opens on its key page) and
no network. Targets (Linux): one-folder <= 160 MB and within 1.2x of ``python -m app``;
one-file <= 65 MB and <= 1.5 s. ``--check`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_ENV = "ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT"
PAINT_MARK = "first-paint"
EXE = "activation-wizard" + (".exe" if sys.platform == "win32" else "")
MB = 1_000_000
TARGETS = {"onedir_mb": 160, "onefile_mb": 65, "onedir_ratio": 1.2, "onefile_s": 1.5}
TIMEOUT = 30.0


def size_bytes(path: Path) -> int:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files if not p.is_symlink())


def time_to_first_paint(command: list[str], cwd: Path | None = None) -> float:
    """Seconds from spawn to the ``first-paint`` line; raises RuntimeError without one."""
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIVATION_WIZARD_")}
        env.update({BENCH_ENV: "1", "QT_QPA_PLATFORM": "offscreen",
                    "ACTIVATION_WIZARD_DATA_DIR": data,
                    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})  # fmt: skip
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            for line in proc.stdout:  # type: ignore[union-attr]
                if line.startswith(PAINT_MARK):
                    elapsed = time.perf_counter() - started
                    proc.wait(timeout=TIMEOUT)
                    return elapsed
            proc.wait(timeout=TIMEOUT)
            raise RuntimeError(f"{command[0]} exited {proc.returncode} without '{PAINT_MARK}': "
                               f"{proc.stderr.read()[-500:]}")  # type: ignore[union-attr]  # fmt: skip
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def measure(command: list[str], runs: int, cwd: Path | None = None) -> dict[str, float]:
    time_to_first_paint(command, cwd)  # warm the disk cache once, as a second start would be
    times = [time_to_first_paint(command, cwd) for _ in range(runs)]
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def run(dist: Path, runs: int) -> dict:
    onedir, onefile = dist / "activation-wizard", dist / "onefile" / EXE
    results: dict = {"platform": sys.platform, "runs": runs, "targets": TARGETS}
    results["python"] = measure([sys.executable, "-m", "app"], runs, cwd=ROOT)
    if (onedir / EXE).is_file():
        results["onedir"] = {"mb": size_bytes(onedir) / MB, **measure([str(onedir / EXE)], runs)}
    if onefile.is_file():
        results["onefile"] = {"mb": size_bytes(onefile) / MB, **measure([str(onefile)], runs)}
    results["missed"] = missed_targets(results)
    return results


def missed_targets(results: dict) -> list[str]:
    missed = []
    base = results["python"]["median_s"]
    if "onedir" not in results or "onefile" not in results:
        missed.append("a build is missing (run installer/build.py --both first)")
    if "onedir" in results:
        onedir = results["onedir"]
        onedir["ratio"] = onedir["median_s"] / base
        if onedir["mb"] > TARGETS["onedir_mb"]:
            missed.append(f"one-folder is {onedir['mb']:.1f} MB > {TARGETS['onedir_mb']} MB")
        if onedir["ratio"] > TARGETS["onedir_ratio"]:
            missed.append(f"one-folder starts {onedir['ratio']:.2f}x python -m app")
    if "onefile" in results:
        onefile = results["onefile"]
        if onefile["mb"] > TARGETS["onefile_mb"]:
            missed.append(f"one-file is {onefile['mb']:.1f} MB > {TARGETS['onefile_mb']} MB")
        if onefile["median_s"] > TARGETS["onefile_s"]:
            missed.append(f"one-file starts in {onefile['median_s']:.2f} s")
    return missed


def report(results: dict) -> str:
    lines = [f"{'program':<16}{'size MB':>9}{'median s':>10}{'min s':>8}{'max s':>8}"]
    for name in ("python", "onedir", "onefile"):
        if name in results:
            r = results[name]
            size = f"{r['mb']:.1f}" if "mb" in r else "-"
            lines.append(f"{name:<16}{size:>9}{r['median_s']:>10.3f}{r['min_s']:>8.3f}"
                         f"{r['max_s']:>8.3f}")  # fmt: skip
    lines += [f"MISSED: {m}" for m in results["missed"]] or ["all targets met"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "build" / "dist")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        results = run(args.dist, args.runs)
    except RuntimeError as exc:
        print(f"benchmark failed: {exc}\n(is the {BENCH_ENV} hook in app/ui/application.py?)",
              file=sys.stderr)  # fmt: skip
        return 2
    print(json.dumps(results, indent=2) if args.json else report(results))
    return 1 if args.check and results["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
