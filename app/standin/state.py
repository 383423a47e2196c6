"""Everything one stand-in instance holds: database, keys, clock, limits, faults, fixtures."""

from __future__ import annotations

from typing import Any

from .clock import Clock, Settings
from .faults import FaultBook
from .license_admin import LicenseAdmin
from .licensing import Licensing
from .limits import RateLimiter
from .requestlog import RequestLog
from .seed import (
    DEFAULT_SEED,
    ensure_secrets,
    fixture_details,
    fixture_map,
    insert_api_keys,
    is_seeded,
    public_api_secret,
    seed_data,
)
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
        public: bool = False,
    ) -> None:
        self.store = Store(db_path)
        self.key_seed, signing_key, ed_seed = ensure_secrets(self.store, key_seed)
        # Reachable from other computers: API keys from a random secret of this database.
        self.api_secret = public_api_secret(self.store) if public else self.key_seed
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
        elif not public and is_seeded(self.store):  # once public, back to the seed's keys
            with self.store.tx() as db:
                insert_api_keys(db, self.api_secret)

    @property
    def fixtures(self) -> dict[str, str]:
        return fixture_map(
            self.key_seed, self.signer.signing_key, self.signer.public_key, self.api_secret
        )

    @property
    def fixture_details(self) -> dict[str, dict[str, Any]]:
        return fixture_details(self.key_seed)

    def reseed(self) -> None:
        with self.store.tx() as db:
            seed_data(db, self.key_seed, self.clock.now(), self.api_secret)

    def reset(self) -> None:
        """Back to the seeded state: data, faults, rate counters, clock shift, switches."""
        self.faults.clear()
        self.requests.clear()
        self.clock.shift = 0.0
        self.settings.restore()
        self.limiter.configure(self.initial_limits, self.initial_window)
        self.reseed()

    def config(self) -> dict[str, Any]:
        return {
            "unknownKey": self.settings.unknown_key,
            "duplicateFingerprint": self.settings.duplicate_fingerprint,
            "licenseStateStatus": self.settings.license_state_status,
            "checkoutFingerprint": self.settings.checkout_fingerprint,
            "rateLimits": dict(self.limiter.limits),
            "rateWindowSeconds": self.limiter.window,
            "clockShiftSeconds": self.clock.shift,
        }

    def configure(
        self,
        *,
        unknown_key: str | None = None,
        duplicate_fingerprint: str | None = None,
        license_state_status: int | None = None,
        rate_limits: dict[str, int] | None = None,
        rate_window: float | None = None,
        checkout_fingerprint: bool | None = None,
    ) -> dict[str, Any]:
        """Set the readings (see Settings) and rate limits; ValueError for an unknown reading."""
        self.settings.update(
            unknown_key=unknown_key,
            duplicate_fingerprint=duplicate_fingerprint,
            license_state_status=license_state_status,
            checkout_fingerprint=checkout_fingerprint,
        )
        if rate_limits is not None or rate_window is not None:
            self.limiter.configure(rate_limits, rate_window)
        return self.config()
