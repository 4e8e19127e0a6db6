"""The registry of compiled wordlists: a list is never taken from files caught mid-write,
no request is answered by a list older than the files on disk when it came, changes are
compiled without a request asking, and a list that disappears or breaks is refused unless
the last good one is allowed to serve (and then says so)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from gate.matcher import Matcher
from tests.support.server import wait_for
from tests.support.wordlists import check
from webhook.compiler import CompileFailed, compile_wordlist
from webhook.errors import ApiError
from webhook.registry import RETRY_SECONDS, Registry

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

    registry = Registry(
        {"example": directory}, reload_seconds=60, settle_seconds=0.01, compile=compile_while_someone_writes
    )
    clients.write_text(clients.read_text() + "EX-100,name,Perpetua Ashgrove,\n")
    serving = registry.serving("example")
    assert len(compiled) == 3
    text = "Perpetua Ashgrove met Ottilie Brandvold"
    assert names(serving.matcher, text) == ["EX-100", "EX-101"]


def replace(path: Path, text: str) -> None:
    """As a careful tool does: write a new file, rename it over the old one."""
    path.with_suffix(".tmp").write_text(text)
    os.replace(path.with_suffix(".tmp"), path)


def test_a_request_after_a_change_is_never_answered_by_the_old_list(tmp_path: Path) -> None:
    """The watcher is asleep (reload_seconds 60): the request itself sees the change."""
    directory = example(tmp_path)
    registry = Registry({"example": directory}, reload_seconds=60, settle_seconds=0.01)
    assert names(registry.serving("example").matcher, "Thanks to Ottilie Brandvold") == []
    clients = directory / "clients.csv"
    replace(clients, clients.read_text() + "EX-100,name,Ottilie Brandvold,\n")
    serving = registry.serving("example")
    assert (names(serving.matcher, "Thanks to Ottilie Brandvold"), serving.stale_reason) == (["EX-100"], "")


def test_the_watcher_compiles_a_change_without_any_request(tmp_path: Path) -> None:
    directory = example(tmp_path)
    compiled: list[Matcher] = []

    def compile_and_keep(path: Path) -> Matcher:
        compiled.append(compile_wordlist(path))
        return compiled[-1]

    registry = Registry({"example": directory}, reload_seconds=0.05, settle_seconds=0.01, compile=compile_and_keep)
    registry.status()  # the first use in this process starts the watcher
    clients = directory / "clients.csv"
    replace(clients, clients.read_text() + "EX-100,name,Ottilie Brandvold,\n")
    wait_for(lambda: len(compiled) == 2)
    assert names(compiled[-1], "Thanks to Ottilie Brandvold") == ["EX-100"]
    # The next request is answered by what the watcher compiled, not by a compile of its own.
    assert names(registry.serving("example").matcher, "Thanks to Ottilie Brandvold") == ["EX-100"]
    assert len(compiled) == 2


def test_a_reload_slower_than_the_wait_is_refused_not_answered_by_the_old_list(tmp_path: Path) -> None:
    directory = example(tmp_path)
    release = threading.Event()

    def slow_after_the_first(path: Path) -> Matcher:
        if registry_started.is_set():
            release.wait(30)
        return compile_wordlist(path)

    registry_started = threading.Event()
    registry = Registry(
        {"example": directory},
        reload_seconds=60,
        reload_wait_seconds=0.05,
        settle_seconds=0.01,
        compile=slow_after_the_first,
    )
    registry_started.set()
    before = registry.status()["example"]["version"]
    clients = directory / "clients.csv"
    replace(clients, clients.read_text() + "EX-100,name,Ottilie Brandvold,\n")
    with pytest.raises(ApiError) as refused:
        registry.serving("example")
    assert (refused.value.code, refused.value.message, refused.value.retry_after) == (
        "wordlist_reloading",
        "the wordlist of example changed and is still being loaded",
        1,
    )
    release.set()
    wait_for(lambda: registry.status()["example"]["version"] != before)  # the reload still running ends
    assert names(registry.serving("example").matcher, "Thanks to Ottilie Brandvold") == ["EX-100"]


@pytest.mark.parametrize("on_broken_list", ["fail", "last_good"])
def test_a_removed_directory_is_refused_unless_the_last_good_list_may_serve(
    tmp_path: Path, on_broken_list: str
) -> None:
    directory = example(tmp_path)
    registry = Registry({"example": directory}, reload_seconds=60, settle_seconds=0.01, on_broken_list=on_broken_list)
    version = registry.status()["example"]["version"]
    shutil.rmtree(directory)
    error = f"{directory}: wordlist directory not found"
    if on_broken_list == "fail":
        with pytest.raises(ApiError) as refused:
            registry.serving("example")
        assert (refused.value.code, refused.value.message, refused.value.retry_after) == ("wordlist_broken", error, 30)
    else:
        serving = registry.serving("example")
        assert serving.stale_reason == f"the new wordlist is not loaded ({error}); the last good one answered"
        assert names(serving.matcher, "Thanks to Kim Lowe") == ["EX-001"]
    assert registry.status()["example"] == {"loaded": True, "version": version, "version_on_disk": None, "error": error}
    shutil.copytree(ROOT / "wordlists" / "example", directory)
    serving = registry.serving("example")
    assert (serving.matcher.version, serving.stale_reason) == (version, "")
    assert registry.status()["example"] == {
        "loaded": True,
        "version": version,
        "version_on_disk": version,
        "error": None,
    }


def test_a_compile_that_crashes_is_tried_again_after_a_pause(tmp_path: Path) -> None:
    directory = example(tmp_path)
    now = [0.0]
    attempts: list[float] = []

    def crashes_once(path: Path) -> Matcher:
        attempts.append(now[0])
        if len(attempts) == 1:
            raise CompileFailed(f"{path}: compiling the wordlist failed (exit -9)")
        return compile_wordlist(path)

    registry = Registry(
        {"example": directory}, reload_seconds=60, settle_seconds=0.01, compile=crashes_once, clock=lambda: now[0]
    )
    error = f"{directory}: compiling the wordlist failed (exit -9)"
    version = registry.status()["example"]["version_on_disk"]
    assert registry.status()["example"] == {
        "loaded": False,
        "version": None,
        "version_on_disk": version,
        "error": error,
    }
    now[0] = RETRY_SECONDS / 2
    with pytest.raises(ApiError) as refused:
        registry.serving("example")
    assert (refused.value.code, refused.value.message) == (
        "wordlist_unavailable",
        f"the wordlist of example is not loaded: {error}",
    )
    assert len(attempts) == 1  # not yet
    now[0] = RETRY_SECONDS + 1
    assert registry.serving("example").matcher.version == version
    assert attempts == [0.0, RETRY_SECONDS + 1]


def test_the_compile_process_reports_a_list_error_in_one_line(tmp_path: Path) -> None:
    directory = example(tmp_path)
    (directory / "clients.csv").write_text("client_id,kind,value\nA,nmae,Kim Lowe\n")
    registry = Registry({"example": directory}, reload_seconds=1)
    assert registry.status()["example"]["error"] == (
        f"{directory}/clients.csv:2:2: unknown kind (expected one of name, alias, handle, email, phone, id, other, detail)"
    )


@pytest.mark.parametrize("on_broken_list", ["fail", "last_good"])
def test_a_crashed_reload_is_refused_until_its_retry_unless_the_last_good_list_may_serve(
    tmp_path: Path, on_broken_list: str
) -> None:
    directory = example(tmp_path)
    crash = [False]

    def crashes_when_told(path: Path) -> Matcher:
        if crash[0]:
            raise CompileFailed(f"{path}: compiling the wordlist failed (exit -9)")
        return compile_wordlist(path)

    registry = Registry(
        {"example": directory},
        reload_seconds=60,
        settle_seconds=0.01,
        on_broken_list=on_broken_list,
        compile=crashes_when_told,
        clock=lambda: 0.0,
    )
    crash[0] = True
    replace(directory / "clients.csv", (directory / "clients.csv").read_text() + "EX-100,name,Ottilie Brandvold,\n")
    error = f"{directory}: compiling the wordlist failed (exit -9)"
    if on_broken_list == "fail":
        with pytest.raises(ApiError) as refused:
            registry.serving("example")
        assert (refused.value.code, refused.value.message, refused.value.retry_after) == (
            "wordlist_reloading",
            f"the new wordlist of example could not be compiled ({error})",
            RETRY_SECONDS,
        )
    else:
        assert (
            registry.serving("example").stale_reason
            == f"the new wordlist is not loaded ({error}); the last good one answered"
        )
