"""`gate check --server`: the texts read from an image or a document go to the server with
the file, each under its location, and come back as findings there; a file the gate
could not read is not approved, whatever the server says. A real gunicorn server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from tests.support import documents
from tests.support.server import TOKEN, Server, gunicorn_command, running, write_example_config


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
