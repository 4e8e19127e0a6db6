"""`gate`: the command line a person runs (and the hooks call), one module per command.

`gate serve`, `gate token` and `gate audit` belong to the webhook: this package knows
their names, and loads `webhook.commands` only when one of them runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from gate import __version__
from gate.cli import audience, check, install_hook, wordlist
from gate.cli.common import SERVER_COMMANDS, SERVER_EXTRA, guarded, refuse_file_names_as_options
from gate.errors import GateError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gate", description="Stop posts and content that reveal who your clients are."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check.add_parser(commands)
    wordlist.add_parser(commands)
    audience.add_parser(commands)
    for name, summary in SERVER_COMMANDS.items():
        commands.add_parser(name, help=summary, add_help=False)  # parsed by webhook.commands
    install_hook.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    return guarded(lambda: run(arguments))


def run(argv: list[str]) -> int:
    if argv and argv[0] in SERVER_COMMANDS:
        return run_server_command(argv)
    refuse_file_names_as_options(argv, dash_is_stdin=True)
    args = build_parser().parse_args(argv)
    if args.command == "check":
        return check.run(args, os.environ, getattr(sys.stdin, "buffer", None), sys.stdout)
    if args.command == "install-hook":
        return install_hook.run(args, sys.stdout)
    if args.command == "audience":
        return audience.run(args, os.environ, sys.stdin, sys.stdout)
    return wordlist.run(args, os.environ, sys.stdout)


def run_server_command(argv: Sequence[str]) -> int:
    """The webhook's own commands, loaded only now: `gate check` never pays for them."""
    try:
        from webhook import commands
    except ModuleNotFoundError as error:
        # Only the server's own dependencies missing is the extra missing; a module of
        # the webhook missing is a broken install, and says so as a crash.
        if error.name not in {"webhook", "flask", "gunicorn", "werkzeug"}:
            raise
        raise GateError(f"`gate {argv[0]}` is part of the server: {SERVER_EXTRA}") from None
    return commands.main(argv, os.environ, sys.stdout)
