"""What fills the placeholders of the problems table: numbers, dates, links and commands.

Numbers come from the context first (the caller may know fresher ones, e.g. a device list
fetched afterwards), then from the error's own typed attributes. Every word used here is a
message from ``app.domain.problems.table.PHRASES``; this module only chooses, translates
(the active language's catalog, ``app.i18n``) and fills them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, TypeVar

from app.domain.errors import (
    ClockSkewError,
    KeyFormatError,
    LicenseInvalidError,
    MachineLimitError,
    OfflineFileExpiredError,
    RateLimitedError,
    StorageError,
    WizardError,
)
from app.domain.problems import Plural
from app.domain.problems.table import IN_THE_WAY, PHRASES, STORAGE, STORAGE_UNKNOWN
from app.i18n import _, ngettext
from app.presentation.license_facts import feature_name, shown_product
from app.presentation.words import format_date, format_duration

if TYPE_CHECKING:
    from app.presentation.problems import ProblemContext

T = TypeVar("T")


def phrase(key: str, count: int | None = None, /, **values: object) -> str:
    """The phrase ``key`` of the table (its singular or plural form by ``count``), filled."""
    message = PHRASES[key]
    if isinstance(message, Plural):
        text = ngettext(message.one, message.other, count or 0)
    else:
        text = translated(message)
    return text.format(**values)


def translated(message: str) -> str:
    """``message`` from the table in the active language (an empty phrase stays empty: the
    catalog's entry for "" is its header)."""
    return _(message) if message else message


@dataclass(frozen=True)
class _Numbers:
    """What the error itself says, read from its typed attributes."""

    used: int | None = None
    total: int | None = None
    expires: datetime | date | None = None
    retry_after: float | None = None
    skew: float | None = None
    granted: tuple[str, ...] = ()


def _numbers(error: BaseException | None) -> _Numbers:
    if isinstance(error, MachineLimitError):
        return _Numbers(used=error.current_machines, total=error.max_machines)
    if isinstance(error, LicenseInvalidError):
        lic = error.license
        if lic is None:
            return _Numbers(granted=error.entitlements)
        # validate-key tells no seat count: seats come from the error details or the context.
        return _Numbers(expires=lic.expires_at, granted=error.entitlements)
    if isinstance(error, RateLimitedError):
        return _Numbers(retry_after=error.retry_after)
    if isinstance(error, ClockSkewError):
        return _Numbers(skew=error.skew_seconds)
    if isinstance(error, OfflineFileExpiredError):
        return _Numbers(expires=error.expires_at)
    return _Numbers()


def facts(error: BaseException | None, product: str, ctx: ProblemContext) -> dict[str, str]:
    """Every placeholder of the table, filled for ``error`` under ``ctx``."""
    numbers = _numbers(error)
    expires = _first(ctx.expires_at, numbers.expires)
    retry_after = _first(ctx.retry_after, numbers.retry_after)
    missing = ctx.missing_entitlements or _missing(error, numbers.granted, ctx)
    product = shown_product(product)
    return {
        "product": product,
        "product_cap": product[:1].upper() + product[1:],
        "seats": _seats(_first(ctx.seats_used, numbers.used), _first(ctx.seats_total, numbers.total)),
        "expired_on": _or_unknown("expired_on", expires, date=format_date(expires)),
        "retry_in": _or_unknown("retry_in", retry_after, duration=_duration(retry_after)),
        "retry_in_short": _or_unknown("retry_in_short", retry_after, duration=_duration(retry_after)),
        "clock": _clock(_first(ctx.skew_seconds, numbers.skew)),
        "features": _features(missing),
        "them": phrase("them", len(missing)),
        "contact": _contact(ctx, product),
        "renew_where": _or_unknown("renew_where", ctx.renew_url, url=ctx.renew_url),
        "key_message": _key_message(error),
        **_storage(error, product),
        **_surface(ctx),
    }  # fmt: skip


#: How the command line's steps give the key: from a file, never on the command line (README).
KEY_FILE = "--key-file FILE"


def _surface(ctx: ProblemContext) -> dict[str, str]:
    """How to do the next step: a button in the wizard, a command on the command line."""
    cli = "" if ctx.command is None else "_cli"
    with_key = KEY_FILE in (ctx.command or "")  # the key was given, not stored here
    # The answer may have been lost after the server added this computer; a new attempt
    # finds that machine (the server reports it as already there) instead of a new seat.
    lost_after_adding = ctx.failed_step == "activate"
    return {
        "try_again": phrase("try_again" + cli, command=ctx.command),
        "Try_again": phrase("Try_again" + cli, command=ctx.command),
        "program": ctx.program,
        "activate": f"{ctx.program} activate {KEY_FILE}",
        "no_extra_seat": phrase("no_extra_seat" if lost_after_adding else "no_extra_seat_unknown"),
        "devices": f"{ctx.program} devices" + (f" {KEY_FILE}" if with_key else ""),
    }


def _or_unknown(key: str, known: object, /, **values: object) -> str:
    """The phrase ``key`` when ``known`` is set, else its ``_unknown`` form."""
    return phrase(key, **values) if known else phrase(key + "_unknown")


def _first(*values: T | None) -> T | None:
    return next((v for v in values if v is not None), None)


def _duration(seconds: float | None) -> str | None:
    return format_duration(seconds) if seconds else None


def _missing(
    error: BaseException | None, granted: tuple[str, ...], ctx: ProblemContext
) -> tuple[str, ...]:
    listed = error.missing_entitlements if isinstance(error, WizardError) else ()
    return listed or tuple(e for e in ctx.required_entitlements if e not in set(granted))


def _seats(used: int | None, total: int | None) -> str:
    if total is not None:
        if used is not None:
            return phrase("seats_used_of_total", total, used=used, total=total)
        return phrase("seats_all_of_total", total, total=total)
    if used is not None:
        return phrase("seats_used", used, used=used)
    return phrase("seats_unknown")


def _clock(skew: float | None) -> str:
    if skew is None or skew == 0:
        return phrase("clock_unknown")
    return phrase("clock_ahead" if skew > 0 else "clock_behind", duration=format_duration(skew))


def _features(missing: tuple[str, ...]) -> str:
    if not missing:
        return phrase("features_unknown")
    # The success page's names ("Pro"), not the codes ("pro").
    names = [phrase("feature_name", name=feature_name(code)) for code in missing]
    joined = names[0]
    if len(names) > 1:
        head = phrase("feature_list_separator").join(names[:-1])
        joined = phrase("feature_list", names=head, last=names[-1])
    return phrase("features", len(names), names=joined)


def _contact(ctx: ProblemContext, product: str) -> str:
    if ctx.support_email:
        return phrase("contact_email", email=ctx.support_email)
    if ctx.support_url:
        return phrase("contact_url", url=ctx.support_url)
    return phrase("contact_seller", product=product)


def _key_message(error: BaseException | None) -> str:
    if isinstance(error, KeyFormatError) and error.message:
        return error.message
    return phrase("key_message_unknown")


def _storage(error: BaseException | None, product: str) -> dict[str, str]:
    if not isinstance(error, StorageError) or error.errno_name not in IN_THE_WAY:
        errno_name = error.errno_name if isinstance(error, StorageError) else None
        reason, fix = STORAGE.get(errno_name or "", STORAGE_UNKNOWN)
        return {"storage_reason": translated(reason), "storage_fix": translated(fix)}
    reason, fix, where = map(translated, IN_THE_WAY[error.errno_name])
    path = error.path
    if path and error.errno_name == "ENOTDIR" and error.action != "create the folder":
        path = str(PurePath(path).parent)  # a file inside the folder was read or written
    place = where.format(path=path) if path else ""
    return {
        "storage_reason": reason.format(product=product),
        "storage_fix": fix.format(where=place),
    }


__all__ = ["facts", "phrase", "translated"]
