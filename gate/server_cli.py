"""`gate serve`, `gate token new` and `gate audit export`: the server's side of the CLI."""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import sys
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import TextIO

from gate.errors import GateError


def run(args: argparse.Namespace, environ: Mapping[str, str], stdout: TextIO) -> int:
    if args.command == "serve":
        return serve(args, environ)
    if args.command == "token":
        return new_token(args.org, stdout)
    return export_audit(args, environ, stdout)


def serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Exactly the documented gunicorn command, for people who do not know gunicorn."""
    config = args.config or environ.get("GATE_CONFIG")
    if not config:
        raise GateError("no configuration: pass --config PATH or set GATE_CONFIG")
    from webhook.config import load_server_config

    load_server_config(Path(config), environ)  # a configuration error stops here, plainly
    spec = find_spec("webhook")
    if spec is None or spec.origin is None:
        raise GateError("the webhook package is not installed")
    conf = str(Path(spec.origin).with_name("gunicorn.conf.py"))
    env = {**environ, "GATE_CONFIG": str(Path(config).resolve()), "GATE_BIND": args.bind,
           "GATE_WORKERS": str(args.workers)}
    command = [sys.executable, "-m", "gunicorn", "-c", conf, "webhook:create_app()"]
    os.execvpe(command[0], command, env)


def new_token(org: str, stdout: TextIO) -> int:
    from webhook.auth import token_hash

    token = secrets.token_urlsafe(32)
    stdout.write(
        f"token (give it to the scheduler of {org}; it is not shown again):\n{token}\n\n"
        f"in the server configuration, [orgs.{org}]:\ntoken_sha256 = [\"{token_hash(token)}\"]\n"
    )
    return 0


def export_audit(args: argparse.Namespace, environ: Mapping[str, str], stdout: TextIO) -> int:
    from webhook.audit import COLUMNS, AuditLog
    from webhook.config import load_server_config

    config = load_server_config(Path(args.config), environ)
    if args.org not in config.orgs:
        raise GateError(f"{args.config}: no organisation {args.org!r}")
    if not config.audit_db.exists():
        raise GateError(f"{config.audit_db}: no audit log yet")
    rows = AuditLog(config.audit_db).export(args.org, args.since.isoformat() if args.since else "")
    if args.format == "json":
        stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    writer = csv.writer(stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([json.dumps(row[column]) if column == "findings" else row[column] for column in COLUMNS])
    return 0
