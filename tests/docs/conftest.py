"""Fixtures for the docs' examples: a relay in front of the session's stand-in."""

from __future__ import annotations

from tests.cli.conftest import relay  # noqa: F401 - the fixture, shared
