"""The problems table as data: one row per situation, twins aliased, named placeholders only."""

from __future__ import annotations

import ast
import inspect
import string

from app.domain.problems import CATALOGUE, Plural, table
from app.presentation.problem_facts import facts
from app.presentation.problems import ProblemContext, problem_for_code

TWINS = [
    (("validation", "SUSPENDED"), ("api", "LICENSE_SUSPENDED")),
    (("validation", "REVOKED"), ("api", "LICENSE_REVOKED")),
    (("validation", "BANNED"), ("api", "LICENSE_BANNED")),
    (("validation", "MACHINE_LIMIT_EXCEEDED"), ("api", "MACHINE_LIMIT_EXCEEDED")),
]


def _situation_texts():
    for situation in table.SITUATIONS:
        cli = (situation.cli_title or "", *(situation.cli_steps or ()))
        yield from (situation.title, situation.what, *situation.steps, *cli)


def _phrase_texts():
    for message in table.PHRASES.values():
        yield from (message if isinstance(message, Plural) else (message,))
    for reason, fix in (*table.STORAGE.values(), table.STORAGE_UNKNOWN):
        yield from (reason, fix)
    for texts in table.IN_THE_WAY.values():
        yield from texts
    yield from table.ACTION_LABELS.values()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_twins_are_one_situation_under_two_keys_with_their_own_support_codes():
    for first, second in TWINS:
        a, b = CATALOGUE[first], CATALOGUE[second]
        assert (a.title, a.what, a.steps, a.action, a.exit_code) == (
            b.title,
            b.what,
            b.steps,
            b.action,
            b.exit_code,
        )
        assert a.support != b.support
        rows = [s for s in table.SITUATIONS if {first, second} <= {k[:2] for k in s.keys}]
        assert len(rows) == 1, f"{first} and {second} are written twice"


def test_every_key_of_the_table_is_in_the_catalogue_once():
    keys = [(k.kind, k.code) for s in table.SITUATIONS for k in s.keys]
    assert len(keys) == len(set(keys)) == len(CATALOGUE)


def test_every_placeholder_is_named():
    for text in (*_situation_texts(), *_phrase_texts()):
        for name in _fields(text):
            assert name.isidentifier(), f"positional or odd placeholder in {text!r}"


def test_every_placeholder_of_a_situation_is_filled_on_both_surfaces():
    for context in (ProblemContext(), ProblemContext(command="aw status", program="aw")):
        filled = set(facts(None, "Studio Pro", context))
        for text in _situation_texts():
            assert _fields(text) <= filled, f"{text!r} needs {_fields(text) - filled}"


def test_texts_are_plain_literals_in_the_table_module():
    """The localisation work wraps each literal; nothing in the table builds text by code."""
    tree = ast.parse(inspect.getsource(table))
    for node in ast.walk(tree):
        assert not isinstance(node, ast.JoinedStr), f"f-string at line {node.lineno}"
        if isinstance(node, ast.BinOp):
            assert not isinstance(node.op, ast.Add | ast.Mod), f"text built at line {node.lineno}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr != "format", f".format() at line {node.lineno}"


def test_plural_phrases_pick_their_form_by_count():
    assert problem_for_code(
        "MACHINE_LIMIT_EXCEEDED", context=ProblemContext(seats_used=1, seats_total=1)
    ).title.endswith("1 of 1 computer")
    assert problem_for_code(
        "MACHINE_LIMIT_EXCEEDED", context=ProblemContext(seats_total=3)
    ).title.endswith("all 3 computers it allows")
