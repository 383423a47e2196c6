"""System parts a test needs (a binary, a D-Bus session, a build): skip when missing, or fail
when ``REQUIRE_SYSTEM_TESTS=1`` (as ``.ci/run`` sets), so CI cannot pass by skipping."""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

REQUIRE_ENV = "REQUIRE_SYSTEM_TESTS"


def required() -> bool:
    """True when a missing system part must fail the test instead of skipping it."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when system tests are required."""
    if required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: this test may not skip)", pytrace=False)
    pytest.skip(reason)


def require_binary(name: str, package: str | None = None) -> str:
    """The path of ``name`` on PATH, or skip/fail naming the Debian package that has it."""
    path = shutil.which(name)
    if path is None:
        missing(f"`{name}` is not installed (Debian package `{package or name}`)")
    return path
