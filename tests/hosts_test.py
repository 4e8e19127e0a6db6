"""Two hosts, each a real gunicorn, on one real PostgreSQL audit store: nothing lost, one
log that exports both hosts' decisions, a webhook id spent on one host refused by the
other, one count of failed sign-ins, and both failing closed (503) while the database is
down, then answering again once it is back."""

from __future__ import annotations

import base64
import concurrent.futures
import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.signatures import sign
from tests.support.console import OFFICERS, PASSWORD, SESSION_KEY
from tests.support.postgres import PostgresServer
from tests.support.server import AUDIT_KEY, Server, call, gunicorn_command, launch, stop
from tests.support.wordlists import CANARY
from webhook.auth import token_hash

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "hosts-token"
SECRET = b"0123456789abcdef0123456789abcdef"
ENVIRONMENT = {"EXAMPLE_WHSEC": "whsec_" + base64.b64encode(SECRET).decode(), "GATE_SESSION_KEY": SESSION_KEY}


def host_config(folder: Path, audit_db: str) -> Path:
    folder.mkdir()
    shutil.copytree(ROOT / "wordlists" / "example", folder / "example")
    with (folder / "example" / "clients.csv").open("a") as clients:
        clients.write(f"EX-099,name,{CANARY},\n")
    path = folder / "gate.toml"
    path.write_text(
        f'[server]\naudit_db = "{audit_db}"\n\n'
        f'[orgs.example]\nwordlist = "example"\ntoken_sha256 = ["{token_hash(TOKEN)}"]\n'
        'signing_secret_env = "EXAMPLE_WHSEC"\n\n' + OFFICERS.replace(', "other"', "").split("[officers.bob]")[0]
    )
    return path


@pytest.fixture
def hosts(own_postgres: PostgresServer, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    database = own_postgres.new_database()
    for name in ("a", "b"):
        host_config(tmp_path / name, database)
    first = launch(gunicorn_command(), tmp_path / "a", env=ENVIRONMENT)
    try:
        second = launch(gunicorn_command(), tmp_path / "b", env=ENVIRONMENT)
        try:
            yield first, second
        finally:
            stop(second)
    finally:
        stop(first)


def signed(server: Server, post: dict[str, object], message_id: str) -> tuple[int, Any]:
    body = json.dumps({"post": post}).encode()
    now = int(time.time())
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(now),
        "webhook-signature": sign(SECRET, message_id, now, body),
    }
    return call(server.url, body, token=TOKEN, headers=headers)


def sign_in(server: Server, password: str) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    form = opener.open(f"{server.url}/console/login").read().decode()
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = urllib.parse.urlencode({"name": "alice", "password": password, "csrf_token": token}).encode()
    try:
        return int(opener.open(f"{server.url}/console/login", data=data).status)
    except urllib.error.HTTPError as error:
        return error.code


def test_two_hosts_share_one_log_refuse_each_others_replays_and_fail_closed(
    hosts: tuple[Server, Server], own_postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    postgres = own_postgres  # stopped and started below: a server of this test's own
    first, second = hosts

    # 40 posts at once, 8 in flight, spread over both hosts: every one answered and kept.
    def send(number: int) -> tuple[int, str]:
        words = f"Thanks {CANARY}" if number % 3 == 0 else "A sunny open day"
        status, answer = signed(hosts[number % 2], {"id": f"post-{number}", "text": words}, f"msg_{number}")
        return status, answer.get("decision", "")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(40)))
    assert answers == [(200, "block" if number % 3 == 0 else "approve") for number in range(40)]

    # One log: every decision of both hosts, once.
    config = str(first.folder / "gate.toml")
    assert main(["audit", "export", "--config", config, "--org", "example", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(row["post_id"] for row in rows) == sorted(f"post-{number}" for number in range(40))
    assert {row["post_id"]: row["decision"] for row in rows} == {
        f"post-{number}": "block" if number % 3 == 0 else "approve" for number in range(40)
    }
    assert len({row["request_id"] for row in rows}) == 40

    # A delivery spent on one host is a replay on the other.
    status, answer = signed(second, {"id": "post-0", "text": "A sunny open day"}, "msg_0")
    assert (status, answer) == (401, {"error": {"code": "replayed", "message": "this webhook-id was seen before"}})

    # Failed sign-ins on one host count on the other.
    for _ in range(5):
        assert sign_in(first, "wrong password") == 401
    assert sign_in(second, PASSWORD) == 429

    # The database down: both hosts refuse, nothing is approved; then both answer again.
    postgres.stop()
    try:
        for host in hosts:
            status, answer = signed(host, {"id": "down", "text": "A sunny open day"}, f"msg_down_{host.url}")
            assert status == 503, answer
            assert answer["error"]["code"] == "audit_unavailable"
    finally:
        postgres.start()
    for number, host in enumerate(hosts):
        status, answer = signed(host, {"id": "back", "text": "A sunny open day"}, f"msg_back_{number}")
        assert (status, answer["decision"]) == (200, "approve")
    assert AUDIT_KEY not in first.log.read_text() + second.log.read_text()
    assert CANARY not in first.log.read_text() + second.log.read_text()
