"""`gate serve`, `gate token new`, `gate officer new`, `gate audit export` and `gate audit
summary`: the server's side of the command line, which `gate.cli` loads only when one of
them runs."""

from __future__ import annotations

import argparse
import datetime
import getpass
import json
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import TextIO

from gate.cli.common import SERVER_COMMANDS, SERVER_EXTRA, parse_date
from gate.errors import GateError
from gate.kinds import FINDING_KIND_NAMES
from webhook.audit import (
    MAX_QUERY_DAYS,
    SOURCES,
    SUMMARY_DAYS,
    AuditQuery,
    AuditStore,
    open_audit_store,
    summarize,
    summary_json,
    summary_text,
    write_csv,
    write_json,
)
from webhook.auth import token_hash
from webhook.config import DEFAULT_BIND, DEFAULT_WORKERS, load_server_config, table_key


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gate")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help=SERVER_COMMANDS["serve"])
    serve.add_argument("--config", metavar="PATH", help="server configuration (default: $GATE_CONFIG)")
    serve.add_argument("--bind", metavar="ADDR", default=DEFAULT_BIND, help="address:port")
    serve.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    token = commands.add_parser("token", help=SERVER_COMMANDS["token"])
    token_commands = token.add_subparsers(dest="token_command", required=True)
    new_token = token_commands.add_parser("new", help="print a new token and the line to configure")
    new_token.add_argument("--org", required=True)
    officer = commands.add_parser("officer", help=SERVER_COMMANDS["officer"])
    officer_commands = officer.add_subparsers(dest="officer_command", required=True)
    new_officer = officer_commands.add_parser("new", help="print an officer's table for the server configuration")
    new_officer.add_argument("--name", required=True)
    new_officer.add_argument("--org", required=True, action="append", help="an organisation they may see (repeat)")
    new_officer.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input, not a prompt"
    )
    audit = commands.add_parser("audit", help=SERVER_COMMANDS["audit"])
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_commands.add_parser("export", help="export an organisation's decisions")
    _audit_options(export)
    export.add_argument("--decision", choices=("approve", "block"), default="")
    export.add_argument("--kind", choices=FINDING_KIND_NAMES, default="", help="decisions with a finding of this kind")
    export.add_argument("--post-id", default="", help="as recorded (starred where it names a client)")
    export.add_argument(
        "--source", choices=SOURCES, default="", help="a scheduler's posts, or drafts checked in the console"
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    purge = audit_commands.add_parser("purge", help="delete what is older than the retention period")
    purge.add_argument("--config", metavar="PATH", required=True)
    purge.add_argument(
        "--before", type=parse_date, metavar="YYYY-MM-DD", help="this day (UTC) instead of retention_days ago"
    )
    summary = audit_commands.add_parser("summary", help="count an organisation's decisions by day, decision and kind")
    _audit_options(summary)
    summary.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _audit_options(parser: argparse.ArgumentParser) -> None:
    """What every `gate audit` command reads: the log of one organisation, between two days."""
    parser.add_argument("--config", metavar="PATH", required=True)
    parser.add_argument("--org", required=True)
    parser.add_argument("--since", type=parse_date, metavar="YYYY-MM-DD", help="from this day (UTC)")
    parser.add_argument("--until", type=parse_date, metavar="YYYY-MM-DD", help="to this day (UTC), included")


def main(argv: Sequence[str], environ: Mapping[str, str], stdout: TextIO) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args, environ)
    if args.command == "token":
        return new_token(args.org, stdout)
    if args.command == "officer":
        return new_officer(args, sys.stdin, stdout)
    if args.audit_command == "summary":
        return audit_summary(args, environ, stdout)
    if args.audit_command == "purge":
        return purge_audit(args, environ, stdout)
    return export_audit(args, environ, stdout)


def serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Exactly the documented gunicorn command, for people who do not know gunicorn."""
    missing = [name for name in ("flask", "gunicorn") if find_spec(name) is None]
    if missing:
        raise GateError(f"`gate serve` needs {' and '.join(missing)}: {SERVER_EXTRA}")
    config = args.config or environ.get("GATE_CONFIG")
    if not config:
        raise GateError("no configuration: pass --config PATH or set GATE_CONFIG")
    load_server_config(Path(config), environ)  # a configuration error stops here, plainly
    conf = str(Path(__file__).with_name("gunicorn.conf.py"))
    env = {
        **environ,
        "GATE_CONFIG": str(Path(config).resolve()),
        "GATE_BIND": args.bind,
        "GATE_WORKERS": str(args.workers),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", conf, "webhook:create_app()"]
    os.execvpe(command[0], command, env)


def new_token(org: str, stdout: TextIO) -> int:
    token = secrets.token_urlsafe(32)
    stdout.write(
        f"token (give it to the scheduler of {org}; it is not shown again):\n{token}\n\n"
        f"in the server configuration, [orgs.{table_key(org)}]:\n"
        f'token_sha256 = ["{token_hash(token)}"]\n'
    )
    return 0


def new_officer(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """The officer's table, with the hash of a password read from standard input or asked
    for twice at the terminal; the password itself is never printed."""
    if args.password_stdin:
        password = stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("the same again: ") != password:
            raise GateError("the two passwords differ")
    from webhook.officers import officer_table  # Werkzeug's, which `gate serve` checks for itself

    table = officer_table(args.name, args.org, password)
    stdout.write(f"# for the server configuration (gate.toml)\n{table}")
    return 0


def open_log(args: argparse.Namespace, environ: Mapping[str, str], query: AuditQuery) -> AuditStore:
    """The store of an existing log, opened read-only and with no secret (a compliance
    officer's machine need not hold the server's keys), once `query` makes sense."""
    if query.problem():
        raise GateError(f"--since {query.since} and --until {query.until}: {query.problem()}")
    config = load_server_config(Path(args.config), environ, secrets=False)
    if args.org not in config.orgs:
        raise GateError(f"{args.config}: no organisation {args.org!r}")
    return open_audit_store(config, readonly=True)


def export_audit(args: argparse.Namespace, environ: Mapping[str, str], stdout: TextIO) -> int:
    query = AuditQuery(args.since, args.until, args.decision, args.kind, args.post_id, args.source)
    rows = open_log(args, environ, query).export_rows(args.org, query)
    if args.format == "json":
        write_json(rows, stdout)
    else:
        write_csv(rows, stdout)
    return 0


def audit_summary(args: argparse.Namespace, environ: Mapping[str, str], stdout: TextIO) -> int:
    last = args.until or datetime.datetime.now(datetime.UTC).date()
    first = args.since or last - datetime.timedelta(days=SUMMARY_DAYS - 1)
    if (last - first).days >= MAX_QUERY_DAYS:
        raise GateError(f"--since {first} and --until {last}: a summary spans at most {MAX_QUERY_DAYS} days")
    query = AuditQuery(first, last, source="webhook")  # a scheduler's posts, not the drafts checked in the console
    summary = summarize(open_log(args, environ, query).counts(args.org, query), first, last)
    if args.format == "json":
        stdout.write(json.dumps(summary_json(summary), indent=2) + "\n")
    else:
        summary_text(summary, stdout)
    return 0


def purge_audit(args: argparse.Namespace, environ: Mapping[str, str], stdout: TextIO) -> int:
    """Every organisation's decisions and console events from before the day, deleted."""
    config = load_server_config(Path(args.config), environ, secrets=False)
    before, today = args.before, datetime.datetime.now(datetime.UTC).date()
    if before is None:
        if not config.retention_days:
            # The default: keep everything. A daily timer (deploy/) then purges nothing.
            stdout.write("nothing purged: server.retention_days is 0 (keep everything); --before DAY purges\n")
            return 0
        before = today - datetime.timedelta(days=config.retention_days)
    if before > today:
        # Today's rows include the sign-outs that end sessions: never purged.
        raise GateError(f"--before {before}: a day after today (UTC) would purge today's decisions")
    decisions, events = open_audit_store(config, create=False).purge(before.isoformat())
    stdout.write(f"purged {decisions} decisions and {events} console events from before {before.isoformat()}\n")
    return 0
