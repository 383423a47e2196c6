"""The stand-in's business clock and its runtime switches (POST /_standin/config)."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields

# The readings of what the Licentric docs leave open; the first of each is the default.
UNKNOWN_KEY_READINGS = ("valid-false", "not-found")
DUPLICATE_READINGS = ("conflict", "constraint", "existing")
LICENSE_STATE_STATUSES = (409, 403, 422)


class Clock:
    """The server's notion of 'now' for business rules; `shift` moves it (tests only)."""

    def __init__(self) -> None:
        self.shift = 0.0

    def now(self) -> float:
        return round(time.time() + self.shift, 3)


@dataclass
class Settings:
    """Runtime switches (POST /_standin/config), one per reading the docs leave open.

    - unknown_key: "valid-false" answers 200 `{valid: false, code: NOT_FOUND}`; "not-found"
      answers a 404 `NOT_FOUND` error envelope.
    - duplicate_fingerprint: activating a fingerprint already active on the license answers
      "conflict" 409 `CONFLICT`, "constraint" 422 `CONSTRAINT_VIOLATION` or "existing" 200 with
      the machine already there.
    - license_state_status: the HTTP status of `LICENSE_*` errors (409, 403 or 422).
    """

    unknown_key: str = UNKNOWN_KEY_READINGS[0]
    duplicate_fingerprint: str = DUPLICATE_READINGS[0]
    license_state_status: int = LICENSE_STATE_STATUSES[0]
    # False: the checkout file's header carries no fingerprint (the real header may lack it).
    checkout_fingerprint: bool = True

    def update(self, **changes: object) -> None:
        """Set the given switches (None leaves one alone); ValueError names a bad reading."""
        allowed = {
            "unknown_key": UNKNOWN_KEY_READINGS,
            "duplicate_fingerprint": DUPLICATE_READINGS,
            "license_state_status": LICENSE_STATE_STATUSES,
            "checkout_fingerprint": (True, False),
        }
        for name, value in changes.items():
            if value is None:
                continue
            if value not in allowed[name]:
                raise ValueError(f"{name} must be one of {allowed[name]}, not {value!r}")
            setattr(self, name, value)

    def restore(self) -> None:
        for f in fields(self):
            setattr(self, f.name, f.default)
