"""Demo license keys in plain words, for the key page's list in demo mode."""

from __future__ import annotations

from app.domain.license_key import is_valid_key
from app.i18n import N_, _

#: Stand-in fixture names -> what a person trying the demo should read.
PLAIN_NAMES: dict[str, str] = {
    "valid": N_("Valid license"),
    "valid-2": N_("Another valid license"),
    "one-seat": N_("Valid license for one computer"),
    "offline": N_("Valid license that also works offline"),
    "heartbeat": N_("License that needs regular check-ins"),
    "heartbeat-keep-dead": N_("License that needs regular check-ins (keeps old devices)"),
    "seat-limit": N_("Seat limit reached"),
    "expired": N_("Expired license"),
    "expired-allow-access": N_("Expired license that still works"),
    "expired-revoke": N_("Expired and withdrawn license"),
    "suspended": N_("Suspended license"),
    "revoked": N_("Revoked license"),
    "banned": N_("Blocked license"),
    "entitlements": N_("License without the required feature"),
    "uses-exceeded": N_("Usage limit reached"),
}


def demo_key_list(fixtures: dict[str, str]) -> dict[str, str]:
    """Plain label -> key for every license-key fixture (API and signing keys left out),
    in the order of PLAIN_NAMES, unknown scenarios last."""
    keys = {name: value for name, value in fixtures.items() if is_valid_key(str(value))}
    ordered = [n for n in PLAIN_NAMES if n in keys] + sorted(set(keys) - set(PLAIN_NAMES))
    return {plain_name(name): keys[name] for name in ordered}


def plain_name(fixture: str) -> str:
    if fixture in PLAIN_NAMES:
        return _(PLAIN_NAMES[fixture])
    return fixture.replace("-", " ").capitalize()
