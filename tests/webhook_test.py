"""The scheduler webhook through Flask's test client: decisions, every error, auth,
signatures, the audit log, and responses valid against webhook/openapi.yaml."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gate.cli import main
from gate.errors import GateError
from gate.signatures import sign
from tests.support.app import (
    ENVIRON,
    OTHER_TOKEN,
    ROTATED,
    SECRET,
    TOKEN,
    conforms,
    make_app,
    post,
    signed_post,
    write_config,
)
from tests.support.wordlists import CANARY
from webhook import create_app
from webhook.audit.sqlite import SCHEMA as AUDIT_SCHEMA
from webhook.audit.sqlite import SQLiteAuditStore
from webhook.config import load_server_config
from webhook.state import state_of


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def sqlite_store(app: Flask) -> SQLiteAuditStore:
    store = state_of(app).audit
    assert isinstance(store, SQLiteAuditStore)
    return store


def test_a_post_naming_a_client_is_blocked(client: FlaskClient) -> None:
    body = {"post": {"id": "p1", "text": "Thanks **Kim** Lowe!", "media": [{"alt_text": "K&#105;m Lowe"}]}}
    response = post(client, body)
    assert response.status_code == 200
    conforms(response, "/v1/orgs/{org}/check")
    answer = response.get_json()
    assert answer["decision"] == "block"
    (result,) = answer["results"]
    assert result["post_id"] == "p1"
    assert len(result["content_sha256"]) == 64
    assert [(item["path"], item["line"], item["column"], item["client_id"]) for item in result["findings"]] == [
        ("/text", 1, 10, "EX-001"),
        ("/media/0/alt_text", 1, 1, "EX-001"),
    ]
    assert response.headers["X-Request-Id"] == answer["request_id"]


def test_a_clean_batch_is_approved(client: FlaskClient) -> None:
    posts = [{"id": "a", "text": "Open day on Saturday."}, {"id": "b", "text": "Tea at 4.", "link": "/open-day"}]
    response = post(client, {"posts": posts})
    conforms(response, "/v1/orgs/{org}/check")
    assert response.get_json()["decision"] == "approve"
    assert [result["decision"] for result in response.get_json()["results"]] == ["approve", "approve"]


def test_one_blocked_post_blocks_the_batch(client: FlaskClient) -> None:
    posts = [{"id": "a", "text": "Open day."}, {"id": "b", "text": "Call (555) 014-7788"}]
    answer = post(client, {"posts": posts}).get_json()
    assert answer["decision"] == "block"
    assert [result["decision"] for result in answer["results"]] == ["approve", "block"]


ERRORS = [
    ({"Authorization": ""}, {"post": {"id": "a", "text": "x"}}, 401, "unauthorized"),
    ({"Authorization": "Bearer nope"}, {"post": {"id": "a", "text": "x"}}, 401, "unauthorized"),
    ({"Authorization": f"Bearer {OTHER_TOKEN}"}, {"post": {"id": "a", "text": "x"}}, 403, "forbidden"),
    ({"Content-Type": "text/plain"}, {"post": {"id": "a", "text": "x"}}, 415, "unsupported_media_type"),
    ({}, b'{"post": ', 400, "bad_json"),
    ({}, b"\xff\xfe", 400, "bad_json"),
    ({}, {"post": {"text": "x"}}, 422, "invalid_post"),
    ({}, {"post": {"id": "", "text": "x"}}, 422, "invalid_post"),
    ({}, {"post": {"id": True, "text": "x"}}, 422, "invalid_post"),
    ({}, {"post": {"id": 1.5, "text": "x"}}, 422, "invalid_post"),
    ({}, {"text": "x"}, 422, "invalid_shape"),
    ({}, {"id": "a", "post": "x"}, 422, "invalid_shape"),
    ({}, {"id": 7, "post": {"id": "x", "text": "hello"}, "caption": f"Thanks {CANARY}"}, 422, "invalid_shape"),
    ({}, {"post": {"id": "x", "text": "hi"}, "text": f"Thanks {CANARY}"}, 422, "invalid_shape"),
    ({}, {"posts": [{"id": "x", "text": "hi"}], "id": 7}, 422, "invalid_shape"),
    ({}, {"post": "text"}, 422, "invalid_post"),
    ({}, {"posts": []}, 422, "invalid_shape"),
    ({}, {"posts": {"id": "a"}}, 422, "invalid_shape"),
    ({}, {"post": {"id": "a", "text": "x"}, "posts": []}, 422, "invalid_shape"),
    ({}, [1, 2], 422, "invalid_shape"),
    ({}, {"posts": [{"id": str(n), "text": "x"} for n in range(4)]}, 422, "too_many_posts"),
    ({}, {"post": {"id": "a", "text": "x", "deep": json.loads("[" * 40 + "]" * 40)}}, 422, "invalid_post"),
    ({}, b'{"post": ' + b"[" * 100_00 + b"]" * 100_00 + b"}", 413, "request_entity_too_large"),
    ({}, b'{"post": {"id": "a", "text": "' + b"x" * 30_000 + b'"}}', 413, "request_entity_too_large"),
]


@pytest.mark.parametrize(("headers", "body", "status", "code"), ERRORS)
def test_errors_are_json_and_never_approve(
    client: FlaskClient, headers: dict[str, str], body: object, status: int, code: str
) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post(
        "/v1/orgs/example/check",
        data=data,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", **headers},
    )
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)
    assert "approve" not in response.get_data(as_text=True)
    conforms(response, "/v1/orgs/{org}/check")


# A scheduler's own items: any object with an id, sent as it is or in the gate's envelope;
# every string in it is checked, whatever its member is called.
SCHEDULER_POSTS = [
    ({"id": "buf-1", "content": f"Thanks {CANARY}!"}, "buf-1", "/content"),
    ({"id": 17, "caption": f"Thanks {CANARY}!"}, "17", "/caption"),
    ({"id": "n8n-3", "message": f"Thanks {CANARY}!", "text": None}, "n8n-3", "/message"),
    ({"id": "z-9", "fields": {"body": [f"Thanks {CANARY}!"]}}, "z-9", "/fields/body/0"),
    ({"id": "t-1", "text": ["A list", f"Thanks {CANARY}!"]}, "t-1", "/text/1"),
]


@pytest.mark.parametrize(("item", "post_id", "field"), SCHEDULER_POSTS)
@pytest.mark.parametrize("wrapped", [False, True])
def test_a_schedulers_own_item_is_checked_whole(
    client: FlaskClient, item: dict[str, object], post_id: str, field: str, wrapped: bool
) -> None:
    response = post(client, {"post": item} if wrapped else item)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["decision"] == "block"
    assert answer["results"][0]["post_id"] == post_id
    assert [(item["path"], item["client_id"]) for item in answer["results"][0]["findings"]] == [(field, "EX-099")]
    conforms(response, "/v1/orgs/{org}/check")


def test_a_schedulers_item_without_a_client_is_approved(client: FlaskClient) -> None:
    response = post(client, {"id": 5, "content": "Our open day", "link": "https://example.org/open-day"})
    assert (response.status_code, response.get_json()["decision"]) == (200, "approve")


def test_json_deeper_than_python_parses_is_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path, extra="max_body_bytes = 1000000")
    body = b'{"post": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = post(app.test_client(), body)
    assert (response.status_code, response.get_json()["error"]["code"]) == (422, "too_deep")


def test_unknown_org_is_404_and_rotated_token_works(client: FlaskClient) -> None:
    response = post(client, {"post": {"id": "a", "text": "x"}}, org="nobody")
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")
    assert post(client, {"post": {"id": "a", "text": "x"}}, token=ROTATED).status_code == 200
    assert post(client, {"post": {"id": "a", "text": "x"}}, token=OTHER_TOKEN, org="other").status_code == 200


def test_signatures_are_required_where_configured(tmp_path: Path) -> None:
    client = make_app(tmp_path, signed=True).test_client()
    body = json.dumps({"post": {"id": "a", "text": "Open day."}}).encode()
    assert post(client, body).get_json()["error"]["code"] == "signature_required"
    assert signed_post(client, body).status_code == 200
    assert signed_post(client, body).get_json()["error"]["code"] == "replayed"
    assert signed_post(client, body, message_id="m2", secret=b"wrong").get_json()["error"]["code"] == "bad_signature"
    assert signed_post(client, body, message_id="m3", skew=-301).get_json()["error"]["code"] == "stale_signature"
    assert signed_post(client, body, message_id="m4", skew=301).get_json()["error"]["code"] == "stale_signature"
    assert signed_post(client, body, message_id="m5", skew=-290).status_code == 200
    tampered = signed_post(client, body, message_id="m6")
    assert tampered.status_code == 200
    timestamp = int(time.time())
    response = post(
        client,
        body + b" ",
        **{
            "webhook-id": "m7",
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(SECRET, "m7", timestamp, body),
        },
    )
    assert response.get_json()["error"]["code"] == "bad_signature"


def test_replayed_ids_are_refused_across_app_instances(tmp_path: Path) -> None:
    first, second = make_app(tmp_path, signed=True), make_app(tmp_path, signed=True)  # two workers
    body = json.dumps({"post": {"id": "a", "text": "Open day."}}).encode()
    assert signed_post(first.test_client(), body, message_id="shared").status_code == 200
    assert signed_post(second.test_client(), body, message_id="shared").get_json()["error"]["code"] == "replayed"


def test_replayed_ids_are_refused_by_a_host_with_another_audit_key(tmp_path: Path) -> None:
    """The spent id is kept under the organisation's signing secret, which every host has."""
    config = write_config(tmp_path, signed=True)
    first = create_app(load_server_config(config, ENVIRON))
    second = create_app(load_server_config(config, {**ENVIRON, "GATE_AUDIT_KEY": "another-audit-key-0123456789"}))
    body = json.dumps({"post": {"id": "a", "text": "Open day."}}).encode()
    assert signed_post(first.test_client(), body, message_id="shared").status_code == 200
    assert signed_post(second.test_client(), body, message_id="shared").get_json()["error"]["code"] == "replayed"


