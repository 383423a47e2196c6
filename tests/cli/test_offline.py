"""`offline-request` and `activate --license-file` end to end: the request from this computer,
the file from the real relay, then `check` without network until the file ends and
`check --online` only with a fresh answer. Every refused file leaves nothing stored."""

from __future__ import annotations

import base64
import json
import socket
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.offline_license import armor, verify_license_file
from app.relay.offline_signing import OfflineSigner
from app.services.snapshot import now_utc
from tests.cli.support import APP_ID, assert_explains, assert_no_state
from tests.relay.offline_support import SIGNER, make_license, offline_relay_for, payload_of
from tests.services.support import machines_of, stored_key


@pytest.fixture
def offline_relay(standin):
    with offline_relay_for(standin) as server:
        yield server


@pytest.fixture
def offline_cli(cli, offline_relay):
    cli.use(relay_url=offline_relay.url, public_key=SIGNER.public_key)
    return cli


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _file_for(cli, relay, key: str, tmp_path: Path, name: str = "Lab PC") -> Path:
    rc, request = cli.json("offline-request", "--name", name)
    assert rc == 0, request
    response = httpx.post(relay.url + "/v1/offline-activation",
                          json={"request": request["requestCode"]},
                          headers={"Authorization": f"License {key}"}, timeout=10)  # fmt: skip
    assert response.status_code == 200, response.text
    path = tmp_path / response.json()["data"]["fileName"]
    path.write_text(response.json()["data"]["license"], encoding="utf-8")
    return path


def test_offline_request_prints_code_and_url_never_the_key(offline_cli, offline_relay, fixtures):
    offline_cli.json("activate", "--key", fixtures["valid"])  # a key is stored here
    rc, payload = offline_cli.json("offline-request", "--name", "Lab PC")
    assert rc == 0 and payload["requestCode"].startswith("AW1-")
    assert payload["url"] == f"{offline_relay.url}/offline#r={payload['requestCode']}"
    assert payload["deviceName"] == "Lab PC"
    rc, text, _ = offline_cli.run("offline-request", "--name", "Lab PC")
    assert rc == 0 and payload["requestCode"] in text and "activate --license-file FILE" in text
    for shown in (payload["requestCode"], payload["url"], text):
        assert fixtures["valid"] not in shown


def test_file_activates_and_check_passes_without_network(
    offline_cli, offline_relay, fixtures, standin, tmp_path
):
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    rc, payload = offline_cli.json("activate", "--license-file", str(path))
    assert rc == 0, payload
    assert payload["code"] == "VALID" and payload["deviceName"] == "Lab PC"
    assert payload["keyStorage"] == "none"
    [machine] = machines_of(standin, "offline")
    assert payload["machineId"] == machine["id"]  # the offline computer holds a seat
    offline_cli.use(api_url=f"http://127.0.0.1:{_closed_port()}", relay_url=offline_relay.url,
                    public_key=SIGNER.public_key)  # fmt: skip
    rc, checked = offline_cli.json("check")
    assert rc == 0 and checked["licensed"] is True
    assert checked["offlineUntil"] == payload["offlineUntil"]
    rc, text, _ = offline_cli.run("status")
    assert rc == 0 and "Activated without internet, valid until" in text
    rc, online = offline_cli.json("check", "--online")
    assert rc == 6 and online["code"] == "OFFLINE_NO_KEY"
    assert_explains(online, "OFFLINE_NO_KEY")


def test_without_a_key_status_points_to_activating_with_the_key_file(
    offline_cli, offline_relay, fixtures, tmp_path
):
    """`check --online` cannot work without a key here (OFFLINE_NO_KEY): status advises what
    does, and that advice works as printed."""
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    rc, text, _ = offline_cli.run("activate", "--license-file", str(path))
    assert rc == 0 and "activate --key-file FILE" in text and "check --online" not in text
    rc, text, _ = offline_cli.run("status")
    assert rc == 0 and "Activated without internet, valid until" in text
    assert "`activation-wizard activate --key-file FILE`" in text
    assert "check --online" not in text
    assert "No license key is saved on this computer" in text
    assert "License key:" not in text  # no key line contradicting the one above
    key_file = tmp_path / "key.txt"
    key_file.write_text(fixtures["offline"] + "\n", encoding="utf-8")
    rc, activated = offline_cli.json("activate", "--key-file", str(key_file))
    assert rc == 0, activated
    rc, online = offline_cli.json("check", "--online")
    assert rc == 0 and online["online"] is True and "offlineUntil" not in online


