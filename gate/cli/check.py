"""`gate check`: files, standard input, the git index or one scheduler post, checked here
or by the organisation's webhook."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from gate.adapters.cache import load_matcher
from gate.adapters.files import STDIN, expand_paths, read_content
from gate.adapters.repository import CONFIG_FILE, RepositoryConfig, read_repository_config
from gate.adapters.staged import staged_contents
from gate.adapters.tesseract import tesseract
from gate.check import check_contents
from gate.cli.common import cache_directory, parse_date, wordlist_directory, write_verdict
from gate.content import Content
from gate.errors import GateError
from gate.post import PostError, check_post, unique_keys
from gate.readers import OcrClock
from gate.readers.limits import DEFAULT_LIMITS, Limits
from gate.report import REPORTERS
from gate.signatures import parse_secret


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser("check", help="check files (or - for standard input)")
    add_check_options(check)
    check.add_argument("--staged", action="store_true", help="check what is staged in git (for a git hook)")
    check.add_argument(
        "--post",
        metavar="FILE",
        help="check a scheduler post (JSON, the webhook's shape, with its audience); - reads stdin",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - reads stdin")


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """The options of `gate check`, shared with the pre-commit hook (which has no --post
    or --staged: pre-commit names the files)."""
    parser.set_defaults(post=None, staged=False)
    parser.add_argument(
        "--wordlist",
        metavar="DIR",
        help=f"the organisation's wordlist directory (default: $GATE_WORDLIST, then {CONFIG_FILE})",
    )
    parser.add_argument("--format", choices=sorted(REPORTERS), help="report format (default: text)")
    parser.add_argument(
        "--reveal",
        action="store_true",
        help="show the matched text (for the author at their own terminal only)",
    )
    parser.add_argument(
        "--fail-on-unscanned",
        action="store_true",
        help="block when a file cannot be read as text",
    )
    parser.add_argument(
        "--today",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="check consent dates as of this day (default: today)",
    )
    parser.add_argument("--no-cache", action="store_true", help="compile the wordlist without the user cache")
    parser.add_argument(
        "--server",
        metavar="URL",
        help="have the organisation's webhook check the files (token in $GATE_TOKEN)",
    )
    parser.add_argument("--org", help="the organisation, with --server")


def run(args: argparse.Namespace, environ: Mapping[str, str], stdin: BinaryIO | None, stdout: TextIO) -> int:
    reject_unhonoured_options(args)
    config = read_repository_config(Path.cwd())
    if args.post:
        return run_post_check(args, environ, stdin, stdout, config)
    if args.server:
        return run_remote_check(args, environ, stdin, stdout, config)
    matcher = load_matcher(wordlist_directory(args, environ, config), cache_directory=cache_directory(args, environ))
    verdict = check_contents(
        matcher,
        _contents(args, stdin, matcher.policy.limits),
        today=args.today or datetime.date.today(),
        reveal=args.reveal,
        block_unscanned=_block_unscanned(args, config),
    )
    return write_verdict(verdict, matcher.policy, _report_format(args, config), stdout)


def reject_unhonoured_options(args: argparse.Namespace) -> None:
    """Options that cannot all be honoured are a usage error, never a check of less than
    was asked for (`--staged post.md` used to check the index and ignore post.md)."""
    sources = [
        name
        for name, given in (
            ("PATH", bool(args.paths)),
            ("--staged", args.staged),
            ("--post", bool(args.post)),
        )
        if given
    ]
    if not sources:
        raise GateError("nothing to check: give files or folders, or - for standard input")
    if len(sources) > 1:
        raise GateError(f"{' and '.join(sources)} cannot be combined: check one at a time")
    if args.post and args.reveal:
        raise GateError("--post cannot be combined with --reveal: a post's verdict never carries matched text")
    if args.server:
        local_only = [
            option
            for option, given in (
                ("--wordlist", args.wordlist),
                ("--reveal", args.reveal),
                ("--today", args.today),
                ("--no-cache", args.no_cache),
                ("--post", args.post),
            )
            if given
        ]
        if local_only:
            raise GateError(
                f"--server cannot be combined with {', '.join(local_only)}: the server checks against its own list"
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
    from gate.adapters.remote import SEND_FILES_UP_TO, remote_check  # urllib is only needed here

    token = environ.get("GATE_TOKEN")
    if not args.org or not token:
        raise GateError("--server needs --org ORG and the organisation's token in GATE_TOKEN")
    verdict, policy = remote_check(
        args.server,
        args.org,
        token,
        _contents(args, stdin, send_up_to=SEND_FILES_UP_TO),
        block_unscanned=_block_unscanned(args, config),
        signing_secret=signing_secret(environ),
    )
    return write_verdict(verdict, policy, _report_format(args, config), stdout)


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
        payload = json.loads(content.text or "", object_pairs_hook=unique_keys)
    except PostError as error:
        raise GateError(f"{args.post}: {error}") from None
    except (ValueError, RecursionError):
        raise GateError(f"{args.post}: not a JSON post") from None
    post = payload.get("post", payload) if isinstance(payload, dict) else payload
    matcher = load_matcher(wordlist_directory(args, environ, config), cache_directory=cache_directory(args, environ))
    ocr = OcrClock.of(matcher.policy.limits, tesseract())
    result = check_post(matcher, post, today=args.today or datetime.date.today(), ocr=ocr)
    verdict = result.verdict
    if _block_unscanned(args, config) and verdict.not_scanned:
        verdict = dataclasses.replace(verdict, decision="block")
    verdict = dataclasses.replace(
        verdict,
        findings=tuple(dataclasses.replace(item, path=result.post_id + item.path) for item in verdict.findings),
        suppressed=tuple(dataclasses.replace(item, path=result.post_id + item.path) for item in verdict.suppressed),
    )
    return write_verdict(verdict, matcher.policy, _report_format(args, config), stdout)


def _contents(
    args: argparse.Namespace, stdin: BinaryIO | None, limits: Limits = DEFAULT_LIMITS, *, send_up_to: int = 0
) -> Iterator[Content]:
    """`limits`: the organisation's; with --server the gate's defaults, the server's own
    being unknown here (what a reader refuses blocks, locally). The images of the whole
    check share its seconds of OCR. `send_up_to`: as decode_content's."""
    ocr = OcrClock.of(limits, tesseract())
    if args.staged:
        return staged_contents(limits=limits, ocr=ocr, send_up_to=send_up_to)
    return read_paths(args.paths, stdin, limits, ocr=ocr, send_up_to=send_up_to)


def _report_format(args: argparse.Namespace, config: RepositoryConfig) -> str:
    return str(args.format or config.format or "text")


def _block_unscanned(args: argparse.Namespace, config: RepositoryConfig) -> bool:
    return bool(args.fail_on_unscanned or config.fail_on_unscanned)


def read_paths(
    paths: Sequence[str],
    stdin: BinaryIO | None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    ocr: OcrClock | None = None,
    send_up_to: int = 0,
) -> Iterator[Content]:
    for path in expand_paths(paths):
        yield read_content(path, stdin=stdin if path == STDIN else None, limits=limits, ocr=ocr, send_up_to=send_up_to)
