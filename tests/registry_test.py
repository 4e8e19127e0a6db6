"""The registry of compiled wordlists: a list is never taken from files caught mid-write,
and a list that disappears or breaks leaves the last good one serving."""

from __future__ import annotations

import shutil
from pathlib import Path

from gate.matcher import Matcher
from tests.helpers import check
from webhook.registry import RETRY_SECONDS, CompileFailed, Registry, compile_wordlist

ROOT = Path(__file__).resolve().parent.parent


def example(tmp_path: Path) -> Path:
    directory = tmp_path / "example"
    shutil.copytree(ROOT / "wordlists" / "example", directory)
    return directory


def names(matcher: Matcher | None, text: str) -> list[str]:
    assert matcher is not None
    return [finding.client_id for finding in check(matcher, text)[0]]


def test_a_list_that_changes_while_it_compiles_is_compiled_again(tmp_path: Path) -> None:
    directory = example(tmp_path)
    clients = directory / "clients.csv"
    compiled: list[str] = []

    def compile_while_someone_writes(path: Path) -> Matcher:
        compiled.append(clients.read_text())
        matcher = compile_wordlist(path)
        if len(compiled) == 2:  # the file grows again while the second build runs
            clients.write_text(clients.read_text() + "EX-101,name,Ottilie Brandvold,\n")
        return matcher

    registry = Registry({"example": directory}, reload_seconds=0, settle_seconds=0.01, compile=compile_while_someone_writes)
    clients.write_text(clients.read_text() + "EX-100,name,Perpetua Ashgrove,\n")
    registry.matcher("example")
    registry.wait_idle()
    assert len(compiled) == 3
    text = "Perpetua Ashgrove met Ottilie Brandvold"
    assert names(registry.matcher("example"), text) == ["EX-100", "EX-101"]


def test_a_removed_directory_keeps_the_last_good_list_and_says_so(tmp_path: Path) -> None:
    directory = example(tmp_path)
    registry = Registry({"example": directory}, reload_seconds=0, settle_seconds=0.01)
    version = registry.status()["example"]["version"]
    shutil.rmtree(directory)
    registry.matcher("example")
    registry.wait_idle()
    status = registry.status()["example"]
    assert status["loaded"] is True and status["version"] == version
    assert str(status["error"]).startswith(f"{directory}")
    assert names(registry.matcher("example"), "Thanks to Kim Lowe") == ["EX-001"]
    shutil.copytree(ROOT / "wordlists" / "example", directory)
    registry.matcher("example")
    registry.wait_idle()
    assert registry.status()["example"] == {"loaded": True, "version": version, "error": None}


def test_a_compile_that_crashes_is_tried_again_after_a_pause(tmp_path: Path) -> None:
    directory = example(tmp_path)
    now = [0.0]
    attempts: list[float] = []

    def crashes_once(path: Path) -> Matcher:
        attempts.append(now[0])
        if len(attempts) == 1:
            raise CompileFailed(f"{path}: compiling the wordlist failed (exit -9)")
        return compile_wordlist(path)

    registry = Registry({"example": directory}, reload_seconds=1, settle_seconds=0.01, compile=crashes_once, clock=lambda: now[0])
    assert registry.status()["example"] == {"loaded": False, "version": None, "error": f"{directory}: compiling the wordlist failed (exit -9)"}
    now[0] = RETRY_SECONDS / 2
    registry.wait_idle()
    assert registry.matcher("example") is None and len(attempts) == 1  # not yet
    now[0] = RETRY_SECONDS + 1
    registry.matcher("example")
    registry.wait_idle()
    assert registry.status()["example"]["loaded"] is True and attempts == [0.0, RETRY_SECONDS + 1]


def test_the_compile_process_reports_a_list_error_in_one_line(tmp_path: Path) -> None:
    directory = example(tmp_path)
    (directory / "clients.csv").write_text("client_id,kind,value\nA,nmae,Kim Lowe\n")
    registry = Registry({"example": directory}, reload_seconds=1)
    assert registry.status()["example"]["error"] == (
        f"{directory}/clients.csv:2:2: unknown kind (expected one of name, alias, handle, email, phone, id, other)"
    )
