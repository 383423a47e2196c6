"""The wizard's offline pages with real widgets: the request (text, file, QR code; never the
key) chosen by the user or offered when the service cannot be reached, the license file
loaded by picker, drag and drop or pasted text, refusals explained in place, and the status
page's "Activated without internet, valid until" with its renewal hint."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from app.domain.offline_license import OfflineLicense
from app.domain.offline_request import decode_request, encode_request
from app.platform.fingerprint import fingerprint
from app.services.snapshot import now_utc
from app.ui.pages.ids import PageId
from tests.relay.offline_support import SIGNER, make_license, offline_relay_for
from tests.ui.helpers import WAIT_MS, activate, wait_page
from tests.ui.test_outages import FAULTS_TO_REACH_UI

APP_ID = "com.example.studio-test"  # tests/ui/conftest.make_config's app id


@pytest.fixture
def offline_relay(standin):
    with offline_relay_for(standin) as server:
        yield server


@pytest.fixture
def offline_wizard(make_wizard, offline_relay):
    def make(**overrides):
        return make_wizard(relay_url=offline_relay.url, public_key=SIGNER.public_key, **overrides)

    return make


def _to_request_page(qtbot, wizard):
    wait_page(qtbot, wizard, PageId.KEY)
    button = wizard.key_page.offline_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.OFFLINE_REQUEST)
    page = wizard.offline_request_page
    qtbot.waitUntil(lambda: page.info is not None, timeout=WAIT_MS)
    return page


def _file_from_relay(relay, key: str, code: str, tmp_path: Path) -> Path:
    """What the phone does on the relay's page: the key plus the request give the file."""
    response = httpx.post(relay.url + "/v1/offline-activation", json={"request": code},
                          headers={"Authorization": f"License {key}"}, timeout=10)  # fmt: skip
    assert response.status_code == 200, response.text
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / response.json()["data"]["fileName"]
    path.write_text(response.json()["data"]["license"], encoding="utf-8")
    return path


def _to_load_page(qtbot, wizard):
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.OFFLINE_LOAD)
    return wizard.offline_load_page


def _record(data_dir) -> dict:
    return json.loads((Path(data_dir) / "activation.json").read_text(encoding="utf-8"))


def test_by_choice_request_then_file_by_picker(
    qtbot, offline_wizard, offline_relay, standin, tmp_path, data_dir
):
    wizard = offline_wizard()
    page = _to_request_page(qtbot, wizard)
    info = page.info
    assert page.request_text.toPlainText() == info.code
    assert page.url.text() == info.url and info.url.startswith(offline_relay.url + "/offline#r=")
    assert not page.qr.pixmap().isNull() and page.qr.pixmap().width() >= 150
    assert "Scan the QR code" in page.steps.text()
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == info.code
    saved = tmp_path / "request.txt"
    page.save_request_to(saved)  # what "Save the request to a file…" does after its dialog
    qtbot.waitUntil(lambda: "Saved to" in page.feedback.text(), timeout=WAIT_MS)
    assert info.code in saved.read_text() and info.url in saved.read_text()

    license_file = _file_from_relay(offline_relay, standin.fixtures["offline"], info.code, tmp_path)
    load = _to_load_page(qtbot, wizard)
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    load.load_file(license_file)  # what "Choose the license file…" does after its dialog
    wait_page(qtbot, wizard, PageId.RESULT)
    result = wizard.result_page
    assert "activated on this computer without internet" in result.headline.text()
    assert "Activated without internet, valid until" in result.notes.text()
    record = _record(data_dir)
    assert record["offline_license"].startswith("-----BEGIN ACTIVATION LICENSE-----")
    assert record["key_storage"] == "none"


def _qr_text(page) -> str:
    """What a phone camera reads from the QR code on the page (zxing-cpp decodes it)."""
    import zxingcpp

    image = page.qr.pixmap().toImage().convertToFormat(page.qr.pixmap().toImage().Format.Format_Grayscale8)
    [barcode] = zxingcpp.read_barcodes(image)
    return barcode.text


