"""Screenshots of the wizard's offline pages (request with QR code, loading the file, a refused
file, success, the status page with its renewal hint, the offer after a failed connection),
not a test.

    python tests/screenshots/make_offline_screenshots.py          # -> /tmp/wizard-shots/offline
    python tests/screenshots/make_offline_screenshots.py --dark   # dark palette

Runs offscreen against an embedded stand-in and a relay holding a throwaway offline signing
key, with a private data dir and an in-memory keyring. The relay's page itself is shot in a
real browser by tests/ui/test_offline_browser.py (OFFLINE_SHOTS_DIR keeps those PNGs).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.screenshots.make_screenshots import ShotRunner, add_language_options  # noqa: E402

DEFAULT_OUT = Path(tempfile.gettempdir()) / "wizard-shots" / "offline"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    add_language_options(parser)
    args = parser.parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="offline-shots-") as tmp:
        os.environ["ACTIVATION_WIZARD_DATA_DIR"] = str(Path(tmp) / "data")
        return OfflineShots(Path(args.out), Path(tmp), dark=args.dark, language=args.lang).run()


class OfflineShots(ShotRunner):
    """The wizard shooter's set-up, with a relay that signs offline files."""

    def run(self) -> int:
        import keyring
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from app.relay.offline_signing import OfflineSigner
        from app.relay.server import RelayServer
        from app.standin.server import StandinServer
        from tests.support.memory_keyring import MemoryKeyring

        keyring.set_keyring(MemoryKeyring())
        self.out.mkdir(parents=True, exist_ok=True)
        self.app = self._application()
        self.signer = OfflineSigner(Ed25519PrivateKey.generate())
        self.standin = StandinServer(db_path=str(self.tmp / "standin.sqlite3"), seed=True)
        self.standin.start()
        self.relay = RelayServer(self.standin.url, self.standin.fixtures["apiKeyRelay"],
                                 offline_signer=self.signer).start()  # fmt: skip
        try:
            self._request_and_load()
            self._offered_after_a_failed_connection()
            self._status_near_the_end()
        finally:
            from app.ui.workers import wait_for_workers

            wait_for_workers()
            self.relay.stop()
            self.standin.stop()
        print(f"{len(self.saved)} screenshots in {self.out}")
        return 0

    def _config(self, **changes):  # noqa: ANN202
        relay = getattr(self, "relay", None)
        signer = getattr(self, "signer", None)
        return super()._config(
            relay_url=relay.url if relay else None,
            public_key=signer.public_key if signer else None,
            **changes,
        )

    def _file_for(self, code: str) -> str:
        import httpx

        response = httpx.post(self.relay.url + "/v1/offline-activation", json={"request": code},
                              headers={"Authorization": f"License {self.standin.fixtures['offline']}"},
                              timeout=10)  # fmt: skip
        response.raise_for_status()
        return response.json()["data"]["license"]

    def _request_and_load(self) -> None:
        from app.ui.pages.ids import PageId

        wizard = self.wizard()
        self.on_page(wizard, PageId.KEY)
        self.shot(wizard, "offline-key-page-button")
        wizard.key_page.offline_button.click()
        self.on_page(wizard, PageId.OFFLINE_REQUEST)
        page = wizard.offline_request_page
        self.wait(lambda: page.info is not None)
        self.shot(wizard, "offline-request")
        text = self._file_for(page.info.code)
        wizard.button(wizard.WizardButton.NextButton).click()
        self.on_page(wizard, PageId.OFFLINE_LOAD)
        load = wizard.offline_load_page
        self.shot(wizard, "offline-load")
        load.paste_edit.setPlainText(text.replace("-----END", "x-----END"))
        load.load_text(load.paste_edit.toPlainText())
        # On state, not on words: the run may be in any language (--lang ar).
        self.wait(lambda: getattr(load.last_problem, "code", None) == "OFFLINE_FILE_DAMAGED")
        self.shot(wizard, "offline-load-refused")
        load.load_text(text)
        self.on_page(wizard, PageId.RESULT)
        self.shot(wizard, "offline-success")
        self.close(wizard)

    def _offered_after_a_failed_connection(self) -> None:
        self.standin.add_fault("validate-key", "drop", count=4)
        wizard = self.wizard()
        self.activate(wizard, self.standin.fixtures["valid-2"])
        self.wait(lambda: wizard.result_page.showing_problem)
        self.shot(wizard, "offline-offered-when-unreachable")
        self.close(wizard)
        self.standin.reset()

    def _status_near_the_end(self) -> None:
        from app.domain.offline_license import OfflineLicense
        from app.platform.fingerprint import fingerprint
        from app.services import build_services
        from app.ui.pages.ids import PageId

        now = datetime.now(UTC)
        lic = OfflineLicense(
            product="com.example.studio", fingerprint=fingerprint("com.example.studio"),
            device_name="Lab PC", license_id=self.standin.fixture_details["offline"]["licenseId"],
            machine_id="m-1", issued_at=now - timedelta(days=11),
            expires_at=now + timedelta(days=3), product_name="Studio Pro",
            license_name="Uma Rossi", license_expires_at=now + timedelta(days=300),
            entitlements=("basic", "pro"),  # as the relay lists the offline fixture's
        )  # fmt: skip
        self.runs = getattr(self, "runs", 0) + 1
        os.environ["ACTIVATION_WIZARD_DATA_DIR"] = str(self.tmp / f"data-{self.runs}")
        with build_services(self._config()) as services:
            services.offline.load(self.signer.sign(lic))
        wizard = self.wizard(fresh=False)
        self.on_page(wizard, PageId.STATUS)
        self.wait(lambda: wizard.status_page._report is not None)
        self.shot(wizard, "offline-status-renewal-hint")
        self.close(wizard)


if __name__ == "__main__":
    sys.exit(main())
