"""The one table of plain-language problems: every error and code -> what the user reads and does.

Each entry gives a title naming the situation in the user's terms, one sentence on what
happened, the steps to take now (in order), one primary action, a stable support code and the
CLI exit code. Texts are templates; ``problem_for`` fills in the numbers the user can act on
(seats used of total, the expiry date, seconds until retry, the size of a clock difference).
Wording rules (DESIGN.md "How problems are worded"): second person, short, no jargon, no blame;
raw codes appear only in the support code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from app.domain.errors import (
    ApiError,
    KeyFormatError,
    LicenseInvalidError,
    MachineLimitError,
    RateLimitedError,
    ServerError,
    WizardError,
)


class Action(StrEnum):
    """The primary button of a problem; ``label`` is its default text (a verb)."""

    RETRY = "retry"
    FREE_SEAT = "free_seat"
    RENEW = "renew"
    CONTACT_SUPPORT = "contact_support"
    OPEN_SETTINGS = "open_settings"
    REENTER_KEY = "reenter_key"
    ACTIVATE = "activate"
    CLOSE = "close"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.RETRY: "Try again",
    Action.FREE_SEAT: "Free a seat",
    Action.RENEW: "Renew license",
    Action.CONTACT_SUPPORT: "Contact support",
    Action.OPEN_SETTINGS: "Check connection settings",
    Action.REENTER_KEY: "Enter a different key",
    Action.ACTIVATE: "Activate again",
    Action.CLOSE: "Close",
}

# CLI exit codes (DESIGN.md, README "Exit codes"): stable, part of the installer contract.
EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2
EXIT_KEY_NOT_FOUND = 3
EXIT_SEAT_LIMIT = 4
EXIT_NOT_USABLE = 5
EXIT_UNREACHABLE = 6
EXIT_STORAGE = 7
EXIT_NOT_ACTIVATED = 8


@dataclass(frozen=True)
class Problem:
    """What the user sees for one failure. ``code`` is for JSON/CLI and the support line only."""

    title: str
    what: str
    steps: tuple[str, ...]
    action: Action
    support_code: str
    code: str
    severity: str = "error"  # "error" | "warning"
    retry_after: float | None = None
    action_label: str | None = None  # copy override, e.g. "Upgrade license" for RENEW

    @property
    def label(self) -> str:
        """The primary button's text."""
        return self.action_label or self.action.label

    def as_text(self) -> str:
        """Title, sentence, numbered steps and support code: for the CLI and support reports."""
        lines = [self.title, self.what, ""]
        lines += [f"{n}. {step}" for n, step in enumerate(self.steps, start=1)]
        return "\n".join([*lines, "", f"Support code: {self.support_code}"])

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "message": self.what,
            "steps": list(self.steps),
            "action": self.action.value,
            "action_label": self.label,
            "support_code": self.support_code,
            "severity": self.severity,
            "retry_after": self.retry_after,
        }


@dataclass(frozen=True)
class ProblemContext:
    """Numbers and links the user can act on. Values set here win over those read from the
    error (the caller may know fresher numbers, e.g. a device list fetched afterwards)."""

    seats_used: int | None = None
    seats_total: int | None = None
    expires_at: datetime | date | None = None
    retry_after: float | None = None
    skew_seconds: float | None = None  # this computer minus the service; negative = behind
    required_entitlements: tuple[str, ...] = ()
    missing_entitlements: tuple[str, ...] = ()
    support_url: str | None = None
    support_email: str | None = None
    renew_url: str | None = None
    # Set by the command line: the command to run again (never with the real key). Steps
    # then name commands instead of buttons.
    command: str | None = None
    program: str = "activation-wizard"
    # The step of the activation that failed ("check_key", "activate"...; Step values), when
    # known: after "activate" the server may already have added this computer.
    failed_step: str | None = None

    @property
    def for_command_line(self) -> bool:
        return self.command is not None

    @classmethod
    def from_vendor(cls, config: Any, **numbers: Any) -> ProblemContext:
        """Links and required entitlements from a VendorConfig-like object, plus ``numbers``."""
        return cls(
            required_entitlements=tuple(getattr(config, "required_entitlements", ()) or ()),
            support_url=getattr(config, "support_url", None),
            support_email=getattr(config, "support_email", None),
            renew_url=getattr(config, "renew_url", None),
            **numbers,
        )


