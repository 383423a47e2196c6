"""The command line's grammar: global options, the commands and their options, the key.

Adding a command: add its sub-parser in ``build_parser`` (with ``_command``) and its handler in
``app.cli.commands.COMMANDS`` under the same name.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

from app import __version__
from app.domain.exit_codes import EXIT_BAD_INPUT
from app.domain.exit_codes import HELP as EXIT_CODES_HELP
from app.i18n import N_, _, gettext

PROGRAM = "activation-wizard"
KEY_ENV = "ACTIVATION_WIZARD_KEY"
PROXY_PASSWORD_ENV = "ACTIVATION_WIZARD_PROXY_PASSWORD"  # noqa: S105 - a variable name


class UsageError(Exception):
    """Bad command-line use (exit 2); ``code`` is what ``--json`` reports."""

    def __init__(self, message: str, code: str = "USAGE", exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code
        self.exit_code = exit_code  # 2, or the documented code of a more specific refusal


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse's own message (English) follows, then the pointer to the help.
        raise UsageError(_("{message} (see --help)").format(message=message))


#: argparse's own words (headings, its error messages) in the active language: argparse looks
#: them up through this module's ``_``, so our catalog carries them (marked here).
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
)


def build_parser() -> argparse.ArgumentParser:
    argparse._ = gettext  # type: ignore[attr-defined]  # argparse's words in our language
    parser = _Parser(
        prog=PROGRAM,
        description=_("Activate this computer's license. Without a command, opens the wizard."),
        epilog=_(EXIT_CODES_HELP),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_global_options(parser, top=True)
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show the program's version number and exit"),
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help=_(
            "check this installation (keychain, certificates, computer ID, display) and print JSON"
        ),
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("open the wizard against a local demo server")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    activate = _command(commands, "activate", _("activate this computer without the wizard"))
    _add_key_option(
        activate, _("the license key ({variable} when not given)").format(variable=KEY_ENV)
    )
    activate.add_argument("--name", help=_("the computer name shown in the license's list of computers"))
    activate.add_argument(
        "--license-file", metavar="FILE",
        help=_(
            "activate without internet from the license file the relay's offline page made for "
            "this computer's request (see offline-request); --key is then optional"
        ),
    )  # fmt: skip
    request = _command(
        commands, "offline-request",
        _("print this computer's request for activating it without internet (needs no network)"),
    )  # fmt: skip
    request.add_argument("--name", help=_("the computer name shown in the license's list of computers"))
    _command(commands, "status", _("show the stored activation and check it online"))
    _command(commands, "deactivate", _("deactivate this computer and forget the license here"))
    devices = _command(commands, "devices", _("list the computers using the license (needs the relay)"))
    _add_key_option(devices, _("the license key (default: the one activated here)"))
    device_commands = devices.add_subparsers(dest="devices_command", metavar="ACTION")
    remove = _command(device_commands, "deactivate", _("deactivate another computer by its ID"))
    remove.add_argument("id", help=_("the computer ID from `devices`"))
    _add_key_option(remove, _("the license key (default: the one activated here)"), nested=True)
    check = _command(commands, "check", _("exit 0 when licensed (a recent saved answer counts)"))
    check.add_argument("--gui", action="store_true", help=_("open the wizard when not licensed"))
    check.add_argument(
        "--online", action="store_true",
        help=_("count only a fresh answer from the licensing service (exit 6 when unreachable)"),
    )  # fmt: skip
    check.add_argument(
        "--max-age", type=_seconds, metavar="SECONDS",
        help=_(
            "use a saved answer younger than SECONDS without asking the service (each "
            "validation may count as a use of a metered license)"
        ),
    )  # fmt: skip
    _add_heartbeat(commands)
    return parser


def _add_heartbeat(commands: Any) -> None:
    beat = _command(
        commands, "heartbeat",
        _("keep this computer checked in while the product runs; stops when its parent ends"),
    )  # fmt: skip
    beat.add_argument(
        "--parent-pid", type=int, metavar="PID",
        help=_("stop when process PID ends (default: the process that started this one)"),
    )  # fmt: skip
    # Tests only: follow the stand-in's clock, looking at it this often (real seconds).
    beat.add_argument("--clock-url", help=argparse.SUPPRESS)
    beat.add_argument("--poll-seconds", type=float, default=1.0, help=argparse.SUPPRESS)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses NaN
        raise argparse.ArgumentTypeError(_("must be a number of seconds, 0 or more"))
    return value


def _command(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text)
    _add_global_options(sub, top=False)
    return sub


def _add_key_option(
    parser: argparse.ArgumentParser, help_text: str, *, nested: bool = False
) -> None:
    # A nested command may repeat --key; it only overrides what was given.
    default = argparse.SUPPRESS if nested else None
    parser.add_argument(
        "--key",
        default=default,
        help=_("{help}; '-' reads it from standard input").format(help=help_text),
    )
    parser.add_argument(
        "--key-file",
        metavar="FILE",
        default=default,
        help=_("read the license key from FILE (keeps it out of ps)"),
    )


def _add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Accepted before and after the command; sub-parsers only override what was given.
    def default(value: Any) -> Any:
        return value if top else argparse.SUPPRESS

    parser.add_argument("--config", metavar="FILE", default=default(None), help=_("vendor TOML"))
    parser.add_argument(
        "--api-url", metavar="URL", default=default(None), help=_("the Licentric service address")
    )
    parser.add_argument(
        "--relay-url", metavar="URL", default=default(None), help=_("the vendor's relay")
    )
    parser.add_argument(
        "--json", action="store_true", default=default(False), help=_("print one JSON object")
    )
    parser.add_argument(
        "--verbose", action="store_true", default=default(False), help=_("log to stderr")
    )
    parser.add_argument(
        "--machine-wide",
        action="store_true",
        default=default(False),
        help=_("the activation for every user of this computer (changing it needs admin rights)"),
    )
    parser.add_argument(
        "--proxy", metavar="URL", default=default(None), help=_("proxy address, or 'direct'")
    )
    parser.add_argument(
        "--proxy-user",
        metavar="NAME",
        default=default(None),
        help=_("sign in to the proxy as NAME (password from {variable})").format(
            variable=PROXY_PASSWORD_ENV
        ),
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        default=default(None),
        help=_("the language of the wizard and the messages (de, fr, es, ja, zh_CN, ar, en)"),
    )
    parser.add_argument("--data-dir", default=default(None), help=argparse.SUPPRESS)


def read_key(args: argparse.Namespace) -> str | None:
    """The key given on the command line, stdin or (for activate) the environment."""
    key = getattr(args, "key", None)
    key_file = getattr(args, "key_file", None)
    if key_file is not None:
        if key is not None:
            raise UsageError(_("Give the key either with --key or with --key-file, not both."))
        key = _read_key_file(key_file)
    elif key == "-":
        # A piped key may arrive wrapped over lines (copied from an e-mail): read it all.
        key = sys.stdin.readline() if sys.stdin.isatty() else sys.stdin.read(4096)
    elif key is None and args.command == "activate":
        key = os.environ.get(KEY_ENV)
    if key is None and (args.command != "activate" or getattr(args, "license_file", None)):
        return None  # devices: the key stored here; a license file: the key is optional
    if not key or not key.strip():
        if args.command == "activate":
            text = _("{command} needs --key KEY (or --key - to read it from stdin, or {variable}).")
        else:
            text = _("{command} needs --key KEY (or --key - to read it from stdin).")
        raise UsageError(text.format(command=args.command, variable=KEY_ENV))
    return key.strip()


def _read_key_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read(4096)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or _("not a text file")
        raise UsageError(
            _("The key file {path} cannot be read: {reason}.").format(path=path, reason=reason)
        ) from exc


def _key_given(args: argparse.Namespace) -> bool:
    return getattr(args, "key", None) is not None or getattr(args, "key_file", None) is not None


def proxy_password(args: argparse.Namespace) -> str | None:
    """The proxy password for ``--proxy-user``: the environment, else a prompt on a terminal
    (never a command-line option: other users would see it in the process list)."""
    if not getattr(args, "proxy_user", None):
        return None
    password = os.environ.get(PROXY_PASSWORD_ENV)
    if password is None and sys.stdin.isatty() and getattr(args, "key", None) != "-":
        import getpass

        password = getpass.getpass(_("Proxy password for {user}: ").format(user=args.proxy_user))
    if password is None:
        raise UsageError(
            _("--proxy-user needs the password in {variable}.").format(variable=PROXY_PASSWORD_ENV)
        )
    return password


def repeat_command(args: argparse.Namespace) -> str:
    """The command to run again, as the steps of a problem name it (never the real key)."""
    words = [PROGRAM]
    if args.command:
        words.append(args.command)
    if getattr(args, "devices_command", None):
        words += [args.devices_command, args.id]
    if getattr(args, "license_file", None):
        words += ["--license-file", "FILE"]
    elif args.command == "activate" or _key_given(args):
        words += ["--key-file", "FILE"]  # never --key: other users see it in the process list
    if getattr(args, "online", False):
        words.append("--online")
    if getattr(args, "max_age", None) is not None:
        words += ["--max-age", f"{args.max_age:g}"]
    if getattr(args, "machine_wide", False):
        words.append("--machine-wide")
    return " ".join(words)


__all__ = [
    "KEY_ENV",
    "PROGRAM",
    "PROXY_PASSWORD_ENV",
    "UsageError",
    "build_parser",
    "proxy_password",
    "read_key",
    "repeat_command",
]
