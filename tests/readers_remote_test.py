"""`gate check --server`: an image or a document goes to the server as its bytes (a media
item's `data`), the server reads it with its own limits and OCR, and its findings come
back at their locations; one too large to send is read here and its texts sent. A file
that cannot be read is not approved, whatever the server says. A real gunicorn server."""

from __future__ import annotations

import base64
import json
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gate.adapters import remote
from gate.cli import main
from tests.support import documents
from tests.support.server import TOKEN, Server, gunicorn_command, running, write_example_config
from tests.support.wordlists import CANARY


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    write_example_config(folder)
    with running(gunicorn_command(), folder, workers=1) as served:
        yield served


def check_remotely(
    server: Server, paths: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any]]:
    monkeypatch.setenv("GATE_TOKEN", TOKEN)
    code = main(["check", "--server", server.url, "--org", "example", "--format", "json", *paths])
    return code, json.loads(capsys.readouterr().out)


def test_a_name_inside_a_file_is_found_by_the_server_at_its_location(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(documents.image(xmp=documents.xmp("subject", "Kim Lowe")))
    report = tmp_path / "report.docx"
    report.write_bytes(documents.docx_file("comment", "Kim Lowe"))
    code, verdict = check_remotely(server, [str(photo), str(report)], monkeypatch, capsys)
    assert code == 1
    assert [
        (item["path"], item["location"], item["line"], item["column"], item["client_id"])
        for item in verdict["findings"]
    ] == [
        (str(photo), "xmp:dc:subject", 2, 1, "EX-001"),
        (str(report), "word/comments.xml paragraph 1", 1, 5, "EX-001"),
    ]


def test_a_file_the_gate_could_not_read_blocks_though_the_server_approves(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "report.pdf"
    broken.write_bytes(documents.pdf()[:300])
    code, verdict = check_remotely(server, [str(broken)], monkeypatch, capsys)
    assert (code, verdict["decision"], verdict["findings"]) == (1, "block", [])
    (entry,) = verdict["not_scanned"]
    assert entry["action"] == "block" and entry["reason"].startswith("a PDF that cannot be read (")


def test_a_file_too_large_to_send_is_read_here_and_its_texts_sent(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(documents.image(xmp=documents.xmp("subject", "Kim Lowe")))
    sent: list[dict[str, Any]] = []
    post = remote._post

    def recording(*args: Any, **options: Any) -> object:
        sent.append(args[3])
        return post(*args, **options)

    monkeypatch.setattr(remote, "_post", recording)
    monkeypatch.setattr(remote, "SEND_FILES_UP_TO", len(photo.read_bytes()) - 1)
    code, verdict = check_remotely(server, [str(photo)], monkeypatch, capsys)
    assert (code, [(item["location"], item["line"]) for item in verdict["findings"]]) == (1, [("xmp:dc:subject", 2)])
    (only,) = sent[0]["posts"]
    assert "media" not in only and "xmp:dc:subject" in only["parts"]
    monkeypatch.setattr(remote, "SEND_FILES_UP_TO", len(photo.read_bytes()))
    check_remotely(server, [str(photo)], monkeypatch, capsys)
    assert base64.b64decode(sent[1]["posts"][0]["media"][0]["data"]) == photo.read_bytes()


@pytest.mark.usefixtures("tesseract")
def test_a_screenshot_posted_to_the_server_blocks_and_leaves_no_trace_of_the_name(server: Server) -> None:
    image = documents.screenshot(["Hi! Just wanted to say", f"Thank you so much! — {CANARY}"])
    item = {"data": base64.b64encode(image).decode(), "filename": "message.png", "content_type": "image/png"}
    request = urllib.request.Request(
        f"{server.url}/v1/orgs/example/check",
        data=json.dumps({"post": {"id": "q-1", "text": "From a client", "media": [item]}}).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result = json.load(response)["results"][0]
    found = [(entry["path"], entry["location"], entry["line"], entry["client_id"]) for entry in result["findings"]]
    assert (result["decision"], found) == ("block", [("/media/0/data", "image text", 2, "EX-099")])
    time.sleep(0.5)  # the log lines of the request
    assert "Zebedee" not in server.log.read_text()
    rows = sqlite3.connect(server.folder / "audit.sqlite3").execute("SELECT findings FROM decisions").fetchall()
    assert rows[-1] == ('[{"client_id": "EX-099", "kind": "name", "field": "/media/0/data"}]',)
    for file in server.folder.glob("audit.sqlite3*"):
        assert b"Zebedee" not in file.read_bytes() and item["data"][:64].encode() not in file.read_bytes()
