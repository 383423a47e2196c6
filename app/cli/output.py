"""What the command line prints: plain lines for people, or exactly one JSON object.

``Output`` returns the exit code with what it wrote: ``success`` 0, ``failure`` the problem
table's code for the error, ``usage`` 2. Field names of the JSON are part of the installer
contract (installer/README.md); the key in use is masked wherever it would appear.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from app.cli.parser import PROGRAM, UsageError
from app.domain.errors import (
    ConfigError,
    LicenseInvalidError,
    MachineLimitError,
    RateLimitedError,
    WizardError,
)
from app.domain.exit_codes import EXIT_OK, EXIT_UNEXPECTED
from app.domain.license_key import redact
from app.i18n import SOURCE_LANGUAGE, _, active_language, ngettext
from app.presentation.words import format_date, iso

if TYPE_CHECKING:  # annotations only: keeps the models off the wizard's start-up path
    from app.domain.models import Machine
    from app.presentation.problems import ProblemContext, VendorLinks

log = logging.getLogger(__name__)


class Output:
    """Writes either plain lines or exactly one JSON object, and returns the exit code."""

    def __init__(self, *, json_mode: bool, stream: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self._stream = stream
        self.failed_step: Callable[[], str | None] = lambda: None
        self.secret: str | None = None  # the key in use: masked wherever it would appear
        self.product = ""  # the problems say "this product" in the active language
        # What a problem names: the command to run again (never with the real key) and the
        # vendor's links; unset, a problem reads as in the wizard.
        self.command: str | None = None
        self.vendor: VendorLinks | None = None

    def success(self, code: str, message: str, fields: dict[str, Any], lines: list[str]) -> int:
        if self.json_mode:
            self._json({"ok": True, "code": code, "message": message, **fields})
        else:
            self._print(lines)
        return EXIT_OK

    def failure(self, error: WizardError, fields: dict[str, Any] | None = None) -> int:
        # Loaded on failure only: the problems table is not on the success or GUI path.
        from app.domain.problems import exit_code_for
        from app.presentation.problems import problem_for, problem_message

        problem = problem_for(error, product=self.product, context=self._problem_context())
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

    def event(self, payload: dict[str, Any], line: str) -> None:
        """One line of a long-running command (``heartbeat``): one JSON object per line in
        JSON mode, else ``line``; flushed at once so the program reading it sees it now."""
        if self.json_mode:
            self._json(payload)
        else:
            self._print([line])

    def explain(self, error: WizardError) -> str:
        """The plain-language message ``failure`` would give for ``error``."""
        from app.presentation.problems import problem_for, problem_message

        problem = problem_for(error, product=self.product, context=self._problem_context())
        return problem_message(problem)

    def _problem_context(self) -> ProblemContext:
        from app.presentation.problems import ProblemContext

        numbers: dict[str, Any] = {"failed_step": self.failed_step()}
        if self.command is not None:
            numbers.update(command=self.command, program=PROGRAM)
        if self.vendor is not None:
            return ProblemContext.from_vendor(self.vendor, **numbers)
        return ProblemContext(**numbers)

    def usage(self, error: UsageError, *, exit_code: int | None = None) -> int:
        message = str(error)
        exit_code = error.exit_code if exit_code is None else exit_code
        if self.json_mode:
            self._json({"ok": False, "code": error.code, "message": message, "exitCode": exit_code})
        else:
            self._print([f"{PROGRAM}: {message}"], stream=sys.stderr)
        return exit_code

    def unexpected(self, exc: Exception, *, verbose: bool) -> int:
        message = _("Something unexpected went wrong. Run again with --verbose for details.")
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


class Discard:
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
        fields.update(seat_fields(error.current_machines, error.max_machines))
    if isinstance(error, RateLimitedError):
        fields["retryAfter"] = error.retry_after
    if isinstance(error, LicenseInvalidError) and error.license is not None:
        fields["expiresAt"] = iso(error.license.expires_at)
    return fields


def _vendor_lines(error: WizardError) -> list[str]:
    """What the vendor needs to fix a broken configuration (users forward it to support)."""
    if isinstance(error, ConfigError):
        # Translators: the vendor's own configuration error follows, in English.
        return [_("Details for the seller: {detail}").format(detail=error.message)]
    return []


def license_lines(fields: dict[str, Any]) -> list[str]:
    rows = [(_("Computer"), fields["deviceName"])]
    if fields.get("keyStorage") != "none":  # else a later line says no key is saved here
        rows.append((_("License key"), fields["key"]))
    if fields.get("licensee"):
        rows.append((_("Licensed to"), fields["licensee"]))
    expires = fields.get("expiresAt")
    rows.append((_("Expires"), day_text(expires) if expires else _("never")))
    if fields.get("entitlements"):
        rows.append((_("Includes"), ", ".join(fields["entitlements"])))
    seats = fields.get("seats") or {}
    if seats.get("used") is not None and seats.get("max") is not None:
        used, total = seats["used"], seats["max"]
        in_use = ngettext("{used} of {n} in use", "{used} of {n} in use", total)
        rows.append((_("Seats"), in_use.format(used=used, n=total)))
    elif seats.get("max") is not None:
        up_to = ngettext("up to {n} computer", "up to {n} computers", seats["max"])
        rows.append((_("Seats"), up_to.format(n=seats["max"])))
    return aligned(rows)


def aligned(rows: list[tuple[str, str]]) -> list[str]:
    """``  Label:  value`` lines with the values in one column."""
    labels = [_("{label}:").format(label=label) for label, _value in rows]
    width = max(_columns(label) for label in labels)
    return [
        f"  {label}{' ' * (width - _columns(label) + 1)}{value}"
        for label, (_name, value) in zip(labels, rows, strict=True)
    ]


def _columns(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def day_text(moment: str) -> str:
    """An ISO date-time as a day: ``2026-03-03`` in English (as scripts have always read
    it), the language's own long date otherwise."""
    if active_language() == SOURCE_LANGUAGE:
        return moment[:10]
    return format_date(datetime.fromisoformat(moment))


