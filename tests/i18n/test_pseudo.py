"""The pseudo-locale: accented, bracketed, ~40 % longer, with placeholders and commands intact."""

from __future__ import annotations

import re

import pytest

from app.i18n.pseudo import _KEEP, CLOSE, OPEN, PseudoTranslations, pseudo


@pytest.mark.parametrize(
    "text",
    [
        "Try again",
        "This license is already in use on {seats}",
        "Run `{program} devices deactivate ID --key YOUR-KEY` to free a seat.",
        "&Next",
        "Wait {seconds:.0f} s",
    ],
)
def test_pseudo_keeps_what_code_needs_and_grows_by_forty_percent(text):
    out = pseudo(text)
    assert out.startswith(OPEN) and out.endswith(CLOSE)
    assert len(out) >= 1.4 * len(text)
    # Outside placeholders and commands, no plain ASCII letter is left.
    assert not re.search(r"[A-Za-z]", _KEEP.sub("", out)), out
    for kept in (
        "{seats}",
        "`{program} devices deactivate ID --key YOUR-KEY`",
        "&",
        "{seconds:.0f}",
    ):
        if kept in text:
            assert kept in out


def test_placeholders_still_format():
    out = pseudo("{used} of {total}").format(used=3, total=5)
    assert out.startswith(OPEN + "3 öƒ 5")


def test_pseudo_translations_answer_every_message_and_plural():
    t = PseudoTranslations()
    assert t.gettext("Close").startswith(OPEN)
    assert t.ngettext("{n} computer", "{n} computers", 2).format(n=2).endswith(CLOSE)
    assert "{n}" not in t.npgettext("seats", "{n} seat", "{n} seats", 1).format(n=1)
