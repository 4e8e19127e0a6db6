"""Wordlists compiled in a child process, so that a server process only loads them.

A compile's peak memory (over a gigabyte for a million identifiers) and its seconds of
interpreter time never land in a server process: a child started with multiprocessing's
*spawn* method (a fresh interpreter, not a fork of a threaded server holding compiled
lists) compiles the list into the user cache and sends back what it compiled, or the list's
own error, as objects through a pipe. The parent then loads the list from the cache; where
it cannot, what the child sent says why.

One child per compile, not a pool: a child that runs past COMPILE_TIMEOUT_SECONDS is
killed, and concurrent.futures.ProcessPoolExecutor cannot kill a hung worker without its
private attributes; a child that dies (the OOM killer) closes its end of the pipe, which
the parent sees at once.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

from gate.adapters import cache
from gate.adapters.files import read_wordlist_files
from gate.errors import GateError
from gate.matcher import Matcher
from gate.wordlist import wordlist_version

COMPILE_TIMEOUT_SECONDS = 900
log = logging.getLogger("gate.webhook")


class Compiled(NamedTuple):
    """What a child compiled into the cache: the cache names a list by both."""

    version: str  # of the wordlist files it read
    code_stamp: str  # of the gate's code it compiled with


CompileTarget = Callable[[Path, Path], Compiled]  # (wordlist, cache folder) -> what was compiled


class CompileFailed(GateError):
    """The compile process crashed, was killed or timed out: worth trying again later,
    unlike an error in the list itself."""


def compile_into_cache(directory: Path, cache_directory: Path) -> Compiled:
    """In the child: the list compiled into the cache; what was compiled."""
    return Compiled(cache.load_matcher(directory, cache_directory=cache_directory).version, cache.CODE_STAMP)


def compile_wordlist(directory: Path, *, target: CompileTarget = compile_into_cache) -> Matcher:
    """The list from the user cache, compiled first in a child process where the cache
    does not hold it; compiled again if the files changed meanwhile. Where this process
    cannot load what the child stored, it compiles here, and logs why."""
    folder = cache.user_cache_directory(os.environ)
    while True:
        matcher = cache.cached_matcher(directory, folder)
        if matcher is not None:
            return matcher
        compiled = compile_in_child(directory, folder, target=target)
        matcher = cache.cached_matcher(directory, folder)
        if matcher is not None:
            return matcher
        reason = uncached_reason(directory, folder, compiled)
        if reason is None:
            log.info("wordlist %s changed while it compiled: compiling it again", directory)
            continue
        log.warning("%s: compiling %s in the server process", reason, directory)
        return cache.load_matcher(directory, cache_directory=None)


def uncached_reason(directory: Path, folder: Path, compiled: Compiled) -> str | None:
    """Why this process finds no list in the cache after the child compiled one; None if
    the files changed meanwhile (the cache is fine: compile the new ones)."""
    if compiled.code_stamp != cache.CODE_STAMP:
        # A list is cached under the stamp of the code that compiled it; this process's
        # stamp was taken when it imported the gate, so it never loads the new code's lists.
        return (
            f"the gate's code changed on disk since this server started (code stamp {compiled.code_stamp}, "
            f"the server's {cache.CODE_STAMP}; restart it)"
        )
    if compiled.version != wordlist_version(read_wordlist_files(directory)):
        return None
    return f"cache folder {folder} not usable"


def compile_in_child(
    directory: Path,
    cache_directory: Path,
    *,
    target: CompileTarget = compile_into_cache,
    timeout: float = COMPILE_TIMEOUT_SECONDS,
) -> Compiled:
    """`target(directory, cache_directory)` run in a spawned child: its result, or the
    GateError it raised (a list error, naming file, line and column). CompileFailed if
    the child died, was killed, or ran past `timeout` seconds (it is then killed)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(target, directory, cache_directory, sender), daemon=True)
    child.start()
    sender.close()  # the child holds the only writing end now: its death ends the pipe
    with receiver:
        answered = receiver.poll(timeout)
        outcome = _receive(receiver) if answered else None
    child.join(timeout if answered else 0)
    if child.is_alive():
        child.kill()
        child.join()
    if not answered:
        raise CompileFailed(f"{directory}: compiling the wordlist took over {timeout} s")
    if outcome is None:
        raise CompileFailed(f"{directory}: compiling the wordlist failed (exit {child.exitcode})")
    if isinstance(outcome, GateError):
        raise outcome
    return outcome


def _receive(receiver: Connection) -> Compiled | GateError | None:
    """What the child sent, or None if it died without a word."""
    try:
        outcome: Compiled | GateError = receiver.recv()
    except EOFError:
        return None
    return outcome


def _run_child(target: CompileTarget, directory: Path, cache_directory: Path, sender: Connection) -> None:
    """The child's whole life: one outcome sent, and nothing printed. Any other exception
    is named by its class only, since its message could quote the list."""
    outcome: Compiled | GateError
    try:
        outcome = target(directory, cache_directory)
    except GateError as error:
        outcome = _portable(error)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which retries later
        outcome = CompileFailed(f"{directory}: compiling the wordlist failed ({type(error).__name__})")
    with contextlib.suppress(BrokenPipeError):  # the parent is gone: no one to tell
        sender.send(outcome)


def _portable(error: GateError) -> GateError:
    """`error`, or a plain GateError with its message if it would not survive the pipe
    (a subclass whose __init__ takes other arguments than its message)."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any failure to round-trip: send the message alone
        return GateError(str(error))
    return error
