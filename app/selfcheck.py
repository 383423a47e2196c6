"""The ``--self-check``: proves this program (frozen or not) has what the product needs, as JSON.

Checks the keychain backend (a fallback is only a warning: the honest file fallback exists),
the TLS trust store, the machine id, the Qt platform plugin the wizard would use (in a child
process, because Qt aborts the process when no platform plugin loads; the probe itself is
``app.ui.selfcheck_qt``, as only ``app.ui`` imports Qt; with no display it says so as
``qt.display: false`` and checks Qt on the offscreen plugin), and the bundled resources. Prints nothing secret: no key, no
machine id, no fingerprint.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

from app import __version__
from app.config import DEFAULT_CONFIG_PATH, VendorConfig, load_config
from app.domain.errors import ConfigError, WizardError

#: The argument that makes the program run only the Qt probe (used by the self-check itself).
QT_PROBE_FLAG = "--self-check-qt-probe"
#: Files under resources/ that the GUI loads (app/ui/theme.py) and the default config.
REQUIRED_RESOURCES: tuple[str, ...] = ("vendor.toml", "icons/logo.svg", "styles/wizard.qss")
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_CONFIG = 2
#: ``qt.displayError`` when Linux has no display: the wizard would not open, commands work.
NO_DISPLAY = (
    "no display (DISPLAY / WAYLAND_DISPLAY not set): the wizard window cannot open here; "
    "checked Qt on the offscreen platform instead"
)
_PROBE_TIMEOUT = 60.0  # seconds; a first Qt start on a cold disk can take a while


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def run_self_check(config: VendorConfig) -> tuple[int, dict[str, Any]]:
    """Run every check; returns (exit code, report). Exit code 0 only when nothing is missing."""
    resources = resources_check(config)
    report: dict[str, Any] = {
        "ok": False,
        "version": app_version(),
        "frozen": is_frozen(),
        "platform": sys.platform,
        "config": {"source": config.source, "appId": config.app_id},
        "keyring": keyring_check(),
        "tls": tls_check(),
        "machineId": machine_id_check(config.app_id),
        "qt": qt_check(_logo_for_probe(config)),
        "resources": resources,
    }
    failures = _failures(report)
    report["failures"] = failures
    report["warnings"] = _warnings(report)
    report["ok"] = not failures
    return (EXIT_OK if not failures else EXIT_FAILED), report


def app_version() -> str:
    return __version__


def keyring_check() -> dict[str, Any]:
    """Which keychain the key would go to; ``fallback`` means the private-file fallback."""
    from importlib.metadata import entry_points

    import keyring

    from app.platform.secrets import is_usable_backend

    backend = keyring.get_keyring()
    names = sorted({ep.name for ep in entry_points(group="keyring.backends")})
    return {
        "backend": f"{type(backend).__module__}.{type(backend).__qualname__}",
        "fallback": not is_usable_backend(backend),
        # keyring finds its backends through these entry points: none means missing metadata.
        "entryPoints": names,
    }


def tls_check() -> dict[str, Any]:
    """The trust store the API client uses (truststore: the OS store) and that it loads."""
    result: dict[str, Any] = {"trust": "truststore", "ok": False, "openssl": ssl.OPENSSL_VERSION}
    try:
        import truststore

        truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        result["ok"] = True
    except Exception as exc:  # any failure here means HTTPS cannot work as designed
        result["trust"] = "certifi" if _certifi_bundle() else "none"
        result["error"] = f"{type(exc).__name__}: {exc}"
    result["certifi"] = _certifi_bundle()
    return result


def machine_id_check(app_id: str) -> dict[str, Any]:
    """Whether the device fingerprint can be computed (the value itself is never printed)."""
    from app.platform.fingerprint import MACHINE_ID_ENV, fingerprint

    try:
        fingerprint(app_id)
    except WizardError as exc:
        return {"available": False, "error": exc.code}
    except Exception as exc:  # a frozen build missing a helper must show up here
        return {"available": False, "error": type(exc).__name__}
    source = "override" if os.environ.get(MACHINE_ID_ENV, "").strip() else "os"
    return {"available": True, "source": source}


def resources_check(config: VendorConfig) -> dict[str, Any]:
    root = DEFAULT_CONFIG_PATH.parent
    wanted = [root / name for name in REQUIRED_RESOURCES]
    if config.logo_path is not None:
        wanted.append(config.logo_path)
    missing = [_shown(path, root) for path in wanted if not path.is_file()]
    return {"found": root.is_dir() and not missing, "path": str(root), "missing": missing}


def qt_check(logo: Path | None) -> dict[str, Any]:
    """Probe the platform the wizard would use; with no display, say so (``display: false``,
    a warning: commands still work) and check the bundle's Qt on the offscreen plugin."""
    from app.ui.display_check import display_missing, is_headless  # plain Python, no Qt

    env = dict(os.environ)
    missing = display_missing(env)
    if missing:
        env["QT_QPA_PLATFORM"] = "offscreen"
    result = _qt_probe(logo, env)
    result["headless"] = missing or is_headless(env)
    result["display"] = result["ok"] and not result["headless"]
    if missing:
        result["displayError"] = NO_DISPLAY
    elif is_headless(env):
        result["displayError"] = f"QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}: windows are not shown"
    elif not result["ok"]:
        result["displayError"] = result.get("error", "")
    return result