def test_request_and_qr_never_hold_the_key(qtbot, offline_wizard, standin, tmp_path):
    wizard = offline_wizard()
    key = standin.fixtures["offline"]
    wait_page(qtbot, wizard, PageId.KEY)
    qtbot.keyClicks(wizard.key_page.key_edit, key)  # typed before choosing "no internet"
    page = _to_request_page(qtbot, wizard)
    scanned = _qr_text(page)
    assert scanned == page.info.url  # the QR code opens the relay page, request in the fragment
    assert "?" not in scanned and "#r=AW1-" in scanned
    saved = tmp_path / "request.txt"
    page.save_request_to(saved)
    qtbot.waitUntil(saved.exists, timeout=WAIT_MS)
    groups = key.split("-")
    for shown in (scanned, page.request_text.toPlainText(), page.steps.text(), saved.read_text()):
        assert key not in shown and "".join(groups) not in shown
        assert not any(group in shown for group in groups[1:])


def test_drop_a_file_and_paste_text_with_refusals_explained(
    qtbot, offline_wizard, offline_relay, standin, tmp_path, data_dir, monkeypatch
):
    wizard = offline_wizard()
    key = standin.fixtures["offline"]
    # A file made for another computer: its request came from a different machine id.
    monkeypatch.setenv("ACTIVATION_WIZARD_MACHINE_ID", "another-computer")
    other = offline_wizard()
    other_code = _to_request_page(qtbot, other).info.code
    monkeypatch.delenv("ACTIVATION_WIZARD_MACHINE_ID")
    other.close()
    wrong = _file_from_relay(offline_relay, key, other_code, tmp_path / "other")
    page = _to_request_page(qtbot, wizard)
    right = _file_from_relay(offline_relay, key, page.info.code, tmp_path)
    load = _to_load_page(qtbot, wizard)

    _drop(load, file=wrong)
    qtbot.waitUntil(lambda: _refused(load, "OFFLINE_FILE_OTHER_COMPUTER"), timeout=WAIT_MS)
    assert "for another computer" in load.problem.title.text()
    assert wizard.currentId() == PageId.OFFLINE_LOAD and not (Path(data_dir) / "activation.json").exists()

    damaged = right.read_text().replace("-----END", "x-----END")
    load.paste_edit.setPlainText(damaged)
    qtbot.mouseClick(load.paste_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _refused(load, "OFFLINE_FILE_DAMAGED"), timeout=WAIT_MS)
    _assert_shown_like_other_problems(load, "AW-OFF-BAD", "damaged")
    assert "from the BEGIN line to the END line" in load.problem.steps.text()

    _drop(load, text=right.read_text())  # text dragged from a mail or an editor
    wait_page(qtbot, wizard, PageId.RESULT)
    assert _record(data_dir)["fingerprint"] == fingerprint(APP_ID)


def _refused(load, code: str) -> bool:
    return load.last_problem is not None and load.last_problem.code == code


def _assert_shown_like_other_problems(load, support_code: str, title_word: str) -> None:
    """The shared problem view: title, steps, the support code the steps mention, Copy
    details; the page's own feedback line (red for a field's error) says nothing."""
    view = load.problem
    assert view.isVisible() and title_word in view.title.text()
    assert view.steps.isVisible() and view.steps.text()
    assert view.support_line.isVisible() and support_code in view.support_line.text()
    assert view.primary.isVisible() and view.primary.accessibleName() == "Load a file"
    assert view.copy_button.isVisible()
    assert load.feedback.isHidden()
    assert view.title.objectName() == "problemTitle" and view.steps.objectName() != "fieldFeedback"
    view.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert support_code in copied and "Problem: " in copied


