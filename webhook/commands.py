"""`gate serve`, `gate token new` and `gate audit export`: the server's side of the
command line, which `gate.cli` loads only when one of them runs."""

from __future__ import annotations

import argparse
import csv
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
from webhook.audit import COLUMNS, open_audit_store
from webhook.auth import token_hash
from webhook.config import DEFAULT_BIND, DEFAULT_WORKERS, load_server_config


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
    audit = commands.add_parser("audit", help=SERVER_COMMANDS["audit"])
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_commands.add_parser("export", help="export an organisation's decisions")
    export.add_argument("--config", metavar="PATH", required=True)
    export.add_argument("--org", required=True)
    export.add_argument("--since", type=parse_date, metavar="YYYY-MM-DD")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    return parser


def main(argv: Sequence[str], environ: Mapping[str, str], stdout: TextIO) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args, environ)
    if args.command == "token":
        return new_token(args.org, stdout)
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
        f'in the server configuration, [orgs.{org}]:\ntoken_sha256 = ["{token_hash(token)}"]\n'
    )
    return 0


def export_audit(args: argparse.Namespace, environ: Mapping[str, str], stdout: TextIO) -> int:
    config = load_server_config(Path(args.config), environ)
    if args.org not in config.orgs:
        raise GateError(f"{args.config}: no organisation {args.org!r}")
    rows = open_audit_store(config, create=False).export(args.org, args.since.isoformat() if args.since else "")
    if args.format == "json":
        stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    writer = csv.writer(stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([json.dumps(row[column]) if column == "findings" else row[column] for column in COLUMNS])
    return 0
