"""Service construction for the GUI: the one ui module that may reach app.api / app.platform
(import-linter exempts it), so every page talks to services only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.config import VendorConfig
from app.platform.paths import data_dir
from app.services.factory import build_services


def make_services(config: VendorConfig, *, directory: Path | None = None) -> Any:
    """``app.services.factory.Services`` for ``config`` (nothing is sent yet)."""
    return build_services(config, data_dir=directory)


def user_data_dir(config: VendorConfig) -> Path:
    """The per-user data dir (the demo keeps its stand-in database there)."""
    return data_dir(config.app_id)
