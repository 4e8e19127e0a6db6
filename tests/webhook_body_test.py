"""A check's body as the app reads it through Flask's test client: whole, or refused past
`max_body_bytes` (413) whether announced by Content-Length or sent in chunks, and never
checked cut short. (tests/gunicorn_test.py sends the same bodies down a real socket.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from tests.support.app import TOKEN, conforms, make_app

CHECK = "/v1/orgs/{org}/check"
MAX_BODY_BYTES = 20_000  # tests/support/app.py's configuration
OPEN_DAY = b'{"post": {"id": "a", "text": "Open day."}}'
TOO_LARGE = {
    "error": {
        "code": "request_entity_too_large",
        "message": f"the body is over {MAX_BODY_BYTES} bytes (server.max_body_bytes)",
    }
}
BODIES = [
    # (bytes: a post padded with spaces, so that any cut of it still parses; status)
    (len(OPEN_DAY), 200),
    (MAX_BODY_BYTES, 200),
    (MAX_BODY_BYTES + 1, 413),  # was checked as its first MAX_BODY_BYTES when chunked, and approved
    (3_000_000, 413),
]


@pytest.mark.parametrize("sent", ["chunked", "content-length"])
@pytest.mark.parametrize(("size", "status"), BODIES)
def test_a_body_past_max_body_bytes_is_refused_however_it_is_sent(
    client: FlaskClient, sent: str, size: int, status: int
) -> None:
    response = send(client, OPEN_DAY.ljust(size), chunked=sent == "chunked")
    assert response.status_code == status
    if status == 413:
        assert response.get_json() == TOO_LARGE
    else:
        assert response.get_json()["decision"] == "approve"
    conforms(response, CHECK)


def test_a_chunked_body_from_a_server_that_does_not_end_it_is_not_read(client: FlaskClient) -> None:
    """Werkzeug reads nothing rather than a stream without end: the empty body is not JSON."""
    response = send(client, OPEN_DAY, chunked=True, terminated=False)
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "bad_json")


def send(client: FlaskClient, body: bytes, *, chunked: bool, terminated: bool = True) -> Any:
    """POST a check; chunked, it has no Content-Length, and the server says whether it ends
    the stream itself (gunicorn does, de-chunking it)."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    if not chunked:
        return client.post("/v1/orgs/example/check", data=body, headers=headers)
    headers["Transfer-Encoding"] = "chunked"
    environ = EnvironBuilder(
        path="/v1/orgs/example/check", method="POST", data=body, headers=list(headers.items())
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    if terminated:
        environ["wsgi.input_terminated"] = True
    return client.open(Request(environ))


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    return make_app(tmp_path).test_client()
