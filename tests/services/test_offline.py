"""OfflineService and the status of a computer activated without internet: the request, the
file verified and stored with the record, checks without network until it ends, a clock set
back, and an online validation replacing the offline state."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.errors import (
    ConnectFailedError,
    OfflineFileError,
    OfflineFileExpiredError,
    OfflineFileOtherComputerError,
    OfflineFileOtherProductError,
    OfflineKeyMissingError,
)
from app.domain.license_key import mask_key
from app.domain.offline_license import OfflineLicense
from app.domain.offline_request import decode_request
from app.platform.fingerprint import fingerprint
from app.relay.offline_signing import OfflineSigner
from app.services import build_services
from app.services.snapshot import iso, now_utc
from tests.services.support import (
    APP_ID,
    license_id,
    local_files,
    make_config,
    request_counter,
    stored_key,
)

SIGNER = OfflineSigner(Ed25519PrivateKey.generate())


@pytest.fixture
def config(standin):
    return make_config(standin, public_key=SIGNER.public_key, relay_url="https://relay.example")


def _file(standin, *, machine_id="m-offline", days=14, **changes) -> str:
    now = now_utc()
    lic = OfflineLicense(
        product=APP_ID, fingerprint=fingerprint(APP_ID), device_name="Lab PC",
        license_id=license_id(standin, "offline"), machine_id=machine_id,
        issued_at=now - timedelta(minutes=1), expires_at=now + timedelta(days=days),
        product_name="Studio Pro", license_name="Uma Rossi", key_masked="DEMO-…-OFFL",
    )  # fmt: skip
    return SIGNER.sign(replace(lic, **changes))


def _activate_upstream(standin, key: str) -> str:
    """What the relay does first: this computer's fingerprint takes a seat (License auth)."""
    body = {"fingerprint": fingerprint(APP_ID), "name": "Lab PC", "platform": "linux"}
    response = httpx.post(standin.url + "/api/v1/machines", json=body,
                          headers={"Authorization": f"License {key}"})  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


def test_request_holds_this_computer_and_product_never_the_key(services, fixtures):
    services.activation.activate(fixtures["valid"], "PC")  # a key is stored on this computer
    info = services.offline.request("Lab PC")
    request = decode_request(info.code)
    assert (request.fingerprint, request.device_name, request.product) == (
        fingerprint(APP_ID), "Lab PC", APP_ID,
    )  # fmt: skip
    assert info.url == f"https://relay.example/offline#r={info.code}"
    key = fixtures["valid"]
    for text in (info.code, info.url):
        assert key not in text and key.replace("-", "") not in text
        assert not any(group in text for group in key.split("-")[1:])


def test_loaded_file_is_stored_with_the_record_and_checks_without_network(
    services, standin, data_dir
):
    loaded = services.offline.load(_file(standin))
    record = json.loads((Path(data_dir) / "activation.json").read_text())
    assert record["offline_license"].startswith("-----BEGIN ACTIVATION LICENSE-----")
    assert record["key_storage"] == "none" and record["key_masked"] == "DEMO-…-OFFL"
    assert record["machine_id"] == "m-offline" and loaded.license.license_name == "Uma Rossi"
    counter = request_counter(standin)
    report = services.status.check()  # no key here: judged from the file, nothing sent
    assert counter.hits == 0
    assert report.licensed and not report.online and report.problem is None
    assert report.offline_until == loaded.license.expires_at
    assert report.licensee == "Uma Rossi"


def test_check_online_without_a_stored_key_cannot_validate(services, standin):
    services.offline.load(_file(standin))
    report = services.status.check(strict=True)
    assert isinstance(report.problem, OfflineKeyMissingError) and not report.licensed


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"fingerprint": "ab" * 32}, OfflineFileOtherComputerError),
        ({"product": "com.example.other"}, OfflineFileOtherProductError),
        ({"days": -1}, OfflineFileExpiredError),
    ],
    ids=["other-computer", "other-product", "expired"],
)
def test_refused_files_store_nothing(services, standin, data_dir, changes, error):
    with pytest.raises(error):
        services.offline.load(_file(standin, **changes))
    assert local_files(data_dir) == set()


