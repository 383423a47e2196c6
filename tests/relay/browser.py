"""Headless Chromium (Debian's `chromium` + `chromium-driver`) driven by Selenium, with the
vendored axe-core injected to check a page the way an accessibility audit does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.system import require_binary

AXE = Path(__file__).resolve().parents[1] / "support" / "axe" / "axe.min.js"
PHONE = (390, 844)
DESKTOP = (1280, 900)


@contextmanager
def chromium(download_dir: Path, size: tuple[int, int] = PHONE) -> Iterator[object]:
    """A headless Chromium that saves downloads to `download_dir` (skips/fails when absent)."""
    browser = require_binary("chromium")
    driver_path = require_binary("chromedriver", "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={size[0]},{size[1]}",
        "--lang=en-US",
        "--no-first-run",
    ):
        options.add_argument(flag)  # fmt: skip
    options.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
    })  # fmt: skip
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
        )
        yield driver
    finally:
        driver.quit()


def axe_violations(driver) -> list[dict]:
    """axe-core's violations for the page as it is now (WCAG 2.x A/AA and best practices)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        "  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        "    help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))"
        "  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e)}]));"
    )


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def wait_for_file(directory: Path, pattern: str, timeout: float = 15.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in directory.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no {pattern} downloaded to {directory}: {list(directory.iterdir())}")
