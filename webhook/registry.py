"""The organisations' compiled wordlists, reloaded when their files change.

No request is checked against a list older than the files on disk when it arrived. Each
request stats the files (four stats, microseconds); if they are not the ones the serving
list was compiled from, the request waits, up to `reload_wait_seconds`, for a build that
read them or newer files, and is otherwise refused (503 `wordlist_reloading`). A watcher
thread in each process stats the files every `reload_seconds` and starts that build by
itself, so a change made while the server is idle is compiled before the next request
asks. (gunicorn forks after preloading the app and threads do not survive a fork: the
watcher starts on first use in each process.)

A new list that is broken is not a reason to approve against the old one: by default its
organisation is refused (503 `wordlist_broken`, naming file and line) until its files are
fixed; `on_broken_list = "last_good"` serves the last good list instead, and every verdict
so given says it is stale and why.

A file caught half-written could parse and drop clients, so a build starts only once the
files have stood still for `settle_seconds`, and is thrown away and redone if they changed
while it was compiling, whether it compiled or failed. (Replacing files atomically, write
then rename, is still the way to update a list; this covers editors and copies that write
in place.)
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from gate.adapters.files import read_wordlist_files
from gate.errors import GateError
from gate.matcher import Matcher
from gate.wordlist import WORDLIST_FILES, wordlist_version
from webhook.compiler import CompileFailed, compile_wordlist
from webhook.errors import ApiError

# After a failed compile, before the next try; what a scheduler is told to wait while a list is broken.
RETRY_SECONDS = 30
log = logging.getLogger("gate.webhook")
Stamp = tuple[tuple[str, int, int, int, int] | None, ...]


def file_stamp(directory: Path) -> Stamp:
    """What changes when a wordlist file is written or replaced: each file's times, size
    and inode. (The change time too: a copy that keeps the modification time, into an
    inode just freed, would otherwise look like the file it replaced.)"""
    stamps: list[tuple[str, int, int, int, int] | None] = []
    for name in WORDLIST_FILES:
        try:
            status = os.stat(directory / name)
        except OSError:
            stamps.append(None)
            continue
        stamps.append((name, status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino))
    return tuple(stamps)


class ListStatus(NamedTuple):
    """One organisation's list as this process holds it, for the console."""

    version: str | None  # serving; None: none ever loaded
    loaded_at: float | None  # when that version was loaded (Unix time)
    checked_at: float | None  # when the files were last compiled, with or without an error
    error: str  # the newest build's error ("" for none): a file and line, never a value
    version_on_disk: str | None


class Serving(NamedTuple):
    matcher: Matcher
    stale_reason: str = ""  # set where the last good list answers for a broken new one


@dataclass
class _State:
    directory: Path
    matcher: Matcher | None = None
    stamp: Stamp | None = None  # of the files `matcher` was compiled from
    # The newest build's outcome: its files' stamp (None: the compile crashed, the files
    # are not to blame), the tick taken before that stamp was confirmed, and its error
    # ("" for a good build).
    outcome_stamp: Stamp | None = None
    outcome_tick: int = -1
    error: str = "not loaded yet"
    retry_at: float = 0.0
    building: bool = False
    loaded_at: float | None = None
    checked_at: float | None = None
    disk: tuple[Stamp, str | None] | None = None  # the on-disk version, for /readyz


