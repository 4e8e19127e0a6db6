"""The audit store in one SQLite file (WAL), shared by every worker."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from gate.errors import GateError
from webhook.audit.store import COLUMNS, EVERY_DECISION, AuditQuery, ConsoleEvent, Decision
from webhook.replay import REPLAY_WINDOW_SECONDS, Replayed, ReplayKey

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    time TEXT NOT NULL,
    request_id TEXT NOT NULL,
    org TEXT NOT NULL,
    post_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    content_hmac TEXT NOT NULL,
    findings TEXT NOT NULL,
    wordlist_version TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'webhook'
);
CREATE INDEX IF NOT EXISTS decisions_org_time ON decisions (org, time);
CREATE TABLE IF NOT EXISTS console_events (
    time TEXT NOT NULL,
    officer TEXT NOT NULL,
    org TEXT NOT NULL,
    event TEXT NOT NULL,
    page TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS console_events_event_time ON console_events (event, time);
CREATE TABLE IF NOT EXISTS webhook_ids (
    org TEXT NOT NULL,
    id TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (org, id)
);
"""


class SQLiteAuditStore:
    """An AuditStore in one SQLite file in WAL mode, shared by every worker.

    Each process keeps one connection (opening one per request cost more than the whole
    check): a connection must not cross a fork, so it belongs to the process that opened
    it, and one that failed is closed and opened anew on the next call.

    `sync` is SQLite's synchronous setting: "full" (the default) syncs every commit to
    disk, so an answered decision survives a power loss; "normal" syncs at checkpoints
    only, which survives a crash of the server but not of the machine, and makes a
    commit about ten times cheaper. `timeout` is how long a write waits for another
    worker's lock. Without `create`, a missing file is an error (GateError).
    """

    def __init__(self, path: Path, *, timeout: float = 5.0, sync: str = "full", create: bool = True) -> None:
        if not create and not path.exists():
            raise GateError(f"{path}: no audit log yet")
        self._path = path
        self.timeout = timeout
        self._sync = sync
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._owner = 0  # the pid that opened self._connection
        self._file: tuple[int, int] | None = None  # the device and inode it opened
        # Not this process's connection: the app is created before gunicorn forks.
        # The log says who was checked when and which clients' ids were found: only the
        # server's user may read it. The file is created 0600 before SQLite opens it (a
        # umask would change the whole process's), and SQLite gives the -wal and -shm
        # files the database's permissions.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        with contextlib.closing(sqlite3.connect(path, timeout=timeout)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            _add_source_column(connection)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """This process's connection, in a transaction that commits or rolls back."""
        with self._lock:
            identity = self._identity()
            if self._connection is not None and self._file != identity:
                # Removed or replaced (rotated) under us: writing on would log into a file
                # no one can read. Reopen: a missing file then fails, closed, below.
                self._connection.close()
                self._connection = None
            if self._connection is None or self._owner != os.getpid():
                if identity is None:
                    raise sqlite3.OperationalError("the audit database is missing")
                self._connection = sqlite3.connect(self._path, timeout=self.timeout, check_same_thread=False)
                self._connection.execute(f"PRAGMA synchronous={self._sync.upper()}")
                self._owner, self._file = os.getpid(), identity
            connection = self._connection
            try:
                with connection:
                    yield connection
            except sqlite3.Error:
                connection.close()
                self._connection = None
                raise

    def _identity(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self._path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    def record(self, decisions: Sequence[Decision], *, spend: ReplayKey | None = None) -> None:
        now = time.time()
        with self.transaction() as connection:
            if spend is not None:
                connection.execute("DELETE FROM webhook_ids WHERE seen_at < ?", (now - REPLAY_WINDOW_SECONDS,))
                try:
                    connection.execute("INSERT INTO webhook_ids VALUES (?, ?, ?)", (*spend, now))
                except sqlite3.IntegrityError:
                    raise Replayed(spend.id) from None
            connection.executemany(
                f"INSERT INTO decisions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                decisions,
            )

    def seen(self, key: ReplayKey) -> bool:
        with self.transaction() as connection:
            row = connection.execute(
                "SELECT 1 FROM webhook_ids WHERE org = ? AND id = ? AND seen_at >= ?",
                (*key, time.time() - REPLAY_WINDOW_SECONDS),
            ).fetchone()
        return row is not None

    def export(self, org: str, query: AuditQuery = EVERY_DECISION) -> list[dict[str, Any]]:
        where, values = _where(org, query)
        with self.transaction() as connection:
            rows = connection.execute(
                f"SELECT {', '.join(COLUMNS)} FROM decisions WHERE {where} ORDER BY time, rowid", values
            ).fetchall()
        return [_row(row) for row in rows]

    def page(self, org: str, query: AuditQuery, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        where, values = _where(org, query)
        with self.transaction() as connection:
            (total,) = connection.execute(f"SELECT count(*) FROM decisions WHERE {where}", values).fetchone()
            rows = connection.execute(
                f"SELECT {', '.join(COLUMNS)} FROM decisions WHERE {where} "
                "ORDER BY time DESC, rowid DESC LIMIT ? OFFSET ?",
                (*values, limit, offset),
            ).fetchall()
        return [_row(row) for row in rows], int(total)

    def record_event(self, event: ConsoleEvent) -> None:
        with self.transaction() as connection:
            connection.execute("INSERT INTO console_events VALUES (?, ?, ?, ?, ?, ?)", event)

    def failed_sign_ins(self, officer: str, address: str, since: str) -> tuple[int, int]:
        with self.transaction() as connection:
            by_officer, by_address = connection.execute(
                "SELECT coalesce(sum(officer = ?), 0), coalesce(sum(address = ?), 0) FROM console_events "
                "WHERE event = 'sign_in_failed' AND time >= ?",
                (officer, address, since),
            ).fetchone()
        return int(by_officer), int(by_address)

    def purge(self, before: str) -> tuple[int, int]:
        with self.transaction() as connection:
            decisions = connection.execute("DELETE FROM decisions WHERE time < ?", (before,)).rowcount
            events = connection.execute("DELETE FROM console_events WHERE time < ?", (before,)).rowcount
        return decisions, events


def _where(org: str, query: AuditQuery) -> tuple[str, tuple[str, ...]]:
    """The SQL condition for `query`'s decisions of `org`, and its values."""
    since, until = query.bounds()
    clauses, values = ["org = ?", "time >= ?", "time < ?"], [org, since, until]
    for column in ("decision", "post_id"):
        if getattr(query, column):
            clauses.append(f"{column} = ?")
            values.append(getattr(query, column))
    if query.kind:
        clauses.append(
            "EXISTS (SELECT 1 FROM json_each(decisions.findings) WHERE json_extract(json_each.value, '$.kind') = ?)"
        )
        values.append(query.kind)
    return " AND ".join(clauses), tuple(values)


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    return {**dict(zip(COLUMNS, row, strict=True)), "findings": json.loads(row[COLUMNS.index("findings")])}


def _add_source_column(connection: sqlite3.Connection) -> None:
    """A log written before decisions said who asked: its rows were all the webhook's."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(decisions)")}
    if "source" not in columns:
        with connection:
            connection.execute("ALTER TABLE decisions ADD COLUMN source TEXT NOT NULL DEFAULT 'webhook'")
