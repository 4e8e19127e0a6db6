"""What every audit store does, the same for SQLite and a real PostgreSQL server: rows kept
and read back with each filter, pages, spent webhook ids, console events and the count of
failed sign-ins, purges; and where a database that cannot be reached fails closed."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.errors import GateError
from tests.support.app import ENVIRON, write_config
from tests.support.postgres import PostgresServer
from webhook.audit import MAX_ID_CHARS, AuditQuery, AuditStore, ConsoleEvent, Decision, csv_lines, write_csv
from webhook.audit.row import bounded
from webhook.audit.sqlite import SQLiteAuditStore
from webhook.config import load_server_config
from webhook.replay import Replayed, ReplayKey


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> AuditStore:
    if request.param == "sqlite":
        return SQLiteAuditStore(tmp_path / "audit.sqlite3")
    from webhook.audit.postgres import PostgresAuditStore

    server: PostgresServer = request.getfixturevalue("postgres")
    return PostgresAuditStore(server.new_database())


def finding(client: str, kind: str) -> dict[str, str]:
    return {"client_id": client, "kind": kind, "field": "/text"}


ROWS = [
    Decision("2026-11-29T23:59:59.999+00:00", "r1", "example", "p1", "approve", "h1", "[]", "v1"),
    Decision(
        "2026-11-30T09:00:00.000+00:00",
        "r2",
        "example",
        "p2",
        "block",
        "h2",
        json.dumps([finding("EX-1", "name"), finding("EX-1", "phone")]),
        "v1",
    ),
    Decision(
        "2026-12-01T00:00:00.000+00:00",
        "r3",
        "example",
        "p3",
        "block",
        "h3",
        json.dumps([finding("EX-2", "email")]),
        "v2",
        "console",
    ),
    Decision(
        "2026-12-01T08:00:00.000+00:00", "r4", "other", "p4", "block", "h4", json.dumps([finding("OT-1", "name")]), "v1"
    ),
]
QUERIES = [
    (AuditQuery(), ["p1", "p2", "p3"]),
    (AuditQuery(decision="block"), ["p2", "p3"]),
    (AuditQuery(decision="approve"), ["p1"]),
    (AuditQuery(kind="phone"), ["p2"]),
    (AuditQuery(kind="name"), ["p2"]),
    (AuditQuery(kind="id"), []),
    (AuditQuery(post_id="p3"), ["p3"]),
    (AuditQuery(since=datetime.date(2026, 11, 30)), ["p2", "p3"]),
    (AuditQuery(until=datetime.date(2026, 11, 30)), ["p1", "p2"]),
    (
        AuditQuery(since=datetime.date(2026, 12, 1), until=datetime.date(2026, 12, 1)),
        ["p3"],
    ),
    (AuditQuery(decision="block", kind="email"), ["p3"]),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_export_gives_the_rows_a_query_matches_oldest_first(
    store: AuditStore, query: AuditQuery, expected: list[str]
) -> None:
    store.record(ROWS)
    assert [row["post_id"] for row in store.export("example", query)] == expected


def test_a_row_reads_back_as_it_was_written(store: AuditStore) -> None:
    store.record(ROWS)
    row = store.export("example", AuditQuery(post_id="p3"))[0]
    assert row == {**ROWS[2]._asdict(), "findings": [finding("EX-2", "email")]}


def test_pages_are_newest_first_with_the_total(store: AuditStore) -> None:
    store.record(
        [
            Decision(f"2026-12-01T10:00:{n:02d}.000+00:00", "r", "example", f"p{n}", "approve", "h", "[]", "v")
            for n in range(25)
        ]
    )
    first, total = store.page("example", AuditQuery(), limit=10, offset=0)
    last, _ = store.page("example", AuditQuery(), limit=10, offset=20)
    beyond, again = store.page("example", AuditQuery(), limit=10, offset=30)
    assert total == again == 25
    assert [row["post_id"] for row in first] == [f"p{n}" for n in range(24, 14, -1)]
    assert [row["post_id"] for row in last] == [f"p{n}" for n in range(4, -1, -1)]
    assert beyond == []


def test_a_spent_webhook_id_is_refused_and_nothing_of_the_replay_is_kept(store: AuditStore) -> None:
    key = ReplayKey("example", "a" * 64)
    assert not store.seen(key)
    store.record(ROWS[:1], spend=key)
    assert store.seen(key)
    assert not store.seen(ReplayKey("other", "a" * 64))
    with pytest.raises(Replayed):
        store.record(ROWS[1:2], spend=key)
    assert [row["post_id"] for row in store.export("example")] == ["p1"]


def event(minute: int, event: str, attempt: str, address: str, officer: str = "") -> ConsoleEvent:
    return ConsoleEvent(
        f"2026-12-01T10:{minute:02d}:00.000+00:00", officer, "", event, "/console/login", address, attempt
    )


def test_failed_sign_ins_are_counted_by_name_by_address_and_both(store: AuditStore) -> None:
    for item in [
        event(0, "sign_in_failed", "h-alice", "10.0.0.1", "alice"),
        event(1, "sign_in_failed", "h-alice", "10.0.0.2", "alice"),
        event(2, "sign_in_failed", "h-nobody", "10.0.0.1"),
        event(3, "sign_in", "h-alice", "10.0.0.1", "alice"),
        event(4, "sign_in_refused", "h-alice", "10.0.0.1", "alice"),
    ]:
        store.record_event(item)
    store.record_event(
        ConsoleEvent("2026-12-01T09:00:00.000+00:00", "alice", "", "sign_in_failed", "/", "10.0.0.1", "h-alice")
    )
    assert store.failed_sign_ins("h-alice", "10.0.0.1", "2026-12-01T09:30:00") == (2, 2, 1)
    assert store.failed_sign_ins("h-bob", "10.0.0.3", "2026-12-01T09:30:00") == (0, 0, 0)


def test_an_event_kept_as_failed_can_become_a_sign_in(store: AuditStore) -> None:
    first = store.record_event(event(0, "sign_in_failed", "h-alice", "10.0.0.1", "alice"))
    second = store.record_event(event(1, "sign_in_failed", "h-alice", "10.0.0.1", "alice"))
    assert first != second
    store.change_event(first, "sign_in")
    assert store.failed_sign_ins("h-alice", "10.0.0.1", "2026-12-01") == (1, 1, 1)


def test_the_last_sign_out_of_an_officer(store: AuditStore) -> None:
    assert store.last_sign_out("alice") == ""
    store.record_event(event(5, "sign_out", "", "10.0.0.1", "alice"))
    store.record_event(event(9, "sign_out", "", "10.0.0.1", "bob"))
    store.record_event(event(7, "sign_out", "", "10.0.0.2", "alice"))
    assert store.last_sign_out("alice") == "2026-12-01T10:07:00.000+00:00"


def test_counts_by_day_kind_and_client_of_the_blocks(store: AuditStore) -> None:
    store.record(ROWS)
    store.record(
        [
            Decision(
                "2026-11-30T10:00:00.000+00:00", "r5", "example", "p5", "block", "h", json.dumps([{"omitted": 3}]), "v"
            )
        ]
    )
    counts = store.counts("example", AuditQuery())
    assert sorted(counts.days) == [("2026-11-29", "approve", 1), ("2026-11-30", "block", 2), ("2026-12-01", "block", 1)]
    assert sorted(counts.kinds) == [("email", 1), ("name", 1), ("phone", 1)]
    assert sorted(counts.clients) == [("EX-1", 1), ("EX-2", 1)]  # one blocked post names EX-1 twice: counted once
    webhook_only = store.counts("example", AuditQuery(source="webhook"))
    assert sorted(webhook_only.clients) == [("EX-1", 1)]


def test_a_purge_deletes_what_is_older_and_keeps_the_rest(store: AuditStore) -> None:
    store.record(ROWS)
    store.record_event(ConsoleEvent("2026-11-01T00:00:00.000+00:00", "alice", "example", "view", "/console/", "::1"))
    store.record_event(ConsoleEvent("2026-12-01T00:00:00.000+00:00", "alice", "example", "view", "/console/", "::1"))
    assert store.purge("2026-11-30") == (1, 1)
    assert [row["post_id"] for row in store.export("example")] == ["p2", "p3"]
    assert store.purge("2026-11-30") == (0, 0)


def test_a_postgres_store_that_cannot_be_reached_says_where_without_its_password(postgres: Any) -> None:
    from webhook.audit.postgres import PostgresAuditStore

    with pytest.raises(GateError) as raised:
        PostgresAuditStore("postgresql://gate:hunter2secret@127.0.0.1:1/audit")
    assert "postgresql://127.0.0.1:1/audit: cannot open the audit database" in str(raised.value)
    assert "hunter2secret" not in str(raised.value)


def test_a_reader_of_a_postgres_database_without_a_log_is_told_so(postgres: PostgresServer) -> None:
    from webhook.audit.postgres import PostgresAuditStore

    with pytest.raises(GateError, match="no audit log yet"):
        PostgresAuditStore(postgres.new_database(), create=False)


def test_a_postgres_store_fails_while_the_server_is_down_and_recovers_after(own_postgres: PostgresServer) -> None:
    from webhook.audit.postgres import PostgresAuditStore

    postgres = own_postgres  # stopped and started: not the server other tests share
    store = PostgresAuditStore(postgres.new_database())
    store.record(ROWS[:1])
    postgres.stop()
    try:
        with pytest.raises(Exception):  # noqa: B017 - whichever psycopg raises: the caller fails closed on any
            store.record(ROWS[1:2])
        with pytest.raises(Exception):  # noqa: B017
            store.seen(ReplayKey("example", "b" * 64))
    finally:
        postgres.start()
    store.record(ROWS[1:2])
    assert [row["post_id"] for row in store.export("example")] == ["p1", "p2"]


def test_the_sqlite_store_keeps_the_same_tables() -> None:
    """The two schemas stay one shape: a column added to one is added to the other."""
    from webhook.audit import postgres, sqlite

    def columns(schema: str, table: str) -> list[str]:
        body = schema.split(f"CREATE TABLE IF NOT EXISTS {table} (", 1)[1].split(");", 1)[0]
        names = [line.split()[0] for line in body.strip().splitlines()]
        return [name for name in names if name not in {"row_id", "PRIMARY"}]

    for table in ("decisions", "webhook_ids", "console_events"):
        assert columns(postgres.SCHEMA, table) == columns(sqlite.SCHEMA, table), table


def test_gate_audit_purge_deletes_what_is_older_than_the_retention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, extra="retention_days = 30")
    store = SQLiteAuditStore(tmp_path / "audit.sqlite3")
    today = datetime.datetime.now(datetime.UTC).date()
    days = [today - datetime.timedelta(days=n) for n in (40, 31, 30, 0)]
    store.record(
        [
            Decision(
                f"{day.isoformat()}T12:00:00.000+00:00", "r", "example", day.isoformat(), "approve", "h", "[]", "v"
            )
            for day in days
        ]
    )
    assert main(["audit", "purge", "--config", str(config)]) == 0
    cutoff = (today - datetime.timedelta(days=30)).isoformat()
    assert capsys.readouterr().out == f"purged 2 decisions and 0 console events from before {cutoff}\n"
    assert [row["post_id"] for row in store.export("example")] == [days[2].isoformat(), days[3].isoformat()]
    assert main(["audit", "purge", "--config", str(config), "--before", today.isoformat()]) == 0
    assert [row["post_id"] for row in store.export("example")] == [today.isoformat()]


def test_gate_audit_purge_without_a_retention_keeps_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    store = SQLiteAuditStore(tmp_path / "audit.sqlite3")
    store.record(ROWS)
    assert main(["audit", "purge", "--config", str(config)]) == 0  # the daily timer does not fail
    assert (
        capsys.readouterr().out == "nothing purged: server.retention_days is 0 (keep everything); --before DAY purges\n"
    )
    assert len(store.export("example")) == 3


@pytest.mark.parametrize("value", ["-1", "1.5", '"30"', "true", "1000000"])
def test_a_retention_is_a_whole_number_of_days(tmp_path: Path, value: str) -> None:
    with pytest.raises(GateError, match=r"server\.retention_days: must be a whole number of days"):
        load_server_config(write_config(tmp_path, extra=f"retention_days = {value}"), ENVIRON)


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("postgresql://gate:Pw%zz@127.0.0.1:1/audit", "Pw%zz"),
        ("PostgreSQL://gate:Sup3rSecret@127.0.0.1:1/audit", "Sup3rSecret"),
        ("postgresql://gate:hunter2 spaced@127.0.0.1:1/audit", "hunter2"),
        ("postgresql://gate:pw@[::1/audit", "pw@"),
    ],
)
def test_a_postgres_url_that_does_not_work_never_shows_its_password(postgres: Any, url: str, secret: str) -> None:
    from webhook.audit.postgres import PostgresAuditStore

    with pytest.raises(GateError) as raised:
        PostgresAuditStore(url)
    assert re.search(r"cannot open the audit database|is not a PostgreSQL URL that libpq can read", str(raised.value))
    assert secret not in str(raised.value)


def test_a_role_that_may_only_read_and_write_the_tables_runs_the_gate(postgres: PostgresServer) -> None:
    import psycopg

    from webhook.audit.postgres import PostgresAuditStore

    owned = postgres.new_database()
    PostgresAuditStore(owned)  # the owner makes the tables
    name = owned.rsplit("/", 1)[1]
    with psycopg.connect(owned, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE writer_{name} LOGIN".encode())
        connection.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO writer_{name}".encode()
        )
        connection.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO writer_{name}".encode())
    as_writer = owned.replace("postgresql://gate@", f"postgresql://writer_{name}@")
    store = PostgresAuditStore(as_writer)
    store.record(ROWS[:1])
    assert [row["post_id"] for row in store.export("example")] == ["p1"]
    # Where the tables are missing, the writer is told what the database said, not that the URL is wrong.
    empty = postgres.new_database().replace("postgresql://gate@", f"postgresql://writer_{name}@")
    with pytest.raises(GateError, match="permission denied"):
        PostgresAuditStore(empty)


def test_a_postgres_database_not_in_utf8_is_refused(postgres: PostgresServer) -> None:
    import psycopg

    from webhook.audit.postgres import PostgresAuditStore

    with psycopg.connect(postgres.url(), autocommit=True) as connection:
        connection.execute(b"CREATE DATABASE latin TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'")
    with pytest.raises(GateError, match="the audit database must be UTF8 \\(it is LATIN1\\)"):
        PostgresAuditStore(postgres.url("latin"))


def test_a_post_id_with_a_nul_is_recorded_by_every_store(store: AuditStore) -> None:
    post_id = bounded("a\x00b", MAX_ID_CHARS)
    store.record([Decision("2026-12-01T00:00:00.000+00:00", "r", "example", post_id, "approve", "h", "[]", "v")])
    assert [row["post_id"] for row in store.export("example")] == ["a\ufffdb"]


def test_csv_lines_come_a_hundred_at_a_time_and_make_the_whole_csv() -> None:
    rows = [{**ROWS[0]._asdict(), "post_id": f"p{n}", "findings": []} for n in range(250)]
    chunks = list(csv_lines(rows))
    whole = io.StringIO()
    write_csv(rows, whole)
    assert len(chunks) == 3 and "".join(chunks) == whole.getvalue()
    assert whole.getvalue().count("\n") == 251


def test_gate_audit_purge_never_purges_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path)
    SQLiteAuditStore(tmp_path / "audit.sqlite3")
    tomorrow = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1)
    assert main(["audit", "purge", "--config", str(config), "--before", tomorrow.isoformat()]) == 2
    assert "a day after today (UTC) would purge today's decisions" in capsys.readouterr().err


def test_a_postgres_log_made_before_a_column_gains_it(postgres: PostgresServer) -> None:
    import psycopg

    from webhook.audit import postgres as store_module

    url = postgres.new_database()
    older = store_module.SCHEMA.replace(",\n    source TEXT NOT NULL DEFAULT 'webhook'", "").replace(
        ",\n    attempt TEXT NOT NULL DEFAULT ''", ""
    )
    assert older != store_module.SCHEMA
    with psycopg.connect(url, autocommit=True) as connection:
        for statement in filter(str.strip, older.split(";")):
            connection.execute(statement.encode())
        connection.execute(
            b"INSERT INTO decisions (time, request_id, org, post_id, decision, content_hmac, findings, wordlist_version) "
            b"VALUES ('2026-01-01T00:00:00', 'r', 'example', 'old', 'approve', 'h', '[]', 'v')"
        )
    store = store_module.PostgresAuditStore(url)
    assert [(row["post_id"], row["source"]) for row in store.export("example")] == [("old", "webhook")]
    assert (
        store.record_event(ConsoleEvent("2026-12-01T00:00:00.000+00:00", "a", "", "sign_in_failed", "/", "::1", "h"))
        > 0
    )
