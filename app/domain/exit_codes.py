"""The command line's exit codes: stable, part of the installer contract (README "Exit codes").

Defined here once; the problems table gives each situation one of them and the command line
returns them. ``HELP`` is the block ``--help`` prints under the commands.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2  # also bad command-line use
EXIT_KEY_NOT_FOUND = 3
EXIT_SEAT_LIMIT = 4
EXIT_NOT_USABLE = 5
EXIT_UNREACHABLE = 6
EXIT_STORAGE = 7
EXIT_NOT_ACTIVATED = 8

HELP = """exit codes:
  0 ok                            5 license not usable (expired, suspended...)
  1 unexpected error              6 licensing service unreachable or rate limited
  2 usage or bad input            7 local storage problem
  3 key not found                 8 not activated
  4 seat limit reached
"""

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_KEY_NOT_FOUND",
    "EXIT_NOT_ACTIVATED",
    "EXIT_NOT_USABLE",
    "EXIT_OK",
    "EXIT_SEAT_LIMIT",
    "EXIT_STORAGE",
    "EXIT_UNEXPECTED",
    "EXIT_UNREACHABLE",
    "HELP",
]
