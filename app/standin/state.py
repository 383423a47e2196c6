"""Everything one stand-in instance holds: database, keys, clock, limits, faults, fixtures."""

from __future__ import annotations

from typing import Any

from .clock import Clock, Settings
from .faults import FaultBook
from .license_admin import LicenseAdmin
from .licensing import Licensing
from .limits import RateLimiter
from .requestlog import RequestLog
from .seed import DEFAULT_SEED, ensure_secrets, fixture_details, fixture_map, is_seeded, seed_data
from .signing import Signer
from .store import Store


class StandinState:
    """One stand-in's database, keys, clock, switches, limits and faults."""

    def __init__(
        self,
        db_path: str | None = None,
        *,
        seed: bool = True,
        key_seed: str = DEFAULT_SEED,
        rate_limits: dict[str, int] | None = None,
        rate_window: float = 60.0,
    ) -> None:
        self.store = Store(db_path)
        self.key_seed, signing_key, ed_seed = ensure_secrets(self.store, key_seed)
        self.signer = Signer(signing_key, ed_seed)
        self.clock = Clock()
        self.settings = Settings()
        self.limiter = RateLimiter(rate_limits, rate_window)
        self.initial_limits = dict(self.limiter.limits)
        self.initial_window = rate_window
        self.faults = FaultBook()
        self.requests = RequestLog()
        self.licensing = Licensing(self.store, self.clock, self.settings)
        self.licenses = LicenseAdmin(self.store, self.clock, self.signer, self.settings)
        # A file database keeps its activations across restarts; seed it only once.
        if seed and not is_seeded(self.store):
            self.reseed()

    @property
    def fixtures(self) -> dict[str, str]:
        return fixture_map(self.key_seed, self.signer.signing_key, self.signer.public_key)

    @property
    def fixture_details(self) -> dict[str, dict[str, Any]]:
        return fixture_details(self.key_seed)

    def reseed(self) -> None:
        with self.store.tx() as db:
            seed_data(db, self.key_seed, self.clock.now())

    def reset(self) -> None:
        """Back to the seeded state: data, faults, rate counters, clock shift, switches."""
        self.faults.clear()
        self.requests.clear()
        self.clock.shift = 0.0
        self.settings.duplicate_activation_ok = False
        self.settings.checkout_fingerprint = True
        self.limiter.configure(self.initial_limits, self.initial_window)
        self.reseed()

    def config(self) -> dict[str, Any]:
        return {
            "duplicateActivationOk": self.settings.duplicate_activation_ok,
            "checkoutFingerprint": self.settings.checkout_fingerprint,
            "rateLimits": dict(self.limiter.limits),
            "rateWindowSeconds": self.limiter.window,
            "clockShiftSeconds": self.clock.shift,
        }

    def configure(
        self,
        *,
        duplicate_activation_ok: bool | None = None,
        rate_limits: dict[str, int] | None = None,
        rate_window: float | None = None,
        checkout_fingerprint: bool | None = None,
    ) -> dict[str, Any]:
        if duplicate_activation_ok is not None:
            self.settings.duplicate_activation_ok = duplicate_activation_ok
        if checkout_fingerprint is not None:
            self.settings.checkout_fingerprint = checkout_fingerprint
        if rate_limits is not None or rate_window is not None:
            self.limiter.configure(rate_limits, rate_window)
        return self.config()
