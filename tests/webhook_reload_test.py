"""Wordlist changes under a real gunicorn (2 workers, preloaded): no request is checked
against a list older than the files on disk when it came, each worker compiles a change by
itself while idle, a broken new list is refused (or, where allowed, answered by the last
good list, saying so), /readyz shows both versions, and the gate's log lines reach
gunicorn's stderr without a client's name."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tests.support.server
from gate.adapters.files import read_wordlist_files
from gate.wordlist import wordlist_version
from tests.support.server import TOKEN, Server, gunicorn_command, readyz, running, wait_for, write_example_config
from tests.support.wordlists import CANARY

RELOAD_SECONDS = 0.3
NEWCOMER, LATECOMER = "Ottilie Brandvold", "Perpetua Ashgrove"


def start(folder: Path, **server: str | float) -> Iterator[Server]:
    write_example_config(folder, **{"reload_seconds": RELOAD_SECONDS, "reload_wait_seconds": 10, **server})
    with running(gunicorn_command(), folder) as server_:
        yield server_


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from start(tmp_path)


def call(server: Server, text: str, post_id: str = "p") -> tuple[int, Any]:
    return tests.support.server.call(server.url, {"post": {"id": post_id, "text": text}}, token=TOKEN)


def replace(path: Path, text: str) -> None:
    """As a careful tool does: a new file, renamed over the old one (atomic mv)."""
    path.with_suffix(".tmp").write_text(text)
    os.replace(path.with_suffix(".tmp"), path)


def add_client(server: Server, row: str) -> str:
    """Append a row to clients.csv atomically; the new version."""
    clients = server.folder / "example" / "clients.csv"
    replace(clients, clients.read_text() + row)
    return wordlist_version(read_wordlist_files(server.folder / "example"))


def loaded_by(server: Server, version: str) -> set[int]:
    """The pids whose log says they loaded `version`."""
    pattern = rf"\[(\d+)\] \[INFO\] gate.webhook: wordlist of example: version {re.escape(version)} loaded"
    return {int(pid) for pid in re.findall(pattern, server.log.read_text())}


def test_after_an_idle_change_no_request_is_answered_by_the_old_list(server: Server) -> None:
    """The hole: a client added while the server was idle, and the next requests approved
    against the old list because a change was only noticed when a request came."""
    assert [call(server, f"Thanks to {NEWCOMER}")[1]["decision"] for _ in range(4)] == ["approve"] * 4
    time.sleep(RELOAD_SECONDS * 6)  # idle, as in the report (20 s there; the hole is the same)
    add_client(server, f"EX-100,name,{NEWCOMER},\n")
    # At once, no pause: each request sees the new files, whichever worker takes it.
    assert [call(server, f"Thanks to {NEWCOMER}")[1]["decision"] for _ in range(10)] == ["block"] * 10
    # And without any request, each worker compiles the next change by itself.
    version = add_client(server, f"EX-101,name,{LATECOMER},\n")
    wait_for(lambda: loaded_by(server, version) == set(server.workers()))
    assert [call(server, f"Thanks to {LATECOMER}")[1]["decision"] for _ in range(4)] == ["block"] * 4


def test_decisions_and_reloads_are_logged_to_gunicorns_stderr_without_a_name(server: Server) -> None:
    status, answer = call(server, f"Thanks to {CANARY}", post_id=f"story-{CANARY}")
    assert (status, answer["decision"]) == (200, "block")
    status, answer = call(server, "Open day", post_id="open-day")
    assert (status, answer["decision"]) == (200, "approve")
    version = answer["results"][0]["wordlist"]["version"]
    time.sleep(0.5)
    log = server.log.read_text()
    assert f"gate.webhook: wordlist of example: version {version} loaded (was None)" in log
    assert re.search(rf"gate.webhook: request \w+ org example post \*: block, wordlist {version}\n", log)
    assert re.search(rf"gate.webhook: request \w+ org example post open-day: approve, wordlist {version}\n", log)
    assert "Zebedee" not in log and "Quartermain" not in log


def test_a_broken_new_list_is_refused_until_it_is_fixed(server: Server) -> None:
    directory = server.folder / "example"
    clients = directory / "clients.csv"
    good, before = readyz(server.url)[1]["orgs"]["example"]["version"], clients.read_text()
    replace(clients, before + "EX-100,nmae,Ottilie Brandvold,\n")
    broken = wordlist_version(read_wordlist_files(directory))
    error = f"{clients}:{len(before.splitlines()) + 1}:2: unknown kind (expected one of name, alias, handle, email, phone, id, other, detail)"
    for _ in range(6):  # both workers
        status, answer = call(server, f"Thanks to {CANARY}")
        assert (status, answer) == (503, {"error": {"code": "wordlist_broken", "message": error}})
    status, ready = readyz(server.url)
    assert (status, ready["orgs"]["example"]) == (
        503,
        {"loaded": True, "version": good, "version_on_disk": broken, "error": error},
    )
    log = server.log.read_text()
    assert f"gate.webhook: wordlist of example: new version broken, not loaded: {error}" in log
    assert "Ottilie" not in log and "Zebedee" not in log
    replace(clients, before)
    assert [call(server, f"Thanks to {CANARY}")[0] for _ in range(6)] == [200] * 6
    wait_for(lambda: readyz(server.url)[0] == 200)


def test_with_last_good_a_broken_new_list_gives_stale_verdicts(tmp_path: Path) -> None:
    for server in start(tmp_path, on_broken_list="last_good"):
        clients = server.folder / "example" / "clients.csv"
        good = readyz(server.url)[1]["orgs"]["example"]["version"]
        replace(clients, "client_id,kind,value\nbroken\n")
        error = f"{clients}:2: expected 3 fields, found 1"
        for _ in range(6):
            status, answer = call(server, f"Thanks to {CANARY}")
            assert (status, answer["decision"]) == (200, "block")
            assert answer["results"][0]["wordlist"] == {
                "org": "example",
                "version": good,
                "stale": True,
                "reason": f"the new wordlist is not loaded ({error}); the last good one answered",
            }
        assert readyz(server.url)[0] == 503
        assert re.search(
            r"post p: block, wordlist sha256:\w+ \(stale: the new list is not loaded\)\n", server.log.read_text()
        )