@dataclass(frozen=True)
class Entry:
    """One row of the table; text fields are ``str.format`` templates (see ``_facts``)."""

    kind: str  # "validation" | "api" | "local"
    code: str
    support: str  # stable support code, unique per entry
    title: str
    what: str
    steps: tuple[str, ...]
    action: Action
    exit_code: int
    severity: str = "error"
    action_label: str | None = None
    retry: bool = field(default=False)  # the caller may retry by itself after retry_after
    # The command line has no buttons and no window that retries by itself: where the
    # wording names those, these say which command to run instead.
    cli_title: str | None = None
    cli_steps: tuple[str, ...] | None = None


def _e(kind: str, code: str, support: str, title: str, what: str, steps: tuple[str, ...],
       action: Action, exit_code: int, **extra: Any) -> Entry:  # fmt: skip
    return Entry(kind, code, "AW-" + support, title, what, steps, action, exit_code, **extra)


V, A, L = "validation", "api", "local"
_OFFLINE_STEPS = (
    "Check that this computer is connected to the internet (Wi-Fi or network cable).",
    "{Try_again}.{no_extra_seat}",
    "On a company network, ask your IT team to allow access to the licensing service.",
)
_CONTACT = "Contact {contact} and mention the support code below."
_IF_AGAIN = "If it happens again, contact {contact} and mention the support code below."
_IF_KEEPS = "If it keeps happening, contact {contact} and mention the support code below."
_FREE_SEAT_CLI = (
    "See the computers using it: run `{program} devices --key YOUR-KEY`.",
    "Free a seat you no longer use: run `{program} devices deactivate ID --key YOUR-KEY`.",
    "Then {try_again}.",
)
_REENTER = (
    "Check the key in your purchase e-mail and enter it again exactly as shown.",
    "If it still isn't accepted, contact {contact}.",
)

