"""License facts in plain words: which product, licensed to whom, until when, what, how many.

The command line and the windows name the product and the licensee the same way: the
license's own product name (what the user bought) before the configured one, and the person or
company of a license named "Product — Person".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from app.domain.errors import LicenseInvalidError
from app.i18n import _, ngettext, pgettext
from app.presentation.words import format_date

if TYPE_CHECKING:  # annotations only: keeps the models off the start-up path
    from app.domain.models import LicenseSummary, ValidationResult

_LICENSEE_SEPARATORS = (" — ", " - ", ": ")


def licensed_product(license_: LicenseSummary | None, fallback: str) -> str:
    """The license's product name when the service named one, else ``fallback`` (the
    configured name): a vendor may ship one wizard for several products."""
    name = license_.product_name if license_ is not None else None
    return name or fallback


def product_for_failure(error: BaseException, fallback: str) -> str:
    """The product a failure is about: the license's own name when the failed validation
    named it (so the problem reads like the success would), else ``fallback``."""
    license_ = error.license if isinstance(error, LicenseInvalidError) else None
    return licensed_product(license_, fallback)


def licensee(name: str | None, product: str | None) -> str | None:
    """The person or company a license is for. Many licenses are named "Product — Person":
    then only the person, not the product again."""
    if not name:
        return None
    for separator in _LICENSEE_SEPARATORS:
        head, found, tail = name.partition(separator)
        if found and product and head.strip() == product and tail.strip():
            return tail.strip()
    return name


def seats_text(used: int | None, total: int | None) -> str:
    """``2 of 5 computers``, ``3 computers (no limit)``, ``unknown``."""
    if total is None and used is None:
        return _("unknown")
    if total is None:
        return ngettext("{n} computer (no limit)", "{n} computers (no limit)", used or 0).format(
            n=used
        )
    shown = used if used is not None else "?"
    return ngettext("{used} of {n} computer", "{used} of {n} computers", total).format(
        used=shown, n=total
    )


def features_text(entitlements: tuple[str, ...]) -> str:
    """``Pro, Export Pdf`` from entitlement codes, or ``none listed``."""
    names = [e.replace("_", " ").title() for e in entitlements]
    # Translators: between the names of a license's features ("Pro, Export Pdf").
    return pgettext("list separator", ", ").join(names) if names else _("none listed")


def license_facts(validation: ValidationResult | None, device_name: str) -> list[tuple[str, str]]:
    """(label, value) rows for a fact list: product, licensee, expiry, features, seats."""
    lic = validation.license if validation else None
    facts: list[tuple[str, str]] = []
    if lic is not None:
        facts.append((_("Product"), lic.product_name or "—"))
        person = licensee(lic.name, lic.product_name)
        if person:
            facts.append((_("Licensed to"), person))
        expires = format_date(lic.expires_at) if lic.expires_at else _("never")
        facts.append((_("Expires"), expires))
    if validation is not None:
        facts.append((_("Features"), features_text(validation.entitlements)))
    if lic is not None:
        facts.append((_("Seats used"), seats_text(lic.machine_count, lic.max_machines)))
    facts.append((_("This computer"), device_name or "—"))
    return facts


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
                "right now. Free it later under Manage devices, or ask support."
            ).format(key=replaced)
        )
    if outcome.key_storage == "file":
        notes.append(key_file_note())
    elif outcome.key_storage == MACHINE_KEY_STORAGE:
        notes.append(machine_wide_note())
    if outcome.clock_is_off:
        minutes = round(abs(outcome.clock_skew_seconds or 0) / 60)
        notes.append(
            ngettext(
                "This computer's clock is off by about {n} minute. Setting it right avoids "
                "problems when the license is checked later.",
                "This computer's clock is off by about {n} minutes. Setting it right avoids "
                "problems when the license is checked later.",
                minutes,
            ).format(n=minutes)
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


def key_file_note() -> str:
    """Where the key is kept when there is no keychain (the windows' wording)."""
    return _(
        "This computer has no usable keychain, so your license key is kept in a file that "
        "only your user account can read."
    )


__all__ = [
    "MACHINE_KEY_STORAGE",
    "machine_wide_note",
    "features_text",
    "key_file_note",
    "license_facts",
    "licensed_product",
    "licensee",
    "outcome_notes",
    "product_for_failure",
    "seats_text",
]
