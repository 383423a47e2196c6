"""Fixtures for the frozen-build tests: the one-folder build named by ACTIVATION_WIZARD_BUILD_DIR
and a runner for its executable (the frozen program, never the source tree)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.system import missing

BUILD_DIR_ENV = "ACTIVATION_WIZARD_BUILD_DIR"
EXE_NAME = "activation-wizard" + (".exe" if sys.platform == "win32" else "")

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def build_dir() -> Path:
    """The one-folder build, or a skip that says how to get one."""
    value = os.environ.get(BUILD_DIR_ENV, "").strip()
    if not value:
        missing(
            f"{BUILD_DIR_ENV} is not set: build with `python installer/build.py --onedir "
            f"--out build/dist` and set it to build/dist/activation-wizard (.ci/run does this)"
        )
    path = Path(value)
    if not (path / EXE_NAME).is_file():
        pytest.fail(f"{BUILD_DIR_ENV}={value} holds no {EXE_NAME}: the build is incomplete")
    return path


@pytest.fixture(scope="session")
def frozen_exe(build_dir: Path) -> Path:
    return build_dir / EXE_NAME


@pytest.fixture
def run_frozen(frozen_exe: Path, data_dir: str, system_data_dir: str) -> Runner:
    """Run the built executable with a private data dir and no inherited wizard settings."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("ACTIVATION_WIZARD_")}
        clean.update(
            {
                "ACTIVATION_WIZARD_DATA_DIR": data_dir,
                "ACTIVATION_WIZARD_SYSTEM_DATA_DIR": system_data_dir,
                "QT_QPA_PLATFORM": "offscreen",
            }
        )
        clean.update(env or {})
        return subprocess.run(
            [str(frozen_exe), *args],
            capture_output=True,
            text=True,
            env=clean,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run