def storage_line(key_file: str | None) -> str:
    if key_file is None:
        return _("The license key is kept in this computer's password storage.")
    return _(
        "No password storage is available on this computer, so the license key is kept in a "
        "file only you can read: {path}"
    ).format(path=key_file)


def device_fields(machine: Machine, this_computer: bool) -> dict[str, Any]:
    return {
        "id": machine.id,
        "name": machine.name,
        "platform": machine.platform,
        "hostname": machine.hostname,
        "activatedAt": iso(machine.created_at),
        "lastSeenAt": iso(machine.last_heartbeat_at),
        "thisComputer": this_computer,
    }


def device_line(row: dict[str, Any]) -> str:
    mark = "  " + _("(this computer)") if row["thisComputer"] else ""
    activated = day_text(row["activatedAt"]) if row["activatedAt"] else _("unknown date")
    name = row["name"] or row["hostname"] or _("Unnamed computer")
    since = _("since {date}").format(date=activated)
    return f"  {row['id']}  {name} · {row['platform'] or _('unknown')} · {since}{mark}"


def seat_fields(used: int | None, total: int | None) -> dict[str, dict[str, int]]:
    """``{"seats": {"used", "max"}}`` with what is known, nothing when neither is: validate-key
    tells no seat count, so without a relay (or limit details) the fact is left out."""
    known = {name: value for name, value in (("used", used), ("max", total)) if value is not None}
    return {"seats": known} if known else {}


def seats_sentence(used: int, total: int | None) -> str:
    if total is None:
        return ngettext(
            "{n} device uses this license.", "{n} devices use this license.", used
        ).format(n=used)
    return ngettext(
        "{used} of {n} seat is in use.", "{used} of {n} seats are in use.", total
    ).format(used=used, n=total)


__all__ = [
    "Discard",
    "Output",
    "device_fields",
    "device_line",
    "license_lines",
    "seat_fields",
    "seats_sentence",
    "storage_line",
]