def test_with_the_key_check_online_validates_and_replaces_the_file(
    offline_cli, offline_relay, fixtures, tmp_path
):
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    rc, payload = offline_cli.json("activate", "--license-file", str(path),
                                   "--key", fixtures["offline"])  # fmt: skip
    assert rc == 0 and payload["keyStorage"] == "keychain"
    assert stored_key(APP_ID) == fixtures["offline"]
    rc, online = offline_cli.json("check", "--online")
    assert rc == 0 and online["online"] is True and "offlineUntil" not in online
    offline_cli.use(api_url=f"http://127.0.0.1:{_closed_port()}", public_key=SIGNER.public_key)
    rc, unreachable = offline_cli.json("check", "--online")
    assert rc == 6 and unreachable["code"] == "CONNECT_FAILED"


def test_file_for_another_computer_exits_2(
    offline_cli, offline_relay, fixtures, tmp_path, data_dir, monkeypatch
):
    monkeypatch.setenv("ACTIVATION_WIZARD_MACHINE_ID", "the-other-computer")
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    monkeypatch.delenv("ACTIVATION_WIZARD_MACHINE_ID")
    rc, payload = offline_cli.json("activate", "--license-file", str(path))
    assert rc == 2 and payload["code"] == "OFFLINE_FILE_OTHER_COMPUTER"
    assert_explains(payload, "OFFLINE_FILE_OTHER_COMPUTER")
    assert_no_state(data_dir)


def test_tampered_file_exits_2(offline_cli, offline_relay, fixtures, tmp_path, data_dir):
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    lines = path.read_text().splitlines()
    lines[3] = lines[3][:5] + ("x" if lines[3][5] != "x" else "y") + lines[3][6:]
    path.write_text("\n".join(lines))
    rc, payload = offline_cli.json("activate", "--license-file", str(path))
    assert rc == 2 and payload["code"] == "OFFLINE_FILE_DAMAGED"
    rc, _, text = offline_cli.run("activate", "--license-file", str(path))
    assert rc == 2 and "This license file is damaged" in text  # on stderr
    assert "activation-wizard activate --license-file FILE" in text
    assert_no_state(data_dir)


def _signed(signer, path: Path, tmp_path: Path, **changes) -> Path:
    """The relay's file re-signed with ``changes`` (by ``signer``), as another issuer would."""
    text = path.read_text()
    payload = payload_of(text)
    lic = verify_license_file(text, public_key=SIGNER.public_key, now=now_utc(),
                              fingerprint=payload["fingerprint"], product=payload["product"])  # fmt: skip
    out = tmp_path / "changed.lic"
    out.write_text(signer.sign(replace(lic, **changes)))
    return out


def test_expired_file_exits_5(offline_cli, offline_relay, fixtures, tmp_path, data_dir):
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    ended = _signed(SIGNER, path, tmp_path, issued_at=now_utc() - timedelta(days=20),
                    expires_at=now_utc() - timedelta(days=6))  # fmt: skip
    rc, payload = offline_cli.json("activate", "--license-file", str(ended))
    assert rc == 5 and payload["code"] == "OFFLINE_FILE_EXPIRED"
    assert_no_state(data_dir)


def test_file_for_another_product_exits_2(offline_cli, offline_relay, fixtures, tmp_path, data_dir):
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    other_vendor = _signed(OfflineSigner(Ed25519PrivateKey.generate()), path, tmp_path)
    rc, payload = offline_cli.json("activate", "--license-file", str(other_vendor))
    assert rc == 2 and payload["code"] == "OFFLINE_FILE_OTHER_PRODUCT"
    assert_no_state(data_dir)


def test_unreadable_file_is_a_usage_error(offline_cli, tmp_path, data_dir):
    rc, payload = offline_cli.json("activate", "--license-file", str(tmp_path / "absent.lic"))
    assert rc == 2 and payload["code"] == "FILE_UNREADABLE"
    assert_no_state(data_dir)


def _basic_only(standin) -> str:
    """The key of a license allowed offline that holds only the `basic` entitlement."""
    lic = make_license(standin, offlineAllowed=True, offlineMaxDays=14, entitlements=["basic"])
    return lic["key"]


