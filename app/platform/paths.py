"""Where the wizard keeps its files: the per-user data dir (platformdirs, or an override)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from app.platform.files import ensure_private_dir

#: Set this to keep all state somewhere else (tests, the demo, portable installs).
DATA_DIR_ENV = "ACTIVATION_WIZARD_DATA_DIR"


def data_dir(app_id: str, *, environ: Mapping[str, str] | None = None) -> Path:
    """The user data dir for ``app_id``, created on demand with mode 0700.

    ``ACTIVATION_WIZARD_DATA_DIR`` wins when set and not empty. Raises StorageError when the
    directory cannot be created (read-only home, full disk, a file in the way).
    """
    env = os.environ if environ is None else environ
    override = env.get(DATA_DIR_ENV, "").strip()
    # appauthor=False: no "<vendor>/" level on Windows; the app id is already unique.
    path = Path(override) if override else Path(platformdirs.user_data_dir(app_id, appauthor=False))
    ensure_private_dir(path)
    return path


#: The demo (``--demo``) keeps its state apart from the product's: this sub-folder of the
#: product's data folder, and a keychain entry of its own (:func:`demo_app_id`).
DEMO_FOLDER = "demo"


def demo_data_dir(product_dir: Path) -> Path:
    """The demo's data folder inside ``product_dir`` (created, mode 0700)."""
    path = Path(product_dir) / DEMO_FOLDER
    ensure_private_dir(path)
    return path


def demo_app_id(app_id: str) -> str:
    """The keychain service the demo's key is saved under: never the product's own."""
    return f"{app_id}.{DEMO_FOLDER}"
