"""The seam between the windows and the services: the services are built, and every HTTP,
keychain and disk call made, in workers; the window itself loads none of that stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.ui.pages.ids import PageId
from tests.ui.helpers import activate, wait_page

ROOT = Path(__file__).resolve().parents[2]
#: Code that talks to the network, the keychain or the disk, or builds the services.
_OFF_THE_UI_THREAD = ("app/api/", "app/platform/", "app/services/factory.py")


def test_a_whole_activation_reaches_the_services_stack_only_from_workers(
    qtbot, make_wizard, standin
):
    seen: list[str] = []

    def profile(frame, event, _arg):  # sys.setprofile: this (the UI) thread only
        if event == "call":
            path = frame.f_code.co_filename.replace("\\", "/")
            if any(part in path for part in _OFF_THE_UI_THREAD):
                seen.append(f"{path}:{frame.f_code.co_name}")

    sys.setprofile(profile)
    try:
        wizard = make_wizard()
        wait_page(qtbot, wizard, PageId.KEY)  # the status page's lookup built the services
        activate(qtbot, wizard, standin.fixtures["valid"], name="Seam laptop")
    finally:
        sys.setprofile(None)

    assert not wizard.result_page.showing_problem
    assert "is activated" in wizard.result_page.headline.text()
    assert seen == []


def test_building_the_wizard_loads_neither_the_services_nor_their_stack(tmp_path):
    script = """
import json, sys
from PySide6.QtWidgets import QApplication
from app.config import load_config
from app.ui.context import WizardContext
from app.ui.wiring import make_services
from app.ui.wizard import ActivationWizard

app = QApplication(sys.argv[:1])
config = load_config(overrides={"api_url": "http://127.0.0.1:9"}, environ={})
wizard = ActivationWizard(WizardContext(config=config, services=make_services(config)))
heavy = ("httpx", "keyring", "cryptography", "app.services", "app.api", "app.platform")
print(json.dumps(sorted(name for name in heavy if name in sys.modules)))
"""
    env = {"QT_QPA_PLATFORM": "offscreen", "ACTIVATION_WIZARD_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_base_env(), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("ACTIVATION_WIZARD_")}
