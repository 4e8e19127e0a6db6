"""`gate audience check`: the care-team rule for a group's member list."""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Mapping
from typing import TextIO

from gate.adapters.cache import load_matcher
from gate.adapters.files import read_content
from gate.adapters.repository import RepositoryConfig
from gate.audience import not_staff
from gate.cli.common import EXIT_APPROVE, EXIT_BLOCK, cache_directory, wordlist_directory
from gate.errors import GateError


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audience = commands.add_parser("audience", help="the care-team rule: who in a group is not staff")
    audience_commands = audience.add_subparsers(dest="audience_command", required=True)
    members = audience_commands.add_parser(
        "check", help="list the members of a group who are not staff (exit 1 if any)"
    )
    members.add_argument("--wordlist", metavar="DIR", help="default: $GATE_WORDLIST")
    members.add_argument("--column", metavar="NAME", help="the column of a platform's CSV export holding identities")
    members.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    members.add_argument("file", metavar="FILE", help="one identity a line, or a CSV with --column; - reads stdin")


def run(args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO, stdout: TextIO) -> int:
    """Who in a group's member list is not staff: exit 1 if anyone, for a scheduled job."""
    matcher = load_matcher(
        wordlist_directory(args, environ, RepositoryConfig()), cache_directory=cache_directory(args, environ)
    )
    content = read_content(args.file, stdin=getattr(stdin, "buffer", None))
    if content.text is None:
        raise GateError(f"{args.file}: {content.problem}")
    members = member_list(content.text, args.column, args.file)
    outsiders = not_staff(matcher.staff, members)
    stdout.writelines(f"not staff: {member}\n" for member in outsiders)
    stdout.write(f"{len(members)} members, {len(outsiders)} not staff\n")
    return EXIT_BLOCK if outsiders else EXIT_APPROVE


def member_list(text: str, column: str | None, path: str) -> list[str]:
    if column is None:
        return [line.strip() for line in text.splitlines() if line.strip()]
    rows = csv.DictReader(io.StringIO(text, newline=""))
    if rows.fieldnames is None or column not in rows.fieldnames:
        raise GateError(f"{path}:1: no column {column!r} (columns: {', '.join(rows.fieldnames or [])})")
    return [row[column].strip() for row in rows if (row.get(column) or "").strip()]
