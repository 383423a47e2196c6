"""The one table of plain-language problems: every error and code -> what the user reads and does.

Each entry gives a title naming the situation in the user's terms, one sentence on what
happened, the steps to take now (in order), one primary action, a stable support code and the
CLI exit code. Texts are templates; ``app.presentation.problems`` fills in the numbers the user
can act on (seats used of total, the expiry date, seconds until retry, a clock difference).
Wording rules (DESIGN.md "How problems are worded"): second person, short, no jargon, no blame;
raw codes appear only in the support code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.errors import (
    ApiError,
    LicenseInvalidError,
    RateLimitedError,
    ServerError,
    WizardError,
)
from app.domain.exit_codes import (
    EXIT_BAD_INPUT,
    EXIT_KEY_NOT_FOUND,
    EXIT_NOT_ACTIVATED,
    EXIT_NOT_USABLE,
    EXIT_OK,
    EXIT_SEAT_LIMIT,
    EXIT_STORAGE,
    EXIT_UNEXPECTED,
    EXIT_UNREACHABLE,
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
    PROXY_SIGN_IN = "proxy_sign_in"

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
    Action.PROXY_SIGN_IN: "Sign in to the proxy",
}


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
    _e(A, "OFFLINE_NOT_ALLOWED", "OFF-DENY", "Your license can't be used without internet",
       "The terms of your license for {product} need each computer to be connected to the "
       "internet, so no license file for a computer without internet can be made.",
       ("Connect this computer to the internet, even for a moment, and activate it online.",
        "If it can never be connected, contact {contact}."),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
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
    _e(L, "PROXY_AUTH_REQUIRED", "NET-PROXY-AUTH", "Your network's proxy needs you to sign in",
       "This computer reaches the internet through a proxy that asks for a user name and "
       "password. Nothing was sent to the licensing service.",
       ("Sign in with the user name and password your IT team gave you (often the ones you "
        "use for this computer).", "Then {try_again}."),
       Action.PROXY_SIGN_IN, EXIT_UNREACHABLE,
       cli_steps=("Run the command again with `--proxy-user YOUR-NAME` and the password in the "
                  "environment variable ACTIVATION_WIZARD_PROXY_PASSWORD.",
                  "Ask your IT team which user name and password the proxy expects.")),
    _e(L, "PROXY_AUTH_FAILED", "NET-PROXY-PASS", "The proxy didn't accept that user name or password",
       "The proxy turned down the user name and password that were sent, so nothing reached "
       "the licensing service.",
       ("Check the user name and password and sign in again; watch for Caps Lock.",
        "If they still aren't accepted, ask your IT team."),
       Action.PROXY_SIGN_IN, EXIT_UNREACHABLE,
       cli_steps=("Check the user name given with `--proxy-user` and the password in "
                  "ACTIVATION_WIZARD_PROXY_PASSWORD, then {try_again}.",
                  "If they still aren't accepted, ask your IT team.")),
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
    _e(L, "ADMIN_REQUIRED", "PC-ADMIN", "This needs administrator rights",
       "{product_cap} is activated for every user of this computer, and only an administrator "
       "can change that activation.",
       ("Ask your IT team to do this for you, or sign in as an administrator.",
        "Then {try_again}."),
       Action.CLOSE, EXIT_STORAGE,
       cli_steps=("Run the command as an administrator (Windows: an elevated prompt; macOS and "
                  "Linux: `sudo`).", "Or ask your IT team to do this for you.")),
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
    # --- offline license files --------------------------------------------------------
    _e(L, "OFFLINE_FILE_DAMAGED", "OFF-BAD", "This license file is damaged",
       "The file couldn't be read, or it was changed after it was made, so it can't be "
       "trusted.",
       ("Download the license file again and load it without opening or editing it.",
        "If you pasted it, copy all of it, from the BEGIN line to the END line.",
        _IF_KEEPS),
       Action.RETRY, EXIT_BAD_INPUT, action_label="Load a file",
       cli_steps=("Download the license file again without opening or editing it.",
                  "Then {try_again} with the new file.", _IF_KEEPS)),
    _e(L, "OFFLINE_FILE_OTHER_COMPUTER", "OFF-PC", "This license file is for another computer",
       "It was made from another computer's request and works only on that computer.",
       ("On this computer, choose Activate without internet to get this computer's request.",
        "Use that request on the activation page to download a file for this computer."),
       Action.RETRY, EXIT_BAD_INPUT, action_label="Load a file",
       cli_steps=("Run `{program} offline-request` on this computer and use its request to "
                  "download a new file.", "Then {try_again} with the new file.")),
    _e(L, "OFFLINE_FILE_OTHER_PRODUCT", "OFF-PROD", "This license file is for another product",
       "It wasn't made for {product}, so it can't activate {product}.",
       ("Check that you downloaded the file from the activation page for {product}.",
        "If you did, contact {contact} and mention the support code below."),
       Action.RETRY, EXIT_BAD_INPUT, action_label="Load a file",
       cli_steps=("Check that you downloaded the file from the activation page for {product}.",
                  "Then {try_again} with the right file.")),
    _e(L, "OFFLINE_FILE_EXPIRED", "OFF-EXP", "This license file ended{expired_on}",
       "A license file for a computer without internet is valid for a limited time, and this "
       "file's time is up.",
       ("Get a new file the same way: make a new request and load the file it gives you.",
        "Or, once this computer is connected to the internet, activate it online."),
       Action.RETRY, EXIT_NOT_USABLE, action_label="Load a file",
       cli_steps=("Run `{program} offline-request` and use the request to download a new file.",
                  "Then {try_again} with the new file, or run `{activate}` once this computer "
                  "is online.")),
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

#: (kind, code) -> entry. Tests iterate it; the UI and CLI go through
#: ``app.presentation.problems.problem_for``.
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


__all__ = [
    "CATALOGUE",
    "GENERIC",
    "Action",
    "Entry",
    "covered_codes",
    "entry_for",
    "exit_code_for",
]
