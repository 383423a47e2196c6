"""The product a message names: the license's own, else the configured one."""

from __future__ import annotations

from app.domain import errors
from app.domain.models import LicenseSummary, ValidationResult
from app.domain.product_name import licensed_product, product_for_failure


def _answer(product_name: str | None) -> ValidationResult:
    license_ = LicenseSummary(id="lic_1", status="expired", product_name=product_name)
    return ValidationResult(valid=False, code="EXPIRED", license=license_)


def test_the_license_names_the_product_when_it_can():
    assert licensed_product(_answer("Studio Pro").license, "Your Product") == "Studio Pro"
    assert licensed_product(_answer(None).license, "Your Product") == "Your Product"
    assert licensed_product(_answer("").license, "Your Product") == "Your Product"
    assert licensed_product(None, "Your Product") == "Your Product"


def test_a_failed_validation_names_the_licensed_product():
    failed = errors.LicenseInvalidError("EXPIRED", _answer("Studio Pro"))
    assert product_for_failure(failed, "Your Product") == "Studio Pro"
    assert product_for_failure(errors.LicenseInvalidError("EXPIRED"), "Acme") == "Acme"
    assert product_for_failure(errors.ConnectFailedError("x"), "Acme") == "Acme"
