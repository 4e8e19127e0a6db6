"""`gate wordlist check` and `gate wordlist compile`: an organisation's list, validated
or compiled into the cache."""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from gate.adapters.cache import load_matcher, read_list_report, user_cache_directory
from gate.cli.common import EXIT_APPROVE, parse_date


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    wordlist = commands.add_parser("wordlist", help="work with a wordlist directory")
    wordlist_commands = wordlist.add_subparsers(dest="wordlist_command", required=True)
    validate = wordlist_commands.add_parser(
        "check", help="validate a wordlist and warn about entries likely to cry wolf"
    )
    validate.add_argument("directory", metavar="DIR")
    validate.add_argument(
        "--today",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="warn about consents as of this day (default: today)",
    )
    compile_list = wordlist_commands.add_parser("compile", help="compile a wordlist into the user cache")
    compile_list.add_argument("directory", metavar="DIR")


def run(args: argparse.Namespace, environ: Mapping[str, str], stdout: TextIO) -> int:
    if args.wordlist_command == "compile":
        matcher = load_matcher(Path(args.directory), cache_directory=user_cache_directory(environ))
        stdout.write(f"compiled: {matcher.version}\n")
        return EXIT_APPROVE
    return validate(Path(args.directory), stdout, args.today or datetime.date.today())


def validate(directory: Path, stdout: TextIO, today: datetime.date) -> int:
    report = read_list_report(directory, today)
    counts = ", ".join(f"{kind} {count}" for kind, count in report.kinds.items())
    stdout.write(
        f"{directory}: {report.clients} clients, {sum(report.kinds.values())} identifiers ({counts}), "
        f"{report.allow_terms} allow terms, {report.staff} staff\n"
    )
    stdout.writelines(f"warning: {warning}\n" for warning in report.warnings)
    stdout.write(f"ok: {report.version}" + (f" ({len(report.warnings)} warnings)" if report.warnings else "") + "\n")
    return EXIT_APPROVE
