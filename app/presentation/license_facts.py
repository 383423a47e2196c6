"""License facts in plain words: which product, licensed to whom, until when, what, how many.

Facts come from where they really are: validate-key gives the license's status, expiry, name
and features; the product's name is the vendor's (validate-key does not name it); seats,
licensee and the check-in and offline policy come from the relay's license view when a relay
is configured (or the check-in interval from the vendor's ``heartbeat_minutes``). A fact
nothing tells is left out, never shown blank or guessed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from app.config import PLACEHOLDER_PRODUCT
from app.i18n import _, ngettext, pgettext
from app.presentation.words import format_date, format_duration

if TYPE_CHECKING:  # annotations only: keeps the models off the start-up path
    from app.domain.models import LicenseView, ValidationResult

_LICENSEE_SEPARATORS = (" — ", " - ", ": ")


def _status_word(status: str) -> str:
    words = {
        "active": _("Active"),
        "expired": _("Expired"),
        "suspended": _("Suspended"),
        "revoked": _("Revoked"),
        "banned": _("Blocked"),
    }
    return words.get(status.lower(), status.title())


def shown_product(name: str | None) -> str:
    """The product's name in what users read: the vendor's, or neutral words ("this product")
    while the configuration has none or still the template's placeholder. The one rule every
    message (problems, the command line's lines) goes by."""
    name = (name or "").strip()
    return name if name and name != PLACEHOLDER_PRODUCT else _("this product")


def sentence(text: str) -> str:
    """``text`` with a capital first letter (a neutral product name may start it)."""
    return text[:1].upper() + text[1:]


def licensee(name: str | None, product: str | None) -> str | None:
    """The person or company a license is for. Many licenses are named "Product — Person":
    then only the person, not the product again."""
    if not name:
        return None
    return _person_in(name, product) or name


def _person_in(name: str | None, product: str | None) -> str | None:
    """"Person" of a license named "Product — Person"; None for any other name."""
    for separator in _LICENSEE_SEPARATORS:
        head, found, tail = (name or "").partition(separator)
        if found and product and head.strip() == product and tail.strip():
            return tail.strip()
    return None


def seats_text(used: int | None, total: int | None) -> str | None:
    """``2 of 5 computers``, ``3 computers (no limit)``, ``up to 5 computers``; None when
    nothing is known."""
    if used is None:
        if total is None:
            return None
        return ngettext("up to {n} computer", "up to {n} computers", total).format(n=total)
    if total is None:
        return ngettext("{n} computer (no limit)", "{n} computers (no limit)", used).format(
            n=used
        )
    return ngettext("{used} of {n} computer", "{used} of {n} computers", total).format(
        used=used, n=total
    )


def feature_name(code: str) -> str:
    """A feature as the user reads it (``Pro``, ``Export Pdf``), never its raw code."""
    return code.replace("_", " ").title()


def features_text(entitlements: tuple[str, ...]) -> str:
    """``Pro, Export Pdf`` from entitlement codes, or ``none listed``."""
    names = [feature_name(e) for e in entitlements]
    # Translators: between the names of a license's features ("Pro, Export Pdf").
    return pgettext("list separator", ", ").join(names) if names else _("none listed")


def check_in_text(view: LicenseView | None, vendor_minutes: float | None) -> str | None:
    """``every hour`` / ``every 90 minutes`` / ``not needed``; None when nothing tells."""
    if view is not None and not view.require_heartbeat and vendor_minutes is None:
        return _("not needed")
    minutes = (view.heartbeat_interval_minutes if view else None) or vendor_minutes
    if minutes is None:
        return _("needed") if view is not None else None
    return _every(round(minutes))


def _every(minutes: int) -> str:
    """``every 90 minutes``, but ``every hour`` and ``every 2 hours`` for whole hours."""
    if minutes < 60 or minutes % 60:
        return ngettext("every {n} minute", "every {n} minutes", minutes).format(n=minutes)
    hours = minutes // 60
    if hours == 1:
        return _("every hour")
    return ngettext("every {n} hour", "every {n} hours", hours).format(n=hours)


def offline_text(view: LicenseView | None) -> str | None:
    """``allowed for up to 14 days`` / ``not allowed``; None without the relay's view."""
    if view is None:
        return None
    if not view.offline_allowed:
        return _("not allowed")
    days = view.offline_max_days
    if not days:
        return _("allowed")
    return ngettext("allowed for up to {n} day", "allowed for up to {n} days", days).format(n=days)


def license_facts(
    validation: ValidationResult | None,
    device_name: str,
    product: str,
    view: LicenseView | None = None,
    *,
    vendor_minutes: float | None = None,
    seats_used_known: bool = True,
) -> list[tuple[str, str]]:
    """(label, value) rows for a fact list; a fact nothing tells has no row.

    ``seats_used_known`` False shows the seat total only (right after an activation the
    relay may still count from before the new seat)."""
    lic = validation.license if validation else None
    facts: list[tuple[str, str]] = [(_("Product"), product)]
    if lic is not None:
        named = _person_in(lic.name, product)
        person = (view.licensee_name if view else None) or named
        if person:
            facts.append((_("Licensed to"), person))
        if lic.name and not named:
            facts.append((_("License"), lic.name))
        facts.append((_("Status"), _status_word(lic.status)))
        facts.append((_("Expires"), format_date(lic.expires_at) if lic.expires_at else _("never")))
    if validation is not None and validation.entitlements_known:  # an old offline file: not
        facts.append((_("Features"), features_text(validation.entitlements)))
    facts += _view_facts(view, vendor_minutes, seats_used_known)
    facts.append((_("This computer"), device_name or "—"))
    return facts


def _view_facts(
    view: LicenseView | None, vendor_minutes: float | None, seats_used_known: bool
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str | None]] = []
    if view is not None:
        used = view.seats_used if seats_used_known else None
        label = _("Seats used") if used is not None else _("Seats")
        rows.append((label, seats_text(used, view.seats_total)))
    rows.append((_("Check-ins"), check_in_text(view, vendor_minutes)))
    rows.append((_("Offline use"), offline_text(view)))
    return [(label, value) for label, value in rows if value]


