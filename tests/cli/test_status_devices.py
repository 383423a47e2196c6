"""`status`, `check`, `deactivate` and `devices` (through the relay) over real HTTP."""

from __future__ import annotations

import sys
import uuid
from datetime import datetime, timedelta

import httpx

from tests.cli.support import (
    APP_ID,
    exit_code_for_code,
)
from tests.services.support import (
    local_files,
    machines_of,
    stored_key,
)

# --- status, check, deactivate ------------------------------------------------------------


def test_status_offline_within_grace_is_stale_but_licensed(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("status")
    assert rc == 0 and payload["stale"] is True and payload["licensed"] is True
    grace = datetime.fromisoformat(payload["offlineUntil"]) - datetime.fromisoformat(
        payload["checkedAt"]
    )
    assert grace == timedelta(hours=72)  # the vendor's offline_grace_hours (default)
    rc, out, _ = cli.run("status")
    assert rc == 0 and "keeps counting without a connection until" in out
    assert cli.json("check")[0] == 0


def test_status_offline_beyond_grace(cli, fixtures, standin):
    cli.use(offline_grace_hours=0)
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("status")
    assert (rc, payload["code"]) == (6, "CONNECT_FAILED")
    assert cli.json("check")[0] == 6


def test_status_on_another_computer_does_not_use_the_cache(cli, fixtures, monkeypatch):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    monkeypatch.setenv("ACTIVATION_WIZARD_MACHINE_ID", "a-different-computer-42")
    rc, payload = cli.json("status")
    assert payload["code"] == "FINGERPRINT_NOT_FOUND"
    assert rc != 0 and payload["licensed"] is False
    assert cli.json("check")[0] != 0


def test_check_not_activated(cli):
    rc, payload = cli.json("check")
    assert (rc, payload["code"]) == (8, "NOT_ACTIVATED")


def test_deactivate_failure_keeps_local_state(cli, fixtures, standin, data_dir):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    files = local_files(data_dir)
    standin.add_fault("deactivate", "status", status=500, count=None)
    rc, payload = cli.json("deactivate")
    assert rc == 6 and payload["supportCode"].startswith("AW-")
    assert local_files(data_dir) == files
    assert stored_key(APP_ID) == fixtures["valid"]
    assert len(machines_of(standin, "valid")) == 1


def test_devices_list_and_deactivate(cli, fixtures, standin, relay):
    cli.use(relay_url=relay.url)
    rc, activated = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 0
    rc, listing = cli.json("devices")
    assert rc == 0 and listing["seats"]["used"] == 1
    [mine] = listing["devices"]
    assert mine["thisComputer"] and mine["id"] == activated["machineId"]
    rc, human, _ = cli.run("devices")
    assert rc == 0 and "(this computer)" in human and "1 of 3 seats" in human
    rc, refused = cli.json("devices", "deactivate", mine["id"])
    assert (rc, refused["code"]) == (2, "THIS_COMPUTER")
    assert len(machines_of(standin, "valid")) == 1


def test_devices_deactivate_another(cli, fixtures, standin, relay):
    cli.use(relay_url=relay.url)
    key = fixtures["valid"]
    # Another computer activated by plain HTTP (not through our code).
    other = httpx.post(
        standin.url + "/api/v1/machines",
        json={"fingerprint": "f" * 64, "name": "Old laptop", "platform": "linux"},
        headers={"Authorization": f"License {key}"},
    ).json()["data"]["id"]
    assert cli.json("activate", "--key", key)[0] == 0
    rc, listing = cli.json("devices")
    assert {d["id"]: d["thisComputer"] for d in listing["devices"]}[other] is False
    rc, done = cli.json("devices", "deactivate", other)
    assert rc == 0, done
    assert other not in [m["id"] for m in machines_of(standin, "valid")]
    assert len(machines_of(standin, "valid")) == 1


def test_deactivating_a_device_that_is_gone_points_to_the_list(cli, fixtures, standin, relay):
    cli.use(relay_url=relay.url)
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    gone = str(uuid.uuid4())  # well-formed, but no machine of this license
    rc, payload = cli.json("devices", "deactivate", gone)
    assert (rc, payload["code"]) == (3, "DEVICE_NOT_FOUND")
    assert gone in payload["message"]
    assert "Run `activation-wizard devices` for the current list." in payload["message"]
    assert "Try again" not in payload["message"]
    key_file = cli.tmp_path / "key.txt"
    key_file.write_text(fixtures["valid"])
    rc, _, err = cli.run("devices", "deactivate", gone, "--key-file", str(key_file))
    assert rc == 3
    assert "Run `activation-wizard devices --key-file FILE` for the current list." in err
    assert fixtures["valid"] not in err
    assert len(machines_of(standin, "valid")) == 1


def test_a_malformed_device_id_is_refused_before_any_request(cli, fixtures, standin):
    # No relay configured: any request would fail as RELAY_NOT_CONFIGURED instead.
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    rc, payload = cli.json("devices", "deactivate", "no-such-device")
    assert (rc, payload["code"]) == (2, "BAD_DEVICE_ID")
    assert "“no-such-device” is not a computer's id" in payload["message"]
    assert "`activation-wizard devices`" in payload["message"]
    assert len(machines_of(standin, "valid")) == 1


def test_seat_limit_freed_from_the_command_line(cli, fixtures, standin, relay):
    """The steps printed at the seat limit work as printed: list, free a seat, activate."""
    cli.use(relay_url=relay.url)
    key = fixtures["seat-limit"]
    rc, _, err = cli.run("activate", "--key", key)
    assert rc == 4
    assert "activation-wizard devices --key-file FILE" in err
    assert "activation-wizard devices deactivate ID --key-file FILE" in err
    assert "YOUR-KEY" not in err  # README: a key on the command line is visible to others
    assert "Click" not in err and "by itself" not in err
    key_file = cli.tmp_path / "key.txt"
    key_file.write_text(key + "\n")
    # The steps work as printed: not activated here, the key is given from a file.
    rc, listing = cli.json("devices", "--key-file", str(key_file))
    assert rc == 0 and listing["seats"] == {"used": 2, "max": 2}
    oldest = listing["devices"][0]["id"]
    rc, freed = cli.json("devices", "deactivate", oldest, "--key-file", str(key_file))
    assert rc == 0, freed
    rc, activated = cli.json("activate", "--key", key)
    # the relay may still count from before this seat: only the total is stated
    assert rc == 0 and activated["seats"] == {"max": 2}
    rc, status = cli.json("status")
    assert rc == 0 and status["seats"]["max"] == 2 and "used" in status["seats"]


def test_devices_key_from_stdin(cli, fixtures, relay, monkeypatch):
    import io

    cli.use(relay_url=relay.url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(fixtures["seat-limit"] + "\n"))
    rc, listing = cli.json("devices", "--key", "-")
    assert rc == 0 and listing["seats"]["used"] == 2


def test_devices_without_relay(cli, fixtures):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    rc, payload = cli.json("devices")
    assert payload["code"] == "RELAY_NOT_CONFIGURED"
    assert rc == exit_code_for_code("RELAY_NOT_CONFIGURED")
