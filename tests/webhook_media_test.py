"""A post's media item with `data` carries the file itself: the webhook reads it as a file
(an image's metadata and the text in its pixels, a PDF's pages), finds what is inside at
`/media/N/data` with its location and checks its `filename` as a path; bad base64 is 422;
the audit log and the logs never hold the bytes or a client's name."""

from __future__ import annotations

import base64
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support import documents
from tests.support.app import conforms, make_app, post
from tests.support.documents import exif, screenshot
from tests.support.wordlists import CANARY

CHECK = "/v1/orgs/{org}/check"
MESSAGE = ["Hi! Just wanted to say", f"Thank you so much! — {CANARY}"]


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    return make_app(tmp_path, extra="max_body_bytes = 2000000").test_client()


def media_post(data: bytes, **item: object) -> dict[str, Any]:
    return {"post": {"id": "q-1", "text": "A lovely message from a client", "media": [{"data": encode(data), **item}]}}


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def verdict(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    conforms(response, CHECK)
    result: dict[str, Any] = response.get_json()["results"][0]
    return result


def places(result: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    return [(item["path"], item.get("location"), item["client_id"]) for item in result["findings"]]


@pytest.mark.usefixtures("tesseract")
def test_a_screenshot_naming_a_client_blocks_at_its_data_and_location(client: FlaskClient) -> None:
    result = verdict(post(client, media_post(screenshot(MESSAGE), filename="message.png", content_type="image/png")))
    assert (result["decision"], places(result)) == ("block", [("/media/0/data", "image text", "EX-099")])
    assert (result["findings"][0]["line"], result["not_scanned"]) == (2, [])


@pytest.mark.usefixtures("tesseract")
def test_a_clean_screenshot_approves(client: FlaskClient) -> None:
    result = verdict(post(client, media_post(screenshot(["Thank you so much! — the team"]), filename="thanks.png")))
    assert (result["decision"], result["findings"], result["not_scanned"]) == ("approve", [], [])


FILES = [
    ("jpeg caption", documents.image(exif=exif(0x010E, "Kim Lowe at the open day")), "exif:ImageDescription"),
    ("pdf page", documents.pdf(page_three="Thanks, Kim Lowe!"), "page 3"),
    ("word comment", documents.docx_file("comment", "Kim Lowe"), "word/comments.xml paragraph 1"),
    ("text", b"Thanks, Kim Lowe!", None),
]


@pytest.mark.parametrize(("what", "data", "location"), FILES, ids=[what for what, _, _ in FILES])
def test_a_name_inside_a_file_is_found_at_the_files_pointer(
    client: FlaskClient, what: str, data: bytes, location: str | None
) -> None:
    result = verdict(post(client, media_post(data)))
    assert places(result) == [("/media/0/data", location, "EX-001")], what


def test_the_filename_is_checked_as_a_path_and_the_other_members_as_text(client: FlaskClient) -> None:
    body = media_post(documents.image(), filename="stories/kim-lowe.jpg", alt_text="Kim Lowe smiling")
    result = verdict(post(client, body))
    assert places(result) == [("/media/0/alt_text", None, "EX-001"), ("/media/0/filename", "path", "EX-001")]


def test_the_base64_itself_is_not_checked_as_text(tmp_path: Path) -> None:
    """A client whose alias is what the base64 of a clean text reads: found if the string
    were checked as text, not in the file it decodes to."""
    data = b"Open day at the harbour"
    alias = encode(data).rstrip("=")
    client = make_app(tmp_path, extra="max_body_bytes = 2000000").test_client()
    with (tmp_path / "lists" / "example" / "clients.csv").open("a") as clients:
        clients.write(f"EX-100,alias,{alias},\n")
    client = make_app(tmp_path, extra="max_body_bytes = 2000000").test_client()
    assert verdict(post(client, {"post": {"id": "a", "text": alias}}))["decision"] == "block"
    assert verdict(post(client, media_post(data)))["decision"] == "approve"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"data": "not base64!"}, 'post "q-1": /media/0/data is not base64 (RFC 4648)'),
        ({"data": "QUJDRA"}, 'post "q-1": /media/0/data is not base64 (RFC 4648)'),
        ({"data": 12}, 'post "q-1": /media/0/data must be a string'),
        ({"data": "", "filename": ["a.png"]}, 'post "q-1": /media/0/filename must be a string'),
    ],
)
def test_a_file_that_cannot_be_decoded_is_422(client: FlaskClient, item: dict[str, object], message: str) -> None:
    response = post(client, {"post": {"id": "q-1", "text": "", "media": [item]}})
    conforms(response, CHECK)
    assert (response.status_code, response.get_json()["error"]) == (422, {"code": "invalid_media", "message": message})


