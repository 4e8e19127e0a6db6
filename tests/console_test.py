"""The compliance officer's console through Flask's test client: signing in and its
guards (CSRF, the rate limit, the cookie, each officer's organisations), every page's
content, the audit log's filters and CSV, the draft check, and nothing of a client's
value or a draft's text kept or shown where it should not be."""

from __future__ import annotations

import concurrent.futures
import csv
import datetime
import io
import json
import re
import sqlite3
import time
import tomllib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from gate.cli import main
from gate.errors import GateError
from tests.support.app import TOKEN, post
from tests.support.console import (
    CONSOLE_ENVIRON,
    OFFICERS,
    PASSWORD,
    console_app,
    csrf,
    sign_in,
    write_console_config,
)
from tests.support.wordlists import CANARY
from webhook import create_app
from webhook.audit import CONSOLE_EVENTS, SOURCES, AuditQuery, Decision
from webhook.audit.sqlite import SQLiteAuditStore
from webhook.config import Officer, load_server_config
from webhook.console.session import MAX_FAILURES_PER_NAME_AND_ADDRESS
from webhook.officers import officer_table, signed_in
from webhook.state import state_of


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return console_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def officer(client: FlaskClient) -> FlaskClient:
    """A client signed in as alice, who sees `example` and `other`."""
    assert sign_in(client).status_code == 302
    return client


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def events(app: Flask) -> list[tuple[str, str, str, str]]:
    """(officer, org, event, page) of each console event, oldest first."""
    path = state_of(app).config.audit_db
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT officer, org, event, page FROM console_events ORDER BY rowid").fetchall()


# --- configuration --------------------------------------------------------------------

CONFIG_ERRORS = [
    (
        '[officers.carol]\norgs = ["example"]\n',
        "officers.carol.password_hash: must be a hash that `gate officer new` printed",
    ),
    ('[officers.carol]\npassword_hash = "plain"\norgs = ["example"]\n', "officers.carol.password_hash: must be a hash"),
    (
        '[officers.carol]\npassword_hash = "scrypt:1$a$b"\norgs = []\n',
        "officers.carol.orgs: must list the organisations",
    ),
    (
        '[officers.carol]\npassword_hash = "scrypt:1$a$b"\norgs = ["nowhere"]\n',
        "no organisation 'nowhere' is configured",
    ),
    (
        '[officers.carol]\npassword_hash = "scrypt:1$a$b"\norgs = ["example"]\nadmin = true\n',
        "officers.carol.admin: unknown key",
    ),
    ('[officers."c d"]\npassword_hash = "scrypt:1$a$b"\norgs = ["example"]\n', "an officer's name is letters"),
]


@pytest.mark.parametrize(("officers", "message"), CONFIG_ERRORS)
def test_a_bad_officer_is_a_configuration_error(tmp_path: Path, officers: str, message: str) -> None:
    path = write_console_config(tmp_path, officers=officers)
    with pytest.raises(GateError, match=re.escape(message)):
        load_server_config(path, CONSOLE_ENVIRON)


@pytest.mark.parametrize(
    ("key", "message"),
    [(None, "environment variable GATE_SESSION_KEY is not set"), ("short", "has 5 bytes, fewer than 32")],
)
def test_officers_need_a_session_key_of_32_bytes(tmp_path: Path, key: str | None, message: str) -> None:
    environ = {name: value for name, value in CONSOLE_ENVIRON.items() if name != "GATE_SESSION_KEY"}
    if key is not None:
        environ["GATE_SESSION_KEY"] = key
    with pytest.raises(GateError, match=f"server.session_key_env: .*{message}"):
        load_server_config(write_console_config(tmp_path), environ)


def test_a_server_without_officers_needs_no_session_key_and_its_console_says_so(tmp_path: Path) -> None:
    path = write_console_config(tmp_path, officers="")
    environ = {name: value for name, value in CONSOLE_ENVIRON.items() if name != "GATE_SESSION_KEY"}
    client = create_app(load_server_config(path, environ)).test_client()
    response = client.get("/console/login")
    assert response.status_code == 503
    assert "the console has no officers: add one with `gate officer new`" in text(response)


