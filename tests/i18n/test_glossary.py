"""Each language speaks with one voice: the catalog's chosen terms and form of address, so a
message added later reads like the rest (docs/i18n.md, "Glossary")."""

from __future__ import annotations

import io
import re

import pytest
from babel.messages.pofile import read_po

from app.i18n.catalog import source_path

# language -> (pattern a translation must not contain, what the catalog says instead)
AVOID: dict[str, list[tuple[str, str]]] = {
    # (usted's imperatives open a sentence; "que lo haga" inside one is fine)
    "es": [(r"\b(Haga|Elija|Pegue|Abra|Escanee|Escanéel[oa]|Introduzca|Descargue|Conecte|"
            r"Compruebe|Póngase|Consiga|Obtenga|Lleve|Use)\b",
            "tú, not usted: haz, elige, pega, abre..."),
           (r"(?<=[a-záéíóúñ,;:(] )Internet", "internet (lower case)"),
           (r"\bplaza\b", "puesto (a seat)")],
    "fr": [(r"(?<=\w)'(?=\w)", "the typographic apostrophe ’"),
           (r"\bsiège\b", "place (a seat)")],
    "ja": [(r"(?<=[ァ-ヶー]) (?=[ァ-ヶー])", "katakana compounds without a space"),
           (r"保管庫", "パスワード保存機能"),
           (r"要求(?!され)", "リクエスト (the offline request)")],
    "zh_CN": [(r"计算机(?!名)", "电脑 / 本机"), (r"点击", "单击"), (r"空位", "席位")],
    "ar": [(r"التنشيط", "التفعيل (activation)"), (r"حاسوب", "الكمبيوتر")],
    "de": [(r"\bSitzplatz|\bLizenzplatz", "Platz (a seat)"), (r"\bdu\b|\bdein", "Sie")],
}


@pytest.mark.parametrize("language", sorted(AVOID))
def test_translations_use_the_catalogs_terms(language):
    catalog = read_po(io.BytesIO(source_path(language).read_bytes()), locale=language)
    found = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for pattern, instead in AVOID[language]:
            for form in forms:
                if re.search(pattern, form):
                    found.append(f"{form!r}: use {instead}")
    assert not found, "\n".join(found[:40])
