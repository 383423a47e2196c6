"""The built program speaks the user's language: German under LANG=de_DE.UTF-8 on the command
line and in the window (Qt's own buttons included), with the catalogs, Qt's qtbase files and
Babel's data for the shipped languages only inside the bundle."""

from __future__ import annotations

import json

import pytest

from app.i18n import SHIPPED

pytestmark = [pytest.mark.frozen, pytest.mark.slow]

# The suite runs under LC_ALL=C.UTF-8 (tests/conftest.py): this is what a German desktop sets.
GERMAN = {"LANG": "de_DE.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
TRANSLATED = [language for language in SHIPPED if language != "en"]


def test_the_frozen_command_line_speaks_german(run_frozen, standin):
    done = run_frozen(
        "--api-url", standin.url, "--json", "activate", "--key", standin.fixtures["expired"],
        env=GERMAN,
    )  # fmt: skip
    payload = json.loads(done.stdout)
    assert done.returncode == 5, done.stdout + done.stderr
    assert (payload["code"], payload["actionId"]) == ("EXPIRED", "renew")
    assert payload["message"].startswith("Diese Lizenz ist am "), payload["message"]
    assert "abgelaufen" in payload["message"] and payload["action"] == "Lizenz verlängern"
    plain = run_frozen(
        "--api-url", standin.url, "activate", "--key", standin.fixtures["expired"], env=GERMAN
    )
    assert plain.returncode == 5 and "Support-Code: AW-EXP-V" in plain.stderr, plain.stderr


def test_the_frozen_window_speaks_german_with_qts_own_texts(run_frozen):
    done = run_frozen(
        "--verbose", env={**GERMAN, "ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT": "1"}, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "first-paint" in done.stdout
    assert "language de (LeftToRight)" in done.stderr, done.stderr[-3000:]
    assert "Qt's own texts from qtbase_de.qm" in done.stderr, done.stderr[-3000:]


def test_the_bundle_carries_compiled_catalogs_and_only_the_shipped_languages(build_dir):
    internal = build_dir / "_internal"
    i18n = internal / "resources" / "i18n"
    assert {p.name for p in i18n.glob("*.mo")} == {f"{lang}.mo" for lang in TRANSLATED}
    assert not list(i18n.glob("*.po")) and not list(i18n.glob("*.pot"))  # sources stay out
    qm = {p.name for p in internal.rglob("*.qm")}
    assert qm == {f"qtbase_{lang}.qm" for lang in TRANSLATED}, sorted(qm)
    babel_data = internal / "babel" / "locale-data"
    kept = {p.stem for p in babel_data.glob("*.dat")}
    assert {"root", "en", "de", "ja", "zh_Hans_CN", "ar"} <= kept and "ru" not in kept
    assert sum(p.stat().st_size for p in babel_data.glob("*.dat")) < 2_000_000