def test_gate_officer_new_prints_a_table_that_signs_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["officer", "new", "--name", "carol", "--org", "example", "--org", "other", "--password-stdin"]) == 0
    printed = capsys.readouterr().out
    assert PASSWORD not in printed
    lines = printed.splitlines()
    assert lines[0] == "# for the server configuration (gate.toml)"
    assert lines[1] == "[officers.carol]"
    assert re.fullmatch(r'password_hash = "scrypt:32768:8:1\$[^"$]+\$[0-9a-f]{128}"', lines[2])
    assert lines[3] == 'orgs = ["example", "other"]'
    table = tomllib.loads(printed)["officers"]["carol"]
    officers = {"carol": Officer("carol", table["password_hash"], tuple(table["orgs"]))}
    assert signed_in(officers, "carol", PASSWORD) == officers["carol"]
    assert signed_in(officers, "carol", PASSWORD + "!") is None
    assert signed_in(officers, "dave", PASSWORD) is None


@pytest.mark.parametrize(
    ("arguments", "password", "message"),
    [
        (["--name", "carol", "--org", "example"], "short", "the password has fewer than 12 characters"),
        (["--name", "c d", "--org", "example"], PASSWORD, "an officer's name is letters"),
        (["--name", "carol", "--org", "a b"], PASSWORD, "an organisation's name is letters"),
    ],
)
def test_gate_officer_new_refuses(
    arguments: list[str],
    password: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert main(["officer", "new", *arguments, "--password-stdin"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


# --- signing in -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["/console/", "/console/log", "/console/log.csv", "/console/wordlist", "/console/draft"]
)
def test_every_page_sends_a_stranger_to_the_sign_in_page(client: FlaskClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/login"


def test_the_sign_in_form_posts_name_password_and_csrf_token(client: FlaskClient) -> None:
    page = text(client.get("/console/login"))
    names = re.findall(r'<input[^>]* name="([a-z_]+)"', page)
    assert names == ["csrf_token", "name", "password"]
    assert 'action="/console/login"' in page


def test_signing_in_sets_a_cookie_only_the_console_reads(client: FlaskClient) -> None:
    response = sign_in(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("gate_console=")
    assert {"HttpOnly", "Path=/console", "SameSite=Lax"} <= {part.strip() for part in cookie.split(";")}
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    assert client.get("/console/").status_code == 200


def test_behind_tls_the_cookie_is_secure(tmp_path: Path) -> None:
    client = console_app(tmp_path, server="forwarded_proxies = 1").test_client()
    token = csrf(client)
    response = client.post(
        "/console/login",
        data={"name": "alice", "password": PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "Secure" in {part.strip() for part in response.headers["Set-Cookie"].split(";")}


def test_a_forwarded_scheme_is_not_believed_without_a_trusted_proxy(client: FlaskClient) -> None:
    token = csrf(client)
    response = client.post(
        "/console/login",
        data={"name": "alice", "password": PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"},
    )
    assert "Secure" not in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    ("name", "password", "recorded"),
    [("alice", "wrong password", "alice"), ("mallory", PASSWORD, ""), ("", "", ""), ("alice", "", "alice")],
)
def test_a_failed_sign_in_is_401_and_recorded_without_an_unknown_name(
    app: Flask, client: FlaskClient, name: str, password: str, recorded: str
) -> None:
    response = sign_in(client, name, password)
    assert response.status_code == 401
    assert "Wrong name or password." in text(response)
    assert events(app) == [(recorded, "", "sign_in_failed", "/console/login")]
    assert client.get("/console/").status_code == 302


@pytest.mark.parametrize("form", [{}, {"csrf_token": "forged"}])
def test_a_form_without_its_csrf_token_is_refused(client: FlaskClient, form: dict[str, str]) -> None:
    client.get("/console/login")  # a session with a token of its own
    response = client.post("/console/login", data={"name": "alice", "password": PASSWORD, **form})
    assert response.status_code == 400
    assert "did not come from the console" in text(response)
    assert client.get("/console/").status_code == 302


@pytest.mark.parametrize("page", ["/console/draft", "/console/logout"])
def test_a_signed_in_form_without_its_csrf_token_is_refused(officer: FlaskClient, page: str) -> None:
    response = officer.post(page, data={"text": "hello", "csrf_token": "forged"})
    assert response.status_code == 400
    assert officer.get("/console/").status_code == 200  # still signed in


def test_the_token_from_before_sign_in_is_worth_nothing_after_it(client: FlaskClient) -> None:
    before = csrf(client)
    assert sign_in(client).status_code == 302
    assert client.post("/console/logout", data={"csrf_token": before}).status_code == 400


def test_sign_in_is_limited_per_officer_and_the_limit_is_in_the_audit_store(tmp_path: Path) -> None:
    first = console_app(tmp_path).test_client()
    for _ in range(MAX_FAILURES_PER_NAME_AND_ADDRESS):
        assert sign_in(first, "alice", "wrong password").status_code == 401
    # Another app on the same store (another worker, another host) sees the same count.
    second = console_app(tmp_path).test_client()
    refused = sign_in(second, "alice", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in text(refused)
    assert second.get("/console/").status_code == 302
    assert sign_in(second, "bob", PASSWORD).status_code == 302  # another officer is not locked out


def test_sign_in_is_limited_per_address(app: Flask, client: FlaskClient) -> None:
    for number in range(20):
        assert sign_in(client, f"nobody{number}", "wrong password").status_code == 401
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    assert events(app)[-1] == ("alice", "", "sign_in_refused", "/console/login")


def test_signing_out_ends_the_session(app: Flask, officer: FlaskClient) -> None:
    token = csrf(officer, "/console/draft")
    response = officer.post("/console/logout", data={"csrf_token": token})
    assert response.headers["Location"] == "/console/login"
    assert officer.get("/console/").status_code == 302
    assert [event for _, _, event, _ in events(app)] == ["sign_in", "view", "sign_out"]


def test_a_session_ends_after_eight_hours(officer: FlaskClient) -> None:
    with officer.session_transaction() as session:
        session["since"] = time.time() - 8 * 3600 - 1
    assert officer.get("/console/").status_code == 302


def test_a_forged_cookie_signs_no_one_in(client: FlaskClient) -> None:
    client.set_cookie("gate_console", '{"officer": "alice", "since": 9999999999}', path="/console")
    assert client.get("/console/").status_code == 302


def test_an_officer_removed_from_the_configuration_is_out_at_once(tmp_path: Path) -> None:
    signed = console_app(tmp_path).test_client()
    assert sign_in(signed).status_code == 302
    cookie = signed.get_cookie("gate_console", path="/console")
    assert cookie is not None
    without_alice = OFFICERS.split("[officers.bob]")[0].replace("alice", "zed")
    later = console_app(tmp_path, officers=without_alice).test_client()
    later.set_cookie("gate_console", cookie.value, path="/console")
    assert later.get("/console/").status_code == 302


@pytest.mark.parametrize(
    ("name", "page", "status"),
    [
        ("alice", "/console/?org=example", 200),
        ("alice", "/console/?org=other", 200),
        ("bob", "/console/", 200),
        ("bob", "/console/?org=example", 403),
        ("bob", "/console/log?org=example", 403),
        ("bob", "/console/log.csv?org=example", 403),
        ("bob", "/console/wordlist?org=example", 403),
        ("bob", "/console/draft?org=example", 403),
        ("alice", "/console/?org=nowhere", 403),
    ],
)
def test_an_officer_sees_only_their_organisations(client: FlaskClient, name: str, page: str, status: int) -> None:
    assert sign_in(client, name).status_code == 302
    assert client.get(page).status_code == status


def test_every_page_seen_is_recorded_without_its_query(app: Flask, officer: FlaskClient) -> None:
    officer.get("/console/?org=other")
    officer.get(f"/console/log?post_id={CANARY}")
    assert events(app) == [
        ("alice", "", "sign_in", "/console/login"),
        ("alice", "other", "view", "/console/"),
        ("alice", "example", "view", "/console/log"),
    ]


def test_a_page_that_cannot_be_recorded_is_not_shown(app: Flask, officer: FlaskClient) -> None:
    with sqlite3.connect(state_of(app).config.audit_db) as connection:
        connection.execute("DROP TABLE console_events")
    response = officer.get("/console/")
    assert response.status_code == 503
    assert "the audit log cannot be read: no one can be signed in until it can" in text(response)


@pytest.mark.parametrize("page", ["/console/login", "/console/", "/console/log", "/console/wordlist", "/console/draft"])
def test_every_page_runs_no_script_is_never_framed_or_cached(app: Flask, page: str) -> None:
    client = app.test_client()
    if page != "/console/login":
        sign_in(client)
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script" not in text(response)


# --- the pages ------------------------------------------------------------------------


def decide(client: FlaskClient, post_id: str, words: str) -> str:
    response = post(client, {"post": {"id": post_id, "text": words}}, token=TOKEN)
    assert response.status_code == 200
    return str(response.get_json()["decision"])


def test_the_overview_counts_a_month_of_decisions(app: Flask, officer: FlaskClient) -> None:
    assert decide(officer, "p1", f"Thanks {CANARY}!") == "block"
    assert decide(officer, "p2", "Kim Lowe and Priya Raman came") == "block"
    assert decide(officer, "p3", "A sunny day at the clinic") == "approve"
    page = text(officer.get("/console/"))
    assert page.count('<g class="day">') == 30
    bars = re.findall(r'data-decision="(\w+)" data-count="(\d+)"', page)
    totals = {
        decision: sum(int(count) for name, count in bars if name == decision) for decision in ("approve", "block")
    }
    assert totals == {"approve": 1, "block": 2}  # on one day, or two if the test ran over midnight (UTC)
    assert "approved (1)" in page and "blocked (2)" in page
    clients = re.findall(r"<tr><td><code>([A-Z0-9-]+)</code></td><td class=\"number\">(\d+)</td>", page)
    assert sorted(clients) == [("EX-001", "1"), ("EX-099", "1")]
    assert re.search(r"<tr><td>name</td><td class=\"number\">\d+</td></tr>", page)
    assert CANARY not in page and "Zebedee" not in page
    version = state_of(app).registry.list_status("example").version
    assert f"Wordlist <code>{version}</code>, loaded 20" in page


def test_the_log_filters_pages_and_downloads_the_rows_of_gate_audit_export(
    app: Flask, officer: FlaskClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(53):
        decide(officer, f"a{number}", "A sunny day")
    decide(officer, "b1", f"Thanks {CANARY}!")
    decide(officer, "b2", "Call +1 555 014 7788 today")
    page = text(officer.get("/console/log"))
    assert re.search(r'id="total">55</span> decisions · page 1 of 2', page)
    assert page.count("<tr class=") == 50
    second = text(officer.get("/console/log?page=2"))
    assert second.count("<tr class=") == 5
    cases = {
        "decision=block": 2,
        "decision=block&kind=name": 1,
        "kind=phone": 1,
        "post_id=a7": 1,
        f"since={datetime.datetime.now(datetime.UTC).date().isoformat()}": 55,
        "until=2000-01-01": 0,
        "since=yesterday": 0,
        "decision=maybe": 0,
    }
    for query, total in cases.items():
        listed = text(officer.get(f"/console/log?{query}"))
        assert re.search(rf'id="total">{total}</span>', listed), query
    assert "since: not a date (YYYY-MM-DD)" in text(officer.get("/console/log?since=yesterday"))
    download = officer.get("/console/log.csv?decision=block")
    assert download.headers["Content-Disposition"] == 'attachment; filename="gate-audit-example.csv"'
    config = tmp_path / "gate.toml"
    assert main(["audit", "export", "--config", str(config), "--org", "example", "--decision", "block"]) == 0
    assert text(download) == capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(text(download))))
    assert [row["post_id"] for row in rows] == ["b1", "b2"]
    assert CANARY not in text(download)
    assert officer.get("/console/log.csv?since=never").status_code == 400


def test_the_wordlist_page_counts_warns_and_lists_consents_ending_soon(tmp_path: Path) -> None:
    app = console_app(tmp_path)
    soon = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    with (tmp_path / "lists" / "example" / "clients.csv").open("a") as clients:
        clients.write(f"EX-098,name,Ottoline Vanterpool,{soon}\nEX-097,name,Hope,\n")
    client = app.test_client()
    sign_in(client)
    page = text(client.get("/console/wordlist"))
    assert "<tr><td><code>EX-098</code></td><td>name</td>" in page and f"<td>{soon}</td>" in page
    assert "EX-097 name: is a common English word and will block ordinary text" in page
    assert re.search(r"<tr><td>name</td><td class=\"number\">\d+</td></tr>", page)
    assert "Ottoline" not in page and "Hope," not in page and CANARY not in page


def test_the_wordlist_page_names_a_broken_files_line_never_its_value(tmp_path: Path) -> None:
    app = console_app(tmp_path, server="reload_seconds = 0.05")
    with (tmp_path / "lists" / "example" / "clients.csv").open("a") as clients:
        clients.write(f"EX-096,nickname,{CANARY}\n")
    client = app.test_client()
    sign_in(client)
    deadline = time.monotonic() + 20
    page = ""
    while time.monotonic() < deadline and 'id="reload-error"' not in page:
        time.sleep(0.1)
        page = text(client.get("/console/wordlist"))
    assert re.search(r'id="list-error">The files on disk cannot be read: [^<]*clients.csv:\d+', page)
    assert re.search(r'id="reload-error">[^<]*clients.csv:\d+', page)
    assert CANARY not in page and "Zebedee" not in page


def test_a_draft_that_names_a_client_is_marked_explained_and_not_kept(
    app: Flask, officer: FlaskClient, tmp_path: Path
) -> None:
    draft = f"Our year in review.\r\nThanks to {CANARY} for the story!"
    response = officer.post("/console/draft", data={"text": draft, "csrf_token": csrf(officer, "/console/draft")})
    assert response.status_code == 200
    page = text(response)
    assert '<h2 id="decision">Blocked</h2>' in page
    assert f'<mark title="name EX-099">{CANARY}</mark>' in page
    assert "<b>name</b> of client <code>EX-099</code> at /text, line 2, column 11" in page
    policy = state_of(app).registry.serving("example").matcher.policy
    assert policy.guidance and str(escape(policy.guidance)) in page
    rows = state_of(app).audit.export("example", AuditQuery())
    assert [(row["source"], row["decision"], row["post_id"]) for row in rows] == [("console", "block", "draft")]
    assert rows[0]["findings"] == [{"client_id": "EX-099", "kind": "name", "field": "/text"}]
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("audit.sqlite3*"))
    assert CANARY.encode() not in stored and b"year in review" not in stored


def test_a_draft_without_a_client_is_approved(officer: FlaskClient) -> None:
    response = officer.post(
        "/console/draft", data={"text": "A sunny open day", "csrf_token": csrf(officer, "/console/draft")}
    )
    assert '<h2 id="decision">Approved</h2>' in text(response)
    assert "<mark" not in text(response)


def test_a_draft_file_is_read_as_the_webhook_reads_a_media_file(officer: FlaskClient) -> None:
    data = {
        "text": "",
        "csrf_token": csrf(officer, "/console/draft"),
        "file": (io.BytesIO(f"Thanks {CANARY}".encode()), "kim-lowe-story.txt"),
    }
    page = text(officer.post("/console/draft", data=data, content_type="multipart/form-data"))
    assert '<h2 id="decision">Blocked</h2>' in page
    assert "of client <code>EX-099</code> at /media/0/data" in page
    assert "of client <code>EX-001</code> at /media/0/filename" in page


# --- gate audit, read without the server's secrets ------------------------------------


def fill(app: Flask) -> None:
    rows = [
        Decision("2026-11-30T10:00:00.000+00:00", "r1", "example", "p1", "approve", "h", "[]", "v1"),
        Decision(
            "2026-11-30T11:00:00.000+00:00",
            "r2",
            "example",
            "p2",
            "block",
            "h",
            json.dumps(
                [
                    {"client_id": "EX-001", "kind": "name", "field": "/text"},
                    {"client_id": "EX-001", "kind": "phone", "field": "/text"},
                ]
            ),
            "v1",
        ),
        Decision(
            "2026-12-02T09:00:00.000+00:00",
            "r3",
            "example",
            "p3",
            "block",
            "h",
            json.dumps([{"client_id": "EX-002", "kind": "name", "field": "/text"}]),
            "v1",
            "console",
        ),
        Decision("2026-12-02T09:00:00.000+00:00", "r4", "other", "p4", "block", "h", "[]", "v1"),
    ]
    state_of(app).audit.record(rows)


def test_gate_audit_summary_counts_by_day_decision_kind_and_client(
    app: Flask, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(app)
    for name in CONSOLE_ENVIRON:
        monkeypatch.delenv(name, raising=False)  # no secret is needed to read the log
    config = str(tmp_path / "gate.toml")
    arguments = [
        "audit",
        "summary",
        "--config",
        config,
        "--org",
        "example",
        "--since",
        "2026-11-30",
        "--until",
        "2026-12-02",
    ]
    assert main(arguments) == 0
    # The draft checked in the console (p3) is in the log, not in the counts.
    assert capsys.readouterr().out == (
        "day,approve,block\n2026-11-30,1,1\n2026-12-01,0,0\n2026-12-02,0,0\n"
        "\nblocked findings by kind\nname,1\nphone,1\n"
        "\nclients in blocked decisions\nEX-001,1\n"
    )
    assert main([*arguments, "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["decisions"] == {"approve": 1, "block": 1}
    assert summary["days"][1] == {"day": "2026-12-01", "approve": 0, "block": 0}


def test_gate_audit_export_filters_without_the_server_secrets(
    app: Flask, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(app)
    for name in CONSOLE_ENVIRON:
        monkeypatch.delenv(name, raising=False)
    config = str(tmp_path / "gate.toml")
    cases = {
        (): ["p1", "p2", "p3"],
        ("--decision", "block"): ["p2", "p3"],
        ("--kind", "phone"): ["p2"],
        ("--since", "2026-12-01"): ["p3"],
        ("--until", "2026-11-30"): ["p1", "p2"],
        ("--post-id", "p3"): ["p3"],
    }
    for options, expected in cases.items():
        assert main(["audit", "export", "--config", config, "--org", "example", "--format", "json", *options]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert [row["post_id"] for row in rows] == expected, options
    assert rows[0]["source"] == "console"
    arguments = ["audit", "export", "--config", config, "--org", "example"]
    assert main([*arguments, "--since", "2026-12-02", "--until", "2026-12-01"]) == 2
    assert "--since 2026-12-02 and --until 2026-12-01: the first day is after the last" in capsys.readouterr().err
    assert main([*arguments, "--format", "json", "--source", "webhook"]) == 0
    assert [row["post_id"] for row in json.loads(capsys.readouterr().out)] == ["p1", "p2"]
    assert main([*arguments, "--format", "json", "--until", "9999-12-31"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_an_audit_log_from_before_the_console_gains_its_source_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE decisions (time TEXT NOT NULL, request_id TEXT NOT NULL, org TEXT NOT NULL, "
            "post_id TEXT NOT NULL, decision TEXT NOT NULL, content_hmac TEXT NOT NULL, findings TEXT NOT NULL, "
            "wordlist_version TEXT NOT NULL)"
        )
        connection.execute(
            "INSERT INTO decisions VALUES ('2026-01-01T00:00:00', 'r', 'o', 'p', 'approve', 'h', '[]', 'v')"
        )
    store = SQLiteAuditStore(path)
    assert [row["source"] for row in store.export("o")] == ["webhook"]


def test_the_documented_pages_are_the_consoles(app: Flask) -> None:
    documented = set()
    for line in (Path(__file__).resolve().parent.parent / "docs" / "console.md").read_text().splitlines():
        found = re.match(r"\| `((?:GET|POST)[^|]*?) (/console/[^`]*)` \|", line)
        if found:
            methods = set(re.findall(r"GET|POST", found.group(1)))
            documented |= {(method, found.group(2)) for method in methods}
    served = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("console.") and rule.endpoint != "console.static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert documented == served


# --- what the reviews found -----------------------------------------------------------


def test_a_cookie_kept_from_before_sign_out_signs_no_one_in(app: Flask, officer: FlaskClient) -> None:
    cookie = officer.get_cookie("gate_console", path="/console")
    assert cookie is not None
    officer.post("/console/logout", data={"csrf_token": csrf(officer, "/console/draft")})
    thief = app.test_client()
    thief.set_cookie("gate_console", cookie.value, path="/console")
    assert thief.get("/console/").status_code == 302
    assert sign_in(thief).status_code == 302  # a new sign-in is a new session
    assert thief.get("/console/").status_code == 200


def test_a_new_password_ends_the_sessions_of_the_old_one(tmp_path: Path) -> None:
    signed = console_app(tmp_path).test_client()
    assert sign_in(signed).status_code == 302
    cookie = signed.get_cookie("gate_console", path="/console")
    assert cookie is not None
    rehashed = officer_table("alice", ["example", "other"], PASSWORD)  # the same password, a new salt
    later = console_app(tmp_path, officers=rehashed).test_client()
    later.set_cookie("gate_console", cookie.value, path="/console")
    assert later.get("/console/").status_code == 302


def test_the_limit_does_not_tell_an_officers_name_from_any_other(client: FlaskClient) -> None:
    answers = {
        name: [
            sign_in(client, name, "wrong password").status_code for _ in range(MAX_FAILURES_PER_NAME_AND_ADDRESS + 1)
        ]
        for name in ("alice", "nobody")
    }
    assert answers["alice"] == answers["nobody"] == [401] * MAX_FAILURES_PER_NAME_AND_ADDRESS + [429]
    assert sign_in(client, "ALICE ", PASSWORD).status_code == 429  # the same name, as typed differently


def test_the_limit_holds_for_guesses_sent_at_once(app: Flask) -> None:
    tokens, clients = [], [app.test_client() for _ in range(16)]
    for client in clients:
        tokens.append(csrf(client))

    def guess(index: int) -> int:
        form = {"name": "alice", "password": f"wrong password {index}", "csrf_token": tokens[index]}
        return int(clients[index].post("/console/login", data=form).status_code)

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(guess, range(16)))
    # Attempts at once may refuse each other early, but never let more guesses through.
    assert 1 <= answers.count(401) <= MAX_FAILURES_PER_NAME_AND_ADDRESS
    assert answers.count(401) + answers.count(429) == 16


def test_a_draft_request_id_that_names_a_client_is_starred(app: Flask, officer: FlaskClient) -> None:
    token = csrf(officer, "/console/draft")
    officer.post(
        "/console/draft",
        data={"text": "A sunny day", "csrf_token": token},
        headers={"X-Request-Id": "Zebedee-Quartermain"},
    )
    assert [row["request_id"] for row in state_of(app).audit.export("example")] == ["*"]


def test_an_empty_draft_is_not_checked_nor_recorded(app: Flask, officer: FlaskClient) -> None:
    response = officer.post("/console/draft", data={"text": "  \r\n", "csrf_token": csrf(officer, "/console/draft")})
    assert response.status_code == 422
    assert "Nothing to check." in text(response)
    assert state_of(app).audit.export("example") == []


def test_a_draft_file_that_cannot_be_read_blocks_without_saying_it_names_a_client(officer: FlaskClient) -> None:
    data = {
        "text": "",
        "csrf_token": csrf(officer, "/console/draft"),
        "file": (io.BytesIO(b"%PDF-1.7\nbroken"), "a.pdf"),
    }
    page = text(officer.post("/console/draft", data=data, content_type="multipart/form-data"))
    assert '<h2 id="decision">Blocked</h2>' in page
    assert "not scanned" in page
    assert "This post names a client" not in page


def test_a_page_past_the_last_is_the_last(officer: FlaskClient) -> None:
    for number in range(3):
        decide(officer, f"p{number}", "A sunny day")
    page = text(officer.get("/console/log?page=7"))
    assert "page 1 of 1" in page and page.count("<tr class=") == 3
    assert "page 1 of 1" in text(officer.get("/console/log?page=\u00b2"))  # a digit, but not an ASCII one
    assert 'rel="prev"' not in page and 'rel="next"' not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-12-02&until=2026-12-01", "since and until: the first day is after the last"),
        ("until=9999-12-31", ""),
    ],
)
def test_the_logs_dates_say_what_is_wrong_with_them(officer: FlaskClient, query: str, message: str) -> None:
    decide(officer, "p1", "A sunny day")
    response = officer.get(f"/console/log?{query}")
    assert response.status_code == 200
    assert (message in text(response)) if message else 'role="alert"' not in text(response)
    assert re.search(rf'id="total">{0 if message else 1}</span>', text(response))


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted(officer: FlaskClient) -> None:
    decide(officer, "=HYPERLINK(1)", "A sunny day")
    rows = list(csv.DictReader(io.StringIO(text(officer.get("/console/log.csv")))))
    assert [row["post_id"] for row in rows] == ["'=HYPERLINK(1)"]


def test_an_officer_whose_name_has_a_dot_gets_a_table_toml_reads(tmp_path: Path) -> None:
    printed = officer_table("a.b", ["example"], PASSWORD)
    assert printed.startswith('[officers."a.b"]\n')
    app = console_app(tmp_path, officers=printed)
    assert sign_in(app.test_client(), "a.b").status_code == 302


def test_gate_audit_export_leaves_a_sqlite_log_as_it_is(
    app: Flask, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(app)
    log = tmp_path / "audit.sqlite3"
    log.chmod(0o640)
    before = log.read_bytes()
    assert main(["audit", "export", "--config", str(tmp_path / "gate.toml"), "--org", "example"]) == 0
    capsys.readouterr()
    assert (log.stat().st_mode & 0o777, log.read_bytes()) == (0o640, before)


def test_the_documented_events_are_the_ones_recorded() -> None:
    document = (Path(__file__).resolve().parent.parent / "docs" / "console.md").read_text()
    section = document.split("**Every sign-in**", 1)[1].split("\n- ", 1)[0]
    assert set(re.findall(r"`([a-z_]+)`", section)) >= set(CONSOLE_EVENTS)
    assert {"webhook", "console"} == set(SOURCES)


def test_the_log_shows_a_version_and_a_request_id_cut_with_the_whole_in_its_title(
    app: Flask, officer: FlaskClient
) -> None:
    decide(officer, "p1", "A sunny day")
    (row,) = state_of(app).audit.export("example")
    page = text(officer.get("/console/log"))
    version = row["wordlist_version"].removeprefix("sha256:")
    assert f'<code title="{row["wordlist_version"]}">{version[:12]}\u2026</code>' in page
    assert f'<code title="{row["request_id"]}">{row["request_id"][:12]}\u2026</code>' in page
