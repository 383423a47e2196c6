"""``--demo`` keeps its activation apart from the product's: its own data folder (``demo``)
and its own keychain entry, so a demo activation never counts for the real product."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.services import build_services
from app.ui.application import run_gui
from app.ui.wizard import ActivationWizard
from tests.services.support import local_files, stored_key


def test_a_demo_activation_does_not_count_for_the_product(qtbot, make_config, data_dir):
    config = make_config(product_name="Your Product")
    seen: dict = {}

    def activate_and_close() -> None:
        # The demo's own window: earlier tests may leave hidden wizards among the top levels.
        wizards = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ActivationWizard) and w.isVisible() and w.context.demo_keys
        ]
        if not wizards:
            QTimer.singleShot(20, activate_and_close)
            return
        wizard = wizards[0]
        key = wizard.context.demo_keys["Valid license"]
        try:
            # What the wizard's pages do with the demo's services, run here to the end.
            outcome = wizard.context.services.activation.activate(key, "Demo box")
            seen.update(key=key, machine=outcome.record.machine_id)
        except Exception as error:  # reported below; the window must close either way
            seen["error"] = repr(error)
        finally:
            wizard.close()

    def give_up() -> None:
        # Qt's event loop keeps pytest-timeout's signal out: end the loop so the test fails.
        seen.setdefault("error", "the demo wizard did not open and close in time")
        for widget in QApplication.topLevelWidgets():
            widget.close()
        QApplication.exit(1)

    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(give_up)
    watchdog.start(60_000)
    QTimer.singleShot(0, activate_and_close)
    try:
        code = run_gui(config, demo=True)
    finally:
        watchdog.stop()
    assert "error" not in seen, seen["error"]
    assert code == 0
    assert seen.get("machine"), "the demo activation should have succeeded"

    assert {"activation.json", "demo-standin.sqlite3"} <= local_files(Path(data_dir) / "demo")
    assert stored_key(config.app_id + ".demo") == seen["key"]
    # The product itself (same app id, same user data dir) is not activated.
    assert stored_key(config.app_id) is None
    assert local_files(data_dir) == {"demo"}  # nothing of the demo's in the product's folder
    with build_services(config) as services:
        assert services.status.stored() is None
