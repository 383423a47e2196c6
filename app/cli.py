"""The command line: the GUI by default, sub-commands for installers (exit codes, JSON).

Sub-commands never import Qt; only the GUI paths import ``app.ui`` (lazily, here).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from app import __version__
from app.config import VendorConfig, load_config, with_overrides
from app.domain.errors import (
    CancelledError,
    ConfigError,
    LicenseInvalidError,
    MachineLimitError,
    RateLimitedError,
    WizardError,
)
from app.domain.exit_codes import EXIT_BAD_INPUT, EXIT_OK, EXIT_UNEXPECTED
from app.domain.exit_codes import HELP as EXIT_CODES_HELP
from app.domain.license_key import KeyRedactingFilter, mask_key, normalise_key, redact
from app.domain.problems import exit_code_for
from app.presentation.license_facts import licensed_product, licensee, product_for_failure
from app.presentation.problems import ProblemContext, problem_for, problem_message
from app.presentation.words import compact_time, iso

if TYPE_CHECKING:  # annotations only: keeps the models off the wizard's start-up path
    from app.domain.models import DeviceList, Machine

PROGRAM = "activation-wizard"
KEY_ENV = "ACTIVATION_WIZARD_KEY"

log = logging.getLogger(__name__)


class UsageError(Exception):
    """Bad command-line use (exit 2); ``code`` is what ``--json`` reports."""

    def __init__(self, message: str, code: str = "USAGE") -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


# --- entry point ----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code (see README, "Exit codes")."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-check" in argv:  # also answered by installer/entry.py in frozen builds
        from app import selfcheck

        return selfcheck.main(argv)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return Output(json_mode="--json" in argv).usage(exc)
    except SystemExit as exc:  # --help and --version print and stop here
        return int(exc.code or 0)
    out = Output(json_mode=args.json)
    with _logging(args.verbose) as redactor:
        try:
            key = _read_key(args)
            if key:
                redactor.remember(key)
                out.secret = key
            out.context = ProblemContext(command=_repeat_command(args), program=PROGRAM)
            config = _config(args)
            out.product = config.product_name
            out.context = ProblemContext.from_vendor(
                config, command=_repeat_command(args), program=PROGRAM
            )
            return _dispatch(args, config, out, key)
        except UsageError as exc:
            return out.usage(exc)
        except WizardError as exc:
            return out.failure(exc)
        except KeyboardInterrupt:
            return out.failure(CancelledError("interrupted"))
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            return out.unexpected(exc, verbose=args.verbose)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROGRAM,
        description="Activate this computer's license. Without a command, opens the wizard.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_global_options(parser, top=True)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check this installation (keychain, certificates, device id, display) and print JSON",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the wizard against a local demo server"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    activate = _command(commands, "activate", "activate this computer without the wizard")
    _add_key_option(activate, f"the license key ({KEY_ENV} when not given)")
    activate.add_argument("--name", help="the device name shown in the license's device list")
    _command(commands, "status", "show the stored activation and check it online")
    _command(commands, "deactivate", "deactivate this computer and forget the license here")
    devices = _command(commands, "devices", "list the license's devices (needs the relay)")
    _add_key_option(devices, "the license key (default: the one activated here)")
    device_commands = devices.add_subparsers(dest="devices_command", metavar="ACTION")
    remove = _command(device_commands, "deactivate", "deactivate another device by its id")
    remove.add_argument("id", help="the device id from `devices`")
    _add_key_option(remove, "the license key (default: the one activated here)", nested=True)
    check = _command(commands, "check", "exit 0 when licensed (a recent saved answer counts)")
    check.add_argument("--gui", action="store_true", help="open the wizard when not licensed")
    return parser


def _command(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text)
    _add_global_options(sub, top=False)
    return sub


def _add_key_option(
    parser: argparse.ArgumentParser, help_text: str, *, nested: bool = False
) -> None:
    # A nested command may repeat --key; it only overrides what was given.
    default = argparse.SUPPRESS if nested else None
    parser.add_argument(
        "--key", default=default, help=f"{help_text}; '-' reads it from standard input"
    )


def _add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Accepted before and after the command; sub-parsers only override what was given.
    def default(value: Any) -> Any:
        return value if top else argparse.SUPPRESS

    parser.add_argument("--config", metavar="FILE", default=default(None), help="vendor TOML")
    parser.add_argument(
        "--api-url", metavar="URL", default=default(None), help="the Licentric service address"
    )
    parser.add_argument(
        "--relay-url", metavar="URL", default=default(None), help="the vendor's device relay"
    )
    parser.add_argument(
        "--json", action="store_true", default=default(False), help="print one JSON object"
    )
    parser.add_argument(
        "--verbose", action="store_true", default=default(False), help="log to stderr"
    )
    parser.add_argument("--data-dir", default=default(None), help=argparse.SUPPRESS)


def _config(args: argparse.Namespace) -> VendorConfig:
    config = load_config(args.config)
    return with_overrides(config, api_url=args.api_url, relay_url=args.relay_url)


def _read_key(args: argparse.Namespace) -> str | None:
    """The key given on the command line, stdin or (for activate) the environment."""
    key = getattr(args, "key", None)
    if key == "-":
        # A piped key may arrive wrapped over lines (copied from an e-mail): read it all.
        key = sys.stdin.readline() if sys.stdin.isatty() else sys.stdin.read(4096)
    elif key is None and args.command == "activate":
        key = os.environ.get(KEY_ENV)
    if args.command != "activate" and key is None:
        return None  # devices: the key stored here
    if not key or not key.strip():
        raise UsageError(
            f"{args.command} needs --key KEY (or --key - to read it from stdin"
            + (f", or {KEY_ENV})." if args.command == "activate" else ").")
        )
    return key.strip()


def _repeat_command(args: argparse.Namespace) -> str:
    """The command to run again, as the steps of a problem name it (never the real key)."""
    words = [PROGRAM]
    if args.command:
        words.append(args.command)
    if getattr(args, "devices_command", None):
        words += [args.devices_command, args.id]
    if args.command == "activate" or getattr(args, "key", None) is not None:
        words += ["--key", "YOUR-KEY"]
    return " ".join(words)


# --- commands ---------------------------------------------------------------------------


def _dispatch(args: argparse.Namespace, config: VendorConfig, out: Output, key: str | None) -> int:
    if args.command is None:
        return _run_gui(with_overrides(config, demo=True) if args.demo else config, out)
    if args.demo:
        raise UsageError("--demo opens the wizard; it cannot be combined with a command.")
    from app.services import build_services  # keeps `--version` and `--help` fast

    data_dir = Path(args.data_dir) if args.data_dir else None
    with build_services(config, data_dir=data_dir) as services:
        if args.command == "activate":
            return _activate(services, key or "", args.name, out)
        if args.command == "status":
            return _status(services, out, check_only=False)
        if args.command == "check":
            return _check(services, out, gui=args.gui)
        if args.command == "deactivate":
            return _deactivate(services, out)
        return _devices(services, out, getattr(args, "id", None), key)


def _activate(services: Any, key: str, name: str | None, out: Output) -> int:
    steps: list[str] = []

    def on_step(step: Any, state: Any) -> None:
        log.info("step %s: %s", step.value, state.value)
        if state.value == "started":
            steps.append(step.value)

    out.failed_step = lambda: steps[-1] if steps else None
    _refuse_another_license(services, key)
    outcome = services.activation.activate(key, name, on_step=on_step)
    record, result = outcome.record, outcome.validation
    product = licensed_product(result.license, services.config.product_name)
    lic = result.license
    fields = {
        "machineId": record.machine_id,
        "licenseId": record.license_id,
        "deviceName": record.device_name,
        "keyStorage": outcome.key_storage,
        "keyFile": _key_file(services, outcome.key_storage),
        "key": record.key_masked,
        "product": product,
        "licensee": licensee(lic.name if lic else None, product),
        "expiresAt": iso(lic.expires_at if lic else None),
        "entitlements": list(result.entitlements),
        "seats": _seats(lic.machine_count if lic else None, lic.max_machines if lic else None),
        "alreadyActive": outcome.already_active,
        "clockSkewSeconds": outcome.clock_skew_seconds,
        "virtualization": outcome.virtualization,
    }
    lines = [f'Activated {product} on "{record.device_name}".', *_license_lines(fields)]
    if outcome.already_active:
        lines.append("This computer was already activated; no extra seat was used.")
    if outcome.expired_but_usable:
        lines.append("The license has expired but can still be used. Renew it soon.")
    if outcome.clock_is_off:
        lines.append("This computer's clock is wrong. Set the date and time automatically.")
    lines.append(_storage_line(fields["keyFile"]))
    return out.success(result.code, f"{product} is activated on this computer.", fields, lines)


def _refuse_another_license(services: Any, key: str) -> None:
    """Activating a second key here would forget the first one while its seat stays taken
    on the server, with no way left to free it from this computer: deactivate first."""
    record = services.status.stored()
    if record is None:
        return
    try:
        same = record.key_masked == mask_key(normalise_key(key))
    except WizardError:
        return  # a malformed key is explained by the activation itself
    if not same:
        raise UsageError(
            f"This computer is already activated with another license key "
            f"({record.key_masked}). Run `{PROGRAM} deactivate` first to free its seat, "
            "then activate with the new key.",
            code="ALREADY_ACTIVATED",
        )


def _status(services: Any, out: Output, *, check_only: bool) -> int:
    report = services.status.check()
    record = report.record
    product = report.product or services.config.product_name
    used, total = report.seats
    fields = {
        "licensed": report.licensed,
        "stale": report.stale,
        "online": report.online,
        "checkedAt": iso(report.checked_at),
        "machineId": record.machine_id,
        "licenseId": record.license_id,
        "deviceName": record.device_name,
        "keyStorage": report.key_storage,
        "keyFile": _key_file(services, report.key_storage),
        "key": record.key_masked,
        "product": product,
        "licensee": licensee(report.licensee, product),
        "expiresAt": iso(report.expires_at),
        "entitlements": list(report.entitlements),
        "seats": _seats(used, total),
    }
    if report.problem is not None:
        out.product = product  # the same name as on success
        return out.failure(report.problem, fields)
    code = report.validation.code if report.validation else "VALID"
    message = f"{product} is activated on this computer."
    lines = [message, *_license_lines(fields)]
    if report.stale:
        when = compact_time(report.checked_at)
        until = _grace_end(report.checked_at, services.config)
        fields["offlineUntil"] = iso(until)
        lines.append(
            f"The licensing service could not be reached; this is the answer from {when}. "
            f"It keeps counting without a connection until {compact_time(until)}."
        )
    elif not check_only:
        lines.append(f"Checked with the licensing service at {compact_time(report.checked_at)}.")
    if not check_only:
        lines.append(_storage_line(fields["keyFile"]))
    return out.success(code, message, fields, lines)


def _check(services: Any, out: Output, *, gui: bool) -> int:
    if not gui:
        return _status(services, out, check_only=True)
    quiet = Output(json_mode=True, stream=_Discard())
    code = _status(services, quiet, check_only=True)
    if code == EXIT_OK:
        return _status(services, out, check_only=True)
    rc = _run_gui(services.config, out)
    if rc != EXIT_OK:
        return rc
    return _status(services, out, check_only=True)


def _deactivate(services: Any, out: Output) -> int:
    record = services.transfer.deactivate_this()
    message = "This computer is deactivated. You can now activate the license on another computer."
    fields = {"machineId": record.machine_id, "licenseId": record.license_id}
    return out.success("OK", message, fields, [message])


def _devices(services: Any, out: Output, machine_id: str | None, key: str | None) -> int:
    devices = services.devices
    if machine_id is not None:
        if machine_id == devices.this_machine_id:
            raise UsageError(
                f"That is this computer. Use `{PROGRAM} deactivate` to deactivate this computer.",
                code="THIS_COMPUTER",
            )
        devices.deactivate(machine_id, key)
        message = "The device is deactivated and its seat is free."
        return out.success("OK", message, {"machineId": machine_id}, [message])
    listing: DeviceList = devices.list(key)
    rows = [_device_fields(m, devices.is_this_computer(m)) for m in listing.devices]
    seats = _seats(listing.machine_count, listing.max_machines)
    message = _seats_sentence(listing.machine_count, listing.max_machines)
    lines = [message, *(_device_line(row) for row in rows)]
    return out.success("OK", message, {"devices": rows, "seats": seats}, lines)


def _run_gui(config: VendorConfig, out: Output) -> int:
    try:
        from app.ui.application import run_gui
    except ImportError as exc:
        log.debug("the GUI cannot be loaded: %s", exc)
        return out.usage(
            UsageError(
                "The wizard window is not available in this installation. "
                "Use a command instead (see --help).",
                code="GUI_UNAVAILABLE",
            ),
            exit_code=EXIT_UNEXPECTED,
        )
    if config.demo and importlib.util.find_spec("app.standin") is None:
        # Vendor builds leave the demo servers out on purpose.
        return out.usage(
            UsageError(
                "The demo is not part of this build. Run it from the source tree "
                "(see README) or open the wizard without --demo.",
                code="DEMO_UNAVAILABLE",
            )
        )
    return int(run_gui(config, demo=config.demo) or 0)


# --- presentation -----------------------------------------------------------------------


class Output:
    """Writes either plain lines or exactly one JSON object, and returns the exit code."""

    def __init__(self, *, json_mode: bool, stream: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self._stream = stream
        self.failed_step: Callable[[], str | None] = lambda: None
        self.secret: str | None = None  # the key in use: masked wherever it would appear
        self.product = "this product"
        self.context: ProblemContext | None = None

    def success(self, code: str, message: str, fields: dict[str, Any], lines: list[str]) -> int:
        if self.json_mode:
            self._json({"ok": True, "code": code, "message": message, **fields})
        else:
            self._print(lines)
        return EXIT_OK

    def failure(self, error: WizardError, fields: dict[str, Any] | None = None) -> int:
        product = product_for_failure(error, self.product)
        context = replace(self.context or ProblemContext(), failed_step=self.failed_step())
        problem = problem_for(error, product=product, context=context)
        exit_code = exit_code_for(error)
        message = problem_message(problem)
        steps = [str(step) for step in problem.steps]
        log.info("failed with %s (exit %d)", error.code, exit_code)
        if self.json_mode:
            payload = {
                "ok": False,
                "code": error.code,
                "message": message,
                "steps": steps,
                "action": problem.label,
                "actionId": problem.action.value,  # stable; the label is copy and may change
                "supportCode": problem.support_code,
                "exitCode": exit_code,
                "failedStep": self.failed_step(),
                **_error_fields(error),
                **(fields or {}),
            }
            self._json(payload)
        else:
            self._print([problem.as_text(), *_vendor_lines(error)], stream=sys.stderr)
        return exit_code

    def usage(self, error: UsageError, *, exit_code: int = EXIT_BAD_INPUT) -> int:
        message = str(error)
        if self.json_mode:
            self._json({"ok": False, "code": error.code, "message": message, "exitCode": exit_code})
        else:
            self._print([f"activation-wizard: {message}"], stream=sys.stderr)
        return exit_code

    def unexpected(self, exc: Exception, *, verbose: bool) -> int:
        message = "Something unexpected went wrong. Run again with --verbose for details."
        if verbose:
            detail = "".join(traceback.format_exception(exc))
            sys.stderr.write(redact(detail, self.secret))
        if self.json_mode:
            payload = {"ok": False, "code": "UNEXPECTED", "message": message, "exitCode": 1}
            self._json(payload)
        else:
            self._print([message], stream=sys.stderr)
        return EXIT_UNEXPECTED

    def _json(self, payload: dict[str, Any]) -> None:
        stream = self._stream or sys.stdout
        stream.write(
            redact(json.dumps(payload, ensure_ascii=False, default=str), self.secret) + "\n"
        )
        stream.flush()

    def _print(self, lines: list[str], stream: TextIO | None = None) -> None:
        target = self._stream or stream or sys.stdout
        target.write(redact("\n".join(lines), self.secret) + "\n")
        target.flush()


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _error_fields(error: WizardError) -> dict[str, Any]:
    """Numbers the user can act on, next to the explanation."""
    fields: dict[str, Any] = {}
    if isinstance(error, ConfigError):
        fields["setting"] = error.field or None
        fields["detail"] = error.message
    if isinstance(error, MachineLimitError):
        fields["seats"] = _seats(error.current_machines, error.max_machines)
    if isinstance(error, RateLimitedError):
        fields["retryAfter"] = error.retry_after
    if isinstance(error, LicenseInvalidError) and error.license is not None:
        fields["expiresAt"] = iso(error.license.expires_at)
    return fields


def _vendor_lines(error: WizardError) -> list[str]:
    """What the vendor needs to fix a broken configuration (users forward it to support)."""
    if isinstance(error, ConfigError):
        return [f"Details for the seller: {error.message}"]
    return []


def _license_lines(fields: dict[str, Any]) -> list[str]:
    lines = [f"  Device:      {fields['deviceName']}", f"  License key: {fields['key']}"]
    if fields.get("licensee"):
        lines.append(f"  Licensed to: {fields['licensee']}")
    if fields.get("expiresAt"):
        lines.append(f"  Expires:     {fields['expiresAt'][:10]}")
    else:
        lines.append("  Expires:     never")
    if fields.get("entitlements"):
        lines.append(f"  Includes:    {', '.join(fields['entitlements'])}")
    seats = fields.get("seats") or {}
    if seats.get("used") is not None and seats.get("max") is not None:
        lines.append(f"  Seats:       {seats['used']} of {seats['max']} in use")
    return lines


def _key_file(services: Any, storage: str) -> str | None:
    """The fallback key file, when the key lives there (the store's own path, not a guess)."""
    if storage != "file":
        return None
    from app.platform.secrets import SecretStore

    return str(SecretStore(services.config.app_id, services.data_dir).key_file)


def _storage_line(key_file: str | None) -> str:
    if key_file is None:
        return "The license key is kept in the system keychain."
    return (
        "No system keychain is available, so the license key is kept in a file only you can "
        f"read: {key_file}"
    )


def _device_fields(machine: Machine, this_computer: bool) -> dict[str, Any]:
    return {
        "id": machine.id,
        "name": machine.name,
        "platform": machine.platform,
        "hostname": machine.hostname,
        "activatedAt": iso(machine.created_at),
        "lastSeenAt": iso(machine.last_heartbeat_at),
        "thisComputer": this_computer,
    }


def _device_line(row: dict[str, Any]) -> str:
    mark = "  (this computer)" if row["thisComputer"] else ""
    activated = (row["activatedAt"] or "")[:10] or "unknown date"
    name = row["name"] or row["hostname"] or "Unnamed device"
    return f"  {row['id']}  {name} · {row['platform'] or 'unknown'} · since {activated}{mark}"


def _seats(used: int | None, total: int | None) -> dict[str, int | None]:
    return {"used": used, "max": total}


def _seats_sentence(used: int, total: int | None) -> str:
    if total is None:
        return f"{used} devices use this license."
    return f"{used} of {total} seats are in use."


def _grace_end(checked_at: datetime | None, config: VendorConfig) -> datetime | None:
    """When a saved answer stops counting without a connection (the offline grace)."""
    if checked_at is None:
        return None
    return checked_at + timedelta(hours=config.offline_grace_hours)


@contextmanager
def _logging(verbose: bool) -> Iterator[KeyRedactingFilter]:
    """``--verbose``: everything to stderr through the key-redacting filter; else quiet."""
    redactor = KeyRedactingFilter()
    handler: logging.Handler
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler = logging.NullHandler()  # keeps logging's last-resort printer out of stdout
    handler.addFilter(redactor)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    if verbose:
        root.setLevel(logging.DEBUG)
    try:
        yield redactor
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
