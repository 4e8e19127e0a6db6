"""Decisions a second of the webhook with each audit store: SQLite (synchronous full and
normal) and a real PostgreSQL server on this machine, durable (fsync and synchronous
commit on, as in production), all under the same gunicorn and the same load."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.data import generate_identifiers, planted_names, write_wordlist
from bench.webhook import CLIENT_PROCESSES, CLIENT_THREADS, Load, measure_gate

AUDIT_STORES_HEADING = "## Audit stores: decisions a second"
IDENTIFIERS = 1000


def postgres_version() -> str:
    from tests.support.postgres import postgres_bin

    programs = postgres_bin()
    if programs is None:
        return "not installed"
    return subprocess.run(
        [str(programs / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def measure_audit_stores(folder: Path, seconds: float) -> list[Load]:
    """The same 2 KB post that names a client, checked and recorded by each store."""
    from tests.support.postgres import postgres_server

    rows = generate_identifiers(IDENTIFIERS)
    wordlist = folder / "wordlist"
    write_wordlist(wordlist, rows)
    name = planted_names(rows)[0]
    results = []
    for sync in ("full", "normal"):
        load, _ = measure_gate(wordlist, name, seconds=seconds, folder=folder, audit_sync=sync)
        results.append(load._replace(server=f"SQLite, audit_sync {sync}"))
    with postgres_server(durable=True) as server:
        load, _ = measure_gate(wordlist, name, seconds=seconds, folder=folder, audit_db=server.new_database())
        results.append(load._replace(server="PostgreSQL on 127.0.0.1 (fsync and synchronous_commit on)"))
    return results


def render_audit_stores(results: list[Load], seconds: float, command: str, revision: str, version: str) -> str:
    base = results[0].per_second
    lines = [
        AUDIT_STORES_HEADING,
        "",
        f"`{command}` {revision}: gunicorn with `webhook/gunicorn.conf.py` (2 sync workers), "
        f"{IDENTIFIERS:,} identifiers, one 2 KB post that names a client per request, {seconds:g} s of load from "
        f"{CLIENT_PROCESSES} client processes × {CLIENT_THREADS} threads on 127.0.0.1, the database on the same "
        f"2 cores ({version}). Every decision is committed before it is answered.",
        "",
        "| audit store | decisions/s | p50 ms | p99 ms | ÷ SQLite full |",
        "|---|---:|---:|---:|---:|",
    ]
    for load in results:
        lines.append(
            f"| {load.server} | {load.per_second:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | "
            f"{load.per_second / base:.2f} |"
        )
    return "\n".join(lines) + "\n"