class Registry:
    def __init__(
        self,
        directories: Mapping[str, Path],
        *,
        reload_seconds: float,
        reload_wait_seconds: float = 5.0,
        on_broken_list: str = "fail",
        settle_seconds: float = 0.2,
        compile: Callable[[Path], Matcher] = compile_wordlist,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._states = {org: _State(directory) for org, directory in directories.items()}
        self._reload_seconds = reload_seconds
        self._wait_seconds = reload_wait_seconds
        self._serve_last_good = on_broken_list == "last_good"
        self._settle_seconds = settle_seconds
        self._compile = compile
        self._clock = clock
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        # Orders "a request arrived" against "a build confirmed its files": a build whose
        # tick is later read files at least as new as those on disk when the request came.
        self._ticks = itertools.count()
        self._watcher_pid = 0
        for org in self._states:
            self._build(org, file_stamp(self._states[org].directory), settle=False)

    def serving(self, org: str) -> Serving:
        """The list that answers for `org` now: one compiled from the files on disk when
        this was called or newer ones, or, for a broken new list where so configured, the
        last good one; else ApiError 503."""
        self._ensure_watcher()
        state = self._states[org]
        arrived = next(self._ticks)
        stamp = file_stamp(state.directory)
        deadline = time.monotonic() + self._wait_seconds
        with self._changed:
            while True:
                if state.matcher is not None and state.stamp == stamp:
                    return Serving(state.matcher)  # the very files on disk
                if state.outcome_stamp == stamp or state.outcome_tick > arrived or self._backing_off(state):
                    return self._outcome(org, state)
                if not state.building:
                    self._start_build(org, state, stamp)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ApiError(
                        503,
                        "wordlist_reloading",
                        f"the wordlist of {org} changed and is still being loaded",
                        retry_after=max(1, math.ceil(self._wait_seconds)),
                    )
                self._changed.wait(remaining)

    def status(self) -> dict[str, dict[str, object]]:
        """Each org's state: the version serving, the version on disk, the newest error.
        Asking is also a moment to notice changed files."""
        self._ensure_watcher()
        self._poll()
        report: dict[str, dict[str, object]] = {}
        for org, state in self._states.items():
            on_disk = self._version_on_disk(state)
            with self._lock:
                report[org] = {
                    "loaded": state.matcher is not None,
                    "version": state.matcher.version if state.matcher else None,
                    "version_on_disk": on_disk,
                    "error": state.error or None,
                }
        return report

    def list_status(self, org: str) -> ListStatus:
        self._ensure_watcher()
        state = self._states[org]
        on_disk = self._version_on_disk(state)
        with self._lock:
            version = state.matcher.version if state.matcher else None
            return ListStatus(version, state.loaded_at, state.checked_at, state.error, on_disk)

    def _outcome(self, org: str, state: _State) -> Serving:
        if not state.error and state.matcher is not None:
            return Serving(state.matcher)
        if state.matcher is None:
            raise ApiError(
                503,
                "wordlist_unavailable",
                f"the wordlist of {org} is not loaded: {state.error}",
                retry_after=RETRY_SECONDS,
            )
        if self._serve_last_good:
            return Serving(state.matcher, f"the new wordlist is not loaded ({state.error}); the last good one answered")
        if state.outcome_stamp is None:
            raise ApiError(
                503,
                "wordlist_reloading",
                f"the new wordlist of {org} could not be compiled ({state.error})",
                retry_after=max(1, math.ceil(state.retry_at - self._clock())),
            )
        raise ApiError(503, "wordlist_broken", state.error, retry_after=RETRY_SECONDS)

    def _backing_off(self, state: _State) -> bool:
        """The newest compile crashed and is not to be tried again yet."""
        return state.outcome_stamp is None and bool(state.error) and self._clock() < state.retry_at

    def _start_build(self, org: str, state: _State, stamp: Stamp) -> None:
        """With the lock held."""
        state.building = True
        threading.Thread(target=self._build, args=(org, stamp), daemon=True).start()

    def watch(self) -> None:
        """Start this process's watcher now (a gunicorn worker, as it boots)."""
        self._ensure_watcher()

    def _ensure_watcher(self) -> None:
        """One watcher thread per process: started on first use, not at construction,
        since gunicorn builds the app before it forks and threads do not survive a fork."""
        with self._lock:
            if self._watcher_pid == os.getpid():
                return
            self._watcher_pid = os.getpid()
        threading.Thread(target=_watch, args=(weakref.ref(self), self._reload_seconds), daemon=True).start()

    def _poll(self) -> None:
        """Start a build for each org whose files are not those of its newest outcome."""
        for org, state in self._states.items():
            stamp = file_stamp(state.directory)
            with self._lock:
                if not state.building and stamp != state.outcome_stamp and not self._backing_off(state):
                    self._start_build(org, state, stamp)

    def _version_on_disk(self, state: _State) -> str | None:
        stamp = file_stamp(state.directory)
        if state.matcher is not None and stamp == state.stamp:
            return state.matcher.version
        if state.disk is None or state.disk[0] != stamp:
            try:
                version: str | None = wordlist_version(read_wordlist_files(state.directory))
            except GateError:
                version = None
            state.disk = (stamp, version)
        return state.disk[1]

    def _build(self, org: str, stamp: Stamp, *, settle: bool = True) -> None:
        state = self._states[org]
        try:
            stamp, tick, outcome = self._compile_steady(state.directory, stamp, settle)
        except CompileFailed as error:
            # The files are not to blame: no stamp, so that they are compiled again once
            # the back-off has passed.
            log.warning("wordlist of %s: not reloaded: %s", org, error)
            with self._changed:
                state.error, state.outcome_stamp, state.outcome_tick = str(error), None, next(self._ticks)
                state.checked_at = time.time()
                state.retry_at, state.building = self._clock() + RETRY_SECONDS, False
                self._changed.notify_all()
            return
        except BaseException:
            with self._changed:
                state.building = False
                self._changed.notify_all()
            raise
        with self._changed:
            state.outcome_stamp, state.outcome_tick, state.building = stamp, tick, False
            state.checked_at = time.time()
            if isinstance(outcome, GateError):
                state.error = str(outcome)
                log.warning("wordlist of %s: new version broken, not loaded: %s", org, outcome)
            else:
                previous = state.matcher.version if state.matcher else None
                state.matcher, state.stamp, state.error = outcome, stamp, ""
                if outcome.version != previous:
                    state.loaded_at = state.checked_at
                    log.info("wordlist of %s: version %s loaded (was %s)", org, outcome.version, previous)
            self._changed.notify_all()

    def _compile_steady(self, directory: Path, stamp: Stamp, settle: bool) -> tuple[Stamp, int, Matcher | GateError]:
        """Compile files that did not change while they were read: their stamp, the tick
        taken before that was confirmed, and the list or the error in it."""
        while True:
            if settle:
                time.sleep(self._settle_seconds)
                settled = file_stamp(directory)
                if settled != stamp:
                    stamp = settled
                    continue
            outcome: Matcher | GateError
            try:
                outcome = self._compile(directory)
            except CompileFailed:
                raise
            except GateError as error:
                outcome = error
            tick = next(self._ticks)
            after = file_stamp(directory)
            if after == stamp:
                return stamp, tick, outcome
            stamp, settle = after, True


def _watch(registry: weakref.ref[Registry], seconds: float) -> None:
    """Poll until the registry is gone (a test's app), or for the life of the process."""
    while True:
        time.sleep(seconds)
        alive = registry()
        if alive is None:
            return
        alive._poll()
        del alive
