"""The audit log: every decision, in SQLite, without the post's text or any matched value."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    time TEXT NOT NULL,
    request_id TEXT NOT NULL,
    org TEXT NOT NULL,
    post_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    content_hmac TEXT NOT NULL,
    findings TEXT NOT NULL,
    wordlist_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_org_time ON decisions (org, time);
CREATE TABLE IF NOT EXISTS webhook_ids (
    org TEXT NOT NULL,
    id TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (org, id)
);
"""
# One 1 MB request once wrote a 3.2 MB audit row: thousands of findings, each naming a long
# pointer. A row proves what was decided and why, not every place: it lists this many
# findings and counts the rest, and bounds what the sender chose the length of.
MAX_FINDINGS_PER_ROW = 50
MAX_FIELD_CHARS = 200  # a JSON pointer; a post nests at most max_depth levels, of any key length
MAX_ID_CHARS = 128  # a post id or request id: enough for a UUID, a URL slug or a database key
COLUMNS = ("time", "request_id", "org", "post_id", "decision", "content_hmac", "findings", "wordlist_version")
REPLAY_WINDOW_SECONDS = 600


class Decision(NamedTuple):
    time: str
    request_id: str
    org: str
    post_id: str
    decision: str
    content_hmac: str
    findings: str  # JSON list of {"client_id", "kind", "field"}
    wordlist_version: str


class Replayed(Exception):
    """The webhook id was recorded by another request first: nothing of this one is."""


def bounded(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the cut marked."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def findings_json(findings: Sequence[dict[str, str]]) -> str:
    """The findings of a row, the first MAX_FINDINGS_PER_ROW, and how many more there were."""
    listed: list[dict[str, Any]] = list(findings[:MAX_FINDINGS_PER_ROW])
    if len(findings) > MAX_FINDINGS_PER_ROW:
        listed.append({"omitted": len(findings) - MAX_FINDINGS_PER_ROW})
    return json.dumps(listed)


def content_hmac(key: bytes, canonical_post: bytes) -> str:
    """A keyed hash: proves which content was checked without making it guessable."""
    return hmac.new(key, canonical_post, hashlib.sha256).hexdigest()


def now_utc() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


class AuditLog:
    """One SQLite file in WAL mode, shared by every worker.

    Each process keeps one connection (opening one per request cost more than the whole
    check): a connection must not cross a fork, so it belongs to the process that opened
    it, and one that failed is closed and opened anew on the next call.

    `sync` is SQLite's synchronous setting: "full" (the default) syncs every commit to
    disk, so an answered decision survives a power loss; "normal" syncs at checkpoints
    only, which survives a crash of the server but not of the machine, and makes a
    commit about ten times cheaper.
    """

    def __init__(self, path: Path, *, timeout: float = 5.0, sync: str = "full") -> None:
        self._path = path
        self._timeout = timeout  # how long a write waits for another worker's lock
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

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
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
                self._connection = sqlite3.connect(self._path, timeout=self._timeout, check_same_thread=False)
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

    def record(
        self, decisions: Sequence[Decision], *, webhook_id: tuple[str, str] | None = None, now: float | None = None
    ) -> None:
        """All of a request's decisions, or none (sqlite3.Error propagates). With a
        webhook id (org, id), the id is recorded in the same transaction: if another
        request recorded it first, Replayed, and nothing of this one is written."""
        now = time.time() if now is None else now
        with self._connect() as connection:
            if webhook_id is not None:
                connection.execute("DELETE FROM webhook_ids WHERE seen_at < ?", (now - REPLAY_WINDOW_SECONDS,))
                try:
                    connection.execute("INSERT INTO webhook_ids VALUES (?, ?, ?)", (*webhook_id, now))
                except sqlite3.IntegrityError:
                    raise Replayed(webhook_id[1]) from None
            connection.executemany(
                f"INSERT INTO decisions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                decisions,
            )

    def seen(self, org: str, message_id: str, *, now: float | None = None) -> bool:
        """True if a completed check recorded this webhook id, in any worker. Only a check:
        the id is recorded with the decisions (record), so that a scheduler may retry a
        check that did not complete."""
        now = time.time() if now is None else now
        with self._connect() as connection:
            row = connection.execute(
                "SELECT 1 FROM webhook_ids WHERE org = ? AND id = ? AND seen_at >= ?",
                (org, message_id, now - REPLAY_WINDOW_SECONDS),
            ).fetchone()
        return row is not None

    def export(self, org: str, since: str = "") -> list[dict[str, Any]]:
        with self._connect() as connection:
            rows = connection.execute(
                f"SELECT {', '.join(COLUMNS)} FROM decisions WHERE org = ? AND time >= ? ORDER BY time, rowid",
                (org, since),
            ).fetchall()
        return [
            {**dict(zip(COLUMNS, row)), "findings": json.loads(row[COLUMNS.index("findings")])}
            for row in rows
        ]
