"""The stand-in's business clock and its runtime switches (POST /_standin/config)."""

from __future__ import annotations

import time
from dataclasses import dataclass


class Clock:
    """The server's notion of 'now' for business rules; `shift` moves it (tests only)."""

    def __init__(self) -> None:
        self.shift = 0.0

    def now(self) -> float:
        return round(time.time() + self.shift, 3)


@dataclass
class Settings:
    """Runtime switches (POST /_standin/config)."""

    duplicate_activation_ok: bool = False  # True: same fingerprint -> 200 with the machine
    # False: the checkout file's header carries no fingerprint (the real header may lack it).
    checkout_fingerprint: bool = True