def _drop(page, *, file: Path | None = None, text: str | None = None) -> None:
    mime = QMimeData()
    if file is not None:
        mime.setUrls([QUrl.fromLocalFile(str(file))])
    else:
        mime.setText(text or "")
    where = QPointF(page.rect().center())
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(page, drop)


def test_unreachable_service_offers_activation_without_internet(
    qtbot, offline_wizard, offline_relay, standin, tmp_path, data_dir
):
    standin.add_fault("validate-key", "drop", count=FAULTS_TO_REACH_UI)
    wizard = offline_wizard()
    key = standin.fixtures["offline"]
    activate(qtbot, wizard, key)
    result = wizard.result_page
    assert result.showing_problem and result.offline_button.isVisible()
    qtbot.mouseClick(result.offline_button, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.OFFLINE_REQUEST)
    page = wizard.offline_request_page
    qtbot.waitUntil(lambda: page.info is not None, timeout=WAIT_MS)
    license_file = _file_from_relay(offline_relay, key, page.info.code, tmp_path)
    _to_load_page(qtbot, wizard).load_file(license_file)
    wait_page(qtbot, wizard, PageId.RESULT)
    # The key typed here is kept, so an online check can replace the file later.
    record = _record(data_dir)
    assert record["key_storage"] in ("keychain", "file") and record["offline_license"]


def test_no_offer_without_the_vendor_key(qtbot, make_wizard, standin):
    standin.add_fault("validate-key", "drop", count=FAULTS_TO_REACH_UI)
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)
    assert not wizard.key_page.offline_button.isVisible()
    activate(qtbot, wizard, standin.fixtures["valid"])
    assert wizard.result_page.showing_problem
    assert not wizard.result_page.offline_button.isVisible()


def _signed_for_this_computer(standin, days: float) -> str:
    now = now_utc()
    lic = OfflineLicense(
        product=APP_ID, fingerprint=fingerprint(APP_ID), device_name="Lab PC",
        license_id=standin.fixture_details["offline"]["licenseId"], machine_id="m-1",
        issued_at=now - timedelta(days=1), expires_at=now + timedelta(days=days),
        product_name="Studio Pro", license_name="Uma Rossi", entitlements=("basic", "pro"),
    )  # fmt: skip
    return SIGNER.sign(replace(lic))


@pytest.mark.parametrize("days, hint", [(30, False), (3, True)])
def test_status_page_says_until_when_and_how_to_renew(
    qtbot, offline_wizard, standin, days, hint
):
    first = offline_wizard()
    first.context.services.offline.load(_signed_for_this_computer(standin, days))
    first.close()
    wizard = offline_wizard()
    wait_page(qtbot, wizard, PageId.STATUS)
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None, timeout=WAIT_MS)
    assert page.freshness.text().startswith("Activated without internet, valid until")
    assert page.offline_button.isVisible() and page.problem.isHidden()
    form = page._facts
    facts = {
        form.itemAt(row, form.ItemRole.LabelRole).widget().text().rstrip(":"):
        form.itemAt(row, form.ItemRole.FieldRole).widget().text()
        for row in range(form.rowCount())
    }  # fmt: skip
    assert facts["Features"] == "Basic, Pro"  # from the file, not "none listed"
    assert "Seats used" not in facts  # a file names no seat count: left out, not "unknown"
    # No key saved here: the license's devices cannot be reached from this computer.
    assert not page.devices_button.isVisible() and not page.move_button.isVisible()
    assert ("This license file ends in 2 days." in page.notes.text()) is hint
    if hint:
        assert "get a new file the same way" in page.notes.text()
    qtbot.mouseClick(page.offline_button, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.OFFLINE_REQUEST)
    qtbot.waitUntil(lambda: wizard.offline_request_page.info is not None, timeout=WAIT_MS)


