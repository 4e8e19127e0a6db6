"""Compiling in a spawned child: the list's own errors arrive as the same GateError a
compile in this process raises, a child that dies, fails unexpectedly or runs past its
time is reported as CompileFailed (tried again later) without hanging the server or
quoting the list, and a list the server cannot load from the cache after the child
compiled it is compiled again or here, with the reason logged."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

import gate.adapters.cache
from gate.adapters.cache import cached_matcher, code_stamp, load_matcher
from gate.adapters.files import read_wordlist_files
from gate.errors import GateError
from gate.wordlist import wordlist_version
from tests.support import HANG_SECONDS
from tests.support.wordlists import CANARY, check
from webhook.compiler import (
    Compiled,
    CompileFailed,
    CompileTarget,
    compile_in_child,
    compile_into_cache,
    compile_wordlist,
)

ROOT = Path(__file__).resolve().parent.parent


def example(tmp_path: Path) -> Path:
    directory = tmp_path / "example"
    shutil.copytree(ROOT / "wordlists" / "example", directory)
    return directory


# Compile targets for the child: module-level, so that the spawned child can import them.


def exits(directory: Path, cache_directory: Path) -> Compiled:
    os._exit(3)


def killed(directory: Path, cache_directory: Path) -> Compiled:
    os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer does
    raise AssertionError("not reached")


def fails_unexpectedly(directory: Path, cache_directory: Path) -> Compiled:
    raise RuntimeError(f"a bug that quotes {CANARY}")


class TwoPartError(GateError):
    """Pickled as its message alone, it cannot be made again from it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f'"{field}" {problem}')


def raises_an_error_with_its_own_arguments(directory: Path, cache_directory: Path) -> Compiled:
    raise TwoPartError("kind", "is not a kind")


def sleeps(directory: Path, cache_directory: Path) -> Compiled:
    time.sleep(HANG_SECONDS)
    raise AssertionError("not reached")


def compiles_then_the_list_grows(directory: Path, cache_directory: Path) -> Compiled:
    """As if the list were written while the child compiled it (once: the next child
    compiles what it finds)."""
    compiled = compile_into_cache(directory, cache_directory)
    clients = directory / "clients.csv"
    if "EX-100" not in clients.read_text():
        clients.write_text(clients.read_text() + "EX-100,name,Ottilie Brandvold,\n")
    return compiled


def test_a_list_compiled_in_the_child_is_loaded_from_the_cache(tmp_path: Path) -> None:
    directory, cache = example(tmp_path), tmp_path / "cache"
    compiled = compile_in_child(directory, cache, timeout=HANG_SECONDS)
    assert compiled == (wordlist_version(read_wordlist_files(directory)), code_stamp(ROOT / "gate"))
    matcher = cached_matcher(directory, cache)
    assert matcher is not None and matcher.version == compiled.version


BROKEN = [
    # (file, its content: None removes the whole directory)
    ("clients.csv", "client_id,kind,value\nA,nmae,Kim Lowe\n"),
    ("clients.csv", "client_id,kind,value\nbroken\n"),
    ("clients.csv", "client_id,kind,value,consent_until\nA,name,Kim Lowe,tomorrow\n"),
    ("policy.toml", '[actions]\nnmae = "warn"\n'),
    ("clients.csv", None),
]


@pytest.mark.parametrize(("name", "content"), BROKEN)
def test_a_list_error_in_the_child_is_the_error_of_a_compile_here(
    tmp_path: Path, name: str, content: str | None
) -> None:
    directory = example(tmp_path)
    if content is None:
        shutil.rmtree(directory)
    else:
        (directory / name).write_text(content)
    with pytest.raises(GateError) as here:
        load_matcher(directory, cache_directory=None)
    with pytest.raises(GateError) as child:
        compile_in_child(directory, tmp_path / "cache", timeout=HANG_SECONDS)
    assert (type(child.value), str(child.value)) == (type(here.value), str(here.value))
    assert "Kim Lowe" not in str(child.value)


DEATHS = [(exits, "failed (exit 3)"), (killed, f"failed (exit {-signal.SIGKILL})")]


