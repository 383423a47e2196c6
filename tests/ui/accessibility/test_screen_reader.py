"""The wizard as a screen reader meets it: a real AT-SPI client (``atspi_walker.py`` under the
system Python 3) activates a license only through the accessibility tree, then reads every
page, problem and dialog. Needs Xvfb, D-Bus and at-spi2-core (skips without them, fails under
``REQUIRE_SYSTEM_TESTS=1``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import VendorConfig
from app.platform.state import ActivationStore
from tests.support.system import missing, require_binary
from tests.ui.test_outages import _machines

ROOT = Path(__file__).resolve().parents[3]
WALKER = Path(__file__).with_name("atspi_walker.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
PRODUCT = "Studio Pro"
TITLE = f"{PRODUCT} activation"
WALK_TIMEOUT_S = 120  # one run: start the wizard, walk it, close it
# The walk (a dozen runs under Xvfb, about a minute) is the first test's set-up: allow it.
pytestmark = pytest.mark.timeout(900)

# (run name, fixture scenario or None for a well-formed unknown key, stand-in faults, dialog)
PROBLEMS: list[tuple[str, str | None, list[dict], str | None]] = [
    ("expired", "expired", [], None),
    ("suspended", "suspended", [], None),
    ("revoked", "revoked", [], None),
    ("banned", "banned", [], None),
    ("feature missing", "entitlements", [], None),
    ("uses exceeded", "uses-exceeded", [], None),
    ("seat limit", "seat-limit", [], "Free a seat"),
    ("unknown key", None, [], None),
    (
        "service down",
        "valid-2",
        [{"route": "validate-key", "kind": "status", "status": 503, "count": None}],
        None,
    ),
    (
        "rate limited",
        "valid-2",
        [{"route": "validate-key", "kind": "rate_limit", "retryAfter": 90, "count": None}],
        None,
    ),
]
UNKNOWN_KEY = "ZZ-AAAA-BBBB-CCCC-DDDD"


def _require_at_spi() -> None:
    require_binary("xvfb-run", "xvfb")
    require_binary("dbus-run-session", "dbus-bin")
    if not BUS_LAUNCHER.is_file():
        missing(f"{BUS_LAUNCHER} is not installed (Debian package `at-spi2-core`)")
    probe = (
        subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False)
        if Path(SYSTEM_PYTHON).is_file()
        else None
    )
    if probe is None or probe.returncode != 0:
        missing(f"{SYSTEM_PYTHON} cannot import pyatspi (Debian package `python3-pyatspi`)")


def _config_file(tmp_path: Path, standin_url: str, relay_url: str) -> Path:
    path = tmp_path / "vendor.toml"
    path.write_text(
        "[vendor]\n"
        f'product_name = "{PRODUCT}"\n'
        'vendor_name = "Example Software"\n'
        'app_id = "com.example.studio-a11y"\n'
        f'api_url = "{standin_url}"\n'
        f'relay_url = "{relay_url}"\n'
        'required_entitlements = ["pro"]\n'
        'support_email = "support@example.com"\n'
        'renew_url = "https://example.com/renew"\n',
        encoding="utf-8",
    )
    return path


def _spec(tmp_path: Path, standin, relay_url: str) -> dict:
    keys = standin.fixtures
    activated = str(tmp_path / "activated")
    runs = [
        {"name": "activate", "kind": "activate", "key": keys["valid"], "data_dir": activated},
        {"name": "reopen", "kind": "reopen", "data_dir": activated},
    ]
    for index, (name, scenario, faults, dialog) in enumerate(PROBLEMS):
        run = {
            "name": name,
            "kind": "problem",
            "key": keys[scenario] if scenario else UNKNOWN_KEY,
            "faults": faults,
            "data_dir": str(tmp_path / f"problem-{index}"),
        }
        if dialog:
            run |= {"dialogs": [dialog], "dialog_title": "Manage computers"}
        runs.append(run)
    env = {
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # the honest file fallback
        "PYTHONPATH": str(ROOT),
    }
    return {
        "command": [
            sys.executable,
            "-m",
            "app",
            "--config",
            str(_config_file(tmp_path, standin.url, relay_url)),
        ],
        "env": env,
        "standin": standin.url,
        "title": TITLE,
        "placeholders": [VendorConfig.product_name],
        "runs": runs,
    }


def _walk(tmp_path: Path, spec: dict) -> dict:
    """Each run in its own D-Bus session, AT-SPI bus and X display: a wizard still leaving
    the bus can never hold up the next one."""
    runs = []
    for index, run in enumerate(spec["runs"]):
        runs += _walk_once(tmp_path / f"walk-{index}", {**spec, "runs": [run]})["runs"]
    return {"runs": runs}


def _walk_once(tmp_path: Path, spec: dict) -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec_path, report_path = tmp_path / "spec.json", tmp_path / "report.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    command = [
        "dbus-run-session",
        "--",
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1280x1024x24",
        SYSTEM_PYTHON,
        str(WALKER),
        str(spec_path),
        str(report_path),
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as walk:
        try:
            output, _ = walk.communicate(timeout=WALK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(walk.pid, signal.SIGKILL)  # the walker, its wizard, Xvfb and the bus
            output, _ = walk.communicate()
            pytest.fail(f"the AT-SPI walk did not end in {WALK_TIMEOUT_S} s:\n{output[-4000:]}")
    assert walk.returncode == 0, f"the walker failed:\n{output[-4000:]}"
    return json.loads(report_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(tmp_path_factory, standin_server) -> dict:
    """One walk for the module (it takes a minute): its own relay, the stand-in reset."""
    from app.relay import RelayServer

    _require_at_spi()
    standin_server.reset()
    tmp_path = tmp_path_factory.mktemp("a11y")
    with RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"]) as relay:
        walked = _walk(tmp_path, _spec(tmp_path, standin_server, relay.url))
    walked["tmp"] = str(tmp_path)
    return {**walked, "by_name": {run["name"]: run for run in walked["runs"]}}


def _screens(run: dict, prefix: str) -> list[dict]:
    return [s for s in run["screens"] if s["screen"].startswith(prefix)]


def test_every_run_ends_normally(report):
    for run in report["runs"]:
        assert run["error"] == "", f"{run['name']}: {run['error']}"
        assert run["exit_code"] == 0, f"{run['name']} exited with {run['exit_code']}"


def test_every_screen_meets_the_rules(report):
    findings = [f for run in report["runs"] for s in run["screens"] for f in s["findings"]]
    assert findings == []
    names = [s["screen"] for run in report["runs"] for s in run["screens"]]
    for expected in (
        "key page",
        "device page",
        "result: activated",
        "status page",
        "devices dialog",
        "move confirmation",
        "dialog from seat limit",
    ):
        assert any(n.startswith(expected) for n in names), f"{expected} was never read"


def test_activated_through_the_tree_only(report, standin_server):
    run = report["by_name"]["activate"]
    record = ActivationStore(Path(report["tmp"]) / "activated").load()
    assert record is not None
    assert record.device_name == run["device_name"]
    names = [m["name"] for m in _machines(standin_server, "valid")]
    assert run["device_name"] in names


def test_facts_values_are_read(report):
    for run_name, screen in (("activate", "result: activated"), ("reopen", "status page")):
        facts = _screens(report["by_name"][run_name], screen)[0]["facts"]
        assert facts.get("Product") == PRODUCT, facts
        assert facts.get("This computer") == report["by_name"]["activate"]["device_name"]
        assert any(ch.isdigit() for ch in facts.get("Expires", "")), facts


def test_problem_titles_are_headings_and_announced(report):
    for name, *_ in PROBLEMS:
        run = report["by_name"][name]
        (screen,) = _screens(run, f"result: {name}")
        assert len(screen["headings"]) == 1, screen["headings"]
        title = screen["headings"][0].rstrip(".")
        assert title, name
        heard = [a for a in run["announcements"] if a.startswith(title)]
        assert heard, f"{name}: {title!r} never announced; heard {run['announcements']}"


def test_no_title_shows_a_placeholder(report):
    windows = [s["window"] for run in report["runs"] for s in run["screens"]]
    assert windows and all(VendorConfig.product_name not in w for w in windows), windows
    assert any(w.startswith(TITLE) for w in windows)
