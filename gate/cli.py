"""`gate`: the command line a person runs (and the hook calls)."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from gate import __version__
from gate.cache import load_matcher
from gate.check import check_text
from gate.errors import GateError
from gate.extract import content_views
from gate.files import STDIN, expand_paths, read_content, read_wordlist_files
from gate.lint import count_kinds, lint_wordlist
from gate.normalize import Normalizer
from gate.report import FORMATS
from gate.verdict import Finding, NotScanned, Suppression, Verdict, build_verdict
from gate.matcher import Matcher
from gate.wordlist import parse_wordlist

EXIT_APPROVE, EXIT_BLOCK, EXIT_ERROR = 0, 1, 2
CACHE_FOLDER = "client-confidentiality-gate"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gate", description="Stop posts and content that reveal who your clients are."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="check files (or - for standard input)")
    add_check_options(check)
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - reads stdin")
    wordlist = commands.add_parser("wordlist", help="work with a wordlist directory")
    wordlist_commands = wordlist.add_subparsers(dest="wordlist_command", required=True)
    validate = wordlist_commands.add_parser(
        "check", help="validate a wordlist and warn about entries likely to cry wolf"
    )
    validate.add_argument("directory", metavar="DIR")
    return parser


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """The options of `gate check`, shared with the pre-commit hook."""
    parser.add_argument(
        "--wordlist", metavar="DIR", help="the organisation's wordlist directory "
        "(default: $GATE_WORDLIST)"
    )
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument(
        "--reveal", action="store_true",
        help="show the matched text (for the author at their own terminal only)",
    )
    parser.add_argument(
        "--today", type=_date, metavar="YYYY-MM-DD",
        help="check consent dates as of this day (default: today)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="compile the wordlist without the user cache"
    )


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args, os.environ, getattr(sys.stdin, "buffer", None), sys.stdout)
        return run_wordlist_check(Path(args.directory), sys.stdout)
    except GateError as error:
        print(f"gate: error: {error}", file=sys.stderr)
        return EXIT_ERROR


def run_check(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: BinaryIO | None, stdout: TextIO
) -> int:
    if not args.paths:
        raise GateError("nothing to check: give files or folders, or - for standard input")
    matcher = load_matcher(wordlist_directory(args, environ), cache_directory=cache_directory(args, environ))
    verdict = check_paths(
        matcher, args.paths, today=args.today or datetime.date.today(), reveal=args.reveal,
        stdin=stdin,
    )
    stdout.write(FORMATS[args.format](verdict, matcher.policy))
    return EXIT_BLOCK if verdict.decision == "block" else EXIT_APPROVE


def wordlist_directory(args: argparse.Namespace, environ: Mapping[str, str]) -> Path:
    directory = args.wordlist or environ.get("GATE_WORDLIST")
    if not directory:
        raise GateError("no wordlist: pass --wordlist DIR or set GATE_WORDLIST")
    return Path(directory)


def cache_directory(args: argparse.Namespace, environ: Mapping[str, str]) -> Path | None:
    if args.no_cache:
        return None
    if environ.get("GATE_CACHE_DIR"):
        return Path(environ["GATE_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / CACHE_FOLDER


def check_paths(
    matcher: Matcher,
    paths: Sequence[str],
    *,
    today: datetime.date,
    reveal: bool,
    stdin: BinaryIO | None = None,
) -> Verdict:
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    not_scanned: list[NotScanned] = []
    for path in expand_paths(paths):
        content = read_content(path, stdin=stdin if path == STDIN else None)
        if content.problem:
            not_scanned.append(NotScanned(content.path, content.problem))
        if content.text is None:
            continue
        views, problems = content_views(content.path, content.text)
        not_scanned += [NotScanned(content.path, problem) for problem in problems]
        found, quiet = check_text(
            matcher, content.text, path=content.path, today=today, reveal=reveal, views=views
        )
        findings += found
        suppressed += quiet
    return build_verdict(matcher.org, matcher.version, findings, suppressed, not_scanned)


def run_wordlist_check(directory: Path, stdout: TextIO) -> int:
    normalizer = Normalizer()
    files = read_wordlist_files(directory)
    wordlist = parse_wordlist(directory.resolve().name, str(directory), files, normalizer)
    common = common_words()
    clients = len({identifier.client_id for identifier in wordlist.identifiers})
    counts = ", ".join(f"{kind} {count}" for kind, count in count_kinds(wordlist).items())
    stdout.write(
        f"{directory}: {clients} clients, {len(wordlist.identifiers)} identifiers ({counts}), "
        f"{len(wordlist.allow_terms)} allow terms\n"
    )
    warnings = lint_wordlist(wordlist, normalizer, common)
    stdout.writelines(f"warning: {warning}\n" for warning in warnings)
    stdout.write(f"ok: {wordlist.version}" + (f" ({len(warnings)} warnings)" if warnings else "") + "\n")
    return EXIT_APPROVE


def common_words() -> set[str]:
    text = Path(__file__).with_name("common-words.txt").read_text("utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