@pytest.mark.parametrize(("target", "reason"), DEATHS, ids=["exit", "SIGKILL"])
def test_a_child_that_dies_is_a_failed_compile_not_a_hang(tmp_path: Path, target: CompileTarget, reason: str) -> None:
    """Its death closes the pipe: seen at once, not after the timeout (which would say so)."""
    directory = example(tmp_path)
    with pytest.raises(CompileFailed) as failed:
        compile_in_child(directory, tmp_path / "cache", target=target, timeout=HANG_SECONDS)
    assert str(failed.value) == f"{directory}: compiling the wordlist {reason}"
    assert multiprocessing.active_children() == []


def test_an_unexpected_error_in_the_child_is_named_by_its_class_only(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    directory = example(tmp_path)
    with pytest.raises(CompileFailed) as failed:
        compile_in_child(directory, tmp_path / "cache", target=fails_unexpectedly, timeout=HANG_SECONDS)
    assert str(failed.value) == f"{directory}: compiling the wordlist failed (RuntimeError)"
    printed = capfd.readouterr()
    assert "Zebedee" not in printed.out + printed.err


def test_a_gate_error_that_would_not_survive_the_pipe_arrives_as_its_message(tmp_path: Path) -> None:
    with pytest.raises(GateError) as error:
        compile_in_child(example(tmp_path), tmp_path / "cache", target=raises_an_error_with_its_own_arguments)
    assert (type(error.value), str(error.value)) == (GateError, '"kind" is not a kind')


def test_a_child_past_its_time_is_killed(tmp_path: Path) -> None:
    directory = example(tmp_path)
    with pytest.raises(CompileFailed) as failed:
        compile_in_child(directory, tmp_path / "cache", target=sleeps, timeout=0.01)
    assert str(failed.value) == f"{directory}: compiling the wordlist took over 0.01 s"
    assert multiprocessing.active_children() == []  # the sleeper is gone, not left running


OLD_STAMP = "000000000000"
UNCACHED = [
    # (what happened, the lines logged as the server loads the list)
    ("nothing", []),
    (
        "the cache folder is writable by others",
        [("WARNING", "cache folder {cache} not usable: compiling {directory} in the server process")],
    ),
    (
        "the gate's code changed on disk",  # was logged as "cache folder ... not usable"
        [
            (
                "WARNING",
                "the gate's code changed on disk since this server started (code stamp {stamp}, "
                f"the server's {OLD_STAMP}; restart it): compiling {{directory}} in the server process",
            )
        ],
    ),
    (
        "the list changed while it compiled",  # was compiled in the server process
        [("INFO", "wordlist {directory} changed while it compiled: compiling it again")],
    ),
]


@pytest.mark.parametrize(("happened", "logged"), UNCACHED, ids=[row[0] for row in UNCACHED])
def test_a_list_not_loadable_from_the_cache_is_compiled_again_or_here_and_the_log_says_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    happened: str,
    logged: list[tuple[str, str]],
) -> None:
    directory, cache = example(tmp_path), tmp_path / "cache"
    monkeypatch.setenv("GATE_CACHE_DIR", str(cache))
    target = compile_into_cache
    if happened == "the cache folder is writable by others":
        cache.mkdir(mode=0o777)
        cache.chmod(0o777)
    elif happened == "the gate's code changed on disk":
        monkeypatch.setattr(gate.adapters.cache, "CODE_STAMP", OLD_STAMP)  # this server's, from before
    elif happened == "the list changed while it compiled":
        target = compiles_then_the_list_grows
    caplog.set_level(logging.INFO, logger="gate")
    matcher = compile_wordlist(directory, target=target)
    assert matcher.version == wordlist_version(read_wordlist_files(directory))
    assert [finding.client_id for finding in check(matcher, "Kim Lowe met Ottilie Brandvold")[0]] == (
        ["EX-001", "EX-100"] if happened == "the list changed while it compiled" else ["EX-001"]
    )
    stamp = code_stamp(ROOT / "gate")
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        (level, message.format(cache=cache, directory=directory, stamp=stamp)) for level, message in logged
    ]
