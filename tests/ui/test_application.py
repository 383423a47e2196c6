"""run_gui: demo servers start and stop with the window; unexpected errors end in a dialog."""

from __future__ import annotations

import logging
import socket
import threading
from urllib.parse import urlparse

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.ui.application import ReportingExceptHook, run_gui
from app.ui.context import WizardContext
from app.ui.error_dialog import ErrorReportDialog
from app.ui.pages.ids import PageId
from app.ui.wizard import ActivationWizard


def _port_free(url: str) -> bool:
    parsed = urlparse(url)
    with socket.socket() as probe:
        return probe.connect_ex((parsed.hostname, parsed.port)) != 0


def test_demo_starts_servers_lists_keys_and_stops_them_on_close(qtbot, make_config, data_dir):
    seen: dict = {}
    threads_before = {t.name for t in threading.enumerate()}

    def look_and_close() -> None:
        wizard = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ActivationWizard))
        if wizard.currentId() != PageId.KEY:
            QTimer.singleShot(20, look_and_close)
            return
        config = wizard.context.config
        seen.update(
            demo=config.demo,
            product=config.product_name,
            api_url=config.api_url,
            relay_url=config.relay_url,
            required=config.required_entitlements,
            keys=list(wizard.context.demo_keys),
            listed=wizard.key_page.demo_list is not None,
        )
        wizard.close()

    QTimer.singleShot(0, look_and_close)
    assert run_gui(make_config(product_name="Your Product"), demo=True) == 0

    assert seen["demo"] is True and seen["listed"] is True
    assert seen["product"] == "Studio Pro"  # the demo licenses' product, not the placeholder
    assert seen["relay_url"], "the relay should run in the demo"
    assert seen["required"] == ("pro",)
    assert "Valid license" in seen["keys"] and "Seat limit reached" in seen["keys"]
    assert seen["api_url"].startswith("http://127.0.0.1:")
    assert _port_free(seen["api_url"])
    assert _port_free(seen["relay_url"])
    # The demo database lives in the demo's own folder of the user data dir, so demo
    # activations survive a restart without ever counting for the product.
    from pathlib import Path

    assert (Path(data_dir) / "demo" / "demo-standin.sqlite3").is_file()
    assert not (Path(data_dir) / "demo-standin.sqlite3").exists()
    leftover = {t.name for t in threading.enumerate()} - threads_before
    assert not {n for n in leftover if n.startswith(("standin", "relay"))}


def test_unexpected_error_shows_a_redacted_report_and_logs_it(qtbot, make_config, caplog):
    config = make_config()
    key = "DEMO-ABCD-EFGH-IJKL-MNOP"
    context = WizardContext(config=config, services=None, key=key)
    hook = ReportingExceptHook(context)
    try:
        raise RuntimeError(f"boom while handling {key}")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR, logger="app.ui.application"):
            hook(type(exc), exc, exc.__traceback__)

    dialog = hook.last_dialog
    assert isinstance(dialog, ErrorReportDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible)
    report = dialog.report.toPlainText()
    assert "RuntimeError" in report and "Studio Pro" in report
    assert key not in report and "DEMO-…-MNOP" in report
    assert key not in caplog.text and "boom while handling" in caplog.text
    assert hook.reported == 1
    dialog.close()
