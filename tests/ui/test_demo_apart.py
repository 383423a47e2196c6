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
        wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, ActivationWizard)]
        if not wizards or not wizards[0].context.demo_keys:
            QTimer.singleShot(20, activate_and_close)
            return
        wizard = wizards[0]
        key = wizard.context.demo_keys["Valid license"]
        # What the wizard's pages do with the demo's services, run here to the end.
        outcome = wizard.context.services.activation.activate(key, "Demo box")
        seen.update(key=key, machine=outcome.record.machine_id)
        wizard.close()

    QTimer.singleShot(0, activate_and_close)
    assert run_gui(config, demo=True) == 0
    assert seen.get("machine"), "the demo activation should have succeeded"

    assert {"activation.json", "demo-standin.sqlite3"} <= local_files(Path(data_dir) / "demo")
    assert stored_key(config.app_id + ".demo") == seen["key"]
    # The product itself (same app id, same user data dir) is not activated.
    assert stored_key(config.app_id) is None
    assert local_files(data_dir) == {"demo"}  # nothing of the demo's in the product's folder
    with build_services(config) as services:
        assert services.status.stored() is None
