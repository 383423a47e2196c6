"""The command line in every shipped language: the words change, the contract does not (exit
code, JSON ``code``, ``actionId`` and every JSON key are the same as in English)."""

from __future__ import annotations

import re

import pytest

from app.i18n import SHIPPED, activate
from app.i18n.catalog import translations_for
from tests.cli.support import PRODUCT

TRANSLATED = [language for language in SHIPPED if language != "en"]


def _in(language: str, message: str) -> str:
    return translations_for(language).gettext(message)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    activate("en")


def _english(cli, *args: str) -> tuple[int, dict]:
    return cli.json("--lang", "en", *args)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_failure_keeps_its_codes_and_speaks_the_language(cli, fixtures, language):
    english_rc, english = _english(cli, "activate", "--key", fixtures["expired"])
    rc, payload = cli.json("--lang", language, "activate", "--key", fixtures["expired"])
    assert (rc, payload["code"], payload["actionId"]) == (5, "EXPIRED", "renew")
    assert (english_rc, english["code"], english["actionId"]) == (rc, "EXPIRED", "renew")
    assert payload.keys() == english.keys()
    assert payload["supportCode"] == english["supportCode"]
    assert payload["message"] != english["message"]
    assert payload["action"] == _in(language, "Renew license")
    what = _in(language, "Your license for {product} has reached its end date, so it can't be "
               "used any more.").format(product=PRODUCT)  # fmt: skip
    assert what in payload["message"]
    assert all(step not in english["steps"] for step in payload["steps"])


@pytest.mark.parametrize("language", TRANSLATED)
def test_success_speaks_the_language(cli, fixtures, language):
    rc, payload = cli.json("--lang", language, "activate", "--key", fixtures["valid"])
    assert (rc, payload["code"], payload["ok"]) == (0, "VALID", True)
    expected = _in(language, "{product} is activated on this computer.")
    assert payload["message"] == expected.format(product=PRODUCT)
    assert payload["product"] == PRODUCT and payload["status"] == "active"
    assert "seats" not in payload  # validate-key tells none; no relay here


@pytest.mark.parametrize("language", TRANSLATED)
def test_plain_text_for_people(cli, fixtures, language):
    rc, out, err = cli.run("--lang", language, "activate", "--key", fixtures["suspended"])
    assert rc == 5 and out == ""
    assert _in(language, "This license is on hold") in err
    assert _in(language, "Support code: {code}").format(code="AW-SUSP-V") in err
    rc, out, _ = cli.run("--lang", language, "activate", "--key", fixtures["valid"])
    assert rc == 0
    assert _in(language, "{label}:").format(label=_in(language, "License key")) in out


@pytest.mark.parametrize("language", TRANSLATED)
def test_usage_errors_speak_the_language_too(cli, tmp_path, language):
    key_file = tmp_path / "key.txt"
    key_file.write_text("DEMO-1234-5678-ABCD", encoding="utf-8")
    rc, payload = cli.json(
        "--lang", language, "activate", "--key", "X", "--key-file", str(key_file)
    )
    assert (rc, payload["code"]) == (2, "USAGE")
    assert payload["message"] == _in(
        language, "Give the key either with --key or with --key-file, not both."
    )
    # argparse's own sentence stays English; the pointer to the help is translated.
    rc, payload = cli.json("--lang", language, "devices", "deactivate")
    assert (rc, payload["code"]) == (2, "USAGE")
    assert payload["message"].endswith(_in(language, "{message} (see --help)").split("}")[-1])


def test_the_system_language_is_used_without_lang(cli, fixtures, monkeypatch):
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    rc, payload = cli.json("activate", "--key", fixtures["revoked"])
    assert (rc, payload["code"]) == (5, "REVOKED")
    assert payload["message"].startswith("Diese Lizenz wurde storniert.")


def test_the_config_language_wins_over_the_system_and_lang_over_both(cli, fixtures, monkeypatch):
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    cli.use(language="fr")
    _, payload = cli.json("activate", "--key", fixtures["banned"])
    assert payload["message"].startswith("Cette licence est bloquée.")
    _, payload = cli.json("--lang", "ja", "activate", "--key", fixtures["banned"])
    assert payload["message"].startswith("このライセンスはブロックされています。")


def test_an_unknown_language_is_a_usage_error(cli):
    rc, payload = cli.json("--lang", "tlh", "status")
    assert (rc, payload["code"]) == (2, "UNKNOWN_LANGUAGE")
    assert "tlh" in payload["message"] and "zh_CN" in payload["message"]


def test_the_pseudo_locale_leaves_no_english_in_a_problem(cli, fixtures):
    """Every word of a failure went through the catalog (the pseudo-locale brackets it)."""
    from app.i18n.pseudo import CLOSE, OPEN

    for scenario in ("expired", "seat-limit", "suspended", "uses-exceeded"):
        rc, payload = cli.json("--lang", "en_XA", "activate", "--key", fixtures[scenario])
        assert rc != 0, payload
        for text in [payload["message"], payload["action"], *payload["steps"]]:
            assert OPEN in text and CLOSE in text, text


def test_the_pseudo_locale_leaves_no_english_in_human_output(cli, fixtures, tmp_path):
    """Whatever a person reads from the main commands went through the catalog: a message
    added without ``_()`` shows up here in plain English."""
    from tests.ui.pseudo_check import untranslated

    pseudo = ("--lang", "en_XA")
    key = fixtures["valid"]
    runs = [
        cli.run(*pseudo, "status"),  # not activated yet
        cli.run(*pseudo, "activate", "--key", key, "--name", "Desk PC"),
        cli.run(*pseudo, "status"),
        cli.run(*pseudo, "check"),
        cli.run(*pseudo, "offline-request", "--name", "Desk PC"),
        cli.run(*pseudo, "deactivate"),
        cli.run(*pseudo, "activate", "--key", "not a key"),
        cli.run(*pseudo, "activate", "--key", fixtures["seat-limit"]),
    ]
    data = [PRODUCT, "Desk PC", "Jane Doe", "basic, pro", key, "activation-wizard", "UTC"]
    found = []
    for _rc, out, err in runs:
        for line in (out + err).splitlines():
            if re.match(r"\s*(activation-wizard |AW1-)", line):
                continue  # a command to type, a request code: data, not words
            words = untranslated(line, data)
            if words:
                found.append(f"{line!r}: {words}")
    assert not found, "\n".join(found)
