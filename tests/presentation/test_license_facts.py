"""License facts: the product a message names (the vendor's), the licensee, and the fact
list the pages show: what validate-key gives, the relay's view when there is one, and no row
for a fact nothing tells."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.models import LicenseSummary, LicenseView, ValidationResult
from app.presentation.license_facts import license_facts, licensee


def _view(**changes) -> LicenseView:
    values = dict(license_id="lic_1", status="ACTIVE", name="Studio Pro — Ada",
                  expires_at=None, licensee_name="Ada Lovelace", licensee_email="ada@example.com",
                  seats_used=2, seats_total=3, require_heartbeat=True,
                  heartbeat_interval_minutes=60, offline_allowed=True, offline_max_days=14)  # fmt: skip
    return LicenseView(**{**values, **changes})


def test_the_licensee_is_the_person_not_the_product_again():
    assert licensee("Studio Pro — Ada Lovelace", "Studio Pro") == "Ada Lovelace"
    assert licensee("Studio Pro: Acme Ltd", "Studio Pro") == "Acme Ltd"
    assert licensee("Other — Ada", "Studio Pro") == "Other — Ada"
    assert licensee("Studio Pro — ", "Studio Pro") == "Studio Pro — "
    assert licensee("Ada", None) == "Ada"
    assert licensee(None, "Studio Pro") is None and licensee("", "Studio Pro") is None


ANSWER = ValidationResult(
    valid=True,
    code="VALID",
    license=LicenseSummary(
        id="lic_1", status="active", name="Studio Pro — Ada", expires_at=datetime(2027, 1, 5, 12, 0)
    ),  # fmt: skip
    entitlements=("pro",),
)


def test_license_facts_list_what_validate_key_gives_and_leave_out_the_rest():
    assert license_facts(ANSWER, "Ada's laptop", "Studio Pro") == [
        ("Product", "Studio Pro"),
        ("Licensed to", "Ada"),
        ("Status", "Active"),
        ("Expires", "5 January 2027"),
        ("Features", "Pro"),
        ("This computer", "Ada's laptop"),
    ]  # no seats, check-in or offline rows: validate-key does not tell them
    assert license_facts(None, "", "Studio Pro") == [("Product", "Studio Pro"),
                                                    ("This computer", "—")]  # fmt: skip


def test_license_facts_with_the_relays_view():
    assert license_facts(ANSWER, "PC", "Studio Pro", _view()) == [
        ("Product", "Studio Pro"),
        ("Licensed to", "Ada Lovelace"),
        ("Status", "Active"),
        ("Expires", "5 January 2027"),
        ("Features", "Pro"),
        ("Seats used", "2 of 3 computers"),
        ("Check-ins", "every hour"),
        ("Offline use", "allowed for up to 14 days"),
        ("This computer", "PC"),
    ]
    unlimited = _view(seats_total=None, require_heartbeat=False, offline_allowed=False)
    rows = dict(license_facts(ANSWER, "PC", "Studio Pro", unlimited, seats_used_known=False))
    assert "Seats" not in rows and "Seats used" not in rows  # neither count is known
    assert (rows["Check-ins"], rows["Offline use"]) == ("not needed", "not allowed")
    rows = dict(license_facts(ANSWER, "PC", "Studio Pro", _view(), seats_used_known=False))
    assert rows["Seats"] == "up to 3 computers"


def test_check_ins_from_the_vendor_setting_without_a_relay():
    rows = dict(license_facts(ANSWER, "PC", "Studio Pro", vendor_minutes=30))
    assert rows["Check-ins"] == "every 30 minutes" and "Offline use" not in rows


@pytest.mark.parametrize(("minutes", "words"), [(1, "every 1 minute"), (60, "every hour"),
                                                (90, "every 90 minutes"), (120, "every 2 hours")])
def test_check_in_intervals_in_whole_hours_read_as_hours(minutes, words):
    rows = dict(license_facts(ANSWER, "PC", "Studio Pro", vendor_minutes=minutes))
    assert rows["Check-ins"] == words


def test_a_license_name_that_is_not_product_and_person_is_shown_as_the_license():
    other = ValidationResult(valid=True, code="VALID",
                             license=LicenseSummary(id="l", status="expired", name="Site 4"))  # fmt: skip
    rows = dict(license_facts(other, "PC", "Studio Pro"))
    assert rows["License"] == "Site 4" and "Licensed to" not in rows
    assert rows["Status"] == "Expired" and rows["Expires"] == "never"


def _offline_answer(entitlements):
    from app.domain.offline_license import OfflineLicense
    from app.services.offline import offline_validation

    moment = datetime(2026, 11, 1, 12, 0).astimezone()
    lic = OfflineLicense(product="p", fingerprint="f" * 16, device_name="Lab PC",
                         license_id="lic_1", machine_id="m_1", issued_at=moment,
                         expires_at=moment, entitlements=entitlements)  # fmt: skip
    return offline_validation(lic)


def test_an_offline_file_lists_its_features_and_an_unknown_list_is_left_out():
    facts = dict(license_facts(_offline_answer(("pro", "export_pdf")), "Lab PC", "Studio Pro"))
    assert facts["Features"] == "Pro, Export Pdf"
    assert (
        dict(license_facts(_offline_answer(()), "Lab PC", "Studio Pro"))["Features"]
        == "none listed"
    )
    unknown = dict(license_facts(_offline_answer(None), "Lab PC", "Studio Pro"))  # a version 1 file
    assert "Features" not in unknown and "unknown" not in unknown.values()
    assert unknown["This computer"] == "Lab PC"