def test_every_decision_is_audited_without_text(client: FlaskClient, tmp_path: Path) -> None:
    posts = [{"id": "a", "text": f"Thanks {CANARY}"}, {"id": "b", "text": "Open day."}]
    request_id = post(client, {"posts": posts}, **{"X-Request-Id": "req-1"}).get_json()["request_id"]
    assert request_id == "req-1"
    database = tmp_path / "audit.sqlite3"
    rows = (
        sqlite3.connect(database)
        .execute("SELECT request_id, org, post_id, decision, findings FROM decisions ORDER BY rowid")
        .fetchall()
    )
    assert rows == [
        ("req-1", "example", "a", "block", '[{"client_id": "EX-099", "kind": "name", "field": "/text"}]'),
        ("req-1", "example", "b", "approve", "[]"),
    ]
    for file in tmp_path.glob("audit.sqlite3*"):
        content = file.read_bytes()
        assert b"Zebedee" not in content and b"Quartermain" not in content


def test_a_key_or_post_id_naming_a_client_is_starred_in_the_audit_log(client: FlaskClient, tmp_path: Path) -> None:
    body = {"post": {"id": f"story-{CANARY}", "text": "Vote!", "poll": {CANARY: "yes", "choices": ["Kim Lowe"]}}}
    response = post(client, body)
    conforms(response, "/v1/orgs/{org}/check")
    findings = [(item["client_id"], item["path"]) for item in response.get_json()["results"][0]["findings"]]
    assert findings == [("EX-099", f"/poll/{CANARY}"), ("EX-001", "/poll/choices/0")]
    assert response.get_json()["results"][0]["post_id"] == f"story-{CANARY}"  # the sender's own
    post_id, findings = (
        sqlite3.connect(tmp_path / "audit.sqlite3").execute("SELECT post_id, findings FROM decisions").fetchone()
    )
    assert post_id == "*" and [item["field"] for item in json.loads(findings)] == ["/poll/*", "/poll/choices/0"]
    for file in tmp_path.glob("audit.sqlite3*"):
        assert b"Zebedee" not in file.read_bytes()


