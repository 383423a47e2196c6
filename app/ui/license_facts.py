"""License facts in plain words (product, licensee, expiry, features, seats) for the pages."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: keeps the models off the UI start-up path
    from app.domain.models import ValidationResult


def format_date(moment: datetime | None) -> str:
    if moment is None:
        return "unknown"
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local.day} {local:%B %Y}"


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local.day} {local:%B %Y at %H:%M}"


def seats_text(used: int | None, total: int | None) -> str:
    if total is None and used is None:
        return "unknown"
    if total is None:
        return f"{used} computer{'s' if used != 1 else ''} (no limit)"
    return f"{used if used is not None else '?'} of {total} computers"


def features_text(entitlements: tuple[str, ...]) -> str:
    return ", ".join(e.replace("_", " ").title() for e in entitlements) or "none listed"


def license_facts(validation: ValidationResult | None, device_name: str) -> list[tuple[str, str]]:
    lic = validation.license if validation else None
    facts: list[tuple[str, str]] = []
    if lic is not None:
        facts.append(("Product", lic.product_name or "—"))
        if lic.name:
            facts.append(("Licensed to", _licensee(lic.name, lic.product_name)))
        facts.append(("Expires", format_date(lic.expires_at) if lic.expires_at else "never"))
    if validation is not None:
        facts.append(("Features", features_text(validation.entitlements)))
    if lic is not None:
        facts.append(("Seats used", seats_text(lic.machine_count, lic.max_machines)))
    facts.append(("This computer", device_name or "—"))
    return facts


def outcome_notes(outcome: Any) -> list[str]:
    """Short notes under a successful activation, most important first."""
    notes: list[str] = []
    if outcome.expired_but_usable:
        notes.append("This license has expired, but your vendor lets it keep working for now.")
    if outcome.already_active:
        notes.append("This computer was already activated, so no extra seat was used.")
    replaced = getattr(outcome, "replaced_key_masked", None)
    if replaced and outcome.replaced_released:
        notes.append(f"The license key {replaced} no longer uses a seat on this computer.")
    elif replaced:
        notes.append(
            f"The license key {replaced} was replaced here, but its seat could not be freed "
            "right now. Free it later under Manage devices, or ask support."
        )
    if outcome.key_storage == "file":
        notes.append(key_file_note())
    if outcome.clock_is_off:
        minutes = round(abs(outcome.clock_skew_seconds or 0) / 60)
        notes.append(
            f"This computer's clock is off by about {minutes} minutes. Setting it right avoids "
            "problems when the license is checked later."
        )
    return notes


def key_file_note() -> str:
    return (
        "This computer has no usable keychain, so your license key is kept in a file that "
        "only your user account can read."
    )


def _licensee(name: str, product: str | None) -> str:
    # The stand-in and many vendors name licenses "Product — Person": show the person.
    for sep in (" — ", " - ", ": "):
        head, found, tail = name.partition(sep)
        if found and product and head.strip() == product:
            return tail.strip()
    return name