def test_base64_with_mime_line_breaks_is_read(client: FlaskClient) -> None:
    wrapped = base64.encodebytes(documents.pdf(page_three="Kim Lowe")).decode("ascii")  # 76 a line
    result = verdict(post(client, {"post": {"id": "a", "text": "", "media": [{"data": wrapped}]}}))
    assert places(result) == [("/media/0/data", "page 3", "EX-001")]


def test_a_file_that_cannot_be_read_blocks_with_its_reason(client: FlaskClient) -> None:
    result = verdict(post(client, media_post(documents.pdf()[:300], filename="report.pdf")))
    assert result["decision"] == "block"
    (entry,) = result["not_scanned"]
    assert (entry["path"], entry["action"]) == ("/media/0/data", "block")
    assert entry["reason"].startswith("a PDF that cannot be read (")


def test_the_body_with_its_base64_is_within_max_body_bytes(tmp_path: Path) -> None:
    client = make_app(tmp_path, extra="max_body_bytes = 20000").test_client()
    response = post(client, media_post(b"x" * 20_000))
    assert (response.status_code, response.get_json()["error"]["code"]) == (413, "request_entity_too_large")


@pytest.mark.usefixtures("tesseract")
def test_reading_past_the_requests_seconds_blocks_with_the_reason(tmp_path: Path) -> None:
    make_app(tmp_path)  # writes the lists
    with (tmp_path / "lists" / "example" / "policy.toml").open("a") as policy:
        policy.write("\n[limits]\nocr_seconds_per_request = 0.001\n")
    client = make_app(tmp_path, extra="max_body_bytes = 2000000").test_client()
    image = encode(screenshot(["Thank you so much! — the team"]))
    body = {"posts": [{"id": name, "text": "", "media": [{"data": image}, {"data": image}]} for name in ("a", "b")]}
    response = post(client, body)
    assert response.get_json()["decision"] == "block"
    reasons = [
        (item["path"], item["reason"].split(":")[0])
        for result in response.get_json()["results"]
        for item in result["not_scanned"]
    ]
    reason = "the text in a PNG image, past the 0.001 s of policy.toml's [limits] ocr_seconds_per_request"
    assert reasons == [("/media/0/data", reason), ("/media/1/data", reason)] * 2


@pytest.mark.usefixtures("tesseract")
def test_the_audit_log_and_the_logs_hold_neither_the_bytes_nor_the_name(
    client: FlaskClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = screenshot(MESSAGE)
    with caplog.at_level(logging.DEBUG):
        result = verdict(post(client, media_post(data, filename=f"{CANARY}.png")))
    assert [path for path, _, _ in places(result)] == ["/media/0/data", "/media/0/filename"]
    findings = sqlite3.connect(tmp_path / "audit.sqlite3").execute("SELECT findings FROM decisions").fetchone()[0]
    assert findings == (
        '[{"client_id": "EX-099", "kind": "name", "field": "/media/0/data"}, '
        '{"client_id": "EX-099", "kind": "name", "field": "/media/0/filename"}]'
    )
    for file in tmp_path.glob("audit.sqlite3*"):
        stored = file.read_bytes()
        assert b"Zebedee" not in stored and encode(data)[:64].encode() not in stored and data[:64] not in stored
    assert "Zebedee" not in caplog.text and encode(data)[:64] not in caplog.text
