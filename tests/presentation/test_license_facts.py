"""License facts: the product a message names (the license's own, else the configured one),
the licensee, and the fact list the pages show."""

from __future__ import annotations

from datetime import datetime

from app.domain import errors
from app.domain.models import LicenseSummary, ValidationResult
from app.presentation.license_facts import (
    license_facts,
    licensed_product,
    licensee,
    product_for_failure,
)


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


def test_the_licensee_is_the_person_not_the_product_again():
    assert licensee("Studio Pro — Ada Lovelace", "Studio Pro") == "Ada Lovelace"
    assert licensee("Studio Pro: Acme Ltd", "Studio Pro") == "Acme Ltd"
    assert licensee("Other — Ada", "Studio Pro") == "Other — Ada"
    assert licensee("Studio Pro — ", "Studio Pro") == "Studio Pro — "
    assert licensee("Ada", None) == "Ada"
    assert licensee(None, "Studio Pro") is None and licensee("", "Studio Pro") is None


def test_license_facts_list_what_the_license_says():
    license_ = LicenseSummary(
        id="lic_1",
        status="active",
        name="Studio Pro — Ada",
        product_name="Studio Pro",
        expires_at=datetime(2027, 1, 5, 12, 0),
        machine_count=2,
        max_machines=3,
    )
    answer = ValidationResult(valid=True, code="VALID", license=license_, entitlements=("pro",))
    assert license_facts(answer, "Ada's laptop") == [
        ("Product", "Studio Pro"),
        ("Licensed to", "Ada"),
        ("Expires", "5 January 2027"),
        ("Features", "Pro"),
        ("Seats used", "2 of 3 computers"),
        ("This computer", "Ada's laptop"),
    ]
    assert license_facts(None, "") == [("This computer", "—")]
