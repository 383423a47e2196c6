"""The frozen build keeps ICU's data trimmed to English (installer/icu_trim.py): measured here,
the wizard in every shipped language pages in no more of ICU's data than in English (Qt and
Babel bring their own CLDR data; Qt lays out CJK and Arabic text without ICU's data)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.i18n import SHIPPED

SCRIPT = Path(__file__).with_name("icu_pages.py")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/smaps (the trim is Linux-only)"
)


def _resident_kb(language: str, data_dir: str) -> int:
    env = {**os.environ, "ACTIVATION_WIZARD_DATA_DIR": data_dir, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), language], capture_output=True, text=True, env=env,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1])


def test_no_shipped_language_needs_more_icu_data_than_english(data_dir):
    english = _resident_kb("en", data_dir)
    assert english > 0, "libicudata is not mapped: is this PySide6 built with ICU?"
    for language in SHIPPED:
        assert _resident_kb(language, data_dir) <= english, language
