"""The audit trail: every decision, kept by the store that `server.audit_db` names.

What a store keeps and does is store.py, and what a row holds is row.py (their names that
the rest of the webhook uses are this package's); each kind of store is a module beside
them, chosen by `open_audit_store`.
"""

from __future__ import annotations

from gate.errors import GateError
from webhook.audit.reports import (
    SUMMARY_DAYS,
    Summary,
    csv_lines,
    summarize,
    summary_json,
    summary_text,
    write_csv,
    write_json,
)
from webhook.audit.row import MAX_ID_CHARS, decision_row
from webhook.audit.sqlite import SQLiteAuditStore
from webhook.audit.store import (
    COLUMNS,
    CONSOLE_EVENTS,
    MAX_QUERY_DAYS,
    SOURCES,
    AuditQuery,
    AuditStore,
    ConsoleEvent,
    Counts,
    Decision,
    SignInFailures,
)
from webhook.config import ServerConfig

__all__ = [
    "COLUMNS",
    "CONSOLE_EVENTS",
    "MAX_ID_CHARS",
    "MAX_QUERY_DAYS",
    "SOURCES",
    "SUMMARY_DAYS",
    "AuditQuery",
    "AuditStore",
    "ConsoleEvent",
    "Counts",
    "Decision",
    "SignInFailures",
    "Summary",
    "csv_lines",
    "decision_row",
    "open_audit_store",
    "summarize",
    "summary_json",
    "summary_text",
    "write_csv",
    "write_json",
]


POSTGRES_SCHEMES = ("postgresql", "postgres")


def open_audit_store(config: ServerConfig, *, create: bool = True, readonly: bool = False) -> AuditStore:
    """The store for `config.audit_db`: a SQLite file for a path, a PostgreSQL database for
    a `postgresql://` URL (psycopg, which the `[postgres]` extra brings). Its tables are
    created unless `create` is false (`gate audit purge`) or it is only read
    (`readonly`: `gate audit export`)."""
    if isinstance(config.audit_db, str):
        # Only the scheme: the rest of a database URL may hold a password.
        scheme = config.audit_db.partition("://")[0]
        if scheme.lower() not in POSTGRES_SCHEMES:
            raise GateError(
                f"{config.source}: server.audit_db: no audit store for {scheme}:// URLs "
                "(give the path of a SQLite file, or a postgresql:// URL)"
            )
        try:
            from webhook.audit.postgres import PostgresAuditStore
        except ModuleNotFoundError as error:
            if error.name != "psycopg":
                raise
            raise GateError(
                f"{config.source}: server.audit_db: a PostgreSQL audit log needs psycopg: "
                "pip install 'client-confidentiality-gate[server,postgres]'"
            ) from None
        return PostgresAuditStore(config.audit_db, create=create and not readonly)
    return SQLiteAuditStore(config.audit_db, sync=config.audit_sync, create=create, readonly=readonly)
