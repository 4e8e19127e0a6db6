"""The audit store in a PostgreSQL database (psycopg 3), shared by every worker of every
host: one log, one count of failed sign-ins, and a webhook id spent on one host is spent
on all of them.

The URL is `server.audit_db` (`postgresql://user@host:port/database`); a password is best
kept out of the configuration file, in `PGPASSWORD` or a file named by `PGPASSFILE`,
which libpq reads. Every call runs in a transaction of its own; a connection that failed
is dropped and opened again on the next call, so a database that comes back is used again
without a restart, and while it is down every call raises (the webhook answers 503).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import Any

import psycopg

from gate.errors import GateError
from webhook.audit.sql import SQLStore
from webhook.audit.store import (
    ADDED_COLUMNS,
    AuditQuery,
    Counts,
)

CONNECT_TIMEOUT_SECONDS = 5
# A statement that waits longer than this (a lock, a database in trouble) fails: the
# request then answers 503 rather than holding a worker until gunicorn kills it.
STATEMENT_TIMEOUT_MS = 10_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    row_id BIGSERIAL PRIMARY KEY,
    time TEXT COLLATE "C" NOT NULL,
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
CREATE TABLE IF NOT EXISTS webhook_ids (
    org TEXT NOT NULL,
    id TEXT NOT NULL,
    seen_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (org, id)
);
CREATE TABLE IF NOT EXISTS console_events (
    row_id BIGSERIAL PRIMARY KEY,
    time TEXT COLLATE "C" NOT NULL,
    officer TEXT NOT NULL,
    org TEXT NOT NULL,
    event TEXT NOT NULL,
    page TEXT NOT NULL,
    address TEXT NOT NULL,
    attempt TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS console_events_event_time ON console_events (event, time);
"""
# Times are ISO 8601 text, compared as bytes ("C"): a language's collation may weigh
# punctuation differently and put 10:00 after 9:59.5 out of order.
TABLES = ("decisions", "webhook_ids", "console_events")
# Two hosts starting at once would both create the tables: one waits for the other.
_SCHEMA_LOCK = 0x6761_7465  # "gate"


class PostgresAuditStore(SQLStore):
    """An AuditStore in a PostgreSQL database. Without `create`, the tables must exist (a
    reader such as `gate audit export`); with it, they are made where missing."""

    mark = "%s"
    row_order = "row_id"

    def __init__(self, url: str, *, create: bool = True) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._connection: psycopg.Connection[Any] | None = None
        self._owner = 0
        where = _redacted_url(url)
        try:
            psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.ProgrammingError:
            # libpq's own words would quote the URL, password and all.
            raise GateError(f"{where}: server.audit_db is not a PostgreSQL URL that libpq can read") from None
        try:
            with contextlib.closing(self._connect()) as connection, connection.transaction():
                encoding = connection.execute("SHOW server_encoding").fetchone()
                if encoding != ("UTF8",):
                    raise GateError(f"{where}: the audit database must be UTF8 (it is {encoding and encoding[0]})")
                # Made only where missing: a role that may only read and write the tables
                # (not create them) starts once the database's owner has made them.
                if not all(self._has_table(connection, table) for table in TABLES):
                    if not create:
                        raise GateError(f"{where}: no audit log yet")
                    connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                    for statement in filter(str.strip, SCHEMA.split(";")):
                        connection.execute(statement.encode())
                elif create:
                    _add_missing_columns(connection)
        except psycopg.Error as error:
            raise GateError(f"{where}: cannot open the audit database ({_reason(error, url)})") from None

    @staticmethod
    def _has_table(connection: psycopg.Connection[Any], table: str) -> bool:
        return connection.execute("SELECT to_regclass(%s)", (table,)).fetchone() != (None,)

    def _connect(self) -> psycopg.Connection[Any]:
        # Autocommit: each transaction() is an explicit BEGIN ... COMMIT, and the look that
        # a connection is alive (below) is not the start of one.
        return psycopg.connect(
            self._url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
            application_name="client-confidentiality-gate",
            # A database that stops answering (a network that drops packets) is noticed
            # within seconds, not when gunicorn kills the worker: the request answers 503.
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=3,
            tcp_user_timeout=CONNECT_TIMEOUT_SECONDS * 2000,
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """This process's connection, in a transaction that commits or rolls back."""
        with self._lock:
            if self._connection is not None and self._owner == os.getpid() and not _alive(self._connection):
                self._connection.close()  # the server restarted, or dropped it: a new one
                self._connection = None
            if self._connection is None or self._owner != os.getpid():
                # Not across a fork: a connection belongs to the process that opened it.
                self._connection, self._owner = self._connect(), os.getpid()
            connection = self._connection
            try:
                with connection.transaction():
                    yield connection
            except (psycopg.OperationalError, psycopg.InterfaceError):
                connection.close()
                self._connection = None
                raise

    def has_kind(self) -> str:
        return "findings::jsonb @> jsonb_build_array(jsonb_build_object('kind', %s::text))"

    def counts(self, org: str, query: AuditQuery) -> Counts:
        where, values = self.where(org, query)
        blocked = f"FROM decisions, jsonb_array_elements(findings::jsonb) AS item WHERE {where} AND decision = 'block'"
        with self.transaction() as connection:
            days = connection.execute(
                f"SELECT left(time, 10), decision, count(*) FROM decisions WHERE {where} GROUP BY 1, 2", values
            ).fetchall()
            kinds = connection.execute(
                f"SELECT item ->> 'kind', count(*) {blocked} AND item ? 'kind' GROUP BY 1", values
            ).fetchall()
            clients = connection.execute(
                "SELECT client, count(*) FROM (SELECT DISTINCT row_id, item ->> 'client_id' AS client "
                f"{blocked} AND item ? 'client_id') AS named GROUP BY client",
                values,
            ).fetchall()
        return Counts(
            [(day, decision, int(count)) for day, decision, count in days],
            [(kind, int(count)) for kind, count in kinds],
            [(client, int(count)) for client, count in clients],
        )


def _add_missing_columns(connection: psycopg.Connection[Any]) -> None:
    """Columns added to the tables since a log was made (ADDED_COLUMNS), where missing:
    only then is the owner's privilege needed, so a writer role starts on an up-to-date log."""
    present = set(
        connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        ).fetchall()
    )
    for table, column, declaration in ADDED_COLUMNS:
        if (table, column) not in present:
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            connection.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {declaration}".encode())


def _alive(connection: psycopg.Connection[Any]) -> bool:
    """One round trip (a tenth of a millisecond on one machine): after a restart of the
    database, a connection kept from before fails only when used."""
    if connection.closed:
        return False
    try:
        connection.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _redacted_url(url: str) -> str:
    """The database's host and name, never the rest of its URL (which may hold a password)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "audit_db"
    return f"postgresql://{info.get('host') or 'localhost'}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def _reason(error: psycopg.Error, url: str) -> str:
    """The error's first line (a refused connection, a role without a privilege), never
    the URL or its password."""
    line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    try:
        password = psycopg.conninfo.conninfo_to_dict(url).get("password")
    except psycopg.Error:
        password = None
    for secret in (url, password):
        if secret:
            line = line.replace(str(secret), "***")
    return line
