"""The command line: the wizard by default, sub-commands for installers (exit codes, JSON).

``main`` (the ``activation-wizard`` program and ``python -m app``) is in ``entry``; the
grammar in ``parser``; the commands, thin over ``app.services``, in ``commands``; what is
printed (plain lines or one JSON object) in ``output``. The words come from
``app.presentation`` and the problems table, as in the windows.

Adding a command: its sub-parser in ``parser.build_parser``, its handler in
``commands.COMMANDS``; see the docstring of ``commands``.
"""

from __future__ import annotations

from app.cli.entry import main

__all__ = ["main"]
