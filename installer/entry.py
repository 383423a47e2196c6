"""The frozen program's entry point: ``--self-check`` (and its Qt probe) first, then the CLI.

The self-check lives here as well as (once wired) in app/cli/, so every build answers
``--self-check`` whatever the CLI knows; the build script runs it on the built executable.
"""

from __future__ import annotations

import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from app import selfcheck

    if selfcheck.QT_PROBE_FLAG in args or "--self-check" in args:
        return selfcheck.main(args)
    from app.cli import main as cli_main

    return int(cli_main(args) or 0)


if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless unless something spawns worker processes
    sys.exit(main())
