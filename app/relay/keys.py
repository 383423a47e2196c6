"""Reading the caller's `Authorization: License <key>` header, and masking keys for logs."""

from __future__ import annotations

import re

from app.relay.envelope import RelayError

# Opaque key, but bounded: printable, no whitespace, not absurdly long.
_KEY = re.compile(r"^[\x21-\x7e]{4,256}$")


def license_key_from(header: str | None) -> str:
    """The key in an `Authorization: License <key>` header; RelayError 401 when absent or bad."""
    if not header:
        raise _unauthorized("Missing Authorization header (expected 'License <key>')")
    scheme, _, value = header.strip().partition(" ")
    key = value.strip()
    if scheme.lower() != "license" or not _KEY.match(key):
        raise _unauthorized("Malformed Authorization header (expected 'License <key>')")
    return key


def mask_key(key: str) -> str:
    """`ABCD-1234-...-WXYZ` -> `ABCD-…-WXYZ`: first group and last four characters only."""
    if len(key) <= 8:
        return "…" + key[-2:] if len(key) > 2 else "…"
    first = key.split("-", 1)[0]
    if len(first) >= len(key) - 4:
        first = key[:4]
    return f"{first}-…-{key[-4:]}"


def _unauthorized(message: str) -> RelayError:
    return RelayError(401, "UNAUTHORIZED", message, headers={"WWW-Authenticate": "License"})
