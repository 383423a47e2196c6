"""``check --gui`` opens the wizard whenever this computer is not licensed, including when it
was never activated; the exit code is the state after the window closes."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.cli import main
from app.services import build_services
from app.ui.wizard import ActivationWizard
from tests.cli.support import write_config


def _close_wizard_after(seen: dict, action=None) -> None:
    """Find the wizard the command opened, run ``action`` (if any), then close it."""
    wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, ActivationWizard)]
    shown = [w for w in wizards if w.isVisible()]
    if not shown:
        QTimer.singleShot(20, lambda: _close_wizard_after(seen, action))
        return
    seen["opened"] = True
    if action is not None:
        action(shown[0])
    shown[0].close()


def _check_gui(capsys, config_path) -> tuple[int, dict]:
    capsys.readouterr()
    rc = main(["--config", str(config_path), "check", "--gui", "--json"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    return rc, json.loads(lines[0])


def test_not_activated_opens_the_wizard_and_reports_after_it_closes(
    qtbot, standin, tmp_path, capsys
):
    seen: dict = {}
    QTimer.singleShot(0, lambda: _close_wizard_after(seen))
    rc, payload = _check_gui(capsys, write_config(tmp_path, standin.url))

    assert seen.get("opened") is True, "check --gui should open the wizard when not activated"
    assert rc == 8 and payload["code"] == "NOT_ACTIVATED" and payload["exitCode"] == 8


def test_activated_while_the_wizard_is_open_exits_licensed(
    qtbot, standin, fixtures, tmp_path, capsys
):
    config_path = write_config(tmp_path, standin.url)
    seen: dict = {}

    def activate_meanwhile(wizard: ActivationWizard) -> None:
        # What the wizard's own pages do, done through the same services and data folder.
        with build_services(wizard.context.config) as services:
            services.activation.activate(fixtures["valid"], "Box")

    QTimer.singleShot(0, lambda: _close_wizard_after(seen, activate_meanwhile))
    rc, payload = _check_gui(capsys, config_path)

    assert seen.get("opened") is True
    assert rc == 0 and payload["ok"] is True and payload["licensed"] is True
