"""A failure in the user's words: the table's entry for it with the numbers filled in.

``problem_for(error, product=..., context=...)`` picks the entry of ``app.domain.problems``
for ``error`` and fills its templates with what the user can act on: seats used of total, the
expiry date, the wait before retrying, a clock difference, the vendor's links, and on the
command line the command to run instead of a button to click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from app.domain.errors import (
    KeyFormatError,
    LicenseInvalidError,
    MachineLimitError,
    OfflineFileExpiredError,
    WizardError,
)
from app.domain.problems import CATALOGUE, GENERIC, Action, Entry, entry_for
from app.presentation.words import format_date, format_duration, plural

V, A, L = "validation", "api", "local"


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
    expires = _first(ctx.expires_at, getattr(license_, "expires_at", None),
                     _offline_end(error))  # fmt: skip
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


def _offline_end(error: BaseException | None) -> datetime | None:
    return error.expires_at if isinstance(error, OfflineFileExpiredError) else None


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


def _seats_phrase(used: int | None, total: int | None) -> str:
    if used is not None and total is not None:
        return f"{used} of {plural(total, 'computer')}"
    if total is not None:
        return f"all {plural(total, 'computer')} it allows"
    if used is not None:
        return plural(used, "computer")
    return "all the computers it allows"


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


def problem_message(problem: Problem) -> str:
    """The title and the sentence as one plain message: the command line's ``message``, the
    device page's one-line summary."""
    title = problem.title.strip()
    if title and title[-1] not in ".!?":
        title += "."
    return f"{title} {problem.what}".strip()


__all__ = [
    "Problem",
    "ProblemContext",
    "problem_for",
    "problem_for_code",
    "problem_message",
]
