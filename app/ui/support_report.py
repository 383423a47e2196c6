"""The text behind "Copy details for support" and the crash report: versions, OS, masked key.

Never contains the key itself, tokens or file contents: only what support needs to find the
case (support code, masked key, request id) and the environment.
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion

from app import __version__
from app.config import VendorConfig
from app.domain.license_key import mask_key, redact


def app_version() -> str:
    return __version__


def environment_lines(config: VendorConfig) -> list[str]:
    import platform  # only when a report is made: its import compiles regexes (start-up)

    return [
        f"Product: {config.product_name} ({config.app_id})",
        f"Activation wizard: {app_version()}",
        f"Qt: {qVersion()} (PySide6 {pyside_version})",
        f"Python: {platform.python_version()} ({sys.implementation.name})",
        f"Operating system: {platform.platform(terse=True)} {platform.machine()}",
    ]


def support_details(
    config: VendorConfig,
    *,
    title: str,
    support_code: str,
    key: str = "",
    request_id: str | None = None,
) -> str:
    """Plain text for the clipboard; the key only masked."""
    lines = [
        f"Problem: {title}",
        f"Support code: {support_code}",
        f"License key: {mask_key(key) if key else '(not entered)'}",
    ]
    if request_id and request_id not in support_code:
        lines.append(f"Request: {request_id}")
    lines += environment_lines(config)
    return redact("\n".join(lines), key or None)


def crash_report(config: VendorConfig, traceback_text: str, key: str = "") -> str:
    """The unexpected-error report, redacted: environment first, then the traceback."""
    body = "\n".join([*environment_lines(config), "", traceback_text])
    return redact(body, key or None)
