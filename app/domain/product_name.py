"""Which product name the user reads: the license's own (what they bought), else the vendor's."""

from __future__ import annotations

from typing import Any

from app.domain.errors import LicenseInvalidError


def licensed_product(license_: Any, fallback: str) -> str:
    """The license's product name when the service named one, else ``fallback`` (the
    configured name): a vendor may ship one wizard for several products."""
    name = getattr(license_, "product_name", None) if license_ is not None else None
    return name or fallback


def product_for_failure(error: BaseException, fallback: str) -> str:
    """The product a failure is about: the license's own name when the failed validation
    named it (so the problem reads like the success would), else ``fallback``."""
    result = error.result if isinstance(error, LicenseInvalidError) else None
    return licensed_product(getattr(result, "license", None), fallback)


__all__ = ["licensed_product", "product_for_failure"]
