"""The catalogs' tool: extract the messages, update the translations, compile, check.

    python installer/i18n.py extract          # app/ -> resources/i18n/activation-wizard.pot,
                                              #   then every <language>.po updated from it
    python installer/i18n.py compile [--out DIR]   # <language>.po -> <language>.mo
    python installer/i18n.py check            # exit 1 when a message is missing anywhere

Extraction is Babel's (``_``, ``gettext``, ``ngettext``, ``pgettext``, ``N_``... in every module
of app/ but the stand-in, which is a test server), plus every text of the problems table read
from the table itself (``app.domain.problems.table`` is data: a situation added there is in the
catalog without anyone marking it). Translators read the comments that start with
``Translators:`` and, for the table, which situation and part a text belongs to. Compiling leaves untranslated and fuzzy entries out, so each falls back
to English at run time. installer/build.py compiles into the bundle's staged resources; the
``.mo`` files are never committed (docs/i18n.md).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n.catalog import CATALOG_DIR, TEMPLATE, compile_po, source_path  # noqa: E402
from app.i18n.languages import SHIPPED, SOURCE_LANGUAGE  # noqa: E402

TRANSLATED = tuple(language for language in SHIPPED if language != SOURCE_LANGUAGE)
METHOD_MAP = [("standin/**.py", "ignore"), ("**.py", "python")]
COMMENT_TAGS = ("Translators:",)
_WIDTH = 100


def extract(app_dir: Path = ROOT / "app") -> object:
    """Every marked message in app/ as a Babel catalog (the template)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    template = Catalog(project="activation-wizard", fuzzy=False, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(app_dir), METHOD_MAP, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):  # fmt: skip
        template.add(
            message, None, [(f"app/{filename}", lineno)], auto_comments=comments, context=context
        )
    for message, comment in table_messages():
        if message:  # an empty phrase is never looked up (its catalog entry is the header)
            template.add(message, None, [(TABLE_FILE, 0)], auto_comments=[comment])
    # (the exit codes' help block is data in app/domain/exit_codes.py, listed with the table)
    return template


TABLE_FILE = "app/domain/problems/table.py"


def table_messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    """(message, note for translators) for every text of the problems table."""
    from app.domain.problems.entry import Plural
    from app.domain.problems.table import (
        ACTION_LABELS,
        IN_THE_WAY,
        PHRASES,
        SITUATIONS,
        STORAGE,
        STORAGE_UNKNOWN,
    )

    for situation in SITUATIONS:
        name = "problem " + "/".join(key.code for key in situation.keys)
        yield situation.title, f"{name}: title"
        yield situation.what, f"{name}: what happened"
        for n, step in enumerate(situation.steps, start=1):
            yield step, f"{name}: step {n}"
        for n, step in enumerate(situation.cli_steps or (), start=1):
            yield step, f"{name}: step {n} on the command line (commands stay as they are)"
        if situation.cli_title:
            yield situation.cli_title, f"{name}: title on the command line"
        if situation.action_label:
            yield situation.action_label, f"{name}: its button"
    for action, label in ACTION_LABELS.items():
        yield label, f"the button of a problem whose next step is '{action.value}'"
    for key, phrase in PHRASES.items():
        slot = key.removesuffix("_unknown").removesuffix("_cli")
        note = f"fills {{{slot}}} in the problems' texts"
        yield (phrase.one, phrase.other) if isinstance(phrase, Plural) else phrase, note
    for reason, fix in [*STORAGE.values(), STORAGE_UNKNOWN]:
        yield reason, "fills {storage_reason}: why saving failed"
        yield fix, "fills {storage_fix}: what to do about it"
    for reason, fix, where in IN_THE_WAY.values():
        yield reason, "fills {storage_reason}: why saving failed"
        yield fix, "fills {storage_fix}: what to do about it"
        yield where, "fills {where} in that step: where the thing in the way is"
    from app.domain.exit_codes import HELP

    yield HELP, "the exit codes under --help: keep each number with its meaning, two columns"


def message_ids(catalog: Iterable) -> set[tuple[object, str | None]]:
    """``(msgid, context)`` of every real message (no header)."""
    return {(m.id, m.context) for m in catalog if m.id}


def write_template(template: object, path: Path = TEMPLATE) -> None:
    old = _read(path, None)
    if old is not None and message_ids(old) == message_ids(template):
        template.creation_date = old.creation_date  # no change: no churn in the header
    _write(template, path)


def update(template: object, language: str, directory: Path = CATALOG_DIR) -> object:
    """``<language>.po`` brought in line with ``template`` (new messages empty, changed ones
    fuzzy with the old translation as a hint, removed ones dropped)."""
    from babel.messages.catalog import Catalog

    path = source_path(language, directory)
    catalog = _read(path, language)
    if catalog is None:
        catalog = Catalog(locale=language, project="activation-wizard", fuzzy=False)
    catalog.update(template, update_header_comment=False)
    _write(catalog, path, ignore_obsolete=True)
    return catalog


def compile_all(out: Path, directory: Path = CATALOG_DIR) -> list[Path]:
    """``<out>/<language>.mo`` for every translated language."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for language in TRANSLATED:
        target = out / f"{language}.mo"
        target.write_bytes(compile_po(source_path(language, directory).read_bytes(), language))
        written.append(target)
    return written


def problems(language: str, template: object, directory: Path = CATALOG_DIR) -> list[str]:
    """What keeps ``language`` from being complete: missing, empty and fuzzy messages."""
    catalog = _read(source_path(language, directory), language)
    if catalog is None:
        return [f"{language}: no catalog"]
    found = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if entry is None:
            found.append(f"{language}: missing: {label!r}")
        elif entry.fuzzy:
            found.append(f"{language}: fuzzy: {label!r}")
        elif not _complete(entry.string):
            found.append(f"{language}: untranslated: {label!r}")
    return found


def _complete(string: object) -> bool:
    if isinstance(string, tuple | list):
        return bool(string) and all(string)
    return bool(string)


def _read(path: Path, language: str | None) -> object | None:
    from babel.messages.pofile import read_po

    if not path.is_file():
        return None
    return read_po(io.BytesIO(path.read_bytes()), locale=language)


def _write(catalog: object, path: Path, *, ignore_obsolete: bool = False) -> None:
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, width=_WIDTH, include_lineno=False, ignore_obsolete=ignore_obsolete)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="re-extract the template and update every catalog")
    compile_ = commands.add_parser("compile", help="compile every catalog to .mo")
    compile_.add_argument("--out", type=Path, default=CATALOG_DIR)
    commands.add_parser("check", help="list missing, empty and fuzzy translations")
    args = parser.parse_args(argv)
    if args.command == "extract":
        template = extract()
        write_template(template)
        for language in TRANSLATED:
            update(template, language)
        print(f"{len(message_ids(template))} messages -> {TEMPLATE.relative_to(ROOT)}")
        return 0
    if args.command == "compile":
        for path in compile_all(args.out):
            print(f"compiled {path}")
        return 0
    template = extract()
    found = [line for language in TRANSLATED for line in problems(language, template)]
    print("\n".join(found) or f"every message is translated in {', '.join(TRANSLATED)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
