"""i18n fixtures: speak a language for one test, English again afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.i18n import activate


@pytest.fixture
def i18n_language() -> Iterator[Callable[[str], str]]:
    yield activate
    activate("en")
