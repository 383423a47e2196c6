"""The relay's /offline page in the phone's language (Accept-Language): the page, its script's
words, its problems and the file's end date; Arabic right to left; English otherwise."""

from __future__ import annotations

import re

import httpx
import pytest

from app.relay.offline_texts import page_language
from tests.relay.offline_support import SIGNER, make_license, request_code

FP = "3e" * 32


@pytest.fixture
def offline_relay(make_relay, standin):
    standin.configure(checkout_fingerprint=False)
    return make_relay(offline_signer=SIGNER)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7", "fr"),
        ("en;q=0.5, ja;q=0.9", "ja"),
        ("zh-CN,zh;q=0.9", "zh_CN"),
        ("zh-TW,ar;q=0.4", "ar"),
        ("ru-RU,ru;q=0.9", "en"),
        ("de;q=0, es", "es"),
        ("", "en"),
        (None, "en"),
        ("*;q=0.1, garbage;;q=x", "en"),
    ],
)
def test_the_browsers_preference_picks_the_language(header, language):
    assert page_language(header) == language


@pytest.mark.parametrize(
    ("accept", "lang", "direction", "heading", "submit"),
    [
        ("de-DE,de;q=0.9", "de", "ltr", "Computer ohne Internet aktivieren", "Lizenzdatei holen"),
        (
            "ja",
            "ja",
            "ltr",
            "インターネットのないコンピューターをアクティベート",
            "ライセンスファイルを取得",
        ),
        ("ar-EG", "ar", "rtl", "تفعيل كمبيوتر بلا إنترنت", "الحصول على ملف الترخيص"),
    ],
)
def test_the_page_speaks_the_phones_language(offline_relay, accept, lang, direction, heading,
                                             submit):  # fmt: skip
    page = httpx.get(
        offline_relay.url + "/offline", headers={"Accept-Language": accept}, timeout=10
    ).text
    assert f'<html lang="{lang.replace("_", "-")}" dir="{direction}">' in page
    assert f"<h1>{heading}</h1>" in page and f">{submit}</button>" in page
    # The script's words come with the page, translated, and nothing is left in English.
    assert re.search(r'data-missing="[^"]+"', page)
    visible = re.sub(r"<[^>]+>", " ", page.split("<body>")[1])
    assert "license" not in visible.lower(), visible


def test_a_problem_and_the_end_date_speak_the_language(offline_relay, fixtures):
    german = {"Accept-Language": "de"}
    form = {"request": request_code(FP), "key": "DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ"}
    refused = httpx.post(offline_relay.url + "/offline", data=form, headers=german, timeout=10)
    assert refused.status_code == 401
    assert "Dieser Lizenzschlüssel wurde nicht erkannt" in refused.text
    assert "ZZZZ" not in refused.text
    form["key"] = fixtures["offline"]
    ok = httpx.post(
        offline_relay.url + "/offline", data=form,
        headers={**german, "Accept": "application/json"}, timeout=10,
    )  # fmt: skip
    assert ok.status_code == 200, ok.text
    assert re.match(r"\d+\. \w+ \d{4}, \d\d:\d\d UTC$", ok.json()["data"]["expiresText"])


def test_a_missing_feature_is_refused_in_the_phones_language(offline_relay, standin):
    basic = make_license(standin, offlineAllowed=True, entitlements=["basic"])
    form = {"request": request_code(FP, required=("pro",)), "key": basic["key"]}
    refused = httpx.post(offline_relay.url + "/offline", data=form,
                         headers={"Accept-Language": "fr"}, timeout=10)  # fmt: skip
    assert refused.status_code == 422
    assert "aucune place n’a été utilisée" in refused.text.replace("&#x27;", "’")
    assert basic["key"] not in refused.text
