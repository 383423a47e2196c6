"""Screenshots of the devices dialog (populated, confirmation, empty, error, no relay), not a test.

    python tests/screenshots/make_dialog_screenshots.py            # 1x light -> /tmp/wizard-shots/dialog
    python tests/screenshots/make_dialog_screenshots.py --dark     # dark palette
    python tests/screenshots/make_dialog_screenshots.py --all      # both, in 1x/ and dark/

Runs offscreen against an embedded stand-in and relay, with a private data dir and an
in-memory keyring; nothing touches the real user's state.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.screenshots.make_screenshots import (  # noqa: E402
    ShotRunner,
    _run_languages,
    add_language_options,
)

DEFAULT_OUT = Path(tempfile.gettempdir()) / "wizard-shots" / "dialog"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--all", action="store_true", help="1x light and dark in subfolders")
    add_language_options(parser)
    args = parser.parse_args(argv)
    if args.languages:
        return _run_languages(__file__, args.out)
    if args.all:
        worst = 0
        for name, extra in {"1x": [], "dark": ["--dark"]}.items():
            cmd = [sys.executable, __file__, "--out", str(Path(args.out) / name), *extra]
            worst = max(worst, subprocess.call(cmd, cwd=ROOT))
        return worst
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="dialog-shots-") as tmp:
        os.environ["ACTIVATION_WIZARD_DATA_DIR"] = str(Path(tmp) / "data")
        return DialogShots(Path(args.out), Path(tmp), dark=args.dark, language=args.lang).run()


class DialogShots(ShotRunner):
    """The wizard shooter's set-up and helpers, driving the devices dialog instead."""

    subject = "the dialog"
    wait_timeout = 30.0

    def run(self) -> int:
        import keyring

        from app.relay.server import RelayServer
        from app.standin.server import StandinServer
        from tests.support.memory_keyring import MemoryKeyring

        keyring.set_keyring(MemoryKeyring())
        self.out.mkdir(parents=True, exist_ok=True)
        self.app = self._application()
        self.standin = StandinServer(db_path=str(self.tmp / "standin.sqlite3"), seed=True)
        self.standin.start()
        self.relay = RelayServer(self.standin.url, self.standin.fixtures["apiKeyRelay"]).start()
        try:
            self._populated()
            self._empty()
            self._error()
            self._no_relay()
        finally:
            from app.ui.workers import wait_for_workers

            wait_for_workers()
            self.relay.stop()
            self.standin.stop()
        print(f"{len(self.saved)} screenshots in {self.out}")
        return 0

    # --- set-up -----------------------------------------------------------------------

    def _config(self, **changes):  # noqa: ANN202
        # Devices need no feature; without a relay the dialog links the vendor's portal.
        return super()._config(
            portal_url="https://example.com/account", required_entitlements=(), **changes
        )

    def dialog(self, key: str = "", relay_url: str | None = "default"):  # noqa: ANN202
        """A shown dialog; ``relay_url=None`` gives one without a relay."""
        from app.ui.devices_dialog import DevicesDialog
        from app.ui.wiring import make_services

        url = self.relay.url if relay_url == "default" else relay_url
        config = self._config(relay_url=url) if url else self._config()
        services = make_services(config)
        dialog = DevicesDialog(config, services, key=key)
        dialog.show()
        return dialog, services

    def close(self, dialog, services) -> None:  # noqa: ANN001
        from app.ui.workers import wait_for_workers

        dialog.hide()
        wait_for_workers()
        services.close()
        dialog.deleteLater()
        self.settle()

    # --- helpers ----------------------------------------------------------------------

    # --- the states -------------------------------------------------------------------

    def _populated(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app.services import build_services

        key = self.standin.fixtures["valid"]
        # The other computers first: activating this one fills the relay's short cache of the
        # license (a machine activated straight with Licentric shows there within seconds).
        self._other_machine(key, "Old laptop", "windows")
        self._other_machine(key, "Render box", "docker")
        with build_services(self._config(relay_url=self.relay.url)) as services:
            services.activation.activate(key, "Studio workstation")
        self.standin.add_fault("list-machines", "latency", count=1, ms=1500)
        dialog, services = self.dialog()
        self.wait(lambda: dialog.busy)
        self.shot(dialog, "devices-loading")
        self.wait(lambda: dialog.state == "list")
        row = dialog.model.row_of(_machine_id(dialog, "Old laptop"))
        dialog.table.selectRow(row)
        self.shot(dialog, "devices-list")
        box = dialog.confirmation_box(dialog.model.machine(row))
        box.show()
        self.shot(box, "devices-confirm")
        box.done(QMessageBox.StandardButton.Cancel)
        dialog.table.selectRow(dialog.model.row_of(_machine_id(dialog, "Studio workstation")))
        self.shot(dialog, "devices-this-computer-selected")
        self.close(dialog, services)

    def _other_machine(self, key: str, name: str, platform: str) -> None:
        import hashlib

        from app.api import LicentricClient
        from app.domain.models import DeviceIdentity, Platform

        identity = DeviceIdentity(
            fingerprint=hashlib.sha256(name.encode()).hexdigest(),
            name=name,
            platform=Platform(platform),
            hostname=name.lower().replace(" ", "-"),
        )
        with LicentricClient(self.standin.url) as client:
            client.activate(key, identity)

    def _empty(self) -> None:
        dialog, services = self.dialog(key=self.standin.fixtures["valid-2"])
        self.wait(lambda: not dialog.busy)
        self.shot(dialog, "devices-empty")
        self.close(dialog, services)

    def _error(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        dialog, services = self.dialog(
            key=self.standin.fixtures["seat-limit"], relay_url=f"http://127.0.0.1:{port}"
        )
        self.wait(lambda: dialog.state == "problem")
        self.shot(dialog, "devices-error")
        self.close(dialog, services)

    def _no_relay(self) -> None:
        dialog, services = self.dialog(relay_url=None)
        self.shot(dialog, "devices-no-relay")
        self.close(dialog, services)


def _machine_id(dialog, name: str) -> str:  # noqa: ANN001
    for row in range(dialog.model.rowCount()):
        machine = dialog.model.machine(row)
        if machine is not None and machine.name == name:
            return machine.id
    raise LookupError(name)


if __name__ == "__main__":
    sys.exit(main())
