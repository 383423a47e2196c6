"""``main``: one run of the program, from the arguments to the exit code.

Parses (``parser``), reads the key and the vendor configuration, runs the command
(``commands``) and turns every failure into words and an exit code (``output``): a
``WizardError`` by the problems table, bad use as usage (2), anything else as unexpected (1).
Words are in the user's language (``--lang``, the config's ``language``, the system's);
codes, exit codes and JSON keys never change with it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from app.cli.output import Output
from app.cli.parser import UsageError, build_parser, read_key, repeat_command
from app.config import VendorConfig, load_config, with_overrides
from app.domain.errors import CancelledError, WizardError
from app.domain.license_key import KeyRedactingFilter
from app.i18n import SHIPPED, UnknownLanguageError, _, activate, active_language, choose


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code (see README, "Exit codes")."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-check" in argv:  # also answered by installer/entry.py in frozen builds
        from app import selfcheck

        return selfcheck.main(argv)
    previous = active_language()
    try:
        return _main(argv)
    finally:
        activate(previous)  # in-process callers (tests, the frozen entry) get theirs back


def _main(argv: list[str]) -> int:
    _speak(_early_language(argv), None, strict=False)  # so that usage errors are in it too
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return Output(json_mode="--json" in argv).usage(exc)
    except SystemExit as exc:  # --help and --version print and stop here
        return int(exc.code or 0)
    out = Output(json_mode=args.json)
    with _logging(args.verbose) as redactor:
        try:
            return _run(args, out, redactor)
        except UsageError as exc:
            return out.usage(exc)
        except WizardError as exc:
            return out.failure(exc)
        except KeyboardInterrupt:
            return out.failure(CancelledError("interrupted"))
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            return out.unexpected(exc, verbose=args.verbose)


def _run(args: argparse.Namespace, out: Output, redactor: KeyRedactingFilter) -> int:
    from app.cli.commands import dispatch  # after parsing: keeps --help and --version fast

    _speak(args.lang, None)
    key = read_key(args)
    if key:
        redactor.remember(key)
        out.secret = key
    out.command = repeat_command(args)
    config = _config(args)
    _speak(args.lang, config.language)
    out.product = config.product_name
    out.vendor = config
    return dispatch(args, config, out, key)


def _config(args: argparse.Namespace) -> VendorConfig:
    config = load_config(args.config)
    return with_overrides(
        config, api_url=args.api_url, relay_url=args.relay_url, proxy=args.proxy,
        language=args.lang,  # the wizard's windows read it from the config
    )  # fmt: skip


def _speak(requested: str | None, configured: str | None, *, strict: bool = True) -> None:
    """Speak ``--lang``, else the config's language, else the system's."""
    try:
        activate(choose(requested, configured))
    except UnknownLanguageError as exc:
        if strict:
            message = _(
                "'{language}' is not a language this program speaks; choose one of {languages}."
            )
            raise UsageError(
                message.format(language=exc.requested, languages=", ".join(SHIPPED)),
                code="UNKNOWN_LANGUAGE",
            ) from exc
        activate(choose(None, configured))


def _early_language(argv: list[str]) -> str | None:
    """``--lang``'s value before parsing (argparse's own errors come first)."""
    for index, word in enumerate(argv):
        if word.startswith("--lang="):
            return word.partition("=")[2]
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


@contextmanager
def _logging(verbose: bool) -> Iterator[KeyRedactingFilter]:
    """``--verbose``: everything to stderr through the key-redacting filter; else quiet."""
    redactor = KeyRedactingFilter()
    handler: logging.Handler
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler = logging.NullHandler()  # keeps logging's last-resort printer out of stdout
    handler.addFilter(redactor)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    if verbose:
        root.setLevel(logging.DEBUG)
    try:
        yield redactor
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
