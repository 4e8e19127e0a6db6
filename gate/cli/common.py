"""What the commands share: exit codes, where the wordlist and the cache are, how a
verdict is written, and the rule that keeps file names from posing as options."""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from gate.adapters.cache import user_cache_directory
from gate.adapters.repository import CONFIG_FILE, RepositoryConfig, outside_repository
from gate.errors import ERROR_PREFIX, GateError
from gate.report import REPORTERS
from gate.verdict import Verdict
from gate.wordlist import Policy

EXIT_APPROVE, EXIT_BLOCK, EXIT_ERROR = 0, 1, 2
SERVER_EXTRA = "pip install 'client-confidentiality-gate[server]'"  # what `gate serve` needs


# The server's commands: gate's parser lists them, webhook/commands.py runs them.
SERVER_COMMANDS = {
    "serve": "run the scheduler webhook under gunicorn",
    "token": "bearer tokens for the webhook",
    "audit": "the webhook's audit log",
    "officer": "compliance officers who sign in to the console",
}


def parse_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def refuse_file_names_as_options(argv: Sequence[str], *, dash_is_stdin: bool) -> None:
    """pre-commit (and `gate check $(git diff --name-only)` in CI) puts file names after
    the options with no `--`: a committed file named `--wordlist=decoy` would become the
    trusted option. An argument that looks like an option and names a file here is
    refused; after `--` everything is a file."""
    for argument in itertools.takewhile(lambda item: item != "--", argv):
        if argument.startswith("-") and (argument != "-" or not dash_is_stdin) and os.path.lexists(argument):
            raise GateError(
                f"{argument!r} is both an option and a file here: rename the file, or put -- before the files"
            )


def wordlist_directory(args: argparse.Namespace, environ: Mapping[str, str], config: RepositoryConfig) -> Path:
    directory = args.wordlist or environ.get("GATE_WORDLIST")
    if directory:
        return Path(directory)  # chosen by the person running the gate: trusted
    if not config.wordlist:
        raise GateError(f"no wordlist: pass --wordlist DIR, set GATE_WORDLIST, or name it in {CONFIG_FILE}")
    return outside_repository(Path(config.wordlist), Path.cwd())


def cache_directory(args: argparse.Namespace, environ: Mapping[str, str]) -> Path | None:
    return None if getattr(args, "no_cache", False) else user_cache_directory(environ)


def write_verdict(verdict: Verdict, policy: Policy, report_format: str, stdout: TextIO) -> int:
    """The report in `report_format`, and the exit code that goes with the decision."""
    stdout.write(REPORTERS[report_format](verdict, policy))
    return EXIT_BLOCK if verdict.decision == "block" else EXIT_APPROVE


def guarded(command: Callable[[], int]) -> int:
    """`command`'s exit code; an error is a line on stderr (a line per problem) and exit 2, never 1: a crash
    must not read as a block to CI, nor as anything that was checked. An unexpected
    error is named by its class only (its message could quote a file or the list);
    GATE_DEBUG=1 adds the traceback."""
    try:
        return command()
    except GateError as error:  # one line per problem (a wordlist's every wrong row)
        print("".join(f"{ERROR_PREFIX}{line}\n" for line in str(error).splitlines()), end="", file=sys.stderr)
    except Exception as error:  # noqa: BLE001 - anything else is still exit 2, plainly
        print(
            f"{ERROR_PREFIX}unexpected {type(error).__name__}: the check did not finish, nothing is approved "
            "(GATE_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        if os.environ.get("GATE_DEBUG"):
            traceback.print_exc()
    return EXIT_ERROR
