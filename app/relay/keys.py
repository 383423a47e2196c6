"""Reading the caller's `Authorization: License <key>` header (keys are masked for logs)."""

from __future__ import annotations

import re

from app.domain.license_key import mask_key
from app.relay.envelope import RelayError

__all__ = ["license_key_from", "mask_key"]

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


def _unauthorized(message: str) -> RelayError:
    return RelayError(401, "UNAUTHORIZED", message, headers={"WWW-Authenticate": "License"})
