"""`gate install-hook`: a plain git pre-commit hook, for repositories without pre-commit."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TextIO

from gate.adapters.staged import hooks_directory
from gate.cli.common import EXIT_APPROVE
from gate.errors import GateError

HOOK_MARK = "# client-confidentiality-gate hook"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    install = commands.add_parser("install-hook", help="install a plain git pre-commit hook that checks staged content")
    install.add_argument("--force", action="store_true", help="replace an existing hook")


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    """Write .git/hooks/pre-commit to run `gate check --staged` with this Python."""
    hook = Path(hooks_directory()) / "pre-commit"
    if hook.exists() and not args.force:
        raise GateError(f"{hook} exists; pass --force to replace it")
    hook.parent.mkdir(parents=True, exist_ok=True)
    # -I: isolated mode. Without it, `python -m gate` run at the repository's root would
    # import a gate.py (or argparse.py, ...) committed there, and run the repository's code.
    hook.write_text(
        f"#!/bin/sh\n{HOOK_MARK}: checks the staged content for client identifiers.\n"
        f"exec {shlex.quote(sys.executable)} -I -m gate check --staged\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    stdout.write(f"installed {hook}\n")
    return EXIT_APPROVE
