"""Demo license keys in plain words, for the key page's list in demo mode."""

from __future__ import annotations

from app.domain.license_key import is_valid_key

#: Stand-in fixture names -> what a person trying the demo should read.
PLAIN_NAMES: dict[str, str] = {
    "valid": "Valid license",
    "valid-2": "Another valid license",
    "one-seat": "Valid license for one computer",
    "offline": "Valid license that also works offline",
    "heartbeat": "License that needs regular check-ins",
    "heartbeat-keep-dead": "License that needs regular check-ins (keeps old devices)",
    "seat-limit": "Seat limit reached",
    "expired": "Expired license",
    "expired-allow-access": "Expired license that still works",
    "expired-revoke": "Expired and withdrawn license",
    "suspended": "Suspended license",
    "revoked": "Revoked license",
    "banned": "Blocked license",
    "entitlements": "License without the required feature",
    "uses-exceeded": "Usage limit reached",
}


def demo_key_list(fixtures: dict[str, str]) -> dict[str, str]:
    """Plain label -> key for every license-key fixture (API and signing keys left out),
    in the order of PLAIN_NAMES, unknown scenarios last."""
    keys = {name: value for name, value in fixtures.items() if is_valid_key(str(value))}
    ordered = [n for n in PLAIN_NAMES if n in keys] + sorted(set(keys) - set(PLAIN_NAMES))
    return {plain_name(name): keys[name] for name in ordered}


def plain_name(fixture: str) -> str:
    return PLAIN_NAMES.get(fixture, fixture.replace("-", " ").capitalize())
