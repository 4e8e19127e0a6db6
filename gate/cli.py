"""`gate`: the command line a person runs (and the hooks call)."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime
import io
import itertools
import json
import os
import shlex
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from gate import __version__
from gate.audience import not_staff
from gate.cache import load_matcher, user_cache_directory
from gate.check import check_contents
from gate.config import CONFIG_FILE, RepositoryConfig, parse_repository_config
from gate.errors import ERROR_PREFIX, GateError
from gate.files import STDIN, Content, expand_paths, read_content, read_regular_file, read_wordlist_files
from gate.lint import count_kinds, lint_wordlist
from gate.normalize import Normalizer
from gate.post import check_post
from gate.report import FORMATS
from gate.signatures import parse_secret
from gate.staged import hooks_directory, staged_contents
from gate.wordlist import parse_wordlist

EXIT_APPROVE, EXIT_BLOCK, EXIT_ERROR = 0, 1, 2
HOOK_MARK = "# client-confidentiality-gate hook"
SERVER_COMMANDS = ("serve", "token", "audit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gate", description="Stop posts and content that reveal who your clients are."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="check files (or - for standard input)")
    add_check_options(check)
    check.add_argument(
        "--staged", action="store_true", help="check what is staged in git (for a git hook)"
    )
    check.add_argument(
        "--post", metavar="FILE",
        help="check a scheduler post (JSON, the webhook's shape, with its audience); - reads stdin",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - reads stdin")
    wordlist = commands.add_parser("wordlist", help="work with a wordlist directory")
    wordlist_commands = wordlist.add_subparsers(dest="wordlist_command", required=True)
    validate = wordlist_commands.add_parser(
        "check", help="validate a wordlist and warn about entries likely to cry wolf"
    )
    validate.add_argument("directory", metavar="DIR")
    compile_list = wordlist_commands.add_parser(
        "compile", help="compile a wordlist into the cache (the webhook does this in its own process)"
    )
    compile_list.add_argument("directory", metavar="DIR")
    audience = commands.add_parser(
        "audience", help="the care-team rule: who in a group is not staff"
    )
    audience_commands = audience.add_subparsers(dest="audience_command", required=True)
    members = audience_commands.add_parser(
        "check", help="list the members of a group who are not staff (exit 1 if any)"
    )
    members.add_argument("--wordlist", metavar="DIR", help="default: $GATE_WORDLIST")
    members.add_argument(
        "--column", metavar="NAME", help="the column of a platform's CSV export holding identities"
    )
    members.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    members.add_argument("file", metavar="FILE", help="one identity a line, or a CSV with --column; - reads stdin")
    serve = commands.add_parser("serve", help="run the scheduler webhook under gunicorn")
    serve.add_argument("--config", metavar="PATH", help="server configuration (default: $GATE_CONFIG)")
    serve.add_argument("--bind", metavar="ADDR", default="127.0.0.1:8080", help="address:port")
    serve.add_argument("--workers", type=int, default=2)
    token = commands.add_parser("token", help="bearer tokens for the webhook")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    new_token = token_commands.add_parser("new", help="print a new token and the line to configure")
    new_token.add_argument("--org", required=True)
    audit = commands.add_parser("audit", help="the webhook's audit log")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_commands.add_parser("export", help="export an organisation's decisions")
    export.add_argument("--config", metavar="PATH", required=True)
    export.add_argument("--org", required=True)
    export.add_argument("--since", type=_date, metavar="YYYY-MM-DD")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    install = commands.add_parser(
        "install-hook", help="install a plain git pre-commit hook that checks staged content"
    )
    install.add_argument("--force", action="store_true", help="replace an existing hook")
    return parser


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """The options of `gate check`, shared with the pre-commit hook."""
    parser.add_argument(
        "--wordlist", metavar="DIR",
        help=f"the organisation's wordlist directory (default: $GATE_WORDLIST, then {CONFIG_FILE})",
    )
    parser.add_argument("--format", choices=sorted(FORMATS), help="report format (default: text)")
    parser.add_argument(
        "--reveal", action="store_true",
        help="show the matched text (for the author at their own terminal only)",
    )
    parser.add_argument(
        "--fail-on-unscanned", action="store_true",
        help="block when a file cannot be read as text",
    )
    parser.add_argument(
        "--today", type=_date, metavar="YYYY-MM-DD",
        help="check consent dates as of this day (default: today)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="compile the wordlist without the user cache"
    )
    parser.add_argument(
        "--server", metavar="URL",
        help="have the organisation's webhook check the files (token in $GATE_TOKEN)",
    )
    parser.add_argument("--org", help="the organisation, with --server")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        refuse_file_names_as_options(argv, dash_is_stdin=True)
    except GateError as error:
        print(f"{ERROR_PREFIX}{error}", file=sys.stderr)
        return EXIT_ERROR
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args, os.environ, getattr(sys.stdin, "buffer", None), sys.stdout)
        if args.command == "install-hook":
            return install_hook(force=args.force, stdout=sys.stdout)
        if args.command == "audience":
            return run_audience_check(args, os.environ, sys.stdin, sys.stdout)
        if args.command in SERVER_COMMANDS:
            # Imported here: the server's modules are not a cost `gate check` should pay.
            from gate import server_cli

            return server_cli.run(args, os.environ, sys.stdout)
        if args.wordlist_command == "compile":
            matcher = load_matcher(Path(args.directory), cache_directory=user_cache_directory(os.environ))
            print(f"compiled: {matcher.version}", file=sys.stdout)
            return EXIT_APPROVE
        return run_wordlist_check(Path(args.directory), sys.stdout)
    except GateError as error:
        print(f"{ERROR_PREFIX}{error}", file=sys.stderr)
        return EXIT_ERROR


def refuse_file_names_as_options(argv: Sequence[str], *, dash_is_stdin: bool) -> None:
    """pre-commit (and `gate check $(git diff --name-only)` in CI) puts file names after
    the options with no `--`: a committed file named `--wordlist=decoy` would become the
    trusted option. An argument that looks like an option and names a file here is
    refused; after `--` everything is a file."""
    for argument in itertools.takewhile(lambda item: item != "--", argv):
        if argument.startswith("-") and (argument != "-" or not dash_is_stdin) and os.path.lexists(argument):
            raise GateError(
                f"{argument!r} is both an option and a file here: rename the file, "
                "or put -- before the files"
            )


def run_check(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: BinaryIO | None, stdout: TextIO
) -> int:
    reject_unhonoured_options(args)
    config = read_repository_config(Path.cwd())
    if getattr(args, "post", None):
        return run_post_check(args, environ, stdin, stdout, config)
    if args.server:
        return run_remote_check(args, environ, stdin, stdout, config)
    matcher = load_matcher(
        wordlist_directory(args, environ, config), cache_directory=cache_directory(args, environ)
    )
    verdict = check_contents(
        matcher, _contents(args, stdin), today=args.today or datetime.date.today(),
        reveal=args.reveal, block_unscanned=_block_unscanned(args, config),
    )
    report_format = args.format or config.format or "text"
    stdout.write(FORMATS[report_format](verdict, matcher.policy))
    return EXIT_BLOCK if verdict.decision == "block" else EXIT_APPROVE


def reject_unhonoured_options(args: argparse.Namespace) -> None:
    """Options that cannot all be honoured are a usage error, never a check of less than
    was asked for (`--staged post.md` used to check the index and ignore post.md)."""
    sources = [
        name for name, given in (
            ("PATH", bool(args.paths)), ("--staged", getattr(args, "staged", False)),
            ("--post", bool(getattr(args, "post", None))),
        ) if given
    ]
    if not sources:
        raise GateError("nothing to check: give files or folders, or - for standard input")
    if len(sources) > 1:
        raise GateError(f"{' and '.join(sources)} cannot be combined: check one at a time")
    if args.server:
        local_only = [
            option for option, given in (
                ("--wordlist", args.wordlist), ("--reveal", args.reveal), ("--today", args.today),
                ("--no-cache", args.no_cache), ("--post", getattr(args, "post", None)),
            ) if given
        ]
        if local_only:
            raise GateError(
                f"--server cannot be combined with {', '.join(local_only)}: "
                "the server checks against its own list"
            )
    elif args.org:
        raise GateError("--org goes with --server")


def run_remote_check(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    stdin: BinaryIO | None,
    stdout: TextIO,
    config: RepositoryConfig,
) -> int:
    from gate.remote import remote_check  # urllib is only needed here

    token = environ.get("GATE_TOKEN")
    if not args.org or not token:
        raise GateError("--server needs --org ORG and the organisation's token in GATE_TOKEN")
    verdict, policy = remote_check(
        args.server, args.org, token, _contents(args, stdin),
        block_unscanned=_block_unscanned(args, config), signing_secret=signing_secret(environ),
    )
    stdout.write(FORMATS[args.format or config.format or "text"](verdict, policy))
    return EXIT_BLOCK if verdict.decision == "block" else EXIT_APPROVE


def signing_secret(environ: Mapping[str, str]) -> bytes | None:
    """GATE_SIGNING_SECRET, for organisations whose webhook requires signed requests."""
    text = environ.get("GATE_SIGNING_SECRET")
    if not text:
        return None
    try:
        return parse_secret(text)
    except ValueError as error:
        raise GateError(f"GATE_SIGNING_SECRET: {error}") from None


def run_post_check(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    stdin: BinaryIO | None,
    stdout: TextIO,
    config: RepositoryConfig,
) -> int:
    """One post, as the webhook would check it, audience and all."""
    content = read_content(args.post, stdin=stdin)
    try:
        payload = json.loads(content.text or "")
    except ValueError:
        raise GateError(f"{args.post}: not a JSON post") from None
    post = payload.get("post", payload) if isinstance(payload, dict) else payload
    matcher = load_matcher(
        wordlist_directory(args, environ, config), cache_directory=cache_directory(args, environ)
    )
    result = check_post(matcher, post, today=args.today or datetime.date.today())
    verdict = result.verdict
    verdict = dataclasses.replace(
        verdict,
        findings=tuple(dataclasses.replace(item, path=result.post_id + item.path) for item in verdict.findings),
        suppressed=tuple(dataclasses.replace(item, path=result.post_id + item.path) for item in verdict.suppressed),
    )
    stdout.write(FORMATS[args.format or config.format or "text"](verdict, matcher.policy))
    return EXIT_BLOCK if verdict.decision == "block" else EXIT_APPROVE


def run_audience_check(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO, stdout: TextIO
) -> int:
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


def _contents(args: argparse.Namespace, stdin: BinaryIO | None) -> Iterator[Content]:
    if getattr(args, "staged", False):
        return staged_contents()
    return read_paths(args.paths, stdin)


def _block_unscanned(args: argparse.Namespace, config: RepositoryConfig) -> bool:
    return bool(args.fail_on_unscanned or config.fail_on_unscanned)


def read_paths(paths: Sequence[str], stdin: BinaryIO | None) -> Iterator[Content]:
    for path in expand_paths(paths):
        yield read_content(path, stdin=stdin if path == STDIN else None)


def read_repository_config(folder: Path) -> RepositoryConfig:
    """`.gate.toml` in `folder` (a content repository's root), if there is one."""
    path = folder / CONFIG_FILE
    try:
        content = read_regular_file(path).decode("utf-8")
    except FileNotFoundError:
        return RepositoryConfig()
    except (OSError, UnicodeDecodeError) as error:  # a FIFO or /dev/zero too: never read
        raise GateError(f"{CONFIG_FILE}: cannot read ({error})") from None
    config = parse_repository_config(CONFIG_FILE, content)
    if config.wordlist is not None:
        config = config._replace(wordlist=str(folder / os.path.expanduser(config.wordlist)))
    return config


def wordlist_directory(
    args: argparse.Namespace, environ: Mapping[str, str], config: RepositoryConfig
) -> Path:
    directory = args.wordlist or environ.get("GATE_WORDLIST")
    if directory:
        return Path(directory)  # chosen by the person running the gate: trusted
    if not config.wordlist:
        raise GateError(
            f"no wordlist: pass --wordlist DIR, set GATE_WORDLIST, or name it in {CONFIG_FILE}"
        )
    return outside_repository(Path(config.wordlist), Path.cwd())


def outside_repository(wordlist: Path, folder: Path) -> Path:
    """A wordlist named by a content repository's own .gate.toml, refused if it lies inside
    that repository: any commit could replace it with a decoy that approves everything."""
    root = repository_root(folder.resolve())
    for candidate in (Path(os.path.abspath(wordlist)), wordlist.resolve()):
        if candidate == root or root in candidate.parents:
            raise GateError(
                f"{CONFIG_FILE}: the wordlist it names lies inside the repository being checked, "
                "where a commit can change it; keep it outside, or pass --wordlist or set GATE_WORDLIST"
            )
    return wordlist


def repository_root(folder: Path) -> Path:
    """The work tree `folder` belongs to (the nearest folder holding .git), else `folder`."""
    return next((parent for parent in (folder, *folder.parents) if (parent / ".git").exists()), folder)


def cache_directory(args: argparse.Namespace, environ: Mapping[str, str]) -> Path | None:
    return None if getattr(args, "no_cache", False) else user_cache_directory(environ)


def install_hook(*, force: bool, stdout: TextIO) -> int:
    """Write .git/hooks/pre-commit to run `gate check --staged` with this Python."""
    hook = Path(hooks_directory()) / "pre-commit"
    if hook.exists() and not force:
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


def run_wordlist_check(directory: Path, stdout: TextIO) -> int:
    normalizer = Normalizer()
    files = read_wordlist_files(directory)
    wordlist = parse_wordlist(directory.resolve().name, str(directory), files, normalizer)
    clients = len({identifier.client_id for identifier in wordlist.identifiers})
    counts = ", ".join(f"{kind} {count}" for kind, count in count_kinds(wordlist).items())
    stdout.write(
        f"{directory}: {clients} clients, {len(wordlist.identifiers)} identifiers ({counts}), "
        f"{len(wordlist.allow_terms)} allow terms, {len(wordlist.staff)} staff\n"
    )
    warnings = lint_wordlist(wordlist, normalizer, common_words())
    stdout.writelines(f"warning: {warning}\n" for warning in warnings)
    stdout.write(f"ok: {wordlist.version}" + (f" ({len(warnings)} warnings)" if warnings else "") + "\n")
    return EXIT_APPROVE


def common_words() -> set[str]:
    text = Path(__file__).with_name("common-words.txt").read_text("utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