def test_an_ended_file_on_the_status_page_leads_to_a_new_one(qtbot, offline_wizard, standin, data_dir):
    first = offline_wizard()
    first.context.services.offline.load(_signed_for_this_computer(standin, 3))
    first.close()
    path = Path(data_dir) / "activation.json"
    record = _record(data_dir)
    record["latest_seen_at"] = (now_utc() + timedelta(days=4)).isoformat()  # seen after its end
    path.write_text(json.dumps(record), encoding="utf-8")
    wizard = offline_wizard()
    wait_page(qtbot, wizard, PageId.STATUS)
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None, timeout=WAIT_MS)
    assert page.problem.isVisible() and "This license file ended" in page.problem.title.text()
    assert page.problem.primary.text().replace("&", "") == "Load a file"
    qtbot.mouseClick(page.problem.primary, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.OFFLINE_REQUEST)
    qtbot.waitUntil(lambda: wizard.offline_request_page.info is not None, timeout=WAIT_MS)


def test_the_demo_offers_activation_without_internet(tmp_path):
    """The demo relay signs offline files with a key kept beside the demo database; the demo
    config's public_key is its public half, so a file made in one session loads in the next."""
    from app.config import VendorConfig
    from app.domain.offline_license import verify_license_file
    from app.domain.offline_request import OfflineRequest, encode_request
    from app.ui.demo import DEMO_SIGNING_KEY_NAME, DemoServers

    servers = DemoServers(tmp_path).start()
    try:
        config = servers.configure(VendorConfig(app_id=APP_ID))
        assert config.public_key and config.relay_url
        key_file = tmp_path / DEMO_SIGNING_KEY_NAME
        assert key_file.stat().st_mode & 0o077 == 0
        code = encode_request(OfflineRequest("ab" * 32, "Lab PC", APP_ID))
        response = httpx.post(config.relay_url + "/v1/offline-activation", json={"request": code},
                              headers={"Authorization": f"License {servers.fixtures['offline']}"},
                              timeout=10)  # fmt: skip
        assert response.status_code == 200, response.text
        text = response.json()["data"]["license"]
    finally:
        servers.stop()
    again = DemoServers(tmp_path).start()
    try:
        public_key = again.configure(VendorConfig(app_id=APP_ID)).public_key
    finally:
        again.stop()
    assert public_key == config.public_key
    lic = verify_license_file(text, public_key=public_key, fingerprint="ab" * 32, product=APP_ID,
                              now=now_utc())  # fmt: skip
    assert lic.device_name == "Lab PC"


def test_a_file_without_a_required_feature_is_refused_on_the_load_page(
    qtbot, offline_wizard, offline_relay, standin, tmp_path, data_dir
):
    basic = make_license(standin, offlineAllowed=True, offlineMaxDays=14, entitlements=["basic"])
    wizard = offline_wizard()  # the vendor requires "pro" (tests/ui/conftest.make_config)
    page = _to_request_page(qtbot, wizard)
    assert decode_request(page.info.code).required_entitlements == ("pro",)
    refused = httpx.post(offline_relay.url + "/v1/offline-activation",
                         json={"request": page.info.code},
                         headers={"Authorization": f"License {basic['key']}"}, timeout=10)  # fmt: skip
    assert refused.status_code == 422 and refused.json()["code"] == "ENTITLEMENTS_MISSING"
    # A request that names no requirement (an older wizard's) still gets a file: refused here.
    older = encode_request(replace(decode_request(page.info.code), required_entitlements=()))
    license_file = _file_from_relay(offline_relay, basic["key"], older, tmp_path)
    load = _to_load_page(qtbot, wizard)
    load.load_file(license_file)
    qtbot.waitUntil(lambda: _refused(load, "ENTITLEMENTS_MISSING"), timeout=WAIT_MS)
    view = load.problem
    assert "Pro" in view.title.text() and "AW-FEAT-V" in view.support_line.text()
    assert view.primary.accessibleName() == "Upgrade license" and view.copy_button.isVisible()
    assert wizard.currentId() == PageId.OFFLINE_LOAD
    assert not (Path(data_dir) / "activation.json").exists()
