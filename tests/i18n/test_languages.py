"""Choosing the language: the system's (as GNU gettext reads it on Linux, Qt's UI languages on
Windows and macOS), ``--lang`` and the config's ``language`` over it, English otherwise."""

from __future__ import annotations

import pytest

from app.i18n.languages import (
    PSEUDO,
    UnknownLanguageError,
    choose,
    match,
    normalise,
    posix_candidates,
)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("de_DE.UTF-8", "de_DE"),
        ("de_DE.UTF-8@euro", "de_DE"),
        ("zh-hans-cn", "zh_Hans_CN"),
        ("es-419", "es_419"),
        ("C", None),
        ("POSIX", None),
        ("C.UTF-8", None),
        ("", None),
    ],
)
def test_normalise(tag, expected):
    assert normalise(tag) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("de", "de"),
        ("de_AT", "de"),
        ("fr_CA", "fr"),
        ("es_MX", "es"),
        ("ja_JP", "ja"),
        ("ar_EG", "ar"),
        ("zh_CN", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("zh_TW", None),  # Traditional Chinese is not shipped: never the wrong script
        ("zh-Hant-HK", None),
        ("ru_RU", None),
        ("en_GB", "en"),
        (PSEUDO, None),  # never chosen from the system
    ],
)
def test_match_maps_a_tag_to_a_shipped_language(tag, expected):
    assert match(tag) == expected


def test_posix_order_is_language_list_then_lc_all_lc_messages_lang():
    env = {"LANGUAGE": "fr:de", "LC_ALL": "", "LC_MESSAGES": "ja_JP.UTF-8", "LANG": "es_ES.UTF-8"}
    assert posix_candidates(env) == ["fr", "de", "ja_JP.UTF-8"]
    assert choose(environ=env, platform="linux") == "fr"
    assert choose(environ={"LANG": "de_DE.UTF-8"}, platform="linux") == "de"
    assert choose(environ={"LC_ALL": "ar_EG.UTF-8", "LANG": "de_DE"}, platform="linux") == "ar"


def test_language_list_is_ignored_under_the_c_locale_as_gettext_does():
    assert choose(environ={"LANGUAGE": "de", "LANG": "C.UTF-8"}, platform="linux") == "en"
    assert choose(environ={"LANGUAGE": "de"}, platform="linux") == "en"


def test_an_unshipped_language_falls_through_to_the_next_then_english():
    env = {"LANGUAGE": "zh_TW:ru:ja", "LANG": "zh_TW.UTF-8"}
    assert choose(environ=env, platform="linux") == "ja"
    assert choose(environ={"LANG": "ru_RU.UTF-8"}, platform="linux") == "en"


def test_windows_and_macos_use_the_desktops_ui_languages():
    ui = ["pt-BR", "ja-JP", "en-US"]
    assert choose(ui_languages=ui, environ={}, platform="darwin") == "ja"
    assert choose(ui_languages=ui, environ={}, platform="win32") == "ja"
    # On Linux the environment is the user's choice; Qt's list is derived from it anyway.
    assert choose(ui_languages=ui, environ={"LANG": "fr_FR"}, platform="linux") == "fr"


def test_lang_beats_config_beats_system():
    env = {"LANG": "de_DE.UTF-8"}
    assert choose("ja", "fr", environ=env, platform="linux") == "ja"
    assert choose(None, "fr", environ=env, platform="linux") == "fr"
    assert choose(None, "auto", environ=env, platform="linux") == "de"
    assert choose("auto", None, environ=env, platform="linux") == "de"
    assert choose(PSEUDO, None, environ=env, platform="linux") == PSEUDO


def test_an_unknown_requested_language_is_refused_by_name():
    with pytest.raises(UnknownLanguageError) as caught:
        choose("klingon", environ={}, platform="linux")
    assert "klingon" in str(caught.value) and "de" in str(caught.value)
