"""Screenshots of every wizard page and state, against an embedded stand-in (not a test).

    python tests/screenshots/make_screenshots.py                 # 1x light -> /tmp/wizard-shots
    python tests/screenshots/make_screenshots.py --dark          # dark palette
    python tests/screenshots/make_screenshots.py --scale 2       # 200 % (QT_SCALE_FACTOR)
    python tests/screenshots/make_screenshots.py --all           # 1x, 2x and dark, each in a
                                                                 # subprocess and subfolder
    python tests/screenshots/make_screenshots.py --lang ar       # in one language (en_XA: the
                                                                 # pseudo-locale)
    python tests/screenshots/make_screenshots.py --languages     # every shipped language and
                                                                 # the pseudo-locale, <out>/<lang>/

Everything runs offscreen with a private data dir and an in-memory keyring; nothing touches
the real user's state. Output stays out of git (default /tmp/wizard-shots).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = Path(tempfile.gettempdir()) / "wizard-shots"


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.all:
        return _run_all(args.out)
    if args.languages:
        return _run_languages(__file__, args.out)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="wizard-shots-") as tmp:
        os.environ["ACTIVATION_WIZARD_DATA_DIR"] = str(Path(tmp) / "data")
        return ShotRunner(Path(args.out), Path(tmp), dark=args.dark, language=args.lang).run()


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--scale", type=float, default=1, help="QT_SCALE_FACTOR, e.g. 2")
    parser.add_argument("--all", action="store_true", help="1x, 2x and dark in subfolders")
    add_language_options(parser)
    return parser.parse_args(argv)


def add_language_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", default=None, help="speak this language (en_XA: pseudo)")
    parser.add_argument(
        "--languages", action="store_true", help="every shipped language and en_XA, in subfolders"
    )


def _run_languages(script: str, out: str) -> int:
    from app.i18n import PSEUDO, SHIPPED

    worst = 0
    for language in (*SHIPPED, PSEUDO):
        cmd = [sys.executable, script, "--out", str(Path(out) / language), "--lang", language]
        worst = max(worst, subprocess.call(cmd, cwd=ROOT))
    return worst


def _run_all(out: str) -> int:
    variants = {"1x": [], "2x": ["--scale", "2"], "dark": ["--dark"]}
    worst = 0
    for name, extra in variants.items():
        target = str(Path(out) / name)
        cmd = [sys.executable, __file__, "--out", target, *extra]
        worst = max(worst, subprocess.call(cmd, cwd=ROOT))
    return worst


class ShotRunner:
    """Drives wizards through every page and state and saves a PNG of each."""

    subject = "the wizard"  # named when a wait times out
    wait_timeout = 20.0

    def __init__(self, out: Path, tmp: Path, *, dark: bool, language: str | None = None) -> None:
        self.out = out
        self.tmp = tmp
        self.dark = dark
        self.language = language
        self.saved: list[Path] = []

    def run(self) -> int:
        import keyring

        from tests.support.memory_keyring import MemoryKeyring

        keyring.set_keyring(MemoryKeyring())
        self.out.mkdir(parents=True, exist_ok=True)
        self.app = self._application()
        from app.standin.server import StandinServer

        self.standin = StandinServer(db_path=str(self.tmp / "standin.sqlite3"), seed=True)
        self.standin.start()
        try:
            self._key_page()
            self._device_and_activation()
            self._problems()
            self._status()
            self._error_dialog()
        finally:
            from app.ui.workers import wait_for_workers

            wait_for_workers()
            self.standin.close()
        print(f"{len(self.saved)} screenshots in {self.out}")
        return 0

    # --- set-up -------------------------------------------------------------------------

    def _application(self):  # noqa: ANN202
        from PySide6.QtWidgets import QApplication

        from app.ui.theme import apply_theme

        app = QApplication.instance() or QApplication([sys.argv[0]])
        app.setStyle("Fusion")
        if self.dark:
            app.setPalette(dark_palette())
        if self.language:
            from app.ui.translations import apply_language

            apply_language(app, self.language)
        apply_theme(app, self._config())
        return app

    def _config(self, **changes):  # noqa: ANN202
        from app.config import load_config

        values = {
            "api_url": getattr(self, "standin", None) and self.standin.url or "http://127.0.0.1:9",
            "product_name": "Studio Pro",
            "vendor_name": "Example Software",
            "app_id": "com.example.studio",
            "support_email": "support@example.com",
            "renew_url": "https://example.com/renew",
            "required_entitlements": ("pro",),
            "timeout_seconds": 5.0,
            **changes,
        }
        return load_config(overrides=values, environ={})

    def wizard(self, *, demo: bool = False, fresh: bool = True):  # noqa: ANN202
        """A shown wizard; ``fresh`` gives it an empty data dir (not activated)."""
        from app.ui.context import WizardContext
        from app.ui.demo_keys import demo_key_list
        from app.ui.wiring import make_services
        from app.ui.wizard import ActivationWizard

        if fresh:
            self.runs = getattr(self, "runs", 0) + 1
            os.environ["ACTIVATION_WIZARD_DATA_DIR"] = str(self.tmp / f"data-{self.runs}")
        config = self._config()
        keys = demo_key_list(self.standin.fixtures) if demo else {}
        context = WizardContext(config=config, services=make_services(config), demo_keys=keys)
        wizard = ActivationWizard(context)
        wizard.show()
        return wizard

    def close(self, wizard) -> None:  # noqa: ANN001
        from app.ui.workers import wait_for_workers

        wizard.result_page.stop_countdown()
        wizard.hide()
        wait_for_workers()
        wizard.context.services.close()
        wizard.deleteLater()
        self.settle()

    # --- helpers ------------------------------------------------------------------------

    def wait(self, predicate: Callable[[], bool], timeout: float | None = None) -> None:
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + (timeout or self.wait_timeout)
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.subject} did not reach the expected state")
            QCoreApplication.processEvents()
            time.sleep(0.01)

    def settle(self) -> None:
        self.wait(lambda: True)
        from PySide6.QtCore import QCoreApplication

        for _ in range(5):
            QCoreApplication.processEvents()

    def shot(self, widget, name: str) -> None:  # noqa: ANN001
        self.settle()
        path = self.out / f"{len(self.saved) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        self.saved.append(path)
        print("saved", path)

    def on_page(self, wizard, page_id) -> None:  # noqa: ANN001
        self.wait(lambda: wizard.currentId() == page_id)

    def to_device_page(self, wizard, key: str) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QWizard

        from app.ui.pages.ids import PageId

        self.on_page(wizard, PageId.KEY)
        wizard.key_page.key_edit.setText(key)
        wizard.button(QWizard.WizardButton.NextButton).click()
        self.on_page(wizard, PageId.DEVICE)
        self.wait(wizard.device_page.isComplete)

    def activate(self, wizard, key: str) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QWizard

        from app.ui.pages.ids import PageId

        self.to_device_page(wizard, key)
        wizard.button(QWizard.WizardButton.CommitButton).click()
        self.on_page(wizard, PageId.RESULT)

    # --- the pages ----------------------------------------------------------------------

    def _key_page(self) -> None:
        from app.ui.pages.ids import PageId

        wizard = self.wizard()
        self.on_page(wizard, PageId.KEY)
        self.shot(wizard, "key-empty")
        wizard.key_page.key_edit.setText("DEMO-12AB")
        self.shot(wizard, "key-invalid")
        wizard.key_page.key_edit.setText("  " + self.standin.fixtures["valid"].lower())
        self.shot(wizard, "key-valid")
        self.close(wizard)
        wizard = self.wizard(demo=True)
        self.on_page(wizard, PageId.KEY)
        wizard.key_page.demo_list.setCurrentRow(6)
        self.shot(wizard, "key-demo-list")
        self.close(wizard)

    def _device_and_activation(self) -> None:
        from app.services.steps import Step
        from app.ui.pages.ids import PageId

        wizard = self.wizard()
        self.to_device_page(wizard, self.standin.fixtures["valid"])
        self.shot(wizard, "device")
        real = wizard.context.identity
        wizard.context.identity = dataclasses.replace(real, virtualization="vm")
        wizard.device_page.initializePage()
        self.shot(wizard, "device-vm-warning")
        wizard.context.identity = real
        wizard.device_page.initializePage()
        self.standin.add_fault("activate", "latency", count=1, ms=1500)
        from PySide6.QtWidgets import QWizard

        wizard.button(QWizard.WizardButton.CommitButton).click()
        self.on_page(wizard, PageId.ACTIVATING)
        page = wizard.activating_page
        self.wait(lambda: page._marks[Step.ACTIVATE].text() == "➜")  # in progress
        self.shot(wizard, "activating")
        self.on_page(wizard, PageId.RESULT)
        self.wait(lambda: wizard.context.outcome is not None)
        self.shot(wizard, "success")
        self.close(wizard)

    def _problems(self) -> None:
        fixtures = self.standin.fixtures
        unknown = fixtures["valid"][:-4] + "ZZZZ"
        cases: list[tuple[str, str, tuple | None]] = [
            ("seat-limit", fixtures["seat-limit"], None),
            ("expired", fixtures["expired"], None),
            ("suspended", fixtures["suspended"], None),
            ("missing-feature", fixtures["entitlements"], None),
            ("key-not-found", unknown, None),
            ("offline", fixtures["valid-2"], ("validate-key", "drop", {"count": 4})),
            (
                "server-error",
                fixtures["valid-2"],
                ("validate-key", "status", {"count": 4, "status": 503}),
            ),
            (
                "rate-limit-countdown",
                fixtures["valid-2"],
                ("validate-key", "rate_limit", {"count": 1, "retryAfter": 12}),
            ),
        ]
        for name, key, fault in cases:
            self.standin.reset()
            if fault:
                route, kind, params = fault
                self.standin.add_fault(route, kind, **params)
            wizard = self.wizard()
            self.activate(wizard, key)
            self.wait(lambda w=wizard: w.result_page.showing_problem)
            self.shot(wizard, f"problem-{name}")
            self.close(wizard)
        self.standin.reset()

    def _status(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app.ui.pages.ids import PageId

        first = self.wizard()
        self.activate(first, self.standin.fixtures["valid"])
        self.close(first)
        wizard = self.wizard(fresh=False)
        self.on_page(wizard, PageId.STATUS)
        self.wait(lambda: wizard.status_page._report is not None)
        self.shot(wizard, "status-fresh")
        self.close(wizard)

        self.standin.add_fault("validate-key", "drop", count=None)
        wizard = self.wizard(fresh=False)
        self.wait(lambda: wizard.status_page._report is not None)
        self.shot(wizard, "status-stale")
        self.standin.clear_faults()
        box = wizard.status_page.move_confirmation()
        box.show()
        self.shot(box, "move-confirmation")
        box.done(QMessageBox.StandardButton.Cancel)
        self.close(wizard)

        wizard = self.wizard(fresh=False)
        self.wait(lambda: wizard.status_page._report is not None)
        page = wizard.status_page
        from app.i18n import _

        page._set_busy(_("Deactivating this computer…"))
        services = wizard.context.services
        page._run(lambda: services.transfer.deactivate_this(), page._on_deactivated, "deactivate")
        self.wait(lambda: page.activate_again_button.isVisible())
        self.shot(wizard, "status-deactivated")
        self.close(wizard)

    def _error_dialog(self) -> None:
        from app.ui.error_dialog import ErrorReportDialog
        from app.ui.support_report import crash_report

        try:
            raise RuntimeError("example failure for the screenshot")
        except RuntimeError:
            import traceback

            text = traceback.format_exc()
        dialog = ErrorReportDialog(
            crash_report(self._config(), text), product="Studio Pro", vendor="Example Software"
        )
        dialog.show()
        self.shot(dialog, "unexpected-error-dialog")
        dialog.show_details(True)  # the traceback only behind the "Details" toggle
        self.shot(dialog, "unexpected-error-details")
        dialog.close()


def dark_palette():  # noqa: ANN201
    """A plain dark palette, as a dark desktop theme would give Fusion."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: "#2B2B2B",
        role.WindowText: "#E6E6E6",
        role.Base: "#1E1E1E",
        role.AlternateBase: "#323232",
        role.ToolTipBase: "#3C3C3C",
        role.ToolTipText: "#E6E6E6",
        role.PlaceholderText: "#9A9A9A",
        role.Text: "#E6E6E6",
        role.Button: "#3A3A3A",
        role.ButtonText: "#E6E6E6",
        role.BrightText: "#FFFFFF",
        role.Light: "#4A4A4A",
        role.Midlight: "#404040",
        role.Mid: "#5A5A5A",
        role.Dark: "#202020",
        role.Shadow: "#000000",
        role.Highlight: "#3D6FB6",
        role.HighlightedText: "#FFFFFF",
        role.Link: "#8AB4F8",
        role.LinkVisited: "#C58AF9",
    }
    for r, c in colours.items():
        palette.setColor(r, QColor(c))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, r, QColor("#7A7A7A"))
    return palette


if __name__ == "__main__":
    sys.exit(main())