def _qt_probe(logo: Path | None, env: dict[str, str]) -> dict[str, Any]:
    """Start the Qt probe in a child process and read its JSON lines."""
    command = [*_probe_command(), *([str(logo)] if logo else [])]
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=_PROBE_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"ok": False, "platformPlugin": None, "pluginsFound": [], "error": str(exc)}
    result: dict[str, Any] = {"platformPlugin": None, "pluginsFound": []}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    result["ok"] = done.returncode == 0 and bool(result.get("platformPlugin"))
    if done.returncode != 0:
        result["error"] = _last_lines(done.stderr) or f"probe exited {done.returncode}"
    return result


def main(argv: list[str] | None = None) -> int:
    """``--self-check [--config FILE]``: print the report as one JSON object; see the README."""
    args = argv if argv is not None else sys.argv[1:]
    if QT_PROBE_FLAG in args:  # the child process of qt_check: Qt lives in app.ui
        from app.ui.selfcheck_qt import qt_probe

        return qt_probe(args[args.index(QT_PROBE_FLAG) + 1 :])
    parser = argparse.ArgumentParser(prog="activation-wizard --self-check", add_help=False)
    parser.add_argument("--config")
    known, _ = parser.parse_known_args(args)
    try:
        config = load_config(known.config)
    except ConfigError as exc:
        report = {"ok": False, "code": exc.code, "message": exc.message, "field": exc.field}
        print(json.dumps(report, indent=2))
        return EXIT_BAD_CONFIG
    code, report = run_self_check(config)
    print(json.dumps(report, indent=2))
    return code


def _failures(report: dict[str, Any]) -> list[str]:
    checks = {
        "resources": report["resources"]["found"],
        "machineId": report["machineId"]["available"],
        "qt": report["qt"]["ok"],
        "tls": report["tls"]["ok"],
    }
    return [name for name, ok in checks.items() if not ok]


def _warnings(report: dict[str, Any]) -> list[str]:
    warnings = []
    if report["keyring"]["fallback"]:
        warnings.append("no usable keychain: the license key would be kept in a private file")
    if not report["keyring"]["entryPoints"]:
        warnings.append("keyring found no backend entry points (missing package metadata)")
    if not report["qt"].get("display", True) and report["qt"]["ok"]:
        warnings.append(f"qt: {report['qt']['displayError']}")
    return warnings


def _probe_command() -> list[str]:
    if is_frozen():
        return [sys.executable, QT_PROBE_FLAG]
    return [sys.executable, "-m", "app.selfcheck", QT_PROBE_FLAG]


def _logo_for_probe(config: VendorConfig) -> Path | None:
    logo = config.logo_path
    if logo is not None and logo.is_file():
        return logo
    default = DEFAULT_CONFIG_PATH.parent / "icons" / "logo.svg"
    return default if default.is_file() else None


def _certifi_bundle() -> bool:
    try:
        import certifi

        return Path(certifi.where()).is_file()
    except Exception:  # certifi missing or its data file not bundled
        return False


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _last_lines(text: str, count: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-count:])


if __name__ == "__main__":
    sys.exit(main())
