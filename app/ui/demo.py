"""Demo mode: the stand-in and the relay in-process on loopback, stopped with the window."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from app.config import VendorConfig, with_overrides

log = logging.getLogger(__name__)

DEMO_DB_NAME = "demo-standin.sqlite3"
# The demo relay's key for offline license files: kept beside the demo database, so files
# made in one demo session still load in the next.
DEMO_SIGNING_KEY_NAME = "demo-offline-signing.pem"


#: The product the stand-in's seeded licenses belong to.
DEMO_PRODUCT = "Studio Pro"


class DemoServers:
    """Starts the stand-in (seeded, with a database file so demo activations survive a
    restart) and, when the relay package is present, the relay in front of it."""

    def __init__(self, data_dir: Path) -> None:
        self.db_path = Path(data_dir) / DEMO_DB_NAME
        self.standin: Any = None
        self.relay: Any = None
        self.signer: Any = None

    def start(self) -> DemoServers:
        from app.standin.server import StandinServer

        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.standin = StandinServer(db_path=str(self.db_path), port=0, seed=True).start()
        log.info("demo stand-in listening on %s", self.standin.url)
        self.signer = self._offline_signer()
        self.relay = self._start_relay(
            self.standin.url, self.standin.fixtures.get("apiKeyRelay"), self.signer
        )
        return self

    def configure(self, config: VendorConfig) -> VendorConfig:
        """``config`` pointed at the demo servers, requiring the demo's ``pro`` feature."""
        # The demo licenses are for "Studio Pro"; a vendor previewing their own config keeps
        # their name, the shipped placeholder gives way so every page names one product.
        placeholder = config.product_name == VendorConfig.product_name
        return with_overrides(
            config,
            product_name=DEMO_PRODUCT if placeholder else None,
            api_url=self.standin.url,
            relay_url=self.relay.url if self.relay is not None else None,
            public_key=self.signer.public_key if self.relay is not None and self.signer else None,
            required_entitlements=("pro",),
            key_case="upper",  # the stand-in's keys are upper case; typing in lower case works
            demo=True,
        )

    @property
    def fixtures(self) -> dict[str, str]:
        return dict(self.standin.fixtures) if self.standin is not None else {}

    def stop(self) -> None:
        """Stop both servers and free their ports; safe to call twice."""
        if self.relay is not None:
            self.relay.stop()
            self.relay = None
        if self.standin is not None:
            self.standin.close()
            self.standin = None

    def _offline_signer(self) -> Any:
        """The demo's vendor key for offline files (made once, an unencrypted PKCS#8 PEM
        readable only by this user); None when the relay package is not part of this build."""
        try:
            signing = importlib.import_module("app.relay.offline_signing")
        except ImportError:
            return None
        path = self.db_path.parent / DEMO_SIGNING_KEY_NAME
        if not path.exists():
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            path.touch(mode=0o600)
            path.write_bytes(pem)
        return signing.OfflineSigner.from_pem_file(path)

    @staticmethod
    def _start_relay(upstream: str, api_key: str | None, signer: Any = None) -> Any:
        try:
            relay_module = importlib.import_module("app.relay")
        except ImportError:
            log.info("relay package not available; device management is off in the demo")
            return None
        if not api_key:
            log.info("stand-in has no relay API key; device management is off in the demo")
            return None
        # The demo's keys are case-insensitive (key_case "upper"), on the offline page too.
        limits = relay_module.RelayLimits(key_case="upper")
        relay = relay_module.RelayServer(
            upstream, api_key, limits=limits, offline_signer=signer
        ).start()
        log.info("demo relay listening on %s", relay.url)
        return relay
