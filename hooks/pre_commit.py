"""`gate-pre-commit`: the entry of the `client-confidentiality` pre-commit hook.

pre-commit passes the staged files' names (the working tree holds the staged content
while hooks run), maybe in several batches at once; each file's findings do not depend
on the others, so every batch gives its part of the one verdict and the worst exit wins.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from gate.cli.check import add_check_options
from gate.cli.check import run as run_check
from gate.cli.common import EXIT_APPROVE, guarded, refuse_file_names_as_options


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    return guarded(lambda: run(arguments))


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gate-pre-commit", description="Block commits whose content names a client.")
    add_check_options(parser)
    parser.add_argument("paths", nargs="*", metavar="PATH")
    refuse_file_names_as_options(argv, dash_is_stdin=False)  # the staged files come last
    args = parser.parse_args(argv)
    if not args.paths:
        return EXIT_APPROVE  # no file was staged
    return run_check(args, os.environ, None, sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