REDACTED = [
    # (post id, key below "meta", id stored, field stored)
    ("Zebedee%20Quartermain", "x", "*", None),
    ("Z&#101;bedee Quartermain", "x", "*", None),
    ("p3", "Zebedee%20Quartermain", "p3", "/meta/*"),
    ("p4", "5550147788", "p4", "/meta/*"),
    ("p5", "**Kim** Lowe", "p5", "/meta/*"),
]


@pytest.mark.parametrize(("post_id", "key", "stored_id", "field"), REDACTED)
def test_ids_and_keys_naming_a_client_in_any_disguise_are_starred(
    client: FlaskClient, tmp_path: Path, post_id: str, key: str, stored_id: str, field: str | None
) -> None:
    response = post(client, {"post": {"id": post_id, "text": "Vote!", "meta": {key: 1}}})
    assert response.get_json()["decision"] == ("block" if field else "approve")
    row = sqlite3.connect(tmp_path / "audit.sqlite3").execute("SELECT post_id, findings FROM decisions").fetchone()
    assert (row[0], [item["field"] for item in json.loads(row[1])]) == (stored_id, [field] if field else [])


def test_audit_failure_fails_closed(app: Flask, tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "audit.sqlite3")
    connection.execute("BEGIN EXCLUSIVE")
    try:
        sqlite_store(app).timeout = 0.05
        response = post(app.test_client(), {"post": {"id": "a", "text": "Open day."}})
    finally:
        connection.rollback()
    assert (response.status_code, response.get_json()["error"]["code"]) == (503, "audit_unavailable")


