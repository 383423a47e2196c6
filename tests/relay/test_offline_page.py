"""GET /offline and its plain form POST (no scripts): strict headers, no external assets, the
file as a download, problems as the page again in plain words (the key never echoed)."""

from __future__ import annotations

import re

import httpx
import pytest

from app.relay.settings import RelayLimits
from tests.relay.offline_support import SIGNER, request_code, verified

FP = "2d" * 32


@pytest.fixture
def offline_relay(make_relay, standin):
    standin.configure(checkout_fingerprint=False)
    return make_relay(RelayLimits(key_case="upper"), offline_signer=SIGNER)  # as the demo


def test_page_is_self_contained_with_a_strict_policy(offline_relay):
    response = httpx.get(offline_relay.url + "/offline", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    page = response.text
    assert '<html lang="en" dir="ltr">' in page and 'name="viewport"' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from elsewhere
    assert "<script>" not in page and "style=" not in page  # nothing inline
    assert '<form id="offline-form" method="post" action="/offline"' in page
    for asset, kind in (("offline.css", "text/css"), ("offline.js", "text/javascript")):
        answer = httpx.get(f"{offline_relay.url}/offline/{asset}", timeout=10)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(kind)
    assert httpx.get(offline_relay.url + "/offline/x.py", timeout=10).status_code == 404


def test_form_post_without_scripts_answers_with_the_file(offline_relay, fixtures):
    form = {"request": request_code(FP, "Lab PC"), "key": fixtures["offline"].lower()}
    response = httpx.post(offline_relay.url + "/offline", data=form, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == 'attachment; filename="license-Lab-PC.lic"'
    assert response.headers["cache-control"] == "no-store"
    assert verified(response.text, FP).device_name == "Lab PC"


def test_form_post_problem_is_the_page_again_without_the_key(offline_relay, fixtures):
    code = request_code(FP)
    form = {"request": code, "key": "DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ"}
    response = httpx.post(offline_relay.url + "/offline", data=form, timeout=10)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert "This license key wasn&#x27;t recognised" in response.text
    assert code in response.text  # the request stays filled in
    assert "ZZZZ" not in response.text  # the key is never echoed


def test_form_post_for_the_script_answers_json(offline_relay, fixtures):
    form = {"request": request_code(FP), "key": fixtures["valid"]}
    headers = {"Accept": "application/json"}
    refused = httpx.post(offline_relay.url + "/offline", data=form, headers=headers, timeout=10)
    assert refused.status_code == 422 and refused.json()["code"] == "OFFLINE_NOT_ALLOWED"
    form["key"] = fixtures["offline"]
    ok = httpx.post(offline_relay.url + "/offline", data=form, headers=headers, timeout=10)
    data = ok.json()["data"]
    assert verified(data["license"], FP) and re.match(
        r"\d+ \w+ \d{4}, \d\d:\d\d UTC", data["expiresText"]
    )


def test_malformed_key_is_explained(offline_relay):
    form = {"request": request_code(FP), "key": "no"}
    response = httpx.post(offline_relay.url + "/offline", data=form, timeout=10)
    assert response.status_code == 400
    assert "doesn&#x27;t look like a license key" in response.text
