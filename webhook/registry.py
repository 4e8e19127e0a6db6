"""The organisations' compiled wordlists, reloaded when their files change.

A change is noticed on a request (at most every `reload_seconds`) and compiled in a
background thread, so no request waits for it; until it is ready, and for good if the new
list is broken, the last good list keeps serving and the error is shown by /readyz. Each
gunicorn worker runs its own registry and so picks up every change.

A file caught half-written could parse and drop clients, so a build starts only once the
files have stood still for `settle_seconds`, and is thrown away and redone if they changed
while it was compiling. (Replacing files atomically, write then rename, is still the way
to update a list; this covers editors and copies that write in place.)
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gate.cache import cached_matcher, load_matcher, user_cache_directory
from gate.errors import ERROR_PREFIX, GateError
from gate.matcher import Matcher
from gate.wordlist import WORDLIST_FILES

COMPILE_TIMEOUT_SECONDS = 900
RETRY_SECONDS = 30.0  # after a failed compile, before the next try
log = logging.getLogger("gate.webhook")
Stamp = tuple[tuple[str, int, int] | None, ...]


@dataclass
class _State:
    directory: Path
    matcher: Matcher | None = None
    error: str = ""
    stamp: Stamp | None = None
    checked_at: float = 0.0
    building: bool = False


def file_stamp(directory: Path) -> Stamp:
    """What changes when a wordlist file is written: each file's time and size."""
    stamps: list[tuple[str, int, int] | None] = []
    for name in WORDLIST_FILES:
        try:
            status = os.stat(directory / name)
        except OSError:
            stamps.append(None)
            continue
        stamps.append((name, status.st_mtime_ns, status.st_size))
    return tuple(stamps)


class CompileFailed(GateError):
    """The compile process crashed, was killed or timed out: worth trying again later,
    unlike an error in the list itself."""


def compile_wordlist(directory: Path) -> Matcher:
    """The list from the user cache, compiled first by `gate wordlist compile` in a process
    of its own: the compile's peak memory (over a gigabyte for a million identifiers) and
    its seconds of interpreter time never land in a server process, which only loads
    the result. Where no cache can be written, it compiles here."""
    cache = user_cache_directory(os.environ)
    matcher = cached_matcher(directory, cache)
    if matcher is not None:
        return matcher
    # The child imports the gate this server runs, wherever gunicorn found it.
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gate", "wordlist", "compile", "--", str(directory)],
            capture_output=True, text=True, check=False, env=environment, timeout=COMPILE_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise CompileFailed(f"{directory}: compiling the wordlist took over {COMPILE_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        lines = done.stderr.splitlines()
        if done.returncode == 2 and lines and lines[-1].startswith(ERROR_PREFIX):
            raise GateError(lines[-1].removeprefix(ERROR_PREFIX))
        # Not the child's own words: a crash's last line could quote the list.
        raise CompileFailed(f"{directory}: compiling the wordlist failed (exit {done.returncode})")
    matcher = cached_matcher(directory, cache)
    if matcher is None:
        log.warning("cache folder %s not usable: compiling %s in the server process", cache, directory)
        matcher = load_matcher(directory, cache_directory=None)
    return matcher


class Registry:
    def __init__(
        self,
        directories: Mapping[str, Path],
        *,
        reload_seconds: float,
        settle_seconds: float = 0.2,
        compile: Callable[[Path], Matcher] = compile_wordlist,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._states = {org: _State(directory) for org, directory in directories.items()}
        self._reload_seconds = reload_seconds
        self._settle_seconds = settle_seconds
        self._compile = compile
        self._clock = clock
        self._lock = threading.Lock()
        for org in self._states:
            self._build(org, file_stamp(self._states[org].directory), settle=False)

    def matcher(self, org: str) -> Matcher | None:
        """The org's current list (None if it never loaded); starts a reload if due."""
        state = self._states[org]
        now = self._clock()
        start = False
        with self._lock:
            if not state.building and now - state.checked_at >= self._reload_seconds:
                state.checked_at = now
                stamp = file_stamp(state.directory)
                if stamp != state.stamp:
                    state.building = start = True
        if start:
            threading.Thread(target=self._build, args=(org, stamp), daemon=True).start()
        return state.matcher

    def status(self) -> dict[str, dict[str, object]]:
        """Each org's state; asking is also a moment to notice changed files."""
        for org in self._states:
            self.matcher(org)
        with self._lock:
            return {
                org: {
                    "loaded": state.matcher is not None,
                    "version": state.matcher.version if state.matcher else None,
                    "error": state.error or None,
                }
                for org, state in self._states.items()
            }

    def wait_idle(self, timeout: float = 30.0) -> None:
        """For tests and start-up: wait until no reload is running."""
        deadline = time.monotonic() + timeout
        while any(state.building for state in self._states.values()):
            if time.monotonic() > deadline:
                raise TimeoutError("wordlist reload still running")
            time.sleep(0.01)

    def _build(self, org: str, stamp: Stamp, *, settle: bool = True) -> None:
        state = self._states[org]
        try:
            stamp, matcher = self._compile_steady(state.directory, stamp, settle)
        except CompileFailed as error:
            # The files are not to blame: keep their stamp unknown, so that the list is
            # compiled again once the back-off has passed.
            with self._lock:
                state.error, state.building = str(error), False
                state.checked_at = self._clock() + RETRY_SECONDS
            return
        except GateError as error:
            with self._lock:
                state.error, state.stamp, state.building = str(error), stamp, False
            return
        except BaseException:
            with self._lock:
                state.building = False
            raise
        with self._lock:
            state.matcher, state.error, state.stamp, state.building = matcher, "", stamp, False

    def _compile_steady(self, directory: Path, stamp: Stamp, settle: bool) -> tuple[Stamp, Matcher]:
        """Compile files that did not change while they were read; their stamp and list."""
        while True:
            if settle:
                time.sleep(self._settle_seconds)
                settled = file_stamp(directory)
                if settled != stamp:
                    stamp = settled
                    continue
            matcher = self._compile(directory)
            after = file_stamp(directory)
            if after == stamp:
                return stamp, matcher
            stamp, settle = after, True
