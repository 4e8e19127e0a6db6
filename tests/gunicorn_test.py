"""A real gunicorn on 127.0.0.1, started by the tests: end to end, reload in every worker,
bounded concurrency, the remote check, and a canary that never reaches logs or audit."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import tests.support.server
from gate.cli import main
from tests.support import HANG_SECONDS, documents
from tests.support.server import AUDIT_KEY, ROOT, TOKEN, Server, free_port, gunicorn_command, running
from tests.support.server import write_example_config as write_config
from tests.support.wordlists import CANARY
from webhook.auth import token_hash


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    write_config(folder)
    with running(gunicorn_command(), folder) as server:
        yield server


def call(server: Server, body: object) -> tuple[int, Any]:
    return tests.support.server.call(server.url, body, token=TOKEN)


def decision(server: Server, text: str) -> str:
    status, answer = call(server, {"post": {"id": "p", "text": text}})
    assert status == 200, answer
    return str(answer["decision"])


def test_end_to_end(server: Server) -> None:
    assert decision(server, f"Thanks to **{CANARY}** for the mural") == "block"
    assert decision(server, "Open day on Saturday") == "approve"
    status, answer = call(server, {"post": {"text": f"Thanks to {CANARY}"}})
    assert (status, answer["error"]["code"]) == (422, "invalid_post")  # no id: nothing approved


def test_bounded_concurrent_requests_all_answered_and_audited(server: Server) -> None:
    database = server.folder / "audit.sqlite3"
    before = sqlite3.connect(database).execute("SELECT count(*) FROM decisions").fetchone()[0]
    texts = [f"Post {n} about {CANARY}" if n % 3 == 0 else f"Post {n} about tea" for n in range(120)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        decisions = list(pool.map(lambda text: decision(server, text), texts))
    assert decisions == ["block" if n % 3 == 0 else "approve" for n in range(120)]
    after = sqlite3.connect(database).execute("SELECT count(*) FROM decisions").fetchone()[0]
    assert after - before == 120


def test_files_written_in_place_reload_in_every_worker_and_a_broken_edit_is_refused(server: Server) -> None:
    clients = server.folder / "example" / "clients.csv"
    original = clients.read_text()
    newcomer = "Thanks to Ottilie Brandvold"
    assert decision(server, newcomer) == "approve"
    clients.write_text(original + "EX-100,name,Ottilie Brandvold,\n")
    # At once, in both workers: no request is checked against a list older than the files.
    assert all(decision(server, newcomer) == "block" for _ in range(10))
    clients.write_text("client_id,kind,value\nbroken\n")
    refused = [call(server, {"post": {"id": "p", "text": newcomer}}) for _ in range(6)]
    assert (
        refused
        == [(503, {"error": {"code": "wordlist_broken", "message": f"{clients}:2: expected 3 fields, found 1"}})] * 6
    )
    assert "expected 3 fields" in str(tests.support.server.readyz(server.url))
    clients.write_text(original)
    assert all(decision(server, newcomer) == "approve" for _ in range(10))


@pytest.mark.usefixtures("tesseract")
def test_remote_check_reports_exactly_as_a_local_check(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("Thanks **Kim** Lowe!\nSee [story](/stories/lucas-berg).\n")
    (posts / "b.json").write_text('{"body": "Andr\\u00e9 Dufresne, (555) 014-7788"}')
    (posts / "c.html").write_text('<p>Open day</p><img alt="K&#105;m Lowe">')
    (posts / "d.txt").write_text("Nothing to see.\n")
    (posts / "e.yaml").write_text("a: [b\n")
    (posts / "logo.png").write_bytes(b"\x89PNG\0")
    (posts / "kim-lowe-story.md").write_text("Open day.\n")  # a static site publishes the name as its URL
    (posts / "Andr%C3%A9_Dufresne.png").write_bytes(b"\x89PNG\0")
    (posts / "f.csv").write_bytes("name,note\nMagnus Håkansson,visit\n".encode("cp1252"))  # a spreadsheet's
    # Images go to the server as their bytes: a photograph's caption, a message's screenshot.
    (posts / "g.jpg").write_bytes(documents.image(exif=documents.exif(0x010E, "Kim Lowe at the open day")))
    (posts / "h.png").write_bytes(documents.screenshot(["Hi! Just wanted to say", "Thank you so much! — Kim Lowe"]))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--wordlist", str(server.folder / "example"), "posts"]) == 1
    local = capsys.readouterr().out
    monkeypatch.setenv("GATE_TOKEN", TOKEN)
    assert main(["check", "--server", server.url, "--org", "example", "posts"]) == 1
    remote = capsys.readouterr()
    assert (remote.out, remote.err) == (local, "")
    assert local.count(": EX-0") == 10
    assert "posts/f.csv:2:1: EX-024 name" in local
    assert "posts/g.jpg (exif:ImageDescription):1:1: EX-001 name" in local
    assert "posts/h.png (image text):2:" in local
    assert "posts/f.csv: read as windows-125" in local
    assert [line.split(" — ")[0] for line in local.splitlines() if " (path):" in line] == [
        "posts/Andr%C3%A9_Dufresne.png (path):1:7: EX-003 name",
        "posts/kim-lowe-story.md (path):1:7: EX-001 name",
    ]


def test_remote_check_fails_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("Open day")
    monkeypatch.setenv("GATE_TOKEN", TOKEN)
    port = free_port()
    assert main(["check", "--server", f"http://127.0.0.1:{port}", "--org", "example", str(tmp_path / "a.md")]) == 2
    assert "cannot reach the server" in capsys.readouterr().err


def test_remote_check_with_a_wrong_token_exits_2(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("Open day")
    monkeypatch.setenv("GATE_TOKEN", "wrong")
    assert main(["check", "--server", server.url, "--org", "example", str(tmp_path / "a.md")]) == 2
    assert capsys.readouterr().err.endswith("the server answered 401 (unknown token)\n")


def test_gate_serve_starts_the_same_server(tmp_path: Path) -> None:
    write_config(tmp_path)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gate",
        "serve",
        "--config",
        str(tmp_path / "gate.toml"),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    with running(command, tmp_path, port=port, log_name="serve.log") as server:
        status, answer = tests.support.server.readyz(server.url)
        assert (status, answer["ready"]) == (200, True)


def test_canary_never_reaches_logs_or_the_audit_database(server: Server) -> None:
    assert decision(server, f"A note about {CANARY}") == "block"
    time.sleep(0.5)
    for path in [server.log, *server.folder.glob("audit.sqlite3*")]:
        content = path.read_bytes()
        assert b"Zebedee" not in content and b"Quartermain" not in content, path
    assert b'"POST /v1/orgs/example/check" 200' in server.log.read_bytes()


def test_token_new_prints_a_token_and_its_hash(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "new", "--org", "example"]) == 0
    lines = capsys.readouterr().out.splitlines()
    token = lines[1]
    assert lines[0] == "token (give it to the scheduler of example; it is not shown again):"
    assert lines[3:] == ["in the server configuration, [orgs.example]:", f'token_sha256 = ["{token_hash(token)}"]']
    assert len(token) >= 40


def test_audit_export_for_the_compliance_officer(
    server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert decision(server, f"Export test about {CANARY}") == "block"
    monkeypatch.setenv("GATE_AUDIT_KEY", AUDIT_KEY)
    config = str(server.folder / "gate.toml")
    assert main(["audit", "export", "--config", config, "--org", "example", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1]["decision"] == "block"
    assert rows[-1]["findings"] == [{"client_id": "EX-099", "kind": "name", "field": "/text"}]
    assert set(rows[-1]) == {
        "time",
        "request_id",
        "org",
        "post_id",
        "decision",
        "content_hmac",
        "findings",
        "wordlist_version",
        "source",
    }
    assert rows[-1]["source"] == "webhook"
    assert main(["audit", "export", "--config", config, "--org", "example", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == (
        "time,request_id,org,post_id,decision,content_hmac,findings,wordlist_version,source\n"
    )
    assert main(["audit", "export", "--config", config, "--org", "nobody"]) == 2
    assert capsys.readouterr().err == f"gate: error: {config}: no organisation 'nobody'\n"


def test_a_configuration_error_stops_start_up_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "gate.toml").write_text("[server]\nmax_posts = 0\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GATE_AUDIT_KEY": AUDIT_KEY,
        "GATE_CONFIG": str(tmp_path / "gate.toml"),
        "GATE_BIND": f"127.0.0.1:{free_port()}",
    }
    done = subprocess.run(
        gunicorn_command(),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        f"gate webhook: configuration error: {tmp_path / 'gate.toml'}: server.max_posts: must be a positive integer"
    )
    assert "Traceback" not in done.stderr


# A body as gunicorn reads it off the socket: announced by Content-Length, or chunked.

MAX_BODY_BYTES = 1_048_576  # the server's default
OPEN_DAY = b'{"post": {"id": "a", "text": "Open day."}}'
TOO_LARGE = {
    "error": {
        "code": "request_entity_too_large",
        "message": f"the body is over {MAX_BODY_BYTES} bytes (server.max_body_bytes)",
    }
}
BODIES = [
    # (bytes: a post padded with spaces, so that any cut of it still parses; answer)
    (1_000, 200),
    (MAX_BODY_BYTES, 200),
    (MAX_BODY_BYTES + 1, 413),  # was checked as its first MAX_BODY_BYTES when chunked, and approved
    (3_000_000, 413),
]


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
@pytest.mark.parametrize(("size", "status"), BODIES)
def test_a_body_past_max_body_bytes_is_refused_whole_however_it_is_sent(
    server: Server, chunked: bool, size: int, status: int
) -> None:
    rows = audit_count(server)
    answer = raw_post(server, OPEN_DAY.ljust(size), chunked=chunked)
    if status == 413:
        assert answer == (413, TOO_LARGE)
        assert audit_count(server) == rows  # nothing was checked
    else:
        assert (answer[0], answer[1]["decision"], audit_count(server)) == (200, "approve", rows + 1)


def audit_count(server: Server) -> int:
    with sqlite3.connect(server.folder / "audit.sqlite3") as database:
        return int(database.execute("SELECT count(*) FROM decisions").fetchone()[0])


def raw_post(server: Server, body: bytes, *, chunked: bool) -> tuple[int, Any]:
    """POST a check as bytes on a socket; the answer is read while the body is still being
    sent, since a server that refuses a body stops reading it and closes."""
    port = int(server.url.rsplit(":", 1)[1])
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
    head = (
        f"POST /v1/orgs/example/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\n{length}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_SECONDS) as connection:
        sender = threading.Thread(target=send_body, args=(connection, head, body, chunked), daemon=True)
        sender.start()
        response = http.client.HTTPResponse(connection)
        response.begin()
        answer = response.status, json.loads(response.read())
        sender.join(HANG_SECONDS)
    return answer


def send_body(connection: socket.socket, head: bytes, body: bytes, chunked: bool) -> None:
    pieces = [body[start : start + 65_536] for start in range(0, len(body), 65_536)]
    if chunked:
        pieces = [b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces] + [b"0\r\n\r\n"]
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the server stopped reading
        for piece in [head, *pieces]:
            connection.sendall(piece)