def test_tampered_and_foreign_key_files_store_nothing(services, standin, data_dir):
    text = _file(standin)
    lines = text.splitlines()
    lines[2] = lines[2][:10] + ("A" if lines[2][10] != "A" else "B") + lines[2][11:]
    with pytest.raises(OfflineFileError):
        services.offline.load("\n".join(lines))
    other = OfflineSigner(Ed25519PrivateKey.generate())
    foreign = other.sign(OfflineLicense(
        product=APP_ID, fingerprint=fingerprint(APP_ID), device_name="x", license_id="l",
        machine_id="m", issued_at=now_utc(), expires_at=now_utc() + timedelta(days=1),
    ))  # fmt: skip
    with pytest.raises(OfflineFileOtherProductError):
        services.offline.load(foreign)
    assert local_files(data_dir) == set()


def test_a_clock_set_back_never_extends_the_file(services, standin, data_dir):
    services.offline.load(_file(standin, days=3))
    path = Path(data_dir) / "activation.json"
    record = json.loads(path.read_text())
    # This computer once saw a moment after the file's end; its clock now says earlier.
    record["latest_seen_at"] = iso(now_utc() + timedelta(days=4))
    path.write_text(json.dumps(record))
    report = services.status.check()
    assert isinstance(report.problem, OfflineFileExpiredError) and not report.licensed
    assert json.loads(path.read_text())["latest_seen_at"] == record["latest_seen_at"]


def test_each_check_moves_the_latest_time_seen_forward(services, standin, data_dir):
    services.offline.load(_file(standin))
    path = Path(data_dir) / "activation.json"
    before = datetime.fromisoformat(json.loads(path.read_text())["latest_seen_at"])
    services.status.check(online=False)
    after = datetime.fromisoformat(json.loads(path.read_text())["latest_seen_at"])
    assert after >= before and after.tzinfo is not None


def test_with_its_key_an_online_validation_replaces_the_offline_state(services, standin, fixtures):
    key = fixtures["offline"]
    machine_id = _activate_upstream(standin, key)
    services.offline.load(_file(standin, machine_id=machine_id), key=key)
    assert stored_key() == key
    assert services.status.stored().key_masked == mask_key(key)
    report = services.status.check()
    assert report.online and report.licensed and report.offline_until is None
    stored = services.status.stored()
    assert stored.offline_license is None and stored.machine_id == machine_id
    assert stored.last_validated_at


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_service_unreachable_the_file_counts_but_not_for_check_online(standin, fixtures, data_dir):
    key = fixtures["offline"]
    machine_id = _activate_upstream(standin, key)
    unreachable = make_config(standin, api_url=f"http://127.0.0.1:{_closed_port()}",
                              public_key=SIGNER.public_key)  # fmt: skip
    with build_services(unreachable, data_dir=Path(data_dir)) as services:
        services.offline.load(_file(standin, machine_id=machine_id), key=key)
        report = services.status.check()
        assert report.licensed and isinstance(report.offline_reason, ConnectFailedError)
        assert report.offline_until is not None
        strict = services.status.check(strict=True)
        assert isinstance(strict.problem, ConnectFailedError) and not strict.licensed


def test_another_licenses_key_is_not_kept_for_an_offline_file(services, standin, fixtures):
    services.activation.activate(fixtures["valid"], "PC")
    assert stored_key() == fixtures["valid"]
    services.offline.load(_file(standin))
    assert stored_key() is None
    assert services.status.stored().key_storage == "none"


def test_missing_public_key_is_the_vendors_config_problem(standin, data_dir):
    from app.domain.errors import ConfigError

    services = build_services(make_config(standin), data_dir=Path(data_dir))
    with services, pytest.raises(ConfigError):
        services.offline.load(_file(standin))
    assert local_files(data_dir) == set()
