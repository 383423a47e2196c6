"""Machine-wide activation through the services: kept in the system folder, found by every
user's lookup, and a user's own activation wins. (Run as root, as CI does; the unprivileged
side is in tests/platform/test_machine_store.py and tests/cli/test_machine_wide_cli.py.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.domain.proxy_sign_in import ProxyCredentials
from app.platform.proxy_sign_in import ENTRY
from app.services import build_services
from tests.services.support import APP_ID, machines_of, stored_key

pytestmark = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="writing machine-wide state needs root"
)


def _build(config, data_dir, **options):
    return build_services(config, data_dir=Path(data_dir), **options)


def test_machine_wide_activation_lives_in_the_system_folder(
    config, data_dir, system_data_dir, fixtures, standin
):
    with _build(config, data_dir, scope="machine") as machine:
        outcome = machine.activation.activate(fixtures["valid"], "Lab PC")

    folder = Path(system_data_dir)
    assert (folder / "activation.json").is_file()
    assert (folder / "private" / "license.key").read_text().strip() == fixtures["valid"]
    assert stored_key() is None  # not in the user's keychain
    assert not (Path(data_dir) / "activation.json").exists()
    with _build(config, data_dir, scope="auto") as found:
        assert found.machine_wide
        report = found.status.check()
    assert report.licensed and report.record.machine_id == outcome.record.machine_id


def test_a_users_own_activation_wins(config, data_dir, fixtures, standin):
    with _build(config, data_dir, scope="machine") as machine:
        machine.activation.activate(fixtures["valid"], "Lab PC")
    with _build(config, data_dir) as own:
        mine = own.activation.activate(fixtures["offline"], "My account")

    with _build(config, data_dir, scope="auto") as found:
        assert found.scope == "user"
        assert found.status.stored().license_id == mine.record.license_id


def test_deactivating_the_machine_wide_activation_frees_its_seat(
    config, data_dir, system_data_dir, fixtures, standin
):
    with _build(config, data_dir, scope="machine") as machine:
        machine.activation.activate(fixtures["valid"], "Lab PC")
    with _build(config, data_dir, scope="auto") as found:
        found.transfer.deactivate_this()

    assert machines_of(standin, "valid") == []
    assert not (Path(system_data_dir) / "activation.json").exists()
    assert not (Path(system_data_dir) / "private" / "license.key").exists()


def test_proxy_sign_in_is_remembered_only_when_asked(config, data_dir, memory_keyring):
    sign_in = ProxyCredentials("dom\\ann", "Pa55-word")
    with _build(config, data_dir) as services:
        assert services.proxy_sign_in.use(sign_in, remember=True)
        assert memory_keyring.store[(APP_ID, ENTRY)]
        assert services.proxy_sign_in.remembered() == sign_in
        services.proxy_sign_in.use(sign_in, remember=False)
        assert services.proxy_sign_in.remembered() is None
        assert services.proxy_sign_in.current == sign_in
        assert services.client.proxy is None  # nothing sent yet: chosen at the first request
