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
