"""Helpers for the command-line tests: a vendor config for the stand-in, ``Cli`` running
``main`` in-process, and the assertions several test modules share."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.cli import main
from app.domain.problems import exit_code_for
from app.presentation.problems import problem_for_code
from tests.services.support import (
    local_files,
    stored_key,
)

APP_ID = "com.example.clitest"
PRODUCT = "Studio Pro"
PYTHON = sys.executable

# scenario -> (exit code, JSON code); each produced by the stand-in's seeded fixtures.
SCENARIOS = {
    "valid": (0, "VALID"),
    "expired": (5, "EXPIRED"),
    "expired-allow-access": (0, "EXPIRED"),
    "suspended": (5, "SUSPENDED"),
    "revoked": (5, "REVOKED"),
    "banned": (5, "BANNED"),
    "seat-limit": (4, "MACHINE_LIMIT_EXCEEDED"),
    "heartbeat": (0, "VALID"),
    "entitlements": (5, "ENTITLEMENTS_MISSING"),
    "uses-exceeded": (5, "USES_EXCEEDED"),
    "offline": (0, "VALID"),
}
FAILING = [name for name, (rc, _) in SCENARIOS.items() if rc != 0]


def write_config(directory: Path, api_url: str, **extra: object) -> Path:
    values = {
        "product_name": PRODUCT,
        "app_id": APP_ID,
        "api_url": api_url,
        "timeout_seconds": 5,
        **extra,
    }
    lines = [f"{name} = {json.dumps(value)}" for name, value in values.items()]
    path = directory / f"vendor-{abs(hash(tuple(lines)))}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Cli:
    """Runs ``main`` in-process with a config file for the stand-in."""

    def __init__(self, capsys, tmp_path: Path, standin) -> None:
        self.capsys = capsys
        self.tmp_path = tmp_path
        self.standin = standin
        self.config = write_config(tmp_path, standin.url)

    def use(self, **extra: object) -> None:
        self.config = write_config(self.tmp_path, extra.pop("api_url", self.standin.url), **extra)

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        rc = main(["--config", str(self.config), *args])
        out, err = self.capsys.readouterr()
        return rc, out, err

    def json(self, *args: str) -> tuple[int, dict]:
        rc, out, _ = self.run(*args, "--json")
        lines = out.splitlines()
        assert len(lines) == 1, out  # exactly one JSON object, nothing else
        payload = json.loads(lines[0])
        assert {"ok", "code", "message"} <= payload.keys()
        assert payload["ok"] is (rc == 0)
        if rc:
            assert payload["exitCode"] == rc
        return rc, payload


def assert_no_state(data_dir: str) -> None:
    assert local_files(data_dir) == set()
    assert stored_key(APP_ID) is None


def assert_explains(payload: dict, code: str) -> None:
    """The message is the catalogue's entry for ``code`` in plain words (the code only in the
    support line); titles carry numbers, so the entry is recognised by its support code."""
    entries = {
        p.support_code: p
        for kind in ("validation", "api", "local")
        if (p := problem_for_code(code, kind=kind, product=PRODUCT)).code == code
    }
    entry = entries[payload["supportCode"].split(" · ")[0]]
    assert payload["message"] and code not in payload["message"]
    assert payload["action"] == entry.label


def exit_code_for_code(code: str) -> int:
    from app.domain import errors

    cls = next(c for c in vars(errors).values() if getattr(c, "default_code", None) == code)
    return exit_code_for(cls())
