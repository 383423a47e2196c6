"""The commands, thin over the services: each reads its arguments, calls one service, and
hands the answer to ``Output`` (fields for JSON, lines for people).

Sub-commands never import Qt; only the GUI paths import ``app.ui`` (lazily, in ``run_gui``).
Adding a command: write ``def _name(services, args, out, key) -> int`` here, register it in
``COMMANDS`` under the sub-parser's name (``app.cli.parser.build_parser``), and give failures as
``WizardError`` (the problems table words them and picks the exit code) or ``UsageError``.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.devices import devices_command
from app.cli.heartbeat import heartbeat_command
from app.cli.offline import (
    activate_from_file,
    key_storage_line,
    offline_request_command,
    offline_status_line,
)
from app.cli.output import (
    Discard,
    Output,
    license_lines,
    seat_fields,
    storage_line,
)
from app.cli.parser import PROGRAM, UsageError, proxy_password
from app.config import VendorConfig, with_overrides
from app.domain.errors import (
    AdminRightsError,
    ProxyAuthFailedError,
    ProxyAuthRequiredError,
    WizardError,
)
from app.domain.exit_codes import EXIT_OK, EXIT_UNEXPECTED
from app.domain.license_key import mask_key, normalise_key
from app.domain.proxy_sign_in import ProxyCredentials
from app.i18n import _
from app.presentation.license_facts import grace_end, licensee, sentence, shown_product
from app.presentation.words import compact_time, iso

if TYPE_CHECKING:  # annotations only: the services load when a command runs
    from app.services import Services, StatusReport, Step, StepState

log = logging.getLogger(__name__)

Command = Callable[["Services", argparse.Namespace, Output, "str | None"], int]


def dispatch(args: argparse.Namespace, config: VendorConfig, out: Output, key: str | None) -> int:
    """Run the command ``args`` names (the wizard when none) and return its exit code."""
    if args.command is None:
        return run_gui(with_overrides(config, demo=True) if args.demo else config, out)
    if args.demo:
        raise UsageError(_("--demo opens the wizard; it cannot be combined with a command."))
    from app.services import build_services  # keeps `--version` and `--help` fast

    data_dir = Path(args.data_dir) if args.data_dir else None
    # activate: this user's own unless --machine-wide; the rest: the user's own, else the
    # machine-wide one (a user's own activation wins).
    scope = "machine" if args.machine_wide else "user" if args.command == "activate" else "auto"
    with build_services(
        config, data_dir=data_dir, scope=scope, proxy_credentials=_proxy_sign_in(args)
    ) as services:
        command = COMMANDS[args.command]
        try:
            return command(services, args, out, key)
        except ProxyAuthRequiredError as exc:
            # No sign-in given: the one the wizard remembered (keychain), if any, once.
            if isinstance(exc, ProxyAuthFailedError) or not services.proxy_sign_in.use_remembered():
                raise
            return command(services, args, out, key)


def _proxy_sign_in(args: argparse.Namespace) -> ProxyCredentials | None:
    password = proxy_password(args)
    return ProxyCredentials(args.proxy_user, password) if password is not None else None


def _activate(services: Services, key: str, name: str | None, out: Output) -> int:
    steps: list[str] = []

    def on_step(step: Step, state: StepState) -> None:
        log.info("step %s: %s", step.value, state.value)
        if state.value == "started":
            steps.append(step.value)

    out.failed_step = lambda: steps[-1] if steps else None
    _refuse_another_license(services, key)
    outcome = services.activation.activate(key, name, on_step=on_step)
    record, result = outcome.record, outcome.validation
    product = services.config.product_name  # validate-key does not name the product
    lic, view = result.license, outcome.license_view
    fields = {
        "machineId": record.machine_id,
        "licenseId": record.license_id,
        "deviceName": record.device_name,
        "keyStorage": outcome.key_storage,
        "keyFile": _key_file(services, outcome.key_storage),
        "machineWide": services.machine_wide,
        "key": record.key_masked,
        "product": product,
        "licensee": (view.licensee_name if view else None)
        or licensee(lic.name if lic else None, product),
        "status": lic.status if lic else None,
        "expiresAt": iso(lic.expires_at if lic else None),
        "entitlements": list(result.entitlements),
        # the relay may still count from before this seat: only the total is certain
        **seat_fields(None, view.seats_total if view else None),
        "alreadyActive": outcome.already_active,
        "clockSkewSeconds": outcome.clock_skew_seconds,
        "virtualization": outcome.virtualization,
    }
    activated = _('Activated {product} on "{device}".')
    shown = shown_product(product)
    lines = [sentence(activated.format(product=shown, device=record.device_name)),
             *license_lines(fields)]  # fmt: skip
    if outcome.already_active:
        lines.append(_("This computer was already activated; no extra seat was used."))
    if outcome.expired_but_usable:
        lines.append(_("The license has expired but can still be used. Renew it soon."))
    if outcome.clock_is_off:
        lines.append(_("This computer's clock is wrong. Set the date and time automatically."))
    lines.append(storage_line(fields["keyFile"]))
    message = sentence(_("{product} is activated on this computer.").format(product=shown))
    return out.success(result.code, message, fields, lines)


def _refuse_another_license(services: Services, key: str) -> None:
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
            _(
                "This computer is already activated with another license key ({key}). Run "
                "`{program} deactivate` first to free its seat, then activate with the new key."
            ).format(key=record.key_masked, program=PROGRAM),
            code="ALREADY_ACTIVATED",
        )


def _status(services: Services, out: Output, *, check_only: bool, strict: bool = False,
            max_age: float | None = None) -> int:  # fmt: skip
    report = services.status.check(strict=strict, max_age=max_age)
    record = report.record
    product = services.config.product_name  # validate-key does not name the product
    used, total = report.seats
    lic = report.validation.license if report.validation else None
    fields = {
        "licensed": report.licensed,
        "stale": report.stale,
        "online": report.online,
        "reused": report.reused,
        "checkedAt": iso(report.checked_at),
        "machineId": record.machine_id,
        "licenseId": record.license_id,
        "deviceName": record.device_name,
        "keyStorage": report.key_storage,
        "keyFile": _key_file(services, report.key_storage),
        "machineWide": services.machine_wide,
        "key": record.key_masked,
        "product": product,
        "licensee": licensee(report.licensee, product),
        "status": lic.status if lic else None,
        "expiresAt": iso(report.expires_at),
        "entitlements": list(report.entitlements),
        **seat_fields(used, total),
    }
    if report.problem is not None:
        out.product = product  # the same name as on success
        return out.failure(report.problem, fields)
    code = report.validation.code if report.validation else "VALID"
    message = _("{product} is activated on this computer.")
    if services.machine_wide:
        message = _("{product} is activated for every user of this computer.")
    message = sentence(message.format(product=shown_product(product)))
    lines = [message, *license_lines(fields)]
    if report.stale:
        when = compact_time(report.checked_at)
        until = grace_end(report.checked_at, services.config.offline_grace_hours)
        fields["offlineUntil"] = iso(until)
        lines.append(_saved_answer_line(report, when, compact_time(until)))
    elif report.reused:
        when = compact_time(report.checked_at)
        lines.append(_("Used the answer saved at {time} without asking again.").format(time=when))
    elif report.offline_until is not None:
        fields["offlineUntil"] = iso(report.offline_until)
        lines.append(offline_status_line(report.offline_until, report.key_storage))
    elif not check_only:
        when = compact_time(report.checked_at)
        lines.append(_("Checked with the licensing service at {time}.").format(time=when))
    if not check_only:
        lines.append(key_storage_line(report.key_storage, fields["keyFile"]))
    return out.success(code, message, fields, lines)


def _check(services: Services, out: Output, *, gui: bool, online: bool = False,
           max_age: float | None = None) -> int:  # fmt: skip
    if online and max_age is not None:
        raise UsageError(_("Give either --online or --max-age, not both."))
    if not gui:
        return _status(services, out, check_only=True, strict=online, max_age=max_age)
    if _licensed_quietly(services, strict=online, max_age=max_age):
        return _status(services, out, check_only=True, strict=online, max_age=max_age)
    rc = run_gui(services.config, out)  # not licensed, for any reason: the wizard fixes it
    if rc != EXIT_OK:
        return rc
    return _status(services, out, check_only=True, strict=online)


def _licensed_quietly(services: Services, *, strict: bool, max_age: float | None) -> bool:
    """Whether ``check`` would pass, printing nothing (not activated counts as not licensed)."""
    quiet = Output(json_mode=True, stream=Discard())
    try:
        code = _status(services, quiet, check_only=True, strict=strict, max_age=max_age)
    except WizardError as exc:
        log.info("check --gui: not licensed (%s); opening the wizard", exc.code)
        return False
    return code == EXIT_OK


def _deactivate(services: Services, out: Output) -> int:
    record = services.transfer.deactivate_this()
    message = _(
        "This computer is deactivated. You can now activate the license on another computer."
    )
    fields = {"machineId": record.machine_id, "licenseId": record.license_id}
    return out.success("OK", message, fields, [message])


def run_gui(config: VendorConfig, out: Output) -> int:
    """Open the wizard; explains instead when this build has no window or no demo."""
    try:
        from app.ui.application import run_gui as run_window
    except ImportError as exc:
        log.debug("the GUI cannot be loaded: %s", exc)
        return out.usage(
            UsageError(
                _(
                    "The wizard window is not available in this installation. Use a command "
                    "instead (see --help)."
                ),
                code="GUI_UNAVAILABLE",
            ),
            exit_code=EXIT_UNEXPECTED,
        )
    if config.demo and importlib.util.find_spec("app.standin") is None:
        # Vendor builds leave the demo servers out on purpose.
        return out.usage(
            UsageError(
                _(
                    "The demo is not part of this build. Run it from the source tree (see "
                    "README) or open the wizard without --demo."
                ),
                code="DEMO_UNAVAILABLE",
            )
        )
    return int(run_window(config, demo=config.demo) or 0)


# --- the table of commands --------------------------------------------------------------


def _activate_command(services: Services, args: argparse.Namespace, out: Output,
                      key: str | None) -> int:  # fmt: skip
    if args.license_file:
        return activate_from_file(services, args.license_file, key, out)
    return _activate(services, key or "", args.name, out)


def _status_command(services: Services, _args: argparse.Namespace, out: Output,
                    _key: str | None) -> int:  # fmt: skip
    return _status(services, out, check_only=False)


def _check_command(services: Services, args: argparse.Namespace, out: Output,
                   _key: str | None) -> int:  # fmt: skip
    return _check(services, out, gui=args.gui, online=args.online, max_age=args.max_age)


def _deactivate_command(services: Services, _args: argparse.Namespace, out: Output,
                        _key: str | None) -> int:  # fmt: skip
    return _deactivate(services, out)


#: sub-command name -> handler (the sub-parsers are in ``app.cli.parser.build_parser``).
COMMANDS: dict[str, Command] = {
    "activate": _activate_command,
    "status": _status_command,
    "check": _check_command,
    "deactivate": _deactivate_command,
    "devices": devices_command,
    "offline-request": offline_request_command,
    "heartbeat": heartbeat_command,
}


# --- helpers ------------------------------------------------------------------------------


def _key_file(services: Services, storage: str) -> str | None:
    """The fallback key file, when the key lives there (the store's own path, not a guess)."""
    key_file = getattr(services.key_store, "key_file", None)
    kept_in_a_file = storage in ("file", "machine file")
    return str(key_file) if kept_in_a_file and key_file is not None else None


def _saved_answer_line(report: StatusReport, when: str, until: str) -> str:
    if isinstance(report.offline_reason, AdminRightsError):
        # Users of a machine-wide activation go by the answer an administrator's check saved.
        return _(
            "This is the answer an administrator's check saved at {time}; it counts until {until}."
        ).format(time=when, until=until)
    return _(
        "The licensing service could not be reached; this is the answer from {time}. It keeps "
        "counting without a connection until {until}."
    ).format(time=when, until=until)


__all__ = ["COMMANDS", "Command", "dispatch", "run_gui"]
