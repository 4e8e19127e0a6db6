"""The audit store in one SQLite file (WAL), shared by every worker."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from gate.errors import GateError
from webhook.audit.sql import SQLStore
from webhook.audit.store import (
    ADDED_COLUMNS,
    COLUMNS,
    AuditQuery,
    Counts,
)

MIN_SQLITE = (3, 35)  # RETURNING and FILTER (webhook/audit/sql.py)
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
    address TEXT NOT NULL,
    attempt TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS console_events_event_time ON console_events (event, time);
CREATE TABLE IF NOT EXISTS webhook_ids (
    org TEXT NOT NULL,
    id TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (org, id)
);
"""


class SQLiteAuditStore(SQLStore):
    """An AuditStore in one SQLite file in WAL mode, shared by every worker.

    Each process keeps one connection (opening one per request cost more than the whole
    check): a connection must not cross a fork, so it belongs to the process that opened
    it, and one that failed is closed and opened anew on the next call.

    `sync` is SQLite's synchronous setting: "full" (the default) syncs every commit to
    disk, so an answered decision survives a power loss; "normal" syncs at checkpoints
    only, which survives a crash of the server but not of the machine, and makes a
    commit about ten times cheaper. `timeout` is how long a write waits for another
    worker's lock. Without `create`, a missing file is an error (GateError); `readonly`
    (a reader: `gate audit export`) opens the file as it is, read-only: its mode, its
    tables and the server's writes are left alone.
    """

    def __init__(
        self, path: Path, *, timeout: float = 5.0, sync: str = "full", create: bool = True, readonly: bool = False
    ) -> None:
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise GateError(f"the audit log needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer")
        if (readonly or not create) and not path.exists():
            raise GateError(f"{path}: no audit log yet")
        self._path = path
        self.timeout = timeout
        self._sync = sync
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._owner = 0  # the pid that opened self._connection
        self._file: tuple[int, int] | None = None  # the device and inode it opened
        self._readonly = readonly
        if readonly:
            try:
                with contextlib.closing(self._open()) as connection:
                    self.columns = _readable_columns(connection)
            except sqlite3.Error as error:
                raise GateError(f"{path}: cannot read the audit log ({error})") from None
            return
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
            _add_missing_columns(connection)

    def _open(self) -> sqlite3.Connection:
        if self._readonly:
            return sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=ro", uri=True, timeout=self.timeout)
        return sqlite3.connect(self._path, timeout=self.timeout, check_same_thread=False)

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
                self._connection = self._open()
                if not self._readonly:
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

    def has_kind(self) -> str:
        return "EXISTS (SELECT 1 FROM json_each(decisions.findings) WHERE json_extract(json_each.value, '$.kind') = ?)"

    def counts(self, org: str, query: AuditQuery) -> Counts:
        where, values = self.where(org, query)
        blocked = f"FROM decisions, json_each(decisions.findings) AS item WHERE {where} AND decision = 'block'"
        with self.transaction() as connection:
            days = connection.execute(
                f"SELECT substr(time, 1, 10), decision, count(*) FROM decisions WHERE {where} GROUP BY 1, 2", values
            ).fetchall()
            kinds = connection.execute(
                f"SELECT json_extract(item.value, '$.kind') AS kind, count(*) {blocked} AND kind IS NOT NULL "
                "GROUP BY kind",
                values,
            ).fetchall()
            clients = connection.execute(
                "SELECT client, count(*) FROM (SELECT DISTINCT decisions.rowid, "
                f"json_extract(item.value, '$.client_id') AS client {blocked} AND client IS NOT NULL) GROUP BY client",
                values,
            ).fetchall()
        return Counts(days, kinds, clients)


def _add_missing_columns(connection: sqlite3.Connection) -> None:
    for table, column, declaration in ADDED_COLUMNS:
        if column not in _table_columns(connection, table):
            with connection:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def _readable_columns(connection: sqlite3.Connection) -> str:
    """The SELECT list of COLUMNS for a log opened read-only, a column it predates read as
    its default."""
    present = _table_columns(connection, "decisions")
    if not present:
        raise sqlite3.OperationalError("no decisions table")
    defaults = {
        column: declaration.rsplit("DEFAULT ", 1)[1]
        for table, column, declaration in ADDED_COLUMNS
        if table == "decisions"
    }
    return ", ".join(column if column in present else f"{defaults[column]} AS {column}" for column in COLUMNS)


def _table_columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