@pytest.mark.parametrize(("setting", "pragma"), [("", 2), ('audit_sync = "normal"', 1)])
def test_the_audit_log_syncs_every_commit_unless_told_otherwise(tmp_path: Path, setting: str, pragma: int) -> None:
    app = make_app(tmp_path, extra=f"max_body_bytes = 20000\n{setting}")
    assert post(app.test_client(), {"post": {"id": "a", "text": "Open day."}}).status_code == 200
    with sqlite_store(app).transaction() as connection:  # the one the check wrote with
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == pragma  # 2 FULL, 1 NORMAL


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_an_audit_database_removed_or_replaced_while_serving_is_never_written_blind(
    app: Flask, tmp_path: Path, how: str
) -> None:
    client = app.test_client()
    assert post(client, {"post": {"id": "a", "text": "Open day."}}).status_code == 200
    database = tmp_path / "audit.sqlite3"
    for path in tmp_path.glob("audit.sqlite3*"):
        path.rename(path.with_name("rotated-" + path.name))
    if how == "replaced":  # an empty database file under the old name, as a rotation leaves
        sqlite3.connect(database).executescript(AUDIT_SCHEMA)
    response = post(client, {"post": {"id": "b", "text": "Open day."}})
    if how == "removed":
        assert (response.status_code, response.get_json()["error"]["code"]) == (503, "audit_unavailable")
    else:
        assert response.status_code == 200
        assert sqlite3.connect(database).execute("SELECT post_id FROM decisions").fetchall() == [("b",)]


