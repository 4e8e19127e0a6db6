"""Faults under a real gunicorn: a worker killed mid-load, the audit log's disk full, the
wordlist directory removed. Whatever breaks, nothing is approved by error or unlogged."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tests.support.server
from tests.support import HANG_SECONDS
from tests.support.server import ROOT, TOKEN, Server, gunicorn_command, readyz, running, wait_for
from tests.support.server import write_example_config as write_config
from tests.support.wordlists import CANARY

Outcome = tuple[str, int, Any]  # expected decision, status (0: no answer), answer


def ask(server: Server, n: int) -> Outcome:
    """Post n: odd posts name the canary client, even ones no one."""
    expected = "block" if n % 2 else "approve"
    text = f"Post {n}: thanks to **{CANARY}** for the mural" if n % 2 else f"Post {n}: open day on Saturday"
    try:
        status, answer = tests.support.server.call(server.url, {"post": {"id": f"p{n}", "text": text}}, token=TOKEN)
    except OSError as error:  # the connection died with the worker
        return expected, 0, type(error).__name__
    return expected, status, answer


def audited_request_ids(folder: Path) -> set[str]:
    with sqlite3.connect(folder / "audit.sqlite3") as connection:
        return {row[0] for row in connection.execute("SELECT request_id FROM decisions")}


def assert_nothing_wrong_approved(outcomes: list[Outcome], folder: Path) -> None:
    """Every answer is the right decision, and every answered decision is in the audit log."""
    answered = [(expected, answer) for expected, status, answer in outcomes if status == 200]
    assert [answer["decision"] for _, answer in answered] == [expected for expected, _ in answered]
    missing = {answer["request_id"] for _, answer in answered} - audited_request_ids(folder)
    assert not missing


def test_a_worker_killed_mid_load_is_replaced_and_nothing_is_approved_by_error(tmp_path: Path) -> None:
    write_config(tmp_path)
    with running(gunicorn_command(), tmp_path) as server:
        victim = server.workers()[0]
        answered = threading.Event()

        def load(n: int) -> Outcome:
            outcome = ask(server, n)
            if n >= 40:
                answered.set()
            return outcome

        with ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(load, n) for n in range(240)]
            answered.wait(timeout=HANG_SECONDS)
            os.kill(victim, signal.SIGKILL)
            outcomes = [future.result() for future in futures]
        wait_for(lambda: len(server.workers()) == 2 and victim not in server.workers())
        after = [ask(server, n) for n in range(240, 260)]
        assert all(status == 200 for _, status, _ in after)
        assert_nothing_wrong_approved(outcomes + after, tmp_path)
        assert sum(status == 200 for _, status, _ in outcomes) >= 200
        assert {status for _, status, _ in outcomes} <= {0, 200}
    assert f"Worker (pid:{victim}) was sent SIGKILL" in server.log.read_text()


def test_a_full_disk_under_the_audit_log_fails_closed(tmp_path: Path) -> None:
    """While serving, the workers may no longer grow any file by more than 32 KiB
    (RLIMIT_FSIZE, which fails writes as a full disk does): the audit log's writes fail,
    and every check then answers 503 or a 200 that is in the log, never an unlogged 200."""
    write_config(tmp_path)
    with running(gunicorn_command(), tmp_path) as server:
        outcomes = [ask(server, n) for n in range(10)]
        largest = max(path.stat().st_size for path in tmp_path.glob("audit.sqlite3*"))
        for worker in server.workers():
            resource.prlimit(worker, resource.RLIMIT_FSIZE, (largest + 32 * 1024, largest + 32 * 1024))
        for n in range(10, 1000):
            outcomes.append(ask(server, n))
            if outcomes[-1][1] == 503:
                break
        outcomes += [ask(server, n) for n in range(1000, 1010)]
    statuses = [status for _, status, _ in outcomes]
    assert 503 in statuses and set(statuses) <= {200, 503}
    assert statuses[:10] == [200] * 10
    refused = [answer for _, status, answer in outcomes if status == 503]
    assert {answer["error"]["code"] for answer in refused} == {"audit_unavailable"}
    assert_nothing_wrong_approved(outcomes, tmp_path)
    log = server.log.read_text()
    assert "audit log not written (OperationalError)" in log and "Zebedee" not in log


def test_a_removed_wordlist_directory_is_refused_until_it_is_back(tmp_path: Path) -> None:
    write_config(tmp_path)
    directory = tmp_path / "example"
    with running(gunicorn_command(), tmp_path) as server:
        version = readyz(server.url)[1]["orgs"]["example"]["version"]
        shutil.rmtree(directory)
        error = f"{directory}: wordlist directory not found"
        outcomes = [ask(server, n) for n in range(20)]
        assert [(status, answer) for _, status, answer in outcomes] == [
            (503, {"error": {"code": "wordlist_broken", "message": error}})
        ] * 20
        assert readyz(server.url) == (
            503,
            {
                "ready": False,
                "orgs": {"example": {"loaded": True, "version": version, "version_on_disk": None, "error": error}},
            },
        )
        shutil.copytree(ROOT / "wordlists" / "example", directory)
        with (directory / "clients.csv").open("a") as clients:
            clients.write(f"EX-099,name,{CANARY},\n")
        outcomes = [ask(server, n) for n in range(20)]
        assert [status for _, status, _ in outcomes] == [200] * 20
        assert_nothing_wrong_approved(outcomes, tmp_path)
        wait_for(lambda: all(readyz(server.url)[0] == 200 for _ in range(6)))
