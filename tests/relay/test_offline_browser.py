"""The offline page in a real browser: the QR code's URL opens it with the request filled in,
axe-core finds no serious violations (before, on a problem, after), the file downloads, and it
then activates this computer with the stand-in and the relay stopped; `check` passes offline."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from app.config import VendorConfig
from app.relay import RelayServer
from app.services import build_services
from app.standin.server import StandinServer
from tests.relay.browser import DESKTOP, PHONE, axe_violations, chromium, serious, wait_for_file
from tests.relay.offline_support import SIGNER

APP_ID = "com.example.browser"
SHOTS_ENV = "OFFLINE_SHOTS_DIR"  # set it to keep the screenshots (they always go to tmp_path)


@pytest.fixture
def servers(tmp_path):
    """A stand-in and a relay of this test's own, so the test can stop both."""
    standin = StandinServer(db_path=str(tmp_path / "standin.sqlite3"), port=0, seed=True)
    standin.start()
    standin.configure(checkout_fingerprint=False)
    relay = RelayServer(standin.url, standin.fixtures["apiKeyRelay"], offline_signer=SIGNER)
    relay.start()
    yield standin, relay
    relay.stop()
    standin.stop()


def _config(standin, relay) -> VendorConfig:
    return VendorConfig(product_name="Studio Pro", app_id=APP_ID, api_url=standin.url,
                        relay_url=relay.url, public_key=SIGNER.public_key,
                        timeout_seconds=3.0)  # fmt: skip


def _shot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    if os.environ.get(SHOTS_ENV):
        target = Path(os.environ[SHOTS_ENV])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)
    return path


def _audit(driver, state: str) -> None:
    found = serious(axe_violations(driver))
    assert found == [], f"axe: serious violations on the {state} page: {found}"


@pytest.mark.slow
def test_phone_gets_the_file_and_the_computer_activates_offline(servers, tmp_path, data_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    standin, relay = servers
    config = _config(standin, relay)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with build_services(config, data_dir=Path(data_dir)) as services:
        info = services.offline.request("Lab PC")
    key = standin.fixtures["offline"]
    assert info.url and "#r=" in info.url and key not in info.url

    with chromium(downloads, PHONE) as driver:
        driver.get(info.url)
        request = driver.find_element(By.ID, "request")
        assert request.get_attribute("value") == info.code  # from the fragment
        assert "#" not in driver.current_url  # and gone from the address bar
        _audit(driver, "empty")
        _shot(driver, tmp_path, "relay-offline-phone")
        driver.find_element(By.ID, "key").send_keys("DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ")
        driver.find_element(By.ID, "submit").click()
        error = WebDriverWait(driver, 10).until(
            ready.visibility_of_element_located((By.ID, "error"))
        )
        assert "wasn't recognised" in error.text
        _audit(driver, "problem")
        _shot(driver, tmp_path, "relay-offline-phone-problem")
        key_field = driver.find_element(By.ID, "key")
        key_field.clear()
        key_field.send_keys(key.lower())  # typed on a phone: lowercase is forgiven
        driver.find_element(By.ID, "submit").click()
        done = WebDriverWait(driver, 10).until(ready.visibility_of_element_located((By.ID, "done")))
        assert "activates the computer until" in done.text
        _audit(driver, "done")
        _shot(driver, tmp_path, "relay-offline-phone-done")
        downloaded = wait_for_file(downloads, "license-Lab-PC*.lic")

    with chromium(tmp_path, DESKTOP) as driver:
        driver.get(info.url)
        _audit(driver, "desktop")
        _shot(driver, tmp_path, "relay-offline-desktop")

    relay.stop()
    standin.stop()  # from here on nothing answers: this computer is offline
    with build_services(config, data_dir=Path(data_dir)) as services:
        loaded = services.offline.load(downloaded.read_text(encoding="utf-8"))
        assert loaded.license.device_name == "Lab PC"
        report = services.status.check()
        assert report.licensed and report.offline_until == loaded.license.expires_at
    stored = json.loads((Path(data_dir) / "activation.json").read_text())
    assert key not in json.dumps(stored)