def test_unloaded_wordlist_is_503_and_readyz_says_why(tmp_path: Path) -> None:
    write_config(tmp_path)
    (tmp_path / "lists" / "other" / "clients.csv").write_text("client_id,kind,value\nA,nmae,Kim Lowe\n")
    app = create_app(load_server_config(tmp_path / "gate.toml", ENVIRON))
    client = app.test_client()
    response = post(client, {"post": {"id": "a", "text": "x"}}, token=OTHER_TOKEN, org="other")
    assert (response.status_code, response.get_json()["error"]["code"]) == (503, "wordlist_unavailable")
    ready = client.get("/readyz")
    conforms(ready, "/readyz", "get")
    assert ready.status_code == 503
    status = ready.get_json()["orgs"]
    assert status["example"]["loaded"] and status["example"]["error"] is None
    assert status["other"] == {
        "loaded": False,
        "version": None,
        "version_on_disk": status["other"]["version_on_disk"],
        "error": status["other"]["error"],
    }
    assert status["example"]["version"] == status["example"]["version_on_disk"]
    assert "clients.csv:2:2: unknown kind (" in status["other"]["error"]


def test_health_and_openapi(client: FlaskClient) -> None:
    health = client.get("/healthz")
    conforms(health, "/healthz", "get")
    ready = client.get("/readyz")
    assert ready.status_code == 200
    conforms(ready, "/readyz", "get")
    document = client.get("/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0" and "/v1/orgs/{org}/check" in document["paths"]


def test_a_change_is_seen_by_the_next_request(app: Flask, tmp_path: Path) -> None:
    client = app.test_client()
    clients = tmp_path / "lists" / "example" / "clients.csv"
    body = {"post": {"id": "a", "text": "Thanks to Ottilie Brandvold"}}
    assert post(client, body).get_json()["decision"] == "approve"
    clients.write_text(clients.read_text() + "EX-100,name,Ottilie Brandvold,\n")  # in place
    assert post(client, body).get_json()["decision"] == "block"


BROKEN_LIST = [
    # (on_broken_list, status, answer's error code or the stale reason)
    ("", 503, "wordlist_broken"),
    ('on_broken_list = "fail"', 503, "wordlist_broken"),
    ('on_broken_list = "last_good"', 200, "the new wordlist is not loaded ({error}); the last good one answered"),
]


@pytest.mark.parametrize(("setting", "status", "expected"), BROKEN_LIST)
def test_a_broken_new_list_is_refused_unless_the_last_good_one_may_answer_and_says_so(
    tmp_path: Path, setting: str, status: int, expected: str
) -> None:
    client = make_app(tmp_path, extra=f"max_body_bytes = 20000\n{setting}").test_client()
    clients = tmp_path / "lists" / "example" / "clients.csv"
    good = client.get("/readyz").get_json()["orgs"]["example"]["version"]
    clients.write_text("client_id,kind,value\nbroken\n")
    error = f"{clients}:2: expected 3 fields, found 1"
    response = post(client, {"post": {"id": "a", "text": f"Thanks to {CANARY}"}})
    conforms(response, "/v1/orgs/{org}/check")
    assert response.status_code == status
    if status == 503:
        assert response.get_json() == {"error": {"code": expected, "message": error}}
        assert response.headers["Retry-After"] == "30"
    else:
        (result,) = response.get_json()["results"]
        assert result["decision"] == "block"
        assert result["wordlist"] == {
            "org": "example",
            "version": good,
            "stale": True,
            "reason": expected.format(error=error),
        }
    ready = client.get("/readyz")
    conforms(ready, "/readyz", "get")
    state = ready.get_json()["orgs"]["example"]
    assert (ready.status_code, state["version"], state["error"]) == (503, good, error)
    assert state["version_on_disk"] not in (good, None)


CONFIG_ERRORS = [
    ("[server]\nmax_posts = 0\n", "server.max_posts: must be a positive integer"),
    ("[server]\ncolour = 1\n", "server.colour: unknown key"),
    ('[server]\naudit_sync = "off"\n', "server.audit_sync: must be one of full, normal"),
    (
        '[orgs.x]\nwordlist = "w"\ntoken_sha256 = ["abc"]\n',
        "orgs.x.token_sha256: must list one or two SHA-256 hex digests (lower case)",
    ),
    ("[orgs.x]\ntoken_sha256 = []\n", "orgs.x.wordlist: must name the wordlist directory"),
    (
        f'[orgs.x]\nwordlist = "w"\ntoken_sha256 = ["{"a" * 64}"]\nsigning_secret_env = "NOPE"\n',
        "orgs.x.signing_secret_env: environment variable NOPE is not set",
    ),
    ("", "orgs: no organisation configured"),
]


@pytest.mark.parametrize(("text", "message"), CONFIG_ERRORS)
def test_configuration_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "gate.toml"
    path.write_text(text)
    with pytest.raises(GateError) as caught:
        load_server_config(path, ENVIRON)
    assert str(caught.value) == f"{path}: {message}"


def test_a_database_url_of_another_kind_is_a_configuration_error_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path)
    path.write_text(path.read_text().replace('"audit.sqlite3"', '"mysql://gate:hunter2@db.example/gate"'))
    message = (
        f"{path}: server.audit_db: no audit store for mysql:// URLs "
        "(give the path of a SQLite file, or a postgresql:// URL)"
    )
    with pytest.raises(GateError) as caught:
        create_app(load_server_config(path, ENVIRON))
    assert str(caught.value) == message  # not the URL: it may hold a password
    monkeypatch.setenv("GATE_AUDIT_KEY", ENVIRON["GATE_AUDIT_KEY"])
    assert main(["audit", "export", "--config", str(path), "--org", "example"]) == 2
    assert capsys.readouterr().err == f"gate: error: {message}\n"
    assert sorted(item.name for item in tmp_path.iterdir()) == ["gate.toml", "lists"]  # no file made of the URL


