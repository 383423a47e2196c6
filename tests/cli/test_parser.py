"""The grammar and the table of commands stay in step; help and version stay light."""

from __future__ import annotations

import argparse
import subprocess
import sys

from app.cli.commands import COMMANDS
from app.cli.parser import build_parser


def _subcommands(parser: argparse.ArgumentParser) -> set[str]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(actions[0].choices) if actions else set()


def test_every_command_of_the_parser_has_a_handler_and_back():
    assert _subcommands(build_parser()) == set(COMMANDS)


def test_help_and_version_load_neither_the_services_nor_the_problems_table_nor_qt():
    code = (
        "import sys\n"
        "from app.cli import main\n"
        "assert main(['--version']) == 0\n"
        "loaded = [m for m in ('app.services', 'app.domain.problems', 'PySide6', 'httpx')"
        " if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("activation-wizard ")
