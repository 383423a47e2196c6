"""The self-check from the source tree (the frozen build runs the same code in test_frozen_cli)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from app import selfcheck
from app.config import load_config


def test_passes_from_the_source_tree_with_the_shipped_config():
    code, report = selfcheck.run_self_check(load_config())
    assert code == 0, json.dumps(report, indent=2)
    assert report["ok"] is True and report["frozen"] is False
    assert report["failures"] == []
    assert report["qt"]["platformPlugin"] == "offscreen"
    assert "offscreen" in report["qt"]["pluginsFound"]
    assert report["resources"]["missing"] == []


def test_keychain_fallback_is_a_warning_not_a_failure(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    keyring.core.init_backend()
    code, report = selfcheck.run_self_check(load_config())
    assert code == 0
    assert report["keyring"]["fallback"] is True
    assert report["keyring"]["backend"] == "keyring.backends.fail.Keyring"
    assert report["warnings"]


def test_missing_logo_fails_the_check(tmp_path):
    # replace() skips load_config's own logo check: this is a bundle that lost the file later.
    config = replace(load_config(), logo="gone.svg", source=str(tmp_path / "vendor.toml"))
    code, report = selfcheck.run_self_check(config)
    assert code == 1
    assert report["ok"] is False and "resources" in report["failures"]
    assert report["resources"]["missing"] == [str(tmp_path / "gone.svg")]


def test_main_prints_one_json_object_without_secrets(capsys, monkeypatch):
    monkeypatch.setenv("ACTIVATION_WIZARD_MACHINE_ID", "a-machine-id-that-must-not-leak")
    assert selfcheck.main(["--self-check"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["machineId"] == {"available": True, "source": "override"}
    assert "a-machine-id-that-must-not-leak" not in out


def test_bad_config_is_exit_code_2(tmp_path, capsys):
    bad = tmp_path / "vendor.toml"
    bad.write_text('app_id = "!"\n', encoding="utf-8")
    assert selfcheck.main(["--self-check", "--config", str(bad)]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report == {**report, "ok": False, "field": "app_id", "code": "CONFIG_INVALID"}


def test_no_display_is_reported_honestly_as_a_warning(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    code, report = selfcheck.run_self_check(load_config())
    qt = report["qt"]
    if not sys.platform.startswith("linux"):  # Windows and macOS always have a display
        assert qt["display"] is True
        return
    assert code == 0, json.dumps(report, indent=2)
    assert qt["ok"] is True and qt["display"] is False and qt["headless"] is True
    assert qt["platformPlugin"] == "offscreen"  # the bundle's Qt was still checked
    assert "wizard window cannot open" in qt["displayError"]
    assert any(w.startswith("qt: no display") for w in report["warnings"])


def test_an_explicit_offscreen_platform_shows_no_window(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    code, report = selfcheck.run_self_check(load_config())
    assert code == 0
    assert report["qt"]["display"] is False
    assert report["qt"]["displayError"].startswith("QT_QPA_PLATFORM=offscreen")