# fmt: off
_ENTRIES: tuple[Entry, ...] = (
    # --- validation answered, license not usable --------------------------------------
    _e(V, "EXPIRED", "EXP-V", "This license expired{expired_on}",
       "Your license for {product} has reached its end date, so it can't be used any more.",
       ("Renew your license{renew_where}.", "Once it is renewed, {try_again}."),
       Action.RENEW, EXIT_NOT_USABLE),
    _e(V, "SUSPENDED", "SUSP-V", "This license is on hold",
       "Your license for {product} has been paused by the seller, often because of a payment "
       "that didn't go through.",
       ("Check that your latest payment went through.", _CONTACT),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    _e(V, "REVOKED", "REVK-V", "This license has been cancelled",
       "The seller of {product} has cancelled this license, so it can't be used any more.",
       (_CONTACT, "If you bought a new license, enter its key instead."),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    _e(V, "BANNED", "BAN-V", "This license is blocked",
       "The seller of {product} has blocked this license, so it can't be used.",
       (_CONTACT,), Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    _e(V, "NOT_FOUND", "KEY-V", "This license key wasn't recognised",
       "There is no license with this key. It may have a typo, or belong to another product.",
       _REENTER, Action.REENTER_KEY, EXIT_KEY_NOT_FOUND),
    _e(V, "FINGERPRINT_NOT_FOUND", "NOTACT-V", "This computer isn't activated",
       "Your license is fine, but this computer is not one of the computers it is activated on. "
       "It may have been removed from the license.",
       ("Click Activate again to add this computer to your license.",),
       Action.ACTIVATE, EXIT_NOT_ACTIVATED,
       cli_steps=("Run `{activate}` to add this computer to your license.",)),
    _e(V, "MACHINE_LIMIT_EXCEEDED", "SEAT-V", "This license is already in use on {seats}",
       "Your license allows a limited number of computers and all of them are taken.",
       ("Free a seat by removing a computer you no longer use.",
        "Activation then continues by itself."),
       Action.FREE_SEAT, EXIT_SEAT_LIMIT, cli_steps=_FREE_SEAT_CLI),
    _e(V, "HEARTBEAT_REQUIRED", "BEAT-V", "This computer needs to check in",
       "Your license asks each computer to check in regularly, and this one hasn't recently.",
       ("Check that this computer is connected to the internet.",
        "{Try_again} to check in now."),
       Action.RETRY, EXIT_NOT_USABLE),
    _e(V, "USES_EXCEEDED", "USES-V", "This license has been used up",
       "Your license for {product} allows a set number of uses, and all of them are used.",
       ("Renew or extend your license{renew_where}.", "Once it is renewed, {try_again}."),
       Action.RENEW, EXIT_NOT_USABLE),
    _e(V, "ENTITLEMENTS_MISSING", "FEAT-V", "This license doesn't include {features}",
       "{product_cap} needs {features}, and your license doesn't include {them}.",
       ("Upgrade your license{renew_where}.", "If you think it should be included, "
        "contact {contact}."),
       Action.RENEW, EXIT_NOT_USABLE, action_label="Upgrade license"),
    # --- the service answered with an error -------------------------------------------
    _e(A, "VALIDATION_ERROR", "REQ-400", "Something went wrong sending your details",
       "The licensing service couldn't read what this computer sent. This is not a problem "
       "with your license.",
       ("{Try_again}.", _IF_AGAIN),
       Action.RETRY, EXIT_UNEXPECTED),
    _e(A, "UNAUTHORIZED", "KEY-401", "This license key wasn't accepted",
       "The licensing service didn't accept this key. It may have a typo, or belong to another "
       "product.",
       _REENTER, Action.REENTER_KEY, EXIT_KEY_NOT_FOUND),
    _e(A, "FORBIDDEN", "DENY-403", "This isn't allowed with your license",
       "Your license key doesn't give access to this. Your license itself is not affected.",
       (_CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    _e(A, "NOT_FOUND", "GONE-404", "This item no longer exists",
       "What you asked for could not be found. It may already have been removed.",
       ("{Try_again} to refresh.", _IF_KEEPS),
       Action.RETRY, EXIT_UNEXPECTED,
       # Running the failed command again would fail the same way: show the fresh list.
       cli_steps=("Run `{devices}` to see the current list of computers.", _IF_KEEPS)),
    _e(A, "CONFLICT", "DUP-409", "This computer is already listed on your license",
       "Your license already includes this computer, so it was not added a second time.",
       ("{Try_again} to finish.",), Action.RETRY, EXIT_UNEXPECTED),
    _e(A, "MACHINE_LIMIT_EXCEEDED", "SEAT-422", "This license is already in use on {seats}",
       "Your license allows a limited number of computers and all of them are taken.",
       ("Free a seat by removing a computer you no longer use.",
        "Activation then continues by itself."),
       Action.FREE_SEAT, EXIT_SEAT_LIMIT, cli_steps=_FREE_SEAT_CLI),
    _e(A, "FLOATING_LIMIT_EXCEEDED", "FLOAT-422", "All shared seats are in use right now",
       "Your license is shared, and the most computers allowed at once are using it.",
       ("Ask a colleague to close {product} on a computer they aren't using.",
        "Or free a seat by removing a computer you no longer use, then try again."),
       Action.FREE_SEAT, EXIT_SEAT_LIMIT),
    _e(A, "PLAN_LIMIT_EXCEEDED", "PLAN-422", "The seller's licensing account is full",
       "The seller of {product} has reached a limit of their licensing account. Your license "
       "is not at fault.",
       (_CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    _e(A, "REFERENCE_NOT_FOUND", "REF-422", "Part of your license setup is missing",
       "Your license refers to something the seller has since removed.",
       (_CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    _e(A, "CONSTRAINT_VIOLATION", "DUPL-422", "This was already done",
       "The licensing service already has this exact entry, so nothing was changed.",
       ("{Try_again} to refresh.", _IF_KEEPS),
       Action.RETRY, EXIT_UNEXPECTED),
    _e(A, "BUSINESS_RULE_VIOLATION", "RULE-422", "Your license doesn't allow this",
       "The rules of your license don't allow this change.",
       (_CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    _e(A, "LICENSE_SUSPENDED", "SUSP-409", "This license is on hold",
       "Your license for {product} has been paused by the seller, often because of a payment "
       "that didn't go through.",
       ("Check that your latest payment went through.", _CONTACT),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    _e(A, "LICENSE_REVOKED", "REVK-409", "This license has been cancelled",
       "The seller of {product} has cancelled this license, so it can't be used any more.",
       (_CONTACT, "If you bought a new license, enter its key instead."),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    _e(A, "LICENSE_EXPIRED", "EXP-409", "This license expired{expired_on}",
       "Your license for {product} has reached its end date, so no more computers can be "
       "activated with it.",
       ("Renew your license{renew_where}.", "Then {try_again}."),
       Action.RENEW, EXIT_NOT_USABLE),
    _e(A, "LICENSE_BANNED", "BAN-409", "This license is blocked",
       "The seller of {product} has blocked this license, so it can't be used.",
       (_CONTACT,), Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    _e(A, "RATE_LIMITED", "WAIT-429", "Too many attempts — trying again {retry_in}",
       "The licensing service asked this computer to slow down for a moment. Your license is "
       "fine.",
       ("Wait {retry_in_short}; this window tries again by itself.",),
       Action.RETRY, EXIT_UNREACHABLE, severity="warning", retry=True,
       cli_title="Too many attempts — try again {retry_in}",
       cli_steps=("Wait {retry_in_short}, then {try_again}.",)),
    _e(A, "SERVER_ERROR", "SVC-5XX", "The licensing service is having trouble",
       "Your license is fine; the licensing service is having trouble right now.",
       ("Wait a few minutes.", "{Try_again}.{no_extra_seat}"),
       Action.RETRY, EXIT_UNREACHABLE),
    _e(A, "API_ERROR", "SVC-ERR", "The licensing service turned this down",
       "The licensing service couldn't complete this request.",
       ("{Try_again}.", _IF_AGAIN),
       Action.RETRY, EXIT_UNEXPECTED),
    # --- no usable answer (network) ---------------------------------------------------
    _e(L, "NETWORK_ERROR", "NET-GEN", "Can't reach the licensing service",
       "This computer couldn't get an answer from the licensing service. Your license is not "
       "affected.",
       _OFFLINE_STEPS, Action.RETRY, EXIT_UNREACHABLE),
    _e(L, "CONNECT_FAILED", "NET-CONN", "You seem to be offline",
       "This computer couldn't connect to the licensing service. Your license is not affected.",
       _OFFLINE_STEPS, Action.RETRY, EXIT_UNREACHABLE),
    _e(L, "TIMEOUT", "NET-SLOW", "The connection is too slow",
       "The licensing service didn't answer in time. Your license is not affected.",
       ("Check that your internet connection is working.", "{Try_again}.{no_extra_seat}",
        "On a company network, ask your IT team to allow access to the licensing service."),
       Action.RETRY, EXIT_UNREACHABLE),
    _e(L, "TLS_UNTRUSTED", "NET-CERT", "Your network is blocking a secure connection",
       "This computer couldn't confirm it is talking to the real licensing service. This "
       "usually means a company network is inspecting secure traffic.",
       ("Ask your IT team to install your company's security certificate on this computer.",
        "Or connect to another network, such as a phone hotspot.",
        "Then {try_again}."),
       Action.RETRY, EXIT_UNREACHABLE),
    _e(L, "PROXY_FAILED", "NET-PROXY", "Your proxy setting is blocking the connection",
       "This computer connects to the internet through a proxy, and the proxy refused the "
       "connection to the licensing service.",
       ("Check your connection settings, or ask your IT team which proxy to use.",
        "Then {try_again}."),
       Action.OPEN_SETTINGS, EXIT_UNREACHABLE),
    _e(L, "UNEXPECTED_RESPONSE", "NET-PAGE", "Your network may need you to sign in",
       "An unexpected page came back instead of the licensing service. Networks in hotels, "
       "airports and offices often show a sign-in page first.",
       ("Open a web browser and sign in to the network, or accept its terms.",
        "Then {try_again}.{no_extra_seat}"),
       Action.RETRY, EXIT_UNREACHABLE),
    _e(L, "SIGNATURE_INVALID", "NET-SIGN", "The answer couldn't be trusted",
       "An answer arrived but it couldn't be verified as coming from the licensing service, so "
       "it was ignored. Your license is not affected.",
       ("Connect to another network, such as a phone hotspot.", "{Try_again}.{no_extra_seat}",
        _IF_KEEPS),
       Action.RETRY, EXIT_UNREACHABLE),
    # --- this computer ----------------------------------------------------------------
    _e(L, "CLOCK_SKEW", "PC-CLOCK", "Your computer's clock is {clock}",
       "Your computer's date or time doesn't match the real time, so licensing checks can fail.",
       ("Open your computer's date and time settings and turn on setting the time "
        "automatically.", "Then {try_again}."),
       Action.RETRY, EXIT_UNEXPECTED),
    _e(L, "KEYCHAIN_UNAVAILABLE", "PC-KEYS", "Your saved license key couldn't be read",
       "This computer's password storage isn't available right now. Your license is not "
       "affected.",
       ("Sign in to or unlock your computer's password storage, then {try_again}.",
        "Or enter your license key again; it will be kept in a private file instead."),
       Action.RETRY, EXIT_STORAGE, severity="warning",
       cli_steps=("Sign in to or unlock your computer's password storage, then {try_again}.",
                  "Or run `{activate}` again; the key will be kept in a private file instead.")),
    _e(L, "KEY_IN_FILE", "PC-FILE", "Your license key is saved in a private file",
       "This computer has no password storage available, so your key is kept in a file only "
       "your account can read.",
       ("Nothing to do now. If you want it in your password storage, set one up and activate "
        "again.",),
       Action.CLOSE, EXIT_OK, severity="warning"),
    _e(L, "STORAGE_FAILED", "PC-DISK", "Your activation couldn't be saved",
       "The activation details couldn't be saved on this computer because {storage_reason}.",
       ("{storage_fix}", "Then {try_again}."),
       Action.RETRY, EXIT_STORAGE),
    _e(L, "FINGERPRINT_UNAVAILABLE", "PC-ID", "This computer couldn't be identified",
       "Activation needs a stable identity for this computer, and the system didn't provide one.",
       ("Restart your computer and {try_again}.",
        _IF_KEEPS),
       Action.RETRY, EXIT_STORAGE),
    _e(L, "ENVIRONMENT_MISMATCH", "KEY-ENV", "This is a test key",
       "This key belongs to the seller's testing setup and can't activate the released "
       "version of {product}.",
       ("Enter the license key from your purchase e-mail.",
        "If that is the key you used, contact {contact}."),
       Action.REENTER_KEY, EXIT_KEY_NOT_FOUND),
    _e(L, "NOT_ACTIVATED", "NOTACT", "This computer isn't activated yet",
       "No activation of {product} is saved on this computer.",
       ("Click Activate again and enter your license key.",),
       Action.ACTIVATE, EXIT_NOT_ACTIVATED,
       cli_steps=("Run `{activate}` with the key from your purchase e-mail.",)),
    _e(L, "RELAY_NOT_CONFIGURED", "DEV-OFF", "Devices can't be managed here",
       "This version of {product} can't show the computers on your license.",
       ("Manage your computers in your account on the seller's website.",
        "Or contact {contact} to free a seat for you."),
       Action.CONTACT_SUPPORT, EXIT_BAD_INPUT),
    _e(L, "CANCELLED", "STOP", "Activation cancelled",
       "You stopped the activation. Nothing was changed on this computer.",
       ("Click Close, or start again when you're ready.",),
       Action.CLOSE, EXIT_UNEXPECTED, severity="warning",
       cli_steps=("{Try_again} when you're ready.",)),
    _e(L, "KEY_MALFORMED", "KEY-FMT", "This doesn't look like a license key",
       "{key_message}",
       ("Copy the key from your purchase e-mail and paste it here.",),
       Action.REENTER_KEY, EXIT_BAD_INPUT,
       cli_steps=("Copy the key from your purchase e-mail, then {try_again} with it.",)),
    _e(L, "CONFIG_INVALID", "CFG", "{product_cap} is not set up correctly",
       "The activation settings that came with {product} have a mistake.",
       (_CONTACT,), Action.CONTACT_SUPPORT, EXIT_BAD_INPUT),
    _e(L, "LOCAL_ERROR", "PC-GEN", "Something on this computer got in the way",
       "Activation couldn't finish because of a problem on this computer.",
       ("Restart your computer and {try_again}.",
        _IF_KEEPS),
       Action.RETRY, EXIT_UNEXPECTED),
    _e(L, "UNEXPECTED", "BUG", "Something unexpected went wrong",
       "{product_cap} ran into a problem it didn't expect. Your license is not affected.",
       ("{Try_again}.",
        "If it happens again, click Copy details for support and send them to {contact}."),
       Action.RETRY, EXIT_UNEXPECTED,
       cli_steps=("{Try_again}.",
                  "If it happens again, run it with --verbose and send the output to {contact}.")),
    _e(L, "UNKNOWN", "GEN", "Something went wrong",
       "Activation couldn't finish. Your license is not affected.",
       ("{Try_again}.", _IF_AGAIN),
       Action.RETRY, EXIT_UNEXPECTED),
)
# fmt: on

#: (kind, code) -> entry. Tests iterate it; the UI and CLI go through ``problem_for``.
CATALOGUE: Mapping[tuple[str, str], Entry] = {(e.kind, e.code): e for e in _ENTRIES}
GENERIC = CATALOGUE[(L, "UNKNOWN")]
# Errors whose meaning comes from the status, whatever code the body carried.
_CLASS_FIRST: tuple[type[ApiError], ...] = (ServerError, RateLimitedError)


def covered_codes() -> set[tuple[str, str]]:
    """Every (kind, code) with its own entry."""
    return set(CATALOGUE)


def entry_for(error: BaseException) -> Entry:
    """The most specific entry for ``error`` (by code, then by class), else the generic one."""
    for key in _candidates(error):
        if key in CATALOGUE:
            return CATALOGUE[key]
    return GENERIC


def problem_for(
    error: BaseException, *, product: str = "this product", context: ProblemContext | None = None
) -> Problem:
    """The plain-language problem for ``error`` with the numbers from ``context`` and ``error``."""
    entry = entry_for(error)
    ctx = context or ProblemContext()
    request_id = getattr(error, "request_id", None)
    code = getattr(error, "code", None) or entry.code
    retry_after = _first(ctx.retry_after, getattr(error, "retry_after", None))
    return _render(
        entry,
        _facts(error, product, ctx),
        code=code,
        request_id=request_id,
        retry_after=retry_after,
        cli=ctx.for_command_line,
    )


def problem_for_code(
    code: str,
    *,
    kind: str | None = None,
    product: str = "this product",
    context: ProblemContext | None = None,
) -> Problem:
    """The problem for a bare code (CLI/JSON, cached validation answers). Validation codes
    win over API codes of the same name unless ``kind`` says otherwise."""
    kinds = (kind,) if kind else (V, A, L)
    entry = next((CATALOGUE[(k, code)] for k in kinds if (k, code) in CATALOGUE), GENERIC)
    ctx = context or ProblemContext()
    facts = _facts(None, product, ctx)
    return _render(
        entry,
        facts,
        code=code,
        request_id=None,
        retry_after=ctx.retry_after,
        cli=ctx.for_command_line,
    )


def exit_code_for(error: BaseException | None) -> int:
    """The CLI exit code for ``error`` (0 for None), from the same table."""
    if error is None:
        return EXIT_OK
    return entry_for(error).exit_code


# --- lookup -----------------------------------------------------------------------------


def _candidates(error: BaseException) -> list[tuple[str, str]]:
    code = getattr(error, "code", None)
    if isinstance(error, LicenseInvalidError):
        return [(V, code or "")]
    if isinstance(error, ApiError):
        by_class = _class_codes(error, ApiError, A)
        if isinstance(error, _CLASS_FIRST):
            return [by_class[0], (A, code or ""), *by_class[1:]]
        return [(A, code or ""), *by_class]
    if isinstance(error, WizardError):
        return [(L, code or ""), *_class_codes(error, WizardError, L)]
    return []


def _class_codes(error: BaseException, base: type, kind: str) -> list[tuple[str, str]]:
    return [
        (kind, cls.default_code)
        for cls in type(error).__mro__
        if isinstance(cls, type) and issubclass(cls, base) and cls is not WizardError
    ]


# --- filling in the numbers -------------------------------------------------------------


def _render(
    entry: Entry,
    facts: dict[str, str],
    *,
    code: str,
    request_id: str | None,
    retry_after: float | None,
    cli: bool = False,
) -> Problem:
    support = f"{entry.support} · {request_id}" if request_id else entry.support
    title = (entry.cli_title if cli else None) or entry.title
    steps = (entry.cli_steps if cli else None) or entry.steps
    return Problem(
        title=title.format_map(facts),
        what=entry.what.format_map(facts),
        steps=tuple(step.format_map(facts) for step in steps),
        action=entry.action,
        support_code=support,
        code=code,
        severity=entry.severity,
        retry_after=retry_after if entry.retry else None,
        action_label=entry.action_label,
    )


def _facts(error: BaseException | None, product: str, ctx: ProblemContext) -> dict[str, str]:
    license_ = _license_of(error)
    used = _first(ctx.seats_used, _seats_from_error(error, "current_machines"),
                  getattr(license_, "machine_count", None))  # fmt: skip
    total = _first(ctx.seats_total, _seats_from_error(error, "max_machines"),
                   getattr(license_, "max_machines", None))  # fmt: skip
    expires = _first(ctx.expires_at, getattr(license_, "expires_at", None))
    retry_after = _first(ctx.retry_after, getattr(error, "retry_after", None))
    skew = _first(ctx.skew_seconds, getattr(error, "skew_seconds", None))
    missing = ctx.missing_entitlements or _missing_entitlements(error, ctx)
    product = product.strip() or "this product"
    return {
        "product": product,
        "product_cap": product[:1].upper() + product[1:],
        "seats": _seats_phrase(used, total),
        "expired_on": f" on {format_date(expires)}" if expires else "",
        "retry_in": f"in {format_duration(retry_after)}" if retry_after else "in a moment",
        "retry_in_short": format_duration(retry_after) if retry_after else "a moment",
        "clock": _clock_phrase(skew),
        "features": _features_phrase(missing),
        "them": "it" if len(missing) == 1 else "them",
        "contact": _contact_phrase(ctx, product),
        "renew_where": f" at {ctx.renew_url}" if ctx.renew_url else "",
        "key_message": _key_message(error),
        **_storage_phrases(error, product),
        **_surface_phrases(ctx),
    }


_NO_EXTRA_SEAT = (
    " This won't use an extra seat on your license, even if this computer was added just "
    "before the connection broke."
)


def _surface_phrases(ctx: ProblemContext) -> dict[str, str]:
    """How to do the next step: a button in the wizard, a command on the command line."""
    try_again = "click Try again" if ctx.command is None else f"run `{ctx.command}` again"
    with_key = "--key YOUR-KEY" in (ctx.command or "")  # the key was given, not stored here
    return {
        "try_again": try_again,
        "Try_again": try_again[:1].upper() + try_again[1:],
        "program": ctx.program,
        "activate": f"{ctx.program} activate --key YOUR-KEY",
        # The answer may have been lost after the server added this computer; a new attempt
        # finds that machine (the server reports it as already there) instead of a new seat.
        "no_extra_seat": _NO_EXTRA_SEAT if ctx.failed_step == "activate" else "",
        "devices": f"{ctx.program} devices" + (" --key YOUR-KEY" if with_key else ""),
    }


def _license_of(error: BaseException | None) -> Any:
    result = getattr(error, "result", None) if isinstance(error, LicenseInvalidError) else None
    return getattr(result, "license", None)


def _seats_from_error(error: BaseException | None, name: str) -> int | None:
    return getattr(error, name) if isinstance(error, MachineLimitError) else None


def _missing_entitlements(error: BaseException | None, ctx: ProblemContext) -> tuple[str, ...]:
    result = getattr(error, "result", None) if isinstance(error, LicenseInvalidError) else None
    granted = set(getattr(result, "entitlements", ()) or ())
    if isinstance(error, WizardError):
        listed = error.details.get("missing") or error.details.get("missingEntitlements")
        if isinstance(listed, list | tuple) and all(isinstance(x, str) for x in listed):
            return tuple(listed)
    return tuple(e for e in ctx.required_entitlements if e not in granted)


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _seats_phrase(used: int | None, total: int | None) -> str:
    if used is not None and total is not None:
        return f"{used} of {_plural(total, 'computer')}"
    if total is not None:
        return f"all {_plural(total, 'computer')} it allows"
    if used is not None:
        return _plural(used, "computer")
    return "all the computers it allows"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def format_date(moment: datetime | date) -> str:
    """``3 March 2026``: unambiguous in every locale (no 03/04 confusion)."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def format_duration(seconds: float) -> str:
    """``30 seconds``, ``5 minutes``, ``2 hours``, ``3 days``: rounded, always at least 1."""
    seconds = abs(seconds)
    for unit, size, limit in (
        ("second", 1, 90),
        ("minute", 60, 90 * 60),
        ("hour", 3600, 36 * 3600),
    ):
        if seconds < limit:
            return _plural(max(1, math.ceil(seconds / size) if unit == "second"
                               else round(seconds / size)), unit)  # fmt: skip
    return _plural(round(seconds / 86400), "day")


def _clock_phrase(skew: float | None) -> str:
    if skew is None or skew == 0:
        return "set to the wrong time"
    return f"{format_duration(skew)} {'ahead' if skew > 0 else 'behind'}"


def _features_phrase(missing: tuple[str, ...]) -> str:
    if not missing:
        return "the features this product needs"
    names = [f"“{name}”" for name in missing]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"the {joined} feature" + ("" if len(names) == 1 else "s")


def _contact_phrase(ctx: ProblemContext, product: str) -> str:
    if ctx.support_email:
        return f"support at {ctx.support_email}"
    if ctx.support_url:
        return f"support at {ctx.support_url}"
    return f"the seller of {product}"


def _key_message(error: BaseException | None) -> str:
    if isinstance(error, KeyFormatError) and error.message:
        return error.message
    return "What you entered can't be a license key."


_STORAGE = {
    "ENOSPC": ("the disk is full", "Free up some disk space."),
    "EDQUOT": ("your disk quota is used up", "Free up some disk space."),
    "EROFS": ("the disk is read-only", "Ask your IT team to make your user folder writable."),
    "EACCES": (
        "you don't have permission to save there",
        "Ask your IT team to give your account access to its own settings folder.",
    ),
}
_STORAGE["EPERM"] = _STORAGE["EACCES"]
# Something of the wrong kind sits at the path: free space or permissions won't help.
# (reason, fix, where the culprit is when the path is known)
_IN_THE_WAY = {
    "ENOTDIR": (
        "a file is in the way of the folder where {product} keeps its settings",
        "Move or rename the file that sits where that folder should be{where}.",
        " ({path} or a folder above it)",
    ),
    "EISDIR": (
        "a folder is in the way of a file where {product} keeps its settings",
        "Move or rename the folder that sits where that file should be{where}.",
        " ({path})",
    ),
}
_IN_THE_WAY["EEXIST"] = _IN_THE_WAY["ENOTDIR"]  # the settings folder itself is a file


def _storage_phrases(error: BaseException | None, product: str) -> dict[str, str]:
    details = error.details if isinstance(error, WizardError) else {}
    errno_name = str(details.get("errno"))
    if errno_name in _IN_THE_WAY:
        reason, fix, where = _IN_THE_WAY[errno_name]
        path = details.get("path")
        if path and errno_name == "ENOTDIR" and details.get("action") != "create the folder":
            path = str(PurePath(path).parent)  # a file inside the folder was read or written
        where = where.format(path=path) if path else ""
        return {"storage_reason": reason.format(product=product),
                "storage_fix": fix.format(where=where)}  # fmt: skip
    reason, fix = _STORAGE.get(
        errno_name, ("the disk didn't accept it", "Check that your disk has free space.")
    )
    return {"storage_reason": reason, "storage_fix": fix}


__all__ = [
    "CATALOGUE",
    "Action",
    "Entry",
    "Problem",
    "ProblemContext",
    "covered_codes",
    "entry_for",
    "exit_code_for",
    "format_date",
    "format_duration",
    "problem_for",
    "problem_for_code",
]
