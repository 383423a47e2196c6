"""Service construction for the GUI: the one ui module that may reach app.api / app.platform
(import-linter exempts it), so every page talks to services only."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from app.config import VendorConfig

if TYPE_CHECKING:  # building them (in the first worker) is what loads the services
    from app.services import Services


class LazyServices:
    """Stands in for ``app.services.Services`` and builds them on first attribute access.

    Building imports the HTTP, keychain and crypto stack (about half of the start-up time),
    so the wizard paints first and the first worker (the status page's lookup) builds them
    off the UI thread.
    """

    def __init__(self, config: VendorConfig, directory: Path | None = None) -> None:
        self._config = config
        self._directory = directory
        self._lock = threading.Lock()
        self._services: Services | None = None

    def get(self) -> Services:
        with self._lock:
            if self._services is None:
                from app.services.factory import build_services

                # interactive: rate limits show as the result page's countdown; scope "auto":
                # the user's own activation, else the one for every user of the computer
                self._services = build_services(
                    self._config, data_dir=self._directory, interactive=True, scope="auto"
                )
            return self._services

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)

    def close(self) -> None:
        with self._lock:
            services, self._services = self._services, None
        if services is not None:
            services.close()


def make_services(config: VendorConfig, *, directory: Path | None = None) -> Services:
    """The services for ``config``: nothing is built or sent until a worker first reaches
    one of them (``services.activation`` ...), so the window paints without the stack."""
    return cast("Services", LazyServices(config, directory))


def user_data_dir(config: VendorConfig) -> Path:
    """The per-user data dir; the demo's own sub-folder of it in demo mode (the demo keeps
    its stand-in database, record and key file there, never in the product's)."""
    from app.platform.paths import data_dir, demo_data_dir

    product_dir = data_dir(config.app_id)
    return demo_data_dir(product_dir) if config.demo else product_dir
