"""Ways a post could be approved that should be blocked, or client data kept where it must
not be, each closed (issue 11): retries after a check that did not complete, the audit
database's permissions, request ids and row sizes, duplicate JSON keys, numbers, malformed
signature headers, lone surrogates, weak configuration, the bearer scheme's case."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gate.errors import GateError
from gate.extract import YAML_TOO_DEEP
from gate.signatures import sign, signature
from tests.support.app import ENVIRON, OTHER_TOKEN, SECRET, TOKEN, conforms, make_app, post, signed_post, write_config
from tests.support.wordlists import CANARY
from webhook.audit import Decision
from webhook.audit.row import MAX_FIELD_CHARS, MAX_FINDINGS_PER_ROW
from webhook.audit.sqlite import SQLiteAuditStore
from webhook.auth import token_hash
from webhook.config import load_server_config
from webhook.replay import Replayed, ReplayKey
from webhook.state import state_of

CHECK = "/v1/orgs/{org}/check"


def audit_rows(folder: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(folder / "audit.sqlite3") as connection:
        return connection.execute(
            "SELECT request_id, post_id, decision, findings FROM decisions ORDER BY rowid"
        ).fetchall()


def canary_absent(folder: Path) -> None:
    for path in folder.glob("audit.sqlite3*"):
        content = path.read_bytes()
        assert b"Zebedee" not in content and b"Quartermain" not in content, path


# 2. A retry after a check that did not complete is a retry, not a replay.


def test_a_retry_after_a_refused_check_is_answered_and_only_then_is_the_id_spent(tmp_path: Path) -> None:
    client = make_app(tmp_path, signed=True).test_client()
    clients = tmp_path / "lists" / "example" / "clients.csv"
    good = clients.read_text()
    body = json.dumps({"post": {"id": "a", "text": f"Thanks to {CANARY}"}}).encode()
    clients.write_text("client_id,kind,value\nbroken\n")
    first = signed_post(client, body, message_id="msg_retry")
    assert (first.status_code, first.get_json()["error"]["code"]) == (503, "wordlist_broken")
    clients.write_text(good)
    retried = signed_post(client, body, message_id="msg_retry")
    assert (retried.status_code, retried.get_json()["decision"]) == (200, "block")
    again = signed_post(client, body, message_id="msg_retry")
    assert (again.status_code, again.get_json()["error"]["code"]) == (401, "replayed")
    assert [row[2] for row in audit_rows(tmp_path)] == ["block"]


def test_a_retry_after_an_audit_failure_is_answered(tmp_path: Path) -> None:
    client = make_app(tmp_path, signed=True).test_client()
    body = json.dumps({"post": {"id": "a", "text": "Open day."}}).encode()
    locker = sqlite3.connect(tmp_path / "audit.sqlite3")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        store = state_of(client.application).audit
        assert isinstance(store, SQLiteAuditStore)
        store.timeout = 0.05
        failed = signed_post(client, body, message_id="msg_audit")
    finally:
        locker.rollback()
    assert (failed.status_code, failed.get_json()["error"]["code"]) == (503, "audit_unavailable")
    assert signed_post(client, body, message_id="msg_audit").status_code == 200


def test_of_two_racing_requests_with_one_id_the_second_commit_is_replayed_and_writes_nothing(tmp_path: Path) -> None:
    first, second = SQLiteAuditStore(tmp_path / "a.sqlite3"), SQLiteAuditStore(tmp_path / "a.sqlite3")  # two workers
    row = Decision("t", "r", "example", "p", "approve", "h", "[]", "v")
    key = ReplayKey("example", "id")
    assert not first.seen(key) and not second.seen(key)  # both checked
    first.record([row], spend=key)
    with pytest.raises(Replayed):
        second.record([row._replace(request_id="r2")], spend=key)
    assert [item["request_id"] for item in first.export("example")] == ["r"]
    assert first.seen(key)


# 3. The audit database is private, and holds no client's name and no unbounded row.


def test_the_audit_database_and_its_companions_are_readable_by_the_server_only(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        client = make_app(tmp_path).test_client()
        assert post(client, {"post": {"id": "a", "text": "Open day."}}).status_code == 200
    finally:
        os.umask(mask)
    files = sorted(path.name for path in tmp_path.glob("audit.sqlite3*"))
    assert files == ["audit.sqlite3", "audit.sqlite3-shm", "audit.sqlite3-wal"]
    assert {name: stat.S_IMODE((tmp_path / name).stat().st_mode) for name in files} == dict.fromkeys(files, 0o600)


REQUEST_IDS = [
    # (X-Request-Id sent, echoed to the sender, stored and logged)
    ("Zebedee-Quartermain", "Zebedee-Quartermain", "*"),
    ("kim_lowe", "kim_lowe", "*"),  # underscores count as spaces
    ("req-7", "req-7", "req-7"),
]


@pytest.mark.parametrize(("given", "echoed", "stored"), REQUEST_IDS)
def test_a_request_id_naming_a_client_is_starred_in_the_audit_log_and_the_log(
    client: FlaskClient, tmp_path: Path, caplog: pytest.LogCaptureFixture, given: str, echoed: str, stored: str
) -> None:
    caplog.set_level("INFO", logger="gate")
    response = post(client, {"post": {"id": "a", "text": "Open day."}}, **{"X-Request-Id": given})
    assert (response.headers["X-Request-Id"], response.get_json()["request_id"]) == (echoed, echoed)
    assert audit_rows(tmp_path) == [(stored, "a", "approve", "[]")]
    assert f"request {stored} org example post a: approve" in caplog.text
    assert "Zebedee" not in caplog.text
    canary_absent(tmp_path)


def test_one_large_request_writes_a_bounded_row(tmp_path: Path) -> None:
    client = make_app(tmp_path, extra="max_body_bytes = 1048576").test_client()
    long_key = "k" * 5000
    fields = {f"f{n}": f"{CANARY}" for n in range(3000)}
    body = {"post": {"id": "i" * 5000, "text": "x", "deep": {long_key: CANARY}, **fields}}
    response = post(client, body)
    assert (response.status_code, response.get_json()["decision"]) == (200, "block")
    assert len(response.get_json()["results"][0]["findings"]) == 3001  # the sender gets them all
    ((_, post_id, _, findings),) = audit_rows(tmp_path)
    listed = json.loads(findings)
    assert post_id == "i" * 127 + "\u2026"
    assert len(listed) == MAX_FINDINGS_PER_ROW + 1 and listed[-1] == {"omitted": 3001 - MAX_FINDINGS_PER_ROW}
    assert listed[0] == {
        "client_id": "EX-099",
        "kind": "name",
        "field": "/deep/" + "k" * (MAX_FIELD_CHARS - 7) + "\u2026",
    }
    assert listed[1] == {"client_id": "EX-099", "kind": "name", "field": "/f0"}
    assert len(findings) < 5000  # was 3.2 MB for a 1 MB request
    canary_absent(tmp_path)


# 4. What a scheduler sends is read as the scheduler reads it.

DUPLICATES = [
    b'{"post": {"id": "a", "text": "Kim Lowe", "text": "Open day"}}',
    b'{"post": {"id": "a", "text": "x", "media": [{"alt_text": "Kim Lowe", "alt_text": "a cat"}]}}',
    b'{"post": {"id": "a", "text": "x"}, "post": {"id": "b", "text": "y"}}',
]


@pytest.mark.parametrize("body", DUPLICATES)
def test_a_key_sent_twice_is_refused(client: FlaskClient, body: bytes) -> None:
    response = post(client, body)
    assert (response.status_code, response.get_json()) == (
        422,
        {"error": {"code": "duplicate_key", "message": "an object in the JSON has the same key twice"}},
    )
    conforms(response, CHECK)


NUMBERS = [
    # (a field of the post, decision, finding's field)
    ({"phone": 5550147788}, "block", "/phone"),
    ({"contact": {"phone": 5.550147788e9}}, "block", "/contact/phone"),
    ({"numbers": [1, 2, 15550147788]}, "block", "/numbers/2"),
    ({"likes": 12, "ratio": 0.5, "pinned": True, "reply_to": None}, "approve", None),
]


@pytest.mark.parametrize(("fields", "decision", "field"), NUMBERS)
def test_numbers_are_scanned_as_their_digits(
    client: FlaskClient, fields: dict[str, Any], decision: str, field: str | None
) -> None:
    response = post(client, {"post": {"id": "a", "text": "Call us", **fields}})
    (result,) = response.get_json()["results"]
    assert (result["decision"], [item["path"] for item in result["findings"]]) == (decision, [field] if field else [])


def test_a_post_refused_past_a_reading_limit_blocks(client: FlaskClient) -> None:
    nested = "a:\n" + "".join("  " * depth + "b:\n" for depth in range(1, 40)) + "  " * 40 + "c\n"
    response = post(client, {"post": {"id": "a", "text": nested, "format": "yaml"}})
    (result,) = response.get_json()["results"]
    assert (result["decision"], result["findings"], result["not_scanned"]) == (
        "block",
        [],
        [{"path": "/text", "reason": YAML_TOO_DEEP, "action": "block"}],
    )
    conforms(response, CHECK)


SURROGATES = [
    (b'{"post": {"id": "a", "text": "\\ud800"}}', 422, "invalid_string"),
    (b'{"post": {"id": "a", "text": "x", "\\udfff": 1}}', 422, "invalid_string"),
    (b'{"post": {"id": "a", "text": "x", "m": ["ok", "\\uDBFF"]}}', 422, "invalid_string"),
    (b'{"post": {"id": "a", "text": "smile \\ud83d\\ude00 and \\\\ud800"}}', 200, None),  # a pair; an escaped backslash
    # The body is UTF-8: json.loads would take UTF-16 and UTF-32 too, and the escape went
    # unseen in their bytes (a 500 as the post was hashed).
    ('{"post": {"id": "a", "text": "\\ud800"}}'.encode("utf-16"), 400, "bad_json"),
    ('{"post": {"id": "a", "text": "\\ud800"}}'.encode("utf-16-le"), 400, "bad_json"),
    ('{"post": {"id": "a", "text": "\\ud800"}}'.encode("utf-32"), 400, "bad_json"),
    ('{"post": {"id": "a", "text": "Open day."}}'.encode("utf-16"), 400, "bad_json"),
    (b'{"post": {"id": "a", "text": "\xed\xa0\x80"}}', 400, "bad_json"),  # a surrogate encoded, not escaped: was a 500
    (b'\xef\xbb\xbf{"post": {"id": "a", "text": "\\ud800"}}', 422, "invalid_string"),  # a UTF-8 BOM is allowed
    (b'\xef\xbb\xbf{"post": {"id": "a", "text": "Open day."}}', 200, None),
]


@pytest.mark.parametrize(("body", "status", "code"), SURROGATES)
def test_a_lone_surrogate_is_refused_not_a_500(client: FlaskClient, body: bytes, status: int, code: str | None) -> None:
    response = post(client, body)
    assert response.status_code == status
    if code:
        assert response.get_json()["error"]["code"] == code
    conforms(response, CHECK)


@pytest.fixture
def signed(tmp_path: Path) -> FlaskClient:
    return make_app(tmp_path, signed=True).test_client()


def test_malformed_signature_headers_are_401_not_500(signed: FlaskClient) -> None:
    body = json.dumps({"post": {"id": "a", "text": "Open day."}}).encode()
    now = int(time.time())
    valid = sign(SECRET, "m1", now, body)
    cases = [
        ({"webhook-id": "m1", "webhook-timestamp": "\u00b2", "webhook-signature": valid}, "stale_signature"),
        (
            {"webhook-id": "m1", "webhook-timestamp": str(now)[:-1] + "\u00b9", "webhook-signature": valid},
            "stale_signature",
        ),
        ({"webhook-id": "m1", "webhook-timestamp": str(now), "webhook-signature": "v1,\u00e9\u00e9"}, "bad_signature"),
        (
            {"webhook-id": "m1", "webhook-timestamp": str(now), "webhook-signature": valid[:-2] + "\u00e9="},
            "bad_signature",
        ),
    ]
    for headers, code in cases:
        response = post(signed, body, **headers)
        assert (response.status_code, response.get_json()["error"]["code"]) == (401, code), headers
    assert (
        post(
            signed, body, **{"webhook-id": "m1", "webhook-timestamp": str(now), "webhook-signature": valid}
        ).status_code
        == 200
    )


TIMESTAMPS = [
    # (webhook-timestamp, "{now}" standing for the clock's seconds; the error, or None: answered)
    ("9" * 5000, "stale_signature"),  # int() refuses over 4300 digits: was a 500
    ("1" + "0" * 4300, "stale_signature"),
    ("0" * 5000 + "{now}", None),  # digits within 300 seconds of now, however many zeros lead
    ("{now}", None),
    (" {now}", "stale_signature"),
    ("+{now}", "stale_signature"),
    ("-1", "stale_signature"),
    ("{now}.0", "stale_signature"),
    ("1_{now}", "stale_signature"),
    ("0x10", "stale_signature"),
    ("\u00b2", "stale_signature"),
    ("\u0661\u0662\u0663", "stale_signature"),  # Arabic-Indic digits: isdigit(), not ASCII
    ("\uff11\uff12\uff13", "stale_signature"),  # full-width digits
]


@pytest.mark.parametrize(("template", "code"), TIMESTAMPS, ids=lambda value: str(value)[:24])
def test_a_timestamp_that_is_not_ascii_digits_near_now_is_stale_never_a_500(
    signed: FlaskClient, template: str, code: str | None
) -> None:
    body = json.dumps({"post": {"id": "a", "text": "Open day."}}).encode()
    timestamp = template.replace("{now}", str(int(time.time())))
    headers = {
        "webhook-id": "m1",
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + signature(SECRET, "m1", timestamp, body),
    }
    response = post(signed, body, **headers)
    if code is None:
        assert response.status_code == 200
    else:
        assert (response.status_code, response.get_json()["error"]["code"]) == (401, code)
    conforms(response, CHECK)


def test_a_webhook_id_naming_a_client_is_not_kept(signed: FlaskClient, tmp_path: Path) -> None:
    body = json.dumps({"post": {"id": "a", "text": "Open day."}}).encode()
    assert signed_post(signed, body, message_id=f"msg-{CANARY}").status_code == 200
    canary_absent(tmp_path)


# 5. Configuration and authentication.


def config_error(tmp_path: Path, environ: dict[str, str], replace: tuple[str, str] = ("", "")) -> str:
    path = write_config(tmp_path)
    path.write_text(path.read_text().replace(*replace))
    with pytest.raises(GateError) as caught:
        load_server_config(path, environ)
    return str(caught.value).removeprefix(f"{path}: ")


def test_a_weak_audit_key_is_refused(tmp_path: Path) -> None:
    assert config_error(tmp_path, {**ENVIRON, "GATE_AUDIT_KEY": "x" * 15}) == (
        "server.audit_key_env: the key in GATE_AUDIT_KEY has 15 bytes, fewer than 16: use a random key of 32 bytes or more"
    )
    load_server_config(write_config(tmp_path), {**ENVIRON, "GATE_AUDIT_KEY": "x" * 16})


def test_two_organisations_with_one_token_are_refused_without_showing_the_hash(tmp_path: Path) -> None:

    message = config_error(tmp_path, ENVIRON, (token_hash(OTHER_TOKEN), token_hash(TOKEN)))
    assert message == "orgs.example, orgs.other: the two organisations share a token (token_sha256)"
    assert token_hash(TOKEN) not in message


SERVER_KEYS = [
    ("reload_wait_seconds = 0", "server.reload_wait_seconds: must be a positive number"),
    ("reload_wait_seconds = true", "server.reload_wait_seconds: must be a positive number"),
    ('on_broken_list = "ignore"', "server.on_broken_list: must be one of fail, last_good"),
]


@pytest.mark.parametrize(("setting", "message"), SERVER_KEYS)
def test_the_new_server_keys_are_checked(tmp_path: Path, setting: str, message: str) -> None:
    assert config_error(tmp_path, ENVIRON, ("max_posts = 3", f"max_posts = 3\n{setting}")) == message


AUTHORIZATION = [
    (f"Bearer {TOKEN}", 200),
    (f"bearer {TOKEN}", 200),
    (f"BEARER {TOKEN}", 200),
    (f"Bearer  {TOKEN} ", 200),
    ("Bearer", 401),
    ("Bearer ", 401),
    (f"Basic {TOKEN}", 401),
    (f"Bearer{TOKEN}", 401),
]


@pytest.mark.parametrize(("header", "status"), AUTHORIZATION)
def test_the_bearer_scheme_is_case_insensitive(client: FlaskClient, header: str, status: int) -> None:
    response = post(client, {"post": {"id": "a", "text": "Open day."}}, Authorization=header)
    assert response.status_code == status


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    yield make_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
