"""Hostile HTTP against a real gunicorn: oversized headers, truncated, slow and stalled
bodies. Each is refused or answered correctly; none is approved; the canary client's name
never reaches the server's log."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.support.server import TOKEN, Server, gunicorn_command, running, wait_for
from tests.support.server import write_example_config as write_config
from tests.support.wordlists import CANARY

BODY = json.dumps({"post": {"id": "p", "text": f"Thanks to {CANARY}"}}).encode()
HEAD = (
    b"POST /v1/orgs/example/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    + f"Authorization: Bearer {TOKEN}\r\n".encode()
    + b"Content-Type: application/json\r\nConnection: close\r\n"
)
WORKER_TIMEOUT = 3  # seconds; the production setting is 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("security")
    write_config(folder)
    with running(gunicorn_command("--timeout", str(WORKER_TIMEOUT)), folder) as server:
        yield server


def exchange(server: Server, *pieces: bytes, pause: float = 0.0, wait: float = 20.0) -> bytes:
    """Send the pieces (with a pause between them), close the sending side, read it all."""
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as connection:
        for index, piece in enumerate(pieces):
            if index and pause:
                time.sleep(pause)
            connection.sendall(piece)
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(wait)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def status_and_body(answer: bytes) -> tuple[int, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def length(size: int) -> bytes:
    return f"Content-Length: {size}\r\n\r\n".encode()


REFUSED_BY_GUNICORN = {
    "a 100 KB header": HEAD + b"X-Big: " + b"a" * 100_000 + b"\r\n" + length(len(BODY)) + BODY,
    "300 headers": HEAD + b"".join(b"X-H%d: a\r\n" % n for n in range(300)) + length(len(BODY)) + BODY,
}


@pytest.mark.parametrize("request_bytes", REFUSED_BY_GUNICORN.values(), ids=REFUSED_BY_GUNICORN.keys())
def test_oversized_headers_are_refused_before_the_app(server: Server, request_bytes: bytes) -> None:
    status, body = status_and_body(exchange(server, request_bytes))
    assert status == 431 and b"approve" not in body


TRUNCATED = {
    "complete JSON, Content-Length 100 bytes longer": (HEAD + length(len(BODY) + 100), BODY),
    "half the JSON": (HEAD + length(len(BODY)), BODY[: len(BODY) // 2]),
}


@pytest.mark.parametrize(("head", "body"), TRUNCATED.values(), ids=TRUNCATED.keys())
def test_a_truncated_body_is_refused(server: Server, head: bytes, body: bytes) -> None:
    status, answer = status_and_body(exchange(server, head, body))
    assert (status, json.loads(answer)) == (
        400,
        {"error": {"code": "incomplete_body", "message": "the body is shorter than its Content-Length"}},
    )


def test_a_slow_body_is_answered(server: Server) -> None:
    step = len(BODY) // 4 + 1
    pieces = [HEAD + length(len(BODY))] + [BODY[n : n + step] for n in range(0, len(BODY), step)]
    status, answer = status_and_body(exchange(server, *pieces, pause=0.3))
    assert status == 200 and json.loads(answer)["decision"] == "block"


def test_a_stalled_body_holds_one_worker_until_its_timeout_and_never_approves(server: Server) -> None:
    """A sync worker waits for the body; after the worker timeout the master replaces it
    and the client gets a 500. The other worker answers meanwhile."""
    port = int(server.url.rsplit(":", 1)[1])
    before = set(server.workers())
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as stalled:
        stalled.sendall(HEAD + length(len(BODY)) + BODY[:20])
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=WORKER_TIMEOUT) as response:
            assert response.status == 200
        stalled.settimeout(WORKER_TIMEOUT * 5)
        answer = b""
        while chunk := stalled.recv(65536):
            answer += chunk
    assert time.monotonic() - started >= WORKER_TIMEOUT - 0.5
    assert answer == b"" or status_and_body(answer)[0] == 500, answer[:200]
    assert b"approve" not in answer
    wait_for(lambda: len(server.workers()) == 2 and set(server.workers()) != before)
    assert "WORKER TIMEOUT" in server.log.read_text()


def test_after_all_of_it_the_server_serves_and_its_log_holds_no_client_name(server: Server) -> None:
    status, answer = status_and_body(exchange(server, HEAD + length(len(BODY)), BODY))
    assert status == 200 and json.loads(answer)["decision"] == "block"
    log = server.log.read_bytes()
    assert b"Zebedee" not in log and b"Quartermain" not in log