def test_missing_audit_key_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(GateError, match=r"server.audit_key_env: environment variable GATE_AUDIT_KEY is not set$"):
        load_server_config(write_config(tmp_path), {})


def test_an_unexpected_error_is_a_json_500_and_never_approves(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import webhook.api

    def broken(*args: object, **options: object) -> None:
        raise RuntimeError(f"something about {CANARY}")

    monkeypatch.setattr(webhook.api, "check_post", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = post(app.test_client(), {"post": {"id": "a", "text": "Open day."}})
    assert response.status_code == 500
    assert response.get_json() == {
        "error": {"code": "internal_error", "message": "unexpected error; nothing was approved"}
    }
    conforms(response, "/v1/orgs/{org}/check")
    assert "RuntimeError" in caplog.text and "Zebedee" not in caplog.text


def test_audience_through_the_webhook(client: FlaskClient) -> None:
    team = {"visibility": "group", "group": "Thursday team", "members": ["priya.nand@harbourside.example", "@pnand"]}
    outsiders = {**team, "members": [*team["members"], "old.volunteer@gmail.example"]}
    allowed = post(client, {"post": {"id": "a", "text": "Kim Lowe's session went well", "audience": team}})
    conforms(allowed, "/v1/orgs/{org}/check")
    result = allowed.get_json()["results"][0]
    assert (result["decision"], result["suppressed"][0]["reason"]) == ("approve", "care team")
    assert result["guidance"].startswith("Tell stories without identifying anyone")
    blocked = post(client, {"post": {"id": "b", "text": "Kim Lowe's session went well", "audience": outsiders}})
    conforms(blocked, "/v1/orgs/{org}/check")
    result = blocked.get_json()["results"][0]
    assert result["decision"] == "block"
    assert result["audience"] == {
        "group": "Thursday team",
        "not_staff": ["old.volunteer@gmail.example"],
        "not_on_care_team": [],
    }
    bad = post(client, {"post": {"id": "c", "text": "x", "audience": {"visibility": "friends"}}})
    assert (bad.status_code, bad.get_json()["error"]["code"]) == (422, "invalid_post")