def test_file_without_a_required_entitlement_is_refused_like_online(
    offline_cli, offline_relay, standin, tmp_path, data_dir
):
    key = _basic_only(standin)
    # A request made while nothing was required (or by another wizard): the relay signs it.
    path = _file_for(offline_cli, offline_relay, key, tmp_path)
    offline_cli.use(relay_url=offline_relay.url, public_key=SIGNER.public_key,
                    required_entitlements=["pro"])  # fmt: skip
    rc, online = offline_cli.json("activate", "--key", key)
    assert rc == 5 and online["code"] == "ENTITLEMENTS_MISSING"
    rc, payload = offline_cli.json("activate", "--license-file", str(path))
    assert rc == 5 and payload["code"] == "ENTITLEMENTS_MISSING"
    assert payload["supportCode"] == online["supportCode"]  # the same problem entry
    assert_explains(payload, "ENTITLEMENTS_MISSING")
    assert_no_state(data_dir)


def test_the_request_names_the_required_entitlements_so_no_seat_is_taken(
    offline_cli, offline_relay, standin, tmp_path
):
    key = _basic_only(standin)
    offline_cli.use(relay_url=offline_relay.url, public_key=SIGNER.public_key,
                    required_entitlements=["pro"])  # fmt: skip
    rc, request = offline_cli.json("offline-request", "--name", "Lab PC")
    assert rc == 0 and key not in request["requestCode"]
    response = httpx.post(offline_relay.url + "/v1/offline-activation",
                          json={"request": request["requestCode"]},
                          headers={"Authorization": f"License {key}"}, timeout=10)  # fmt: skip
    assert response.status_code == 422 and response.json()["code"] == "ENTITLEMENTS_MISSING"
    rc, devices = offline_cli.json("devices", "--key", key)
    assert rc == 0 and devices["devices"] == [], devices


def test_check_holds_a_stored_file_to_the_required_entitlements(
    offline_cli, offline_relay, standin, tmp_path
):
    key = _basic_only(standin)
    path = _file_for(offline_cli, offline_relay, key, tmp_path)
    rc, payload = offline_cli.json("activate", "--license-file", str(path))
    assert rc == 0 and payload["code"] == "VALID"
    rc, checked = offline_cli.json("check")
    assert rc == 0 and checked["entitlements"] == ["basic"]
    closed = f"http://127.0.0.1:{_closed_port()}"
    offline_cli.use(api_url=closed, relay_url=offline_relay.url, public_key=SIGNER.public_key,
                    required_entitlements=["pro"])  # fmt: skip
    rc, checked = offline_cli.json("check")
    assert rc == 5 and checked["code"] == "ENTITLEMENTS_MISSING"
    assert_explains(checked, "ENTITLEMENTS_MISSING")
    offline_cli.use(api_url=closed, relay_url=offline_relay.url, public_key=SIGNER.public_key,
                    required_entitlements=["basic"])  # fmt: skip
    rc, checked = offline_cli.json("check")
    assert rc == 0 and checked["entitlements"] == ["basic"]


def test_version_1_file_is_accepted_only_where_nothing_is_required(
    offline_cli, offline_relay, fixtures, tmp_path, data_dir
):
    path = _file_for(offline_cli, offline_relay, fixtures["offline"], tmp_path)
    old = tmp_path / "old.lic"
    old.write_text(_version_1(path.read_text()))
    offline_cli.use(relay_url=offline_relay.url, public_key=SIGNER.public_key,
                    required_entitlements=["pro"])  # fmt: skip
    rc, payload = offline_cli.json("activate", "--license-file", str(old))
    assert rc == 2 and payload["code"] == "OFFLINE_FILE_DAMAGED"
    assert_no_state(data_dir)
    offline_cli.use(relay_url=offline_relay.url, public_key=SIGNER.public_key)
    rc, payload = offline_cli.json("activate", "--license-file", str(old))
    assert rc == 0 and payload["code"] == "VALID"
    rc, checked = offline_cli.json("check")
    assert rc == 0 and checked["entitlements"] == []


def _version_1(text: str) -> str:
    """``text`` as a relay before entitlements were listed signed it (version 1)."""
    body = payload_of(text)
    del body["entitlements"]
    body["version"] = 1
    payload = base64.b64encode(json.dumps(body).encode()).decode()
    return armor(payload, SIGNER._private.sign(payload.encode()))