class Outcome(Protocol):
    """What the notes read of a successful activation (``app.services.ActivationOutcome``)."""

    @property
    def expired_but_usable(self) -> bool: ...
    @property
    def already_active(self) -> bool: ...
    @property
    def replaced_key_masked(self) -> str | None: ...
    @property
    def replaced_released(self) -> bool | None: ...
    @property
    def key_storage(self) -> str: ...
    @property
    def clock_is_off(self) -> bool: ...
    @property
    def clock_skew_seconds(self) -> float | None: ...


def outcome_notes(outcome: Outcome) -> list[str]:
    """Short notes under a successful activation, most important first."""
    notes: list[str] = []
    if outcome.expired_but_usable:
        notes.append(_("This license has expired, but your vendor lets it keep working for now."))
    if outcome.already_active:
        notes.append(_("This computer was already activated, so no extra seat was used."))
    replaced = outcome.replaced_key_masked
    if replaced and outcome.replaced_released:
        notes.append(
            _("The license key {key} no longer uses a seat on this computer.").format(key=replaced)
        )
    elif replaced:
        notes.append(
            _(
                "The license key {key} was replaced here, but its seat could not be freed "
                "right now. Free it later under Manage computers, or ask support."
            ).format(key=replaced)
        )
    if outcome.key_storage == "file":
        notes.append(key_file_note())
    elif outcome.key_storage == MACHINE_KEY_STORAGE:
        notes.append(machine_wide_note())
    if outcome.clock_is_off:  # in words: "2 hours", not "120 minutes"
        notes.append(
            _(
                "This computer's clock is off by about {duration}. Setting it right avoids "
                "problems when the license is checked later."
            ).format(duration=format_duration(abs(outcome.clock_skew_seconds or 0)))
        )
    return notes


#: ``key_storage`` of the activation for every user of the computer (app.platform.machine_store)
MACHINE_KEY_STORAGE = "machine file"


def machine_wide_note() -> str:
    """What the windows say about an activation for every user of the computer."""
    return _(
        "This activation is for every user of this computer. Only an administrator can change "
        "or remove it."
    )


def grace_end(checked_at: datetime | None, grace_hours: float) -> datetime | None:
    """When a saved good answer stops counting without a connection (the offline grace)."""
    return checked_at + timedelta(hours=grace_hours) if checked_at is not None else None


def key_file_note() -> str:
    """Where the key is kept when there is no keychain (the windows' wording)."""
    return _(
        "This computer has no password storage available, so your license key is kept in a "
        "file only your user account can read."
    )


__all__ = [
    "feature_name",
    "grace_end",
    "MACHINE_KEY_STORAGE",
    "machine_wide_note",
    "check_in_text",
    "features_text",
    "key_file_note",
    "license_facts",
    "licensee",
    "offline_text",
    "outcome_notes",
    "seats_text",
]
