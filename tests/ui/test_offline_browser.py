"""Offline activation end to end, as a user does it: the wizard shows the QR code's address,
a phone-sized headless Chromium opens the relay's page there (axe-core: no serious
violations, also on a problem and when done; desktop width too), downloads the file, and with
the stand-in and the relay stopped the wizard loads it and `check` passes without network."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool

from app.cli import main
from app.config import load_config
from app.relay import RelayLimits, RelayServer
from app.standin.server import StandinServer
from app.ui.context import WizardContext
from app.ui.pages.ids import PageId
from app.ui.wiring import make_services
from app.ui.wizard import ActivationWizard
from tests.relay.browser import DESKTOP, PHONE, axe_violations, chromium, serious, wait_for_file
from tests.relay.offline_support import SIGNER
from tests.ui.helpers import WAIT_MS, wait_page

APP_ID = "com.example.browser"
SHOTS_ENV = "OFFLINE_SHOTS_DIR"  # set it to keep the screenshots (they always go to tmp_path)


@pytest.fixture
def servers(tmp_path):
    """A stand-in and a relay of this test's own, so the test can stop both."""
    standin = StandinServer(db_path=str(tmp_path / "standin.sqlite3"), port=0, seed=True)
    standin.start()
    standin.configure(checkout_fingerprint=False)
    # The vendor says keys are case-insensitive (as the demo): lower-case typing is forgiven.
    relay = RelayServer(standin.url, standin.fixtures["apiKeyRelay"], offline_signer=SIGNER,
                        limits=RelayLimits(key_case="upper"))  # fmt: skip
    relay.start()
    yield standin, relay
    relay.stop()
    standin.stop()


def _config_values(standin, relay) -> dict:
    return {"product_name": "Studio Pro", "app_id": APP_ID, "api_url": standin.url,
            "relay_url": relay.url, "public_key": SIGNER.public_key,
            "timeout_seconds": 3.0}  # fmt: skip


def _shot(driver, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    if os.environ.get(SHOTS_ENV):
        target = Path(os.environ[SHOTS_ENV])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)


def _audit(driver, state: str) -> None:
    found = serious(axe_violations(driver))
    assert found == [], f"axe: serious violations on the {state} page: {found}"


def _phone_gets_the_file(url: str, key: str, downloads: Path, tmp_path: Path) -> Path:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium(downloads, PHONE) as driver:
        driver.get(url)
        assert driver.find_element(By.ID, "request").get_attribute("value") in url
        assert "#" not in driver.current_url  # the request left the address bar
        _audit(driver, "empty")
        _shot(driver, tmp_path, "relay-offline-phone")
        driver.find_element(By.ID, "key").send_keys("DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ")
        driver.find_element(By.ID, "submit").click()
        visible = ready.visibility_of_element_located
        error = WebDriverWait(driver, 10).until(visible((By.ID, "error")))
        assert "wasn't recognised" in error.text
        _audit(driver, "problem")
        _shot(driver, tmp_path, "relay-offline-phone-problem")
        field = driver.find_element(By.ID, "key")
        field.clear()
        field.send_keys(key.lower())  # typed on a phone: lowercase is forgiven
        driver.find_element(By.ID, "submit").click()
        done = WebDriverWait(driver, 10).until(visible((By.ID, "done")))
        assert "activates the computer until" in done.text
        _audit(driver, "done")
        _shot(driver, tmp_path, "relay-offline-phone-done")
        downloaded = wait_for_file(downloads, "license-*.lic")
    with chromium(tmp_path, DESKTOP) as driver:
        driver.get(url)
        _audit(driver, "desktop")
        _shot(driver, tmp_path, "relay-offline-desktop")
    return downloaded


@pytest.mark.slow
def test_phone_gets_the_file_and_the_wizard_activates_offline(
    qtbot, servers, tmp_path, data_dir, capsys
):
    standin, relay = servers
    config = load_config(overrides=_config_values(standin, relay), environ={})
    context = WizardContext(config=config, services=make_services(config))
    wizard = ActivationWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    wait_page(qtbot, wizard, PageId.KEY)
    qtbot.mouseClick(wizard.key_page.offline_button, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.OFFLINE_REQUEST)
    page = wizard.offline_request_page
    qtbot.waitUntil(lambda: page.info is not None, timeout=WAIT_MS)
    key = standin.fixtures["offline"]
    assert page.info.url and key not in page.info.url

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    downloaded = _phone_gets_the_file(page.info.url, key, downloads, tmp_path)

    relay.stop()
    standin.stop()  # from here on nothing answers: this computer is offline
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.OFFLINE_LOAD)
    wizard.offline_load_page.load_file(downloaded)
    wait_page(qtbot, wizard, PageId.RESULT)
    assert "without internet" in wizard.result_page.headline.text()
    QThreadPool.globalInstance().waitForDone(10000)
    wizard.context.services.close()

    config_file = tmp_path / "vendor.toml"
    values = _config_values(standin, relay)
    config_file.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()))
    capsys.readouterr()
    assert main(["--config", str(config_file), "check", "--json"]) == 0
    checked = json.loads(capsys.readouterr().out)
    assert checked["licensed"] is True and checked["offlineUntil"]
    stored = (Path(data_dir) / "activation.json").read_text()
    assert key not in stored
