"""Every message in every shipped language: the template is what the code marks today, and each
catalog translates all of it (no missing, empty or fuzzy entry), keeps the placeholders and the
commands in backticks, and has every plural form the language needs.

When this fails after a change elsewhere, run ``python installer/i18n.py extract`` and translate
what it lists (``python installer/i18n.py check``); docs/i18n.md says how.
"""

from __future__ import annotations

import io
import re
import string

import pytest
from babel.messages.pofile import read_po

from app.i18n.catalog import TEMPLATE, source_path
from installer import i18n as tool

_FIELDS = string.Formatter()
_COMMAND = re.compile(r"`[^`]*`")


@pytest.fixture(scope="module")
def template():
    return tool.extract()


def _catalog(language):
    return read_po(io.BytesIO(source_path(language).read_bytes()), locale=language)


_PRINTF = re.compile(r"%\(\w+\)[srd]|%[srd]")  # argparse's own messages


def _fields(text: str) -> set[str]:
    if _PRINTF.search(text):
        return set(_PRINTF.findall(text))
    return {name for _, name, _, _ in _FIELDS.parse(text) if name is not None}


def test_the_committed_template_is_what_the_code_marks(template):
    committed = read_po(io.BytesIO(TEMPLATE.read_bytes()))
    added = tool.message_ids(template) - tool.message_ids(committed)
    removed = tool.message_ids(committed) - tool.message_ids(template)
    assert not added and not removed, (
        f"run `python installer/i18n.py extract`: new {sorted(map(str, added))[:20]}, "
        f"gone {sorted(map(str, removed))[:20]}"
    )


@pytest.mark.parametrize("language", tool.TRANSLATED)
def test_every_message_is_translated(template, language):
    missing = tool.problems(language, template)
    assert not missing, f"{len(missing)} messages not translated:\n" + "\n".join(missing[:60])


@pytest.mark.parametrize("language", tool.TRANSLATED)
def test_placeholders_commands_and_plural_forms_are_kept(language):
    catalog = _catalog(language)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple) and len(forms) != catalog.num_plurals:
            wrong.append(f"{ids[0]!r}: {len(forms)} plural forms, {catalog.num_plurals} needed")
        wanted = set().union(*(_fields(i) for i in ids))
        commands = sorted(_COMMAND.findall(ids[-1]))
        for index, form in enumerate(forms):
            # Arabic's zero, one and two forms say the number in the word ("جهازان": two
            # computers), so they may leave out the placeholder that counts.
            may_drop = wanted if language == "ar" and len(forms) == 6 and index < 3 else set()
            if not (wanted - may_drop) <= _fields(form) <= wanted:
                wrong.append(f"{ids[0]!r} [{index}]: placeholders {sorted(_fields(form))}")
            if form and sorted(_COMMAND.findall(form)) != commands:
                wrong.append(f"{ids[0]!r} [{index}]: commands changed: {form!r}")
    assert not wrong, "\n".join(wrong[:60])


@pytest.mark.parametrize("language", tool.TRANSLATED)
def test_each_catalog_has_its_languages_plural_rule(language):
    from babel.messages.plurals import get_plural

    catalog = _catalog(language)
    rule = get_plural(language)
    assert (catalog.num_plurals, catalog.plural_expr) == (rule.num_plurals, rule.plural_expr)
