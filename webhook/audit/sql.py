"""What the SQLite and the PostgreSQL stores share: the SQL of every call, written once.

A store of either kind says how a parameter is marked (`?` or `%s`), which column orders
rows as they were written, how it looks into a row's findings for a kind, and how it
counts them (each database reads JSON with functions of its own); it also opens its
connections and transactions. Both databases take the rest as it is: `INSERT ... ON
CONFLICT DO NOTHING`, `RETURNING`, and aggregates with `FILTER`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from webhook.audit.store import COLUMNS, EVERY_DECISION, AuditQuery, ConsoleEvent, Counts, Decision, SignInFailures
from webhook.replay import REPLAY_WINDOW_SECONDS, Replayed, ReplayKey

EXPORT_BATCH = 1000  # rows read at a time: an export of millions is never held whole
EVENT_COLUMNS = ("time", "officer", "org", "event", "page", "address", "attempt")


class SQLStore:
    mark = "?"  # how a parameter is written in the database's SQL
    row_order = "rowid"  # the column that orders rows as they were written
    columns = ", ".join(COLUMNS)  # what a decision is read as (an older SQLite log: some defaulted)

    def transaction(self) -> AbstractContextManager[Any]:
        """A connection in a transaction that commits, or rolls back on an error."""
        raise NotImplementedError

    def has_kind(self) -> str:
        """The condition that a decision has a finding of the kind given as a parameter."""
        raise NotImplementedError

    def counts(self, org: str, query: AuditQuery) -> Counts:
        raise NotImplementedError

    def record(self, decisions: Sequence[Decision], *, spend: ReplayKey | None = None) -> None:
        now, mark = time.time(), self.mark
        with self.transaction() as connection:
            if spend is not None:
                connection.execute(f"DELETE FROM webhook_ids WHERE seen_at < {mark}", (now - REPLAY_WINDOW_SECONDS,))
                spent = connection.execute(
                    f"INSERT INTO webhook_ids VALUES ({mark}, {mark}, {mark}) ON CONFLICT DO NOTHING", (*spend, now)
                )
                if spent.rowcount == 0:
                    raise Replayed(spend.id)  # the transaction rolls back: nothing of this request is kept
            connection.cursor().executemany(
                f"INSERT INTO decisions ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))})", decisions
            )

    def seen(self, key: ReplayKey) -> bool:
        mark = self.mark
        with self.transaction() as connection:
            row = connection.execute(
                f"SELECT 1 FROM webhook_ids WHERE org = {mark} AND id = {mark} AND seen_at >= {mark}",
                (*key, time.time() - REPLAY_WINDOW_SECONDS),
            ).fetchone()
        return row is not None

    def export(self, org: str, query: AuditQuery = EVERY_DECISION) -> list[dict[str, Any]]:
        return list(self.export_rows(org, query))

    def export_rows(self, org: str, query: AuditQuery = EVERY_DECISION) -> Iterator[dict[str, Any]]:
        where, values = self.where(org, query)
        with self.transaction() as connection:
            cursor = connection.execute(
                f"SELECT {self.columns} FROM decisions WHERE {where} ORDER BY time, {self.row_order}", values
            )
            while rows := cursor.fetchmany(EXPORT_BATCH):
                yield from (_decision(row) for row in rows)

    def page(self, org: str, query: AuditQuery, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        where, values = self.where(org, query)
        with self.transaction() as connection:
            (total,) = connection.execute(f"SELECT count(*) FROM decisions WHERE {where}", values).fetchone()
            rows = connection.execute(
                f"SELECT {self.columns} FROM decisions WHERE {where} "
                f"ORDER BY time DESC, {self.row_order} DESC LIMIT {self.mark} OFFSET {self.mark}",
                (*values, limit, offset),
            ).fetchall()
        return [_decision(row) for row in rows], int(total)

    def record_event(self, event: ConsoleEvent) -> int:
        marks = ", ".join([self.mark] * len(EVENT_COLUMNS))
        with self.transaction() as connection:
            (number,) = connection.execute(
                f"INSERT INTO console_events ({', '.join(EVENT_COLUMNS)}) VALUES ({marks}) RETURNING {self.row_order}",
                event,
            ).fetchone()
        return int(number)

    def change_event(self, number: int, event: str) -> None:
        with self.transaction() as connection:
            connection.execute(
                f"UPDATE console_events SET event = {self.mark} WHERE {self.row_order} = {self.mark}", (event, number)
            )

    def failed_sign_ins(self, attempt: str, address: str, since: str) -> SignInFailures:
        mark = self.mark
        with self.transaction() as connection:
            row = connection.execute(
                f"SELECT count(*) FILTER (WHERE attempt = {mark}), count(*) FILTER (WHERE address = {mark}), "
                f"count(*) FILTER (WHERE attempt = {mark} AND address = {mark}) "
                f"FROM console_events WHERE event = 'sign_in_failed' AND time >= {mark}",
                (attempt, address, attempt, address, since),
            ).fetchone()
        return SignInFailures(*(int(count) for count in row))

    def last_sign_out(self, officer: str) -> str:
        with self.transaction() as connection:
            (last,) = connection.execute(
                f"SELECT max(time) FROM console_events WHERE event = 'sign_out' AND officer = {self.mark}", (officer,)
            ).fetchone()
        return str(last or "")

    def purge(self, before: str) -> tuple[int, int]:
        with self.transaction() as connection:
            decisions = connection.execute(f"DELETE FROM decisions WHERE time < {self.mark}", (before,)).rowcount
            events = connection.execute(f"DELETE FROM console_events WHERE time < {self.mark}", (before,)).rowcount
        return int(decisions), int(events)

    def where(self, org: str, query: AuditQuery) -> tuple[str, tuple[str, ...]]:
        """The condition that a decision is one of `org`'s that `query` matches, and its values."""
        mark = self.mark
        since, until = query.bounds()
        clauses, values = [f"org = {mark}", f"time >= {mark}", f"time < {mark}"], [org, since, until]
        for column in ("decision", "post_id", "source"):
            if getattr(query, column):
                clauses.append(f"{column} = {mark}")
                values.append(getattr(query, column))
        if query.kind:
            clauses.append(self.has_kind())
            values.append(query.kind)
        return " AND ".join(clauses), tuple(values)


def _decision(row: Sequence[Any]) -> dict[str, Any]:
    return {**dict(zip(COLUMNS, row, strict=True)), "findings": json.loads(row[COLUMNS.index("findings")])}
