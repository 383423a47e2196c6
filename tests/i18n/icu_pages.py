"""Prints how much of ICU's data library a wizard shown in one language has paged in (kB).

    python tests/i18n/icu_pages.py LANGUAGE

Every page is built, shown and painted, text in Latin, CJK and Arabic script typed into the
key field; then the resident size of libicudata's mapping is read from /proc/self/smaps
(Linux). Used by test_icu_use.py: the frozen build ships ICU's data trimmed to English.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["QT_QPA_PLATFORM"] = "offscreen"


def icu_resident_kb() -> int:
    total, inside = 0, False
    with open("/proc/self/smaps", encoding="ascii", errors="replace") as smaps:
        for line in smaps:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                inside = "libicudata" in line
            elif inside and line.startswith("Rss:"):
                total += int(line.split()[1])
    return total


def main(language: str) -> None:
    from PySide6.QtWidgets import QApplication

    from app.config import load_config
    from app.ui.context import WizardContext
    from app.ui.theme import apply_theme
    from app.ui.translations import apply_language
    from app.ui.wiring import make_services
    from app.ui.wizard import ActivationWizard

    app = QApplication([])
    apply_language(app, language)
    config = load_config(overrides={"product_name": "Studio Pro"}, environ={})
    apply_theme(app, config)
    context = WizardContext(config=config, services=make_services(config), demo_keys={})
    wizard = ActivationWizard(context)
    wizard.show()
    for page in (wizard.key_page, wizard.device_page, wizard.activating_page,
                 wizard.result_page, wizard.status_page):  # fmt: skip
        page.grab()
        app.processEvents()
    wizard.key_page.key_edit.setText("Schlüssel été 日本語 中文 العربية")
    wizard.grab()
    print(icu_resident_kb(), flush=True)
    os._exit(0)  # no teardown: the status page's lookup may still be running


if __name__ == "__main__":
    main(sys.argv[1])
